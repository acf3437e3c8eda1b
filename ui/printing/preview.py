"""Print preview of a form that is already stored: look, then print or save as PDF (both logged).

Opened with `open_preview`, which shows the dialog without blocking (QDialog.open), so the counter
keeps its event loop and tests never hang on exec(). The two questions the dialog asks (which
printer, which file) go through `choose_printer` and `ask_save_path`, the seams tests replace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PySide6.QtCore import (
    QSize,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtPrintSupport import (
    QPrintDialog,
    QPrinter,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.changes import Changes
from counter.context import AppContext
from counter.dossiers import prints
from counter.errors import CounterError
from ui.printing.pdf_pages import PdfPages
from ui.printing.printer import (
    PDF_FOLDER,
    print_document,
    printer_label,
    remember_printer,
    remembered_printer,
)
from ui.settings import read, ui_settings, write

log = logging.getLogger(__name__)
PAGES_MARGIN = 10
FORM_NAMES = {"mau01": "Biên nhận (Mẫu 01)", "mau02": "Phiếu yêu cầu bổ sung (Mẫu 02)",
              "mau03": "Phiếu từ chối (Mẫu 03)"}


@dataclass(frozen=True)
class PrintJob:
    """A form to preview: which one, for which stored record, and its PDF."""

    form: str  # mau01 | mau02 | mau03 (the print log's key)
    pdf: bytes
    title: str  # what the clerk reads in the title bar
    file_name: str  # default name for "Lưu PDF" (the dossier code), without .pdf
    dossier_code: str | None = None
    guidance_id: int | None = None


def choose_printer(parent: QWidget, printer: QPrinter) -> bool:
    """Ask which printer (the remembered one is preselected); False if the clerk cancels."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("In phiếu")
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_save_path(parent: QWidget, suggested: str) -> str:
    """Where to save the PDF; '' if the clerk cancels."""
    path, _ = QFileDialog.getSaveFileName(parent, "Lưu PDF", suggested, "Tệp PDF (*.pdf)")
    return path


class PreviewDialog(QDialog):
    printed = Signal(int)  # copy number logged (0 = original)
    print_failed = Signal(str)  # nothing came out (nothing logged): what to tell the clerk
    saved = Signal(str)  # path of the saved PDF
    changed = Signal(Changes)  # the print log grew: the page that opened the preview forwards it

    def __init__(self, ctx: AppContext, job: PrintJob, parent: QWidget | None = None):
        # Refuse before anything is shown: a preview exists only for a record that is committed.
        prints.ensure_committed(ctx, dossier_code=job.dossier_code, guidance_id=job.guidance_id)
        super().__init__(parent)
        self.ctx, self.job = ctx, job
        self.settings = ui_settings(ctx)
        self._printer: QPrinter | None = None  # found once the preview is up: see `printer`
        self.setWindowTitle(f"Xem trước khi in — {job.title}")
        self.pages = PdfPages(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.print_button = QPushButton("In… (Ctrl+P)")
        self.save_button = QPushButton("Lưu PDF… (Ctrl+S)")
        self.close_button = QPushButton("Đóng (Esc)")
        self._lay_out()
        self.page_count = self.pages.load(job.pdf, width=self.width() - 2 * PAGES_MARGIN)
        self.head.setText(f"<b>{job.title}</b><br><span style='color:#555'>{self.page_count} trang"
                          "  ·  Ctrl + / Ctrl −: phóng to, thu nhỏ</span>")
        self._connect()
        # After the preview's first paint: the status names the printer, and finding it is no part of showing the form.
        QTimer.singleShot(0, self, self._show_status)

    @property
    def printer(self) -> QPrinter:
        """The printer this form goes to (the one it went to last time, else the system's default). Found when
        first needed, once the preview has painted: asking the system for its printers and making one, its
        driver's options read, took 6–11 ms in the reception benchmark, more than half the page's rendering."""
        if self._printer is None:
            self._printer = remembered_printer(self.settings, self.job.form)
        return self._printer

    def _lay_out(self) -> None:
        self.setFont(_at_least(self.font(), 11))
        self.print_button.setDefault(True)  # Enter prints
        self.print_button.setMinimumHeight(36)
        self.save_button.setMinimumHeight(36)
        self.close_button.setMinimumHeight(36)
        self.head = QLabel()
        self.head.setWordWrap(True)  # a long applicant name must not widen the dialog off screen
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for button in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGES_MARGIN, PAGES_MARGIN, PAGES_MARGIN, PAGES_MARGIN)
        layout.addWidget(self.head)
        layout.addWidget(self.pages, 1)
        layout.addLayout(bar)
        if self.screen():
            self.resize(preferred_size(self.screen().availableGeometry().size()))

    def _connect(self) -> None:
        self.print_button.clicked.connect(self.print_now)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_now)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_pdf)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.pages.set_zoom(self.pages.zoom * 1.2))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.pages.set_zoom(self.pages.zoom / 1.2))

    def _show_status(self, done: str = "") -> None:
        count = self._count()
        nth = "bản gốc" if count == 0 else f"bản sao lần {count}"
        text = f"Máy in: {printer_label(self.printer)}. Lần in tới: {nth}."
        self.status.setText(f"{done} {text}".strip())

    def _count(self) -> int:
        if self.job.dossier_code:
            return prints.print_count(self.ctx, self.job.form, self.job.dossier_code)
        if self.job.guidance_id is not None:
            return prints.guidance_print_count(self.ctx, self.job.form, self.job.guidance_id)
        return 0

    @Slot()
    def print_now(self) -> bool:
        if not choose_printer(self, self.printer):
            return False
        try:
            print_document(self.pages.document, self.printer)
        except OSError as exc:  # nothing came out: nothing is logged, the record stays as committed
            log.warning("printing %s failed: %s", self.job.form, exc)
            text = not_printed(self.job, str(exc))
            self.status.setText(f"<span style='color:#b00020'>{escape(text)}</span>")
            self.print_failed.emit(text)
            return False
        try:
            copy = self._log(printer_label(self.printer))
        except CounterError as exc:
            self.status.setText(f"<span style='color:#b00020'>Đã in nhưng chưa ghi được vào sổ in: {exc}</span>")
            return False
        remember_printer(self.settings, self.printer, self.job.form)
        self._show_status("Đã in." if copy == 0 else f"Đã in bản sao lần {copy}.")
        self.printed.emit(copy)
        return True

    @Slot()
    def save_pdf(self) -> str:
        folder = read(self.settings, PDF_FOLDER) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path = ask_save_path(self, str(Path(folder) / f"{_safe(self.job.file_name)}.pdf"))
        if not path:
            return ""
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(self.job.pdf)
            self._log(path)
        except (CounterError, OSError) as exc:
            self.status.setText(f"<span style='color:#b00020'>Chưa lưu được: {exc}</span>")
            return ""
        write(self.settings, PDF_FOLDER, str(Path(path).parent))
        self._show_status(f"Đã lưu {path}.")
        self.saved.emit(path)
        return path

    def _log(self, target: str) -> int:
        copy, changes = prints.log_print(self.ctx, self.job.form, dossier_code=self.job.dossier_code,
                                         guidance_id=self.job.guidance_id, target=target)
        self.changed.emit(changes)
        return copy


def not_printed(job: PrintJob, reason: str) -> str:
    """What the clerk reads when a form did not come out: the record is kept, and how to print it again."""
    what = FORM_NAMES.get(job.form, "Phiếu")
    if job.dossier_code:
        kept = f"Hồ sơ {job.dossier_code} đã được lưu, không cần tiếp nhận lại."
        again = "In lại: Ctrl+P ngay tại đây, hoặc Ctrl+Shift+P trên trang hồ sơ."
    else:
        kept = "Phiếu đã được lưu trên máy."
        again = "In lại: Ctrl+P ngay tại đây."
    return f"{what} chưa được in: {reason} {kept} {again}"


def open_preview(ctx: AppContext, job: PrintJob, parent: QWidget | None = None) -> PreviewDialog:
    """Show the preview without blocking; it deletes itself when closed."""
    dialog = PreviewDialog(ctx, job, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is not None:
        dialog.finished.connect(lambda _result: give_focus_back(parent))
    dialog.open()
    return dialog


def give_focus_back(parent: QWidget) -> None:
    """After the preview closes: its window active again (a window manager may leave no window active once a
    dialog is gone), and the key focus where that window had it (the screen may have moved it meanwhile: a new
    reception focuses its first box), else on the screen that opened the preview."""
    window = parent.window()
    window.raise_()
    window.activateWindow()
    target = window.focusWidget()
    if target is None or not target.isVisible():
        target = parent
    target.setFocus(Qt.FocusReason.ActiveWindowFocusReason)


def preferred_size(available: QSize) -> QSize:
    """Wide enough to read an A4 page at about screen size, as tall as the screen allows."""
    return QSize(min(900, available.width() - 40), min(1000, available.height() - 40))


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in ".-_ " else "-" for ch in name).strip() or "phieu"


def _at_least(font, points: int):
    if font.pointSizeF() < points:
        font.setPointSizeF(points)
    return font
