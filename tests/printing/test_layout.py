"""Long content flows onto more pages, numbered per copy, with nothing outside the page or overlapping."""

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from printing.document import FRAME_HEIGHT, FRAME_WIDTH, LEFT_MARGIN, MARGIN
from printing.fonts import REGULAR, register_fonts
from printing.mau01 import build_receipt
from tests.printing import pdf, samples

MM = 72 / 25.4
SAFE = 5 * MM  # printers cannot print nearer the edge than this


@pytest.fixture(scope="module")
def long_receipt() -> bytes:
    return build_receipt(samples.long_dossier(), samples.office(lookup_url=samples.LOOKUP))


@pytest.fixture(scope="module")
def long_pages(long_receipt) -> list[str]:
    return pdf.page_texts(long_receipt)


def _copies(pages: list[str]) -> tuple[list[str], list[str]]:
    half = len(pages) // 2
    return pages[:half], pages[half:]


def test_each_copy_spans_several_numbered_pages(long_pages):
    first, second = _copies(long_pages)
    assert len(first) == len(second) >= 2
    total = len(first)
    for label, pages in (("Liên 1: Lưu", first), ("Liên 2: Giao người nộp", second)):
        assert f"({label})" in pages[0] and "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in pages[0]
        for number, text in enumerate(pages, start=1):
            assert f"Trang {number}/{total}" in text
            if number > 1:
                assert f"Mẫu 01 - Mã hồ sơ: {samples.CODE} - {label} (tiếp theo)" in text
                assert "TT Tên giấy tờ Số lượng" in text or number == total  # the table head repeats
        assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in pages[-1]


def test_every_component_and_the_whole_procedure_name_appear_in_each_copy(long_pages):
    dossier = samples.long_dossier()
    for pages in _copies(long_pages):
        text = " ".join(pages)
        assert dossier.procedure_name in text
        for component in dossier.components:
            assert component.name in text, component.name


def _margin_text(page: int, total: int, label: str) -> str:
    head = f"Mẫu 01 - Mã hồ sơ: {samples.CODE} - {label} (tiếp theo)" if page > 1 else ""
    return (head + f"Trang {page}/{total}").replace(" ", "") + pdf.margin_footer()


def test_text_stays_inside_the_page_and_the_frame(long_receipt):
    boxes = pdf.char_boxes(long_receipt)
    total = len(boxes) // 2
    for index, (width, height, chars) in enumerate(boxes):
        label = "Liên 1: Lưu" if index < total else "Liên 2: Giao người nộp"
        outside_frame = []
        for char, (left, bottom, right, top) in chars:
            assert left >= SAFE and right <= width - SAFE and bottom >= SAFE and top <= height - SAFE, char
            inside = (left >= LEFT_MARGIN - 1 and right <= LEFT_MARGIN + FRAME_WIDTH + 1
                      and bottom >= MARGIN - 1 and top <= MARGIN + FRAME_HEIGHT + 1)
            if not inside:
                outside_frame.append(char)
        # Only the running head, the page number and the version live in the margins.
        assert "".join(outside_frame) == _margin_text(index % total + 1, total, label)


def _overlapping(receipt: bytes) -> list:
    """Pairs of glyph boxes on one page covering more than 30 % of the smaller one."""
    found = []
    for _, _, chars in pdf.char_boxes(receipt):
        boxes = sorted((box for _, box in chars), key=lambda box: box[0])
        for i, box in enumerate(boxes):
            for other in boxes[i + 1:]:
                if other[0] >= box[2]:
                    break
                width = min(box[2], other[2]) - other[0]
                height = min(box[3], other[3]) - max(box[1], other[1])
                smaller = min((b[2] - b[0]) * (b[3] - b[1]) for b in (box, other))
                if width > 0 and height > 0 and width * height > 0.3 * smaller:
                    found.append((box, other))
    return found


def test_the_overlap_check_sees_text_drawn_over_text():
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setFont(REGULAR, 13)
    canvas.drawString(100, 500, "Nguyễn Thị")
    canvas.drawString(103, 503, "Lê Văn")
    canvas.save()
    assert _overlapping(out.getvalue())


def test_no_glyph_is_drawn_over_another(long_receipt):
    normal = build_receipt(samples.eight_component_dossier(), samples.office(lookup_url=samples.LOOKUP))
    assert _overlapping(normal) == []
    assert _overlapping(long_receipt) == []
