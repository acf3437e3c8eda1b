"""Sending a PDF to a printer, and remembering which printer each form goes to.

Before a page is drawn the queue is asked whether it can print at all (`printer_problem`): Qt hands the
job to CUPS at the end and does not say when CUPS keeps it (a paused queue holds it, a queue that rejects
jobs or was removed drops it), so a receipt that will not come out is caught before it is logged.
"""

from __future__ import annotations

import os
import shutil
import subprocess

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

PRINTER = Option("printing/printer", "", str)  # the printer used last, whatever the form: a new form's default
PDF_FOLDER = Option("printing/pdf_folder", "", str)
# Pages are drawn as an image of at most this resolution: the barcode's modules are whole dots at 300 dpi
# (printing/barcode.py), so a 600 or 1200 dpi printer doubles or quadruples every dot and the code still reads
# (tests/ui/test_cups_print.py prints at 300 and 600 through CUPS); A4 at 600 dpi would be a 140 MB image a page.
PRINT_DPI = 300
LPSTAT_TIMEOUT = 5  # seconds: a CUPS that does not answer must not freeze the counter
# CUPS printer-state-reasons that keep a job from coming out (RFC 8011 and the PWG registry), in Vietnamese.
STOPPING_REASONS = {
    "media-empty": "hết giấy",
    "media-needed": "hết giấy",
    "media-jam": "kẹt giấy",
    "toner-empty": "hết mực",
    "marker-supply-empty": "hết mực",
    "door-open": "đang mở nắp",
    "cover-open": "đang mở nắp",
    "offline": "đang tắt hoặc mất kết nối",
    "shutdown": "đang tắt",
    "paused": "đang tạm dừng",
}


class PrinterNotReady(OSError):
    """The queue cannot print now (missing, paused, rejecting jobs, out of paper…): nothing was sent."""


def form_printer_option(form: str) -> Option:
    return Option(f"printing/printer/{form}", "", str) if form else PRINTER


def remembered_printer(settings: QSettings, form: str = "") -> QPrinter:
    """A printer set to the one this form was printed on last time (else the one any form was printed on
    last), if it is still installed; else the system default."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    installed = QPrinterInfo.availablePrinterNames()
    for option in (form_printer_option(form), PRINTER):
        name = read(settings, option)
        if name and name in installed:
            printer.setPrinterName(name)
            break
    return printer


def remember_printer(settings: QSettings, printer: QPrinter, form: str = "") -> None:
    if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and printer.printerName():
        write(settings, PRINTER, printer.printerName())
        if form:
            write(settings, form_printer_option(form), printer.printerName())


def printer_label(printer: QPrinter) -> str:
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        # Qt falls back to PDF output when the machine has no printer at all.
        return printer.outputFileName() or "chưa cài máy in nào (vẫn lưu được PDF)"
    return printer.printerName() or "máy in mặc định"


def printer_problem(printer: QPrinter) -> str:
    """Why `printer` cannot print now, in Vietnamese; '' if it can (or if it is a PDF file, or the system
    does not say: without CUPS's lpstat only what Qt knows is checked)."""
    if printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return ""
    name = printer.printerName()
    if not name:
        return "Chưa chọn máy in."
    if name not in QPrinterInfo.availablePrinterNames():
        return f"Không tìm thấy máy in “{name}” (máy in đã bị gỡ hoặc chưa kết nối)."
    reasons = cups_reasons(name)
    if reasons is None:  # no CUPS client tools: Qt's own view of the queue
        state = QPrinterInfo.printerInfo(name).state()
        if state in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
            return f"Máy in “{name}” đang báo lỗi hoặc tạm dừng."
        return ""
    if reasons:
        return f"Máy in “{name}” {', '.join(reasons)}."
    return ""


def cups_reasons(name: str) -> list[str] | None:
    """What keeps CUPS queue `name` from printing (Vietnamese phrases, empty if nothing), or None when
    lpstat is not installed or does not answer."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None
    try:
        queue = _run([lpstat, "-l", "-p", name])
        accepting = _run([lpstat, "-a", name])
    except (OSError, subprocess.SubprocessError):
        return None
    if queue is None or accepting is None:
        return ["không có trong danh sách máy in của hệ thống"]
    return queue_reasons(queue, accepting)


def queue_reasons(queue: str, accepting: str) -> list[str]:
    """The reasons read from `lpstat -l -p NAME` and `lpstat -a NAME` (their output, in the C locale)."""
    reasons = []
    lines = queue.strip().splitlines()
    if lines and " disabled " in f" {lines[0]} ":  # "printer NAME disabled since …" (cupsdisable)
        reasons.append(STOPPING_REASONS["paused"])
    if "not accepting" in accepting:  # "NAME not accepting requests since …" (cupsreject)
        reasons.append("đang từ chối mọi lệnh in")
    for line in lines:
        line = line.strip()
        if not line.startswith("Alerts:"):
            continue
        for alert in line.removeprefix("Alerts:").split():
            if alert.endswith(("-report", "-warning")):  # the printer still prints
                continue
            reasons += [phrase for reason, phrase in STOPPING_REASONS.items() if alert.startswith(reason)]
    return list(dict.fromkeys(reasons))


def _run(command: list[str]) -> str | None:
    """stdout of a CUPS command in the C locale; None if CUPS says the queue does not exist."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=LPSTAT_TIMEOUT, check=False,
                          env={**os.environ, "LC_ALL": "C", "LANG": "C"})
    if done.returncode != 0:
        return None
    return done.stdout


def print_document(document: QPdfDocument, printer: QPrinter) -> None:
    """Every page at 100 % scale on paper of the PDF's own size (A4): the forms carry their margins.
    Raises PrinterNotReady (an OSError) before anything is sent if the queue cannot print."""
    problem = printer_problem(printer)
    if problem:
        raise PrinterNotReady(problem)
    first = document.pagePointSize(0)
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(first, QPageSize.Unit.Point))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    dpi = min(printer.resolution(), PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterNotReady(f"Không mở được máy in “{printer_label(printer)}”.")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = render_on_white(document, page, page_pixels(document, page, dpi))
            paper = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRect(0, 0, paper.width(), paper.height()), image)
    finally:
        ended = painter.end()
    if not ended:
        raise PrinterNotReady(f"Máy in “{printer_label(printer)}” không nhận lệnh in.")
