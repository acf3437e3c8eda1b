"""Biểu số 06 as an Excel workbook (openpyxl): the form's three merged header rows and the column numbers, numbers
as numbers (shares as per cent cells), the header frozen and repeated on every printed page, A4 landscape fitted
to the page's width. The same figures as the PDF: both read counter.reports.records.Stats."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from counter.records import Office
from counter.reports.records import GROUPINGS, Stats, StatsRow
from counter.text import nfc
from printing.stats_pdf import FORM, TITLE, beside_lines
from printing.xlsx_page import landscape_fit_to_width

FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEAD_FIRST = 8  # the three header rows are 8–10, the column numbers 11, the lines from 12
FIRST_LINE = HEAD_FIRST + 4
LAST_COLUMN = 13


def _font(bold: bool = False, italic: bool = False, size: float = 12) -> Font:
    return Font(name=FONT, bold=bold, italic=italic, size=size)


def _merged(ws: Worksheet, cells: str, value: object, *, bold: bool = False, italic: bool = False,
            size: float = 12, align: str = "center") -> None:
    ws.merge_cells(cells)
    first = ws[cells.split(":")[0]]
    first.value = value
    first.font = _font(bold, italic, size)
    first.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)


def _head(ws: Worksheet, stats: Stats) -> None:
    r = HEAD_FIRST
    name_head = "Lĩnh vực, công việc giải quyết theo cấp" if stats.by == "field" else GROUPINGS[stats.by]
    spans = [  # (first row, first column, last row, last column, text)
        (r, 1, r + 2, 1, "STT"), (r, 2, r + 2, 2, name_head),
        (r, 3, r, 6, "Số hồ sơ nhận giải quyết"), (r, 7, r, 10, "Số hồ sơ đã giải quyết"),
        (r, 11, r, 13, "Số hồ sơ đang giải quyết"),
        (r + 1, 3, r + 2, 3, "Tổng số"), (r + 1, 4, r + 1, 6, "Trong đó"),
        (r + 2, 4, r + 2, 4, "Trực tuyến"), (r + 2, 5, r + 2, 5, "Trực tiếp, dịch vụ bưu chính"),
        (r + 2, 6, r + 2, 6, "Từ kỳ trước"),
        *[(r + 1, c, r + 2, c, text) for c, text in zip(range(7, 14), (
            "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"), strict=True)],
    ]
    for row in range(r, r + 4):
        for column in range(1, LAST_COLUMN + 1):
            cell = ws.cell(row=row, column=column)
            cell.border, cell.alignment, cell.font = BOX, CENTRE, _font(bold=row < r + 3, italic=row == r + 3, size=11)
    for top, left, bottom, right, text in spans:
        if (top, left) != (bottom, right):
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        ws.cell(row=top, column=left).value = text
    for column in range(1, LAST_COLUMN + 1):
        ws.cell(row=r + 3, column=column).value = f"({column})"
    ws.row_dimensions[r + 2].height = 48


def _line(ws: Worksheet, row: int, number: int | None, line: StatsRow, bold: bool) -> None:
    values: list[int | str | None] = [number, nfc(line.label), *line.columns()]
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        cell.border, cell.font = BOX, _font(bold=bold, size=11)
        cell.alignment = Alignment(horizontal="left" if column == 2 else "center" if column == 1 else "right",
                                   vertical="top", wrap_text=column == 2)


def build_stats_xlsx(stats: Stats, office: Office) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Biểu 06"
    period = stats.period
    _merged(ws, "A1:E1", nfc(office.parent_name).upper())
    _merged(ws, "A2:E2", nfc(office.office_name).upper(), bold=True)
    _merged(ws, "H1:M1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _merged(ws, "H2:M2", "Độc lập - Tự do - Hạnh phúc", bold=True)
    _merged(ws, "L3:M3", FORM, bold=True, italic=True, align="right")
    _merged(ws, "A4:M4", f"{TITLE} TẠI {nfc(office.office_name).upper()}", bold=True, size=14)
    _merged(ws, "A5:M5", " — ".join(part for part in (period.heading, stats.scope_line) if part), italic=True)
    _merged(ws, "A6:M6", f"Đơn vị báo cáo: {nfc(office.office_name)} — {nfc(office.parent_name)}. "
                         "Đơn vị nhận báo cáo: ……………………")
    _merged(ws, "A7:M7", f"Nhóm theo: {GROUPINGS[stats.by].lower()}. Đơn vị tính: Số hồ sơ TTHC.", italic=True,
            align="right")
    _head(ws, stats)
    row = FIRST_LINE
    for number, line in enumerate(stats.rows, start=1):
        _line(ws, row, number, line, bold=False)
        row += 1
    if not stats.rows:
        _line(ws, row, None, StatsRow("", "Không có hồ sơ nào trong kỳ báo cáo.", 0, 0, 0, 0, 0, 0, 0, 0), bold=False)
        row += 1
    _line(ws, row, None, stats.total, bold=True)
    total_row = row
    row += 2
    for item in beside_lines(stats):
        label = ws.cell(row=row, column=2, value=item.label)
        label.font, label.alignment = _font(size=11), Alignment(wrap_text=True, vertical="top")
        if item.part is None:
            ws.cell(row=row, column=3, value=item.text).font = _font(bold=True, size=11)
        else:
            ws.cell(row=row, column=3, value=item.part).font = _font(bold=True, size=11)
            if item.whole is not None:
                ws.cell(row=row, column=4, value=item.whole).font = _font(size=11)
                share = ws.cell(row=row, column=5, value=item.part / item.whole if item.whole else None)
                share.number_format, share.font = "0.0%", _font(size=11)
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="Ghi chú:").font = _font(bold=True, italic=True, size=11)
    for note in stats.notes:
        row += 1
        _merged(ws, f"A{row}:M{row}", f"- {note}", size=11, align="left")
        ws.row_dimensions[row].height = 30
    row += 2
    _merged(ws, f"H{row}:M{row}", "NGƯỜI LÀM BÁO CÁO", bold=True)
    _merged(ws, f"H{row + 1}:M{row + 1}", "(Ký và ghi rõ họ tên)", italic=True)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 48
    for column in "CDEFGHIJKLM":
        ws.column_dimensions[column].width = 11
    landscape_fit_to_width(ws, title_rows=f"{HEAD_FIRST}:{HEAD_FIRST + 3}", freeze=f"C{FIRST_LINE}")
    ws.print_area = f"A1:M{row + 1}"
    wb.properties.title = " — ".join(part for part in (f"{FORM} {period.label}", stats.scope) if part)
    wb.properties.creator = nfc(office.office_name)
    assert total_row >= FIRST_LINE
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
