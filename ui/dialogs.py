"""Messages to the clerk. Typed domain errors show their own Vietnamese message; anything else is
a fault: a short apology, where the details were logged, and the traceback under "Xem chi tiết"."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QWidget,
)

from counter.errors import CounterError

log = logging.getLogger(__name__)


def error_box(parent: QWidget | None, exc: BaseException, log_file: Path | None = None) -> QMessageBox:
    if isinstance(exc, CounterError):
        box = QMessageBox(QMessageBox.Icon.Warning, "Không thực hiện được", str(exc),
                          QMessageBox.StandardButton.Ok, parent)
        return box
    where = f"\nChi tiết đã được ghi vào: {log_file}" if log_file else ""
    box = QMessageBox(QMessageBox.Icon.Critical, "Lỗi chương trình",
                      "Đã xảy ra lỗi ngoài dự kiến. Dữ liệu đã lưu trước đó không bị ảnh hưởng; "
                      f"hãy thử lại hoặc báo cho quản trị viên.{where}", QMessageBox.StandardButton.Ok, parent)
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return box


def show_error(parent: QWidget | None, exc: BaseException, log_file: Path | None = None) -> None:
    error_box(parent, exc, log_file).exec()


def install_excepthook(log_file: Path | None = None) -> None:
    """Log every uncaught exception and tell the clerk, instead of Qt's silent stderr print."""
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, CounterError):
            log.warning("%s: %s", exc_type.__name__, exc)
        else:
            log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        if showing or QApplication.instance() is None:
            return  # an error while showing an error: logged, not stacked
        showing = True
        try:
            show_error(QApplication.activeWindow(), exc, log_file)
        finally:
            showing = False

    sys.excepthook = hook
