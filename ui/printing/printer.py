"""Sending a PDF to a printer, and remembering which printer the counter uses."""

from __future__ import annotations

from PySide6.QtCore import (
    QRect,
    QSettings,
)
from PySide6.QtGui import (
    QPageLayout,
    QPageSize,
    QPainter,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import (
    QPrinter,
    QPrinterInfo,
)

from ui.printing.pdf_pages import page_pixels, render_on_white
from ui.settings import Option, read, write

PRINTER = Option("printing/printer", "", str)
PDF_FOLDER = Option("printing/pdf_folder", "", str)
PRINT_DPI = 300  # the barcode's modules are whole dots at 300 dpi (printing/barcode.py)


def remembered_printer(settings: QSettings) -> QPrinter:
    """A printer set to the one used last time, if it is still installed (else the system default)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    name = read(settings, PRINTER)
    if name and name in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(name)
    return printer


def remember_printer(settings: QSettings, printer: QPrinter) -> None:
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName():
        write(settings, PRINTER, printer.printerName())


def printer_label(printer: QPrinter) -> str:
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        # Qt falls back to PDF output when the machine has no printer at all.
        return printer.outputFileName() or "chưa cài máy in nào (vẫn lưu được PDF)"
    return printer.printerName() or "máy in mặc định"


def print_document(document: QPdfDocument, printer: QPrinter) -> None:
    """Every page at 100 % scale on paper of the PDF's own size (A4): the forms carry their margins."""
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(first, QPageSize.Unit.Point))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    dpi = min(printer.resolution(), PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(f"Không mở được máy in “{printer_label(printer)}”.")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = render_on_white(document, page, page_pixels(document, page, dpi))
            paper = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRect(0, 0, paper.width(), paper.height()), image)
    finally:
        painter.end()
