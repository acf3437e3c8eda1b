"""Paragraph styles of the forms: 13 pt Liberation Serif body, as the administrative typography rules ask."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, TypedDict, Unpack

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from printing.fonts import BOLD, ITALIC, REGULAR, register_fonts

BODY_SIZE = 13
TABLE_SIZE = 12

# One TableStyle command: (name, (first column, first row), (last column, last row), *values),
# e.g. ("GRID", (0, 0), (-1, -1), 0.5, colors.black).
StyleCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[Any, ...]]


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    quote: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    centre: ParagraphStyle
    centre_bold: ParagraphStyle
    centre_italic: ParagraphStyle
    header: ParagraphStyle
    header_bold: ParagraphStyle
    motto: ParagraphStyle
    dateline: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    code: ParagraphStyle
    caption: ParagraphStyle
    note: ParagraphStyle


class _Layout(TypedDict, total=False):
    """The ParagraphStyle settings the forms use beside the font and its size."""

    alignment: Literal[0, 1, 2, 4]  # TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY
    leading: float
    spaceBefore: float
    spaceAfter: float
    leftIndent: float


def _style(name: str, font: str = REGULAR, size: float = BODY_SIZE, **kw: Unpack[_Layout]) -> ParagraphStyle:
    kw.setdefault("leading", round(size * 1.2, 1))
    return ParagraphStyle(name, fontName=font, fontSize=size, **kw)


@cache
def styles() -> Styles:
    """The shared styles (fonts registered first: a style is only a name until the fonts exist)."""
    register_fonts()
    return Styles(
        body=_style("body", alignment=TA_JUSTIFY, leading=15.2, spaceBefore=1),
        quote=_style("quote", alignment=TA_JUSTIFY, leading=15.2, spaceBefore=3, spaceAfter=3, leftIndent=8 * mm),
        title=_style("title", BOLD, 14, alignment=TA_CENTER, spaceBefore=9, spaceAfter=5),
        subtitle=_style("subtitle", ITALIC, alignment=TA_CENTER, spaceAfter=2),
        centre=_style("centre", alignment=TA_CENTER),
        centre_bold=_style("centre_bold", BOLD, alignment=TA_CENTER),
        centre_italic=_style("centre_italic", ITALIC, alignment=TA_CENTER),
        header=_style("header", size=12, alignment=TA_CENTER, leading=14),
        header_bold=_style("header_bold", BOLD, 12, alignment=TA_CENTER, leading=14),
        motto=_style("motto", BOLD, alignment=TA_CENTER, leading=15),
        dateline=_style("dateline", ITALIC, alignment=TA_CENTER, spaceBefore=8),
        cell=_style("cell", size=TABLE_SIZE, alignment=TA_LEFT, leading=13.5),
        cell_head=_style("cell_head", BOLD, TABLE_SIZE, alignment=TA_CENTER, leading=13.5),
        code=_style("code", size=11, alignment=TA_CENTER, leading=13),
        caption=_style("caption", ITALIC, 10, alignment=TA_CENTER, leading=12),
        note=_style("note", ITALIC, 12, alignment=TA_LEFT, leading=14, spaceBefore=4),
    )


def table_style(*commands: StyleCommand, tight: bool = False) -> TableStyle:
    """A TableStyle on our font (a table's own default, Helvetica, would be referenced unembedded even
    with only Paragraph cells); `tight` removes the cell padding."""
    base: list[StyleCommand] = [("FONTNAME", (0, 0), (-1, -1), REGULAR)]
    if tight:
        base += [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]
    return TableStyle([*base, *commands])
