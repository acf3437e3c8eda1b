"""SỔ THEO DÕI HỒ SƠ (Mẫu 07) as an Excel workbook (openpyxl): the PDF's columns with the form's merged header
cells, real date cells, the header rows frozen and repeated on every printed page, landscape and fit to width,
the sheet named after the book."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from copy import copy
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from counter.clock import local
from counter.reports.records import Register, RegisterLine
from counter.status import Status
from counter.text import nfc
from printing.register_pdf import DATES, RETURN, TITLE, Cancelled, columns_of
from printing.xlsx_page import landscape_fit_to_width

FONT = "Times New Roman"  # Liberation Serif's metric twin, on every office PC
DATE_FORMAT = "dd/mm/yyyy hh:mm"
# Column widths in Excel's units (characters of the default font): dates fit "dd/mm/yyyy hh:mm".
WIDTHS = (6, 27, 36, 8, 24, 32, 22, 16, 16, 16, 16, 16, 18, 18, 30)
COUNTER_WIDTH = 28  # a centre's register: "Quầy, người tiếp nhận" (register_pdf.COUNTER_COLUMN)
DATE_COLUMNS = range(DATES[0], RETURN[0] + 1)  # 8–12 in the form's numbering: the four dates and the return's
TOP = 6  # heading rows above the table's header
HEAD_ROWS = 3
_SHEET_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def sheet_title(register: Register) -> str:
    """'Sổ 01-2026' for book 01/2026 (Excel forbids / in a sheet's name, and allows 31 characters)."""
    name = register.book or (register.books[0] if len(register.books) == 1 else "")
    label = f"Sổ {_SHEET_FORBIDDEN.sub('-', name)}" if name else "Sổ theo dõi hồ sơ"
    return label[:31]


def _naive(dt: datetime | None) -> datetime | None:
    """Vietnam time without its zone: what Excel's date cells hold."""
    return None if dt is None else local(dt).replace(tzinfo=None)


def _values(register: Register, line: RegisterLine) -> list[str | int | datetime | None]:
    returned = line.status == Status.RETURNED
    number: str | int | None = line.number if len(register.books) <= 1 or register.book else register.number_label(line)
    return [
        number, line.code, nfc(line.procedure_name), line.sets, nfc(line.applicant_name), nfc(line.address_phone),
        nfc(line.lead_unit), _naive(line.received_at), _naive(line.due_at), _naive(line.sent_at),
        _naive(line.result_at), _naive(line.returned_at), nfc(line.returned_by) if returned else "",
        nfc(line.collected_by) if returned else "", nfc(line.note),
        *([nfc(line.counter_clerk)] if register.counter_column else []),
    ]


def _heading(ws: Worksheet, register: Register) -> None:
    last = get_column_letter(len(columns_of(register)))
    office = register.office
    ws["A1"] = nfc(office.parent_name).upper()
    ws["A2"] = nfc(office.office_name).upper()
    ws["H1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["H2"] = "Độc lập - Tự do - Hạnh phúc"
    ws[f"{last}1"] = "Mẫu số 07"
    ws["A4"] = TITLE
    ws["A5"] = " — ".join(part for part in (register.book_label, register.period_label) if part)
    ws["A6"] = register.scope_label
    for cell, bold in (("A1", False), ("A2", True), ("H1", True), ("H2", True), ("A4", True)):
        ws[cell].font = Font(name=FONT, size=14 if cell == "A4" else 12, bold=bold)
    ws[f"{last}1"].font = Font(name=FONT, size=10, italic=True)
    for cell in ("A5", "A6"):
        ws[cell].font = Font(name=FONT, size=12, italic=True)
    for row, first, end in ((1, "A", "F"), (2, "A", "F"), (1, "H", "N"), (2, "H", "N")):
        ws.merge_cells(f"{first}{row}:{end}{row}")
        ws[f"{first}{row}"].alignment = Alignment(horizontal="center")
    for row in (4, 5, 6):
        ws.merge_cells(f"A{row}:{last}{row}")
        ws[f"A{row}"].alignment = Alignment(horizontal="center")


def _header(ws: Worksheet, register: Register) -> None:
    bold = Font(name=FONT, size=11, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first, second, numbers = TOP + 1, TOP + 2, TOP + 3
    columns = columns_of(register)
    for col, (name, _) in enumerate(columns, start=1):
        grouped = DATES[0] < col <= DATES[1] or RETURN[0] < col <= RETURN[1]
        ws.cell(second if grouped else first, col, name)
        if not grouped:
            ws.merge_cells(start_row=first, start_column=col, end_row=second, end_column=col)
        ws.cell(numbers, col, f"({col})").font = Font(name=FONT, size=10, italic=True)
    for group, (start, end) in (("Ngày, tháng, năm", DATES), ("Trả kết quả", RETURN)):
        ws.cell(first, start + 1, group)
        ws.merge_cells(start_row=first, start_column=start + 1, end_row=first, end_column=end)
    for row in (first, second, numbers):
        for col in range(1, len(columns) + 1):
            cell = ws.cell(row, col)
            if row != numbers:
                cell.font = bold
            cell.alignment = centre
            cell.border = _BOX
    ws.row_dimensions[second].height = 45


_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def build_register_xlsx(register: Register, *, progress: Callable[[int, int], bool] | None = None) -> bytes:
    """The register as .xlsx bytes. `progress(done, total)` as for the PDF (False stops with Cancelled)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title(register)
    _heading(ws, register)
    _header(ws, register)
    count = len(columns_of(register))
    for col, width in enumerate((*WIDTHS, COUNTER_WIDTH)[:count], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    body = TOP + HEAD_ROWS + 1
    font = Font(name=FONT, size=11)
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top")
    total = len(register.lines)
    styles: list[StyleArray] = []  # each column's style, set once: openpyxl hashes a style at every assignment
    for index, line in enumerate(register.lines):
        row = body + index
        for col, value in enumerate(_values(register, line)):
            cell = ws.cell(row, col + 1, value)
            if styles:
                cell._style = copy(styles[col])  # type: ignore[attr-defined]  # private, absent from the stubs
                continue
            cell.font = font
            cell.border = _BOX
            if col in DATE_COLUMNS:
                cell.number_format = DATE_FORMAT
                cell.alignment = centre
            elif col in (0, 3):
                cell.alignment = centre
            else:
                cell.alignment = wrap
        if not styles:
            styles = [ws.cell(row, col + 1)._style for col in range(count)]  # type: ignore[union-attr]
        if progress is not None and index % 500 == 0 and not progress(index, total):
            raise Cancelled
    if register.empty:
        ws.cell(body, 1, nfc(register.empty_label)).font = Font(name=FONT, size=11, italic=True)
        ws.merge_cells(start_row=body, start_column=1, end_row=body, end_column=count)
        ws.cell(body, 1).alignment = Alignment(horizontal="center")
    else:
        ws.cell(body + total, 1, f"Tổng số: {total} hồ sơ.").font = Font(name=FONT, size=11, italic=True)
    # the header rows, and the number and code columns, stay in view
    landscape_fit_to_width(ws, title_rows=f"{TOP + 1}:{TOP + HEAD_ROWS}", freeze=f"C{body}")
    wb.properties.title = " — ".join(part for part in (f"{TITLE} {register.book_label}".strip(), register.scope)
                                     if part)
    wb.properties.creator = "Quầy Một Cửa"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
