"""What the app would print: sent to a PDF file instead of a printer, and read back (text, page count,
barcodes at 300 dpi)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

SCAN_DPI = 300


def printing_to(path: Path) -> Callable[[QWidget, QPrinter], bool]:
    """Stands in for ui.printing.preview.choose_printer: the clerk picks a PDF printer writing to `path`."""
    def choose(parent: QWidget, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return True
    return choose


def pdf_pages(pdf: bytes) -> int:
    return len(pdfium.PdfDocument(pdf))


def pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def barcodes(pdf: bytes, page: int = 0) -> list[str]:
    """Every barcode found on `page` rendered at 300 dpi, as a scanner at the counter would read it."""
    image = pdfium.PdfDocument(pdf)[page].render(scale=SCAN_DPI / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]
