"""The dossiers behind a report's figure as an Excel workbook (issue 19: a clerk checks any number): a title, the
period, one line per dossier with real dates, frozen header, printable landscape fitted to the page's width."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from counter.records import DossierRow
from counter.text import nfc
from printing.xlsx_page import landscape_fit_to_width

HEADERS = ("STT", "Mã hồ sơ", "Người nộp", "Thủ tục hành chính", "Ngày nhận", "Hẹn trả", "Trạng thái")
WIDTHS = (6, 30, 26, 50, 17, 17, 24)
DATE_FORMAT = "dd/mm/yyyy hh:mm"


def build_dossier_list_xlsx(title: str, period_label: str, rows: Sequence[DossierRow]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Danh sách hồ sơ"
    ws["A1"] = nfc(title)
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    ws["A2"] = nfc(period_label)
    ws["A2"].font = Font(name="Times New Roman", italic=True, size=12)
    ws.append([])
    ws.append(list(HEADERS))
    for cell in ws[4]:
        cell.font = Font(name="Times New Roman", bold=True, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for number, row in enumerate(rows, start=1):
        ws.append([number, row.code, nfc(row.applicant_name), nfc(row.procedure_name),
                   row.received_at.replace(tzinfo=None),
                   row.due_at.replace(tzinfo=None) if row.due_at else None, row.status.label])
        for column in (5, 6):
            ws.cell(row=ws.max_row, column=column).number_format = DATE_FORMAT
        ws.cell(row=ws.max_row, column=4).alignment = Alignment(wrap_text=True, vertical="top")
    if not rows:
        ws.append(["", "Không có hồ sơ nào."])
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    landscape_fit_to_width(ws, title_rows="4:4", freeze="A5")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
