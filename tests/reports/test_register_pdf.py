"""The register's PDF: landscape A4 (or A3), the office's heading, book and period, the form's columns under a header
repeated on every page, 'Trang x/y', every character inside the page's frame."""

from dataclasses import replace
from datetime import date
from itertools import pairwise

import pypdfium2 as pdfium
import pytest

from counter.reports.register import build_register
from printing.register_pdf import COLUMNS, MARGIN, Cancelled, build_register_pdf, columns_of
from tests.printing.pdf import char_boxes, page_texts
from tests.reports.register_history import LONG_NAME, build


def form_only(register):
    """The register as one counter's database has it (on PostgreSQL the centre's also says its scope and names each
    line's counter in a column of its own: test_columns_stay_in_their_cells' centre case, test_report_scope.py)."""
    return replace(register, scope="", counter_column=False)


@pytest.fixture
def register(ctx, clock):
    build(ctx, clock)
    return form_only(build_register(ctx, book="01/2026"))


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [tuple(round(v) for v in page.get_size()) for page in doc]
    finally:
        doc.close()


def test_one_page_register_says_everything_the_form_asks(register):
    pdf = build_register_pdf(register)
    assert sizes(pdf) == [(842, 595)]  # A4 landscape
    (text,) = page_texts(pdf)
    for words in ("UBND XÃ QUẢNG HÙNG", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "SỔ THEO DÕI HỒ SƠ", "Mẫu số 07",
                  "Quyển số 01/2026 — Từ ngày 12/02/2026 đến ngày 13/02/2026",
                  "Ngày, tháng, năm", "Trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
                  "Nhận kết quả từ cơ quan giải quyết", "Cơ quan chủ trì giải quyết", "Bên nhận (ký nhận)", "(15)",
                  "Tổng số: 5 hồ sơ."):
        assert words in text, words
    # The returned dossier's line: hand-over, result and return columns, who handed over and who collected.
    assert ("000.00.06.H56- 260213-0001 Cấp Giấy xác nhận tình trạng hôn nhân 1 Nguyễn Văn An Thôn 3, Xã Quảng "
            "Hùng, Thanh Hóa; ĐT: 0912345678 Công chức Tư pháp - Hộ tịch 13/02/2026 08:00") in text
    assert "13/02/2026 14:00 16/02/2026 09:00 17/02/2026 08:30 Nguyễn Thị Hoa Nguyễn Văn Cường" in text
    assert " ".join(LONG_NAME.split()[:4]) in text  # the long name wraps in its cell


def test_many_pages_repeat_the_header_and_number_the_pages(register):
    many = replace(register, lines=register.lines * 40)
    pdf = build_register_pdf(many)
    texts = page_texts(pdf)
    assert len(texts) > 3
    for number, text in enumerate(texts, start=1):
        assert f"Trang {number}/{len(texts)}" in text
        assert "Tên thủ tục hành chính" in text and "Nhận kết quả từ cơ quan giải quyết" in text  # the header
        if number > 1:
            assert "Sổ theo dõi hồ sơ — Quyển số 01/2026, Từ ngày 12/02/2026 đến ngày 13/02/2026 (tiếp theo)" in text
    assert sum(text.count("Cấp Giấy xác nhận tình trạng hôn nhân") for text in texts) == 4 * 40


@pytest.mark.parametrize("paper, size", [("A4", (842, 595)), ("A3", (1191, 842))])
def test_nothing_leaves_the_page_frame(register, paper, size):
    many = replace(register, lines=register.lines * 12)
    pdf = build_register_pdf(many, paper=paper)
    for width, height, chars in char_boxes(pdf):
        assert (round(width), round(height)) == size
        for char, (left, bottom, right, top) in chars:
            if char in "BẢNDÙNGTHỬ":  # the demo office's watermark crosses the page on purpose
                continue
            assert left >= MARGIN - 1 and right <= width - MARGIN + 1, char
            assert bottom >= 0 and top <= height, char


@pytest.mark.parametrize("centre", [False, True], ids=["form", "centre"])
def test_columns_stay_in_their_cells(register, centre):
    """Every character of the lines (between the column numbers and the total) is inside one column: long names
    and notes wrap in their cell, nothing spills into the next one; a centre's register (issue 20) with its counter
    column too."""
    if centre:
        register = replace(register, scope="Cả trung tâm", counter_column=True)
    columns = columns_of(register)
    assert len(columns) == (16 if centre else 15) and columns[:15] == COLUMNS
    pdf = build_register_pdf(register)
    (width, _, chars), = char_boxes(pdf)
    scale = (width - 2 * MARGIN) / sum(w for _, w in columns)
    edges = [MARGIN]
    for _, w in columns:
        edges.append(edges[-1] + w * scale)
    text = "".join(char for char, _ in chars)
    numbers_bottom = chars[text.index(f"({len(columns)})")][1][1]
    if centre:
        assert "Quầy,ngườitiếpnhận" in text and "Phạmvi:Cảtrungtâm" in text and "Quầy0—" in text
    total_top = chars[text.index("Tổngsố")][1][3]
    body = [(char, box) for char, box in chars if total_top < box[1] and box[3] < numbers_bottom
            and char not in "BẢNDÙNGTHỬ"]
    assert len(body) > 500
    for char, (left, _, right, _) in body:
        assert any(a <= left and right <= b for a, b in pairwise(edges)), (char, left, right)


def test_an_empty_register_says_it_is_empty(ctx, clock):
    build(ctx, clock)
    register = form_only(build_register(ctx, start=date(2026, 1, 1), end=date(2026, 1, 31)))
    (text,) = page_texts(build_register_pdf(register, paper="A3"))
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ này." in text
    assert "Từ ngày 01/01/2026 đến ngày 31/01/2026" in text


def test_progress_and_cancel(register):
    many = replace(register, lines=register.lines * 300)
    seen = []
    build_register_pdf(many, progress=lambda done, total: seen.append((done, total)) or True)
    assert seen[0] == (0, 1500) and seen[-1] == (1000, 1500)
    with pytest.raises(Cancelled):
        build_register_pdf(many, progress=lambda done, total: done < 500)


def test_the_fonts_are_embedded(register):
    pdf = build_register_pdf(register, invariant=True)
    assert b"LiberationSerif" in pdf and b"Helvetica" not in pdf
    assert pdf == build_register_pdf(register, invariant=True)
