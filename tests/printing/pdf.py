"""Reading our PDFs back in tests: text per page (NFC), rendered pages, barcodes, character boxes."""

from __future__ import annotations

import re
import unicodedata

import pypdfium2 as pdfium
import zxingcpp

from counter.version import label

_BREAKS = re.compile(r"\s+")
FOOTER = label()  # "Quầy Một Cửa 0.1.0", on every page


def page_texts(pdf: bytes, *, footer: bool = False) -> list[str]:
    """Each page's text, NFC, with every run of whitespace (line breaks included) made one space; the version
    in the footer of every page (printing.document, drawn last) left out unless `footer`."""
    doc = pdfium.PdfDocument(pdf)
    try:
        texts = [_BREAKS.sub(" ", unicodedata.normalize("NFC", page.get_textpage().get_text_range())) for page in doc]
    finally:
        doc.close()
    return texts if footer else [text.removesuffix(" " + FOOTER).removesuffix(FOOTER) for text in texts]


def margin_footer() -> str:
    """The version's glyphs as a margin test gathers them (no spaces)."""
    return FOOTER.replace(" ", "")


def barcodes(pdf: bytes, page: int = 0, dpi: int = 300) -> dict[str, list[str]]:
    """What zxing-cpp decodes on a page rendered at `dpi`: {format name: [texts]}."""
    doc = pdfium.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    found: dict[str, list[str]] = {}
    for result in zxingcpp.read_barcodes(image):
        found.setdefault(result.format.name, []).append(result.text)
    return found


def char_boxes(pdf: bytes) -> list[tuple[float, float, list[tuple[str, tuple[float, float, float, float]]]]]:
    """Per page: (width, height, [(char, (left, bottom, right, top))]) in points, whitespace left out."""
    doc = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for page in doc:
            text = page.get_textpage()
            width, height = page.get_size()
            chars = []
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                if char.strip():
                    chars.append((char, text.get_charbox(index)))
            pages.append((width, height, chars))
    finally:
        doc.close()
    return pages
