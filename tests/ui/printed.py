"""Reading back what the app would print: the PDF's text, page count and barcodes (300 dpi)."""

from __future__ import annotations

import pypdfium2 as pdfium
import zxingcpp

SCAN_DPI = 300


def pdf_pages(pdf: bytes) -> int:
    return len(pdfium.PdfDocument(pdf))


def pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def barcodes(pdf: bytes, page: int = 0) -> list[str]:
    """Every barcode found on `page` rendered at 300 dpi, as a scanner at the counter would read it."""
    image = pdfium.PdfDocument(pdf)[page].render(scale=SCAN_DPI / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]
