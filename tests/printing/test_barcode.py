"""Code 128 and QR drawings: every bar and the whole drawing a whole number of printer dots."""

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from printing.barcode import QUIET_MODULES, code128_drawing, code128_modules, module_width_pt, qr_drawing
from tests.printing.samples import CODE


def _dots(length_pt: float, dpi: int) -> float:
    return length_pt * dpi / 72


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-6


def test_module_width_is_dots_at_the_resolution():
    assert module_width_pt(300, 3) == pytest.approx(0.72)
    assert module_width_pt(203, 2) == pytest.approx(2 * 72 / 203)


@pytest.mark.parametrize("dpi, module_dots", [(300, 3), (300, 2), (203, 2), (600, 5)])
def test_every_bar_and_the_drawing_are_whole_dots(dpi, module_dots):
    drawing = code128_drawing(CODE, dpi=dpi, module_dots=module_dots)
    assert _whole(_dots(drawing.width, dpi)) and _whole(_dots(drawing.height, dpi))
    for bar in drawing.contents:
        assert _whole(_dots(bar.x, dpi)) and _whole(_dots(bar.width, dpi))
        assert _dots(bar.width, dpi) >= module_dots


def test_bars_reproduce_the_module_string_with_quiet_zones():
    modules = code128_modules(CODE)
    unit = module_width_pt(300, 3)
    drawing = code128_drawing(CODE)
    painted = ["0"] * round(drawing.width / unit)
    for bar in drawing.contents:
        start = round(bar.x / unit)
        painted[start:start + round(bar.width / unit)] = "1" * round(bar.width / unit)
    painted = "".join(painted)
    assert painted == "0" * QUIET_MODULES + modules + "0" * QUIET_MODULES
    assert modules.startswith("11010") and modules.endswith("1100011101011")  # a start and the stop pattern


def test_height_is_whole_dots_near_the_request():
    drawing = code128_drawing(CODE, height_mm=12)
    assert _whole(_dots(drawing.height, 300))
    assert drawing.height == pytest.approx(12 * 72 / 25.4, abs=72 / 300)


def test_qr_modules_are_whole_dots_with_a_quiet_zone():
    drawing = qr_drawing("https://example.vn/tra-cuu?MHS=" + CODE, dpi=300, module_dots=4)
    unit = module_width_pt(300, 4)
    assert _whole(_dots(drawing.width, 300)) and drawing.width == drawing.height
    assert min(bar.x for bar in drawing.contents) == pytest.approx(4 * unit)
    for bar in drawing.contents:
        assert _whole(_dots(bar.x, 300)) and _whole(_dots(bar.y, 300)) and _whole(_dots(bar.width, 300))


def test_the_drawing_lands_on_the_dot_grid_wherever_it_is_placed():
    canvas = Canvas(io.BytesIO())
    canvas.translate(13.37, 7.77)  # as a table cell would
    seen = []
    canvas.addLiteral = lambda text, escaped=1: seen.append((canvas._currentMatrix, text))
    code128_drawing(CODE, dpi=300).drawOn(canvas, 41.3, 99.99)
    (a, _b, _c, d, e, f), path = seen[0]
    dot = 72 / 300
    assert (a, d) == (pytest.approx(dot), pytest.approx(dot))
    assert _whole(e / dot) and _whole(f / dot)
    assert abs(e - (13.37 + 41.3)) <= dot / 2 and abs(f - (7.77 + 99.99)) <= dot / 2
    numbers = path.replace("re", " ").replace("f", " ").split()
    assert numbers and all(number.isdigit() for number in numbers)  # whole dots, in dot units
