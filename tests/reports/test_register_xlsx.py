"""The register as .xlsx: the form's merged header, real date cells, frozen header rows, printable (landscape, fit
to width, header rows repeated), the sheet named after the book."""

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from counter.reports.register import build_register
from printing.register_pdf import Cancelled
from printing.register_xlsx import build_register_xlsx, sheet_title
from tests.reports.register_history import LONG_NAME, build
from tests.reports.test_register_pdf import form_only


@pytest.fixture
def register(ctx, clock):
    build(ctx, clock)
    return form_only(build_register(ctx, book="01/2026"))


def sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_cells_are_the_lines_with_real_dates(register):
    ws = sheet(build_register_xlsx(register))
    assert ws.title == "Sổ 01-2026"
    assert ws["A4"].value == "SỔ THEO DÕI HỒ SƠ"
    assert ws["A5"].value == "Quyển số 01/2026 — Từ ngày 12/02/2026 đến ngày 13/02/2026"
    assert ws["A2"].value == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    row = [cell.value for cell in ws[11]]  # the second line: the dossier returned
    assert row[:7] == [2, "000.00.06.H56-260213-0001", "Cấp Giấy xác nhận tình trạng hôn nhân", 1, "Nguyễn Văn An",
                       "Thôn 3, Xã Quảng Hùng, Thanh Hóa; ĐT: 0912345678", "Công chức Tư pháp - Hộ tịch"]
    assert row[7:12] == [datetime(2026, 2, 13, 8, 0), datetime(2026, 2, 25, 8, 0), datetime(2026, 2, 13, 14, 0),
                         datetime(2026, 2, 16, 9, 0), datetime(2026, 2, 17, 8, 30)]
    assert row[12:] == ["Nguyễn Thị Hoa", "Nguyễn Văn Cường", "Người được ủy quyền nhận thay"]
    for cell in ws[11][7:12]:
        assert cell.is_date and cell.number_format == "dd/mm/yyyy hh:mm"
    assert [ws.cell(r, 1).value for r in range(10, 15)] == [1, 2, 3, 4, 5]
    assert ws["E14"].value == LONG_NAME and ws["E14"].alignment.wrap_text
    assert ws["J12"].value is None  # the withdrawn dossier was never sent on
    assert ws["A15"].value == "Tổng số: 5 hồ sơ."
    for row in range(10, 15):  # every line styled as the first (each column's style is copied down)
        assert ws.cell(row, 8).number_format == "dd/mm/yyyy hh:mm" and ws.cell(row, 8).is_date
        assert ws.cell(row, 15).alignment.wrap_text and ws.cell(row, 15).border.left.style == "thin"
        assert ws.cell(row, 5).font.name == "Times New Roman" and ws.cell(row, 1).alignment.horizontal == "center"


def test_header_is_merged_as_the_form_is(register):
    ws = sheet(build_register_xlsx(register))
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"H7:K7", "L7:N7", "A7:A8", "B7:B8", "G7:G8", "O7:O8"} <= merged
    assert (ws["H7"].value, ws["L7"].value) == ("Ngày, tháng, năm", "Trả kết quả")
    assert [ws.cell(8, c).value for c in range(8, 15)] == [
        "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết", "Nhận kết quả từ cơ quan giải quyết",
        "Ngày, tháng, năm", "Bên giao", "Bên nhận (ký nhận)"]
    assert [ws.cell(9, c).value for c in (1, 15)] == ["(1)", "(15)"]


def test_frozen_printable_and_wide_enough(register):
    ws = sheet(build_register_xlsx(register))
    assert ws.freeze_panes == "C10"
    assert ws.print_title_rows == "$7:$9"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "Trang &P/&N"
    assert ws.column_dimensions["B"].width >= len("000.00.06.H56-260213-0001")
    assert ws.column_dimensions["H"].width >= len("13/02/2026 08:00")


def test_an_empty_register_says_so(ctx, clock):
    build(ctx, clock)
    ws = sheet(build_register_xlsx(form_only(build_register(ctx, start=date(2026, 1, 1), end=date(2026, 1, 31)))))
    assert ws["A10"].value == "Không có hồ sơ nào được tiếp nhận trong kỳ này."
    assert ws.title == "Sổ theo dõi hồ sơ"


def test_sheet_names_excel_accepts(register):
    assert sheet_title(replace(register, book="01/2026")) == "Sổ 01-2026"
    assert sheet_title(replace(register, book="x" * 40)) == "Sổ " + "x" * 28


def test_cancel(register):
    many = replace(register, lines=register.lines * 300)
    with pytest.raises(Cancelled):
        build_register_xlsx(many, progress=lambda done, total: done < 500)
