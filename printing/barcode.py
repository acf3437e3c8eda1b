"""Vector barcodes sized in whole printer dots, so a 300 dpi (or 203 dpi) printer draws every bar alike.

A bar 2.5 dots wide comes out 2 or 3 dots depending on where it falls, which is what makes scanners
fail on cheap printers. Here every module, bar and quiet zone is a whole number of dots, and the drawing
is placed on the dot grid of the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

import barcode as python_barcode
from reportlab.graphics.barcode.qrencoder import QRErrorCorrectLevel
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.units import mm
from reportlab.lib.validators import isNumber
from reportlab.pdfgen.canvas import Canvas

from printing.qr_symbol import make_qr

QUIET_MODULES = 10  # Code 128 asks for at least 10 modules of white on each side
QR_QUIET_MODULES = 4
_BAR = re.compile("1+")


def module_width_pt(dpi: int = 300, module_dots: int = 3) -> float:
    """Width of one module in points: `module_dots` printer dots at `dpi`."""
    return module_dots * 72 / dpi


def _whole_dots(length_pt: float, dpi: int) -> float:
    dot = 72 / dpi
    return max(1, round(length_pt / dot)) * dot


class Bar(Rect):
    """A black, unstroked Rect built without reportlab's per-attribute validation: a QR code has hundreds
    of them, all made here from computed numbers, and checking each assignment doubled the build time.
    Every Bar starts as a copy of the first one's attributes (Rect's own defaults, set once), then takes its
    place and size: running Rect's __init__ for each was still half the QR's drawing."""

    __setattr__ = object.__setattr__
    _defaults: dict[str, object] | None = None

    def __init__(self, x: float, y: float, width: float, height: float):
        if Bar._defaults is None:
            # types-reportlab annotates Rect's **kw as the _SolidShapeKwArgs dict itself, not Unpack[…] (as Image's is).
            super().__init__(x, y, width, height,
                             fillColor=colors.black, strokeColor=None, strokeWidth=0)  # type: ignore[arg-type]
            Bar._defaults = dict(self.__dict__)
        self.__dict__.update(Bar._defaults)
        self.x, self.y, self.width, self.height = x, y, width, height


class BarDrawing(Drawing):
    """A Drawing made only of Bars, given in whole dots. On a PDF canvas it moves itself (by less than a dot) so its
    origin lands on the page's dot grid, and paints all bars as one filled path in dot units instead of one render
    call per shape. Other renderers (renderPM, renderSVG) draw its Rects as usual."""

    _attrMap = AttrMap(BASE=Drawing, dpi=AttrMapValue(isNumber, desc="printer resolution the drawing is built for"),
                       _path=AttrMapValue(None, desc="PDF path of the bars"))

    def __init__(self, width: float, height: float, *, dpi: int, bars: Sequence[tuple[int, int, int, int]]):
        """`bars`: each bar's (x, y, width, height) in dots of `dpi`."""
        super().__init__(width, height)
        self.dpi = dpi
        dot = 72 / dpi
        # Appended as they are: Drawing.add's checks of each child cost as much as making the bars.
        self.contents.extend(Bar(x * dot, y * dot, w * dot, h * dot) for x, y, w, h in bars)
        # All bars as one PDF path in whole dots ('x y w h re' … 'f'): exact, and short to write.
        self._path = "".join(f"{x} {y} {w} {h} re\n" for x, y, w, h in bars) + "f"

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # Two reportlab internals the stubs leave out: Drawing.drawOn's own first step (the hAlign shift), and the
        # canvas's current transformation matrix, which says where (0, 0) is on the page, inside tables too.
        x = self._hAlignAdjust(x, _sW)  # type: ignore[attr-defined]
        a, b, c, d, e, f = canvas._currentMatrix  # type: ignore[attr-defined]
        dot = 72 / self.dpi
        if (a, b, c, d) == (1, 0, 0, 1):  # a scaled or rotated canvas has no page grid to snap to
            x, y = round((e + x) / dot) * dot - e, round((f + y) / dot) * dot - f
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(dot, dot)
        canvas.setFillColor(colors.black)
        canvas.addLiteral(self._path)
        canvas.restoreState()


def code128_modules(code: str) -> str:
    """The module string ('1' bar, '0' space) from start to stop pattern, check symbol included."""
    return cast(str, python_barcode.Code128(code).build()[0])  # python-barcode is untyped: build() -> list[str]


def _runs(modules: str) -> list[tuple[int, int]]:
    """(first module, length) of every bar."""
    return [(run.start(), len(run.group())) for run in _BAR.finditer(modules)]


def code128_drawing(code: str, *, dpi: int = 300, module_dots: int = 3, height_mm: float = 12) -> Drawing:
    """`code` as a Code 128 vector drawing, quiet zones included, every width a whole number of dots."""
    modules = code128_modules(code)
    height = _whole_dots(height_mm * mm, dpi)
    bars = [((QUIET_MODULES + start) * module_dots, 0, length * module_dots, round(height * dpi / 72))
            for start, length in _runs(modules)]
    return BarDrawing((len(modules) + 2 * QUIET_MODULES) * module_width_pt(dpi, module_dots), height, dpi=dpi,
                      bars=bars)


def qr_drawing(value: str, *, dpi: int = 300, module_dots: int = 5) -> Drawing:
    """`value` as a QR code (level M) with its 4-module quiet zone, modules of whole dots."""
    qr = make_qr(value, QRErrorCorrectLevel.M)
    count: int = qr.getModuleCount()  # type: ignore[no-untyped-call]  # types-reportlab leaves it unannotated
    side = count + 2 * QR_QUIET_MODULES  # in modules
    bars = [((QR_QUIET_MODULES + start) * module_dots, (side - QR_QUIET_MODULES - row - 1) * module_dots,
             length * module_dots, module_dots)
            for row, line in enumerate(qr.modules)
            for start, length in _runs("".join("1" if dark else "0" for dark in line))]
    width = side * module_width_pt(dpi, module_dots)
    return BarDrawing(width, width, dpi=dpi, bars=bars)
