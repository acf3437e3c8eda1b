"""The seams where the clerk is asked something (tests replace these functions), and dropped-file reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QMimeData,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QWidget,
)

from ui.scans.order_dialog import PageOrderDialog
from ui.scans.viewer import ScanViewer
from ui.scans.watch import SCAN_SUFFIXES

FILE_FILTER = "Ảnh quét hoặc PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp *.pdf);;Mọi tệp (*)"


def choose_files(parent: QWidget) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, "Chọn tệp ảnh quét hoặc PDF", "", FILE_FILTER)
    return [Path(n) for n in names]


def choose_folder(parent: QWidget, current: Path | None) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, "Thư mục máy quét lưu tệp", str(current or ""))
    return Path(name) if name else None


def ask_order(paths: list[Path], component_name: str, parent: QWidget) -> list[int] | None:
    """The page order for several files, or None if the clerk cancelled."""
    dialog = PageOrderDialog(paths, component_name, parent)
    try:
        return dialog.order() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_valid_until(component_name: str, current: date | None, parent: QWidget) -> str | None:
    """The date typed for until when the paper is valid ('' : no expiry), or None if the clerk cancelled."""
    text, ok = QInputDialog.getText(parent, "Hạn sử dụng của giấy tờ",
                                    f"“{component_name}” còn giá trị đến ngày (ngày/tháng/năm; để trống nếu "
                                    "không có thời hạn):", text=f"{current:%d/%m/%Y}" if current else "")
    return text if ok else None


def open_viewer(path: Path, title: str, parent: QWidget) -> ScanViewer:
    viewer = ScanViewer(path, title, parent)
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    viewer.resize(900, 700)
    viewer.open()
    return viewer


def dropped_files(mime: QMimeData) -> list[Path]:
    """Local files among the dropped ones (folders and other things are ignored; the domain judges the rest)."""
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.is_file() or p.suffix.lower() in SCAN_SUFFIXES]
