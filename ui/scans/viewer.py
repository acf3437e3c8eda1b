"""A stored scan shown page by page, with zoom, page navigation and the computer's own PDF viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QPointF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QDesktopServices,
    QKeySequence,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0


class ScanViewer(QDialog):
    def __init__(self, path: Path, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(title)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.page_label = QLabel()
        self.previous_button = QPushButton("◀ Trang trước")
        self.next_button = QPushButton("Trang sau ▶")
        self.zoom_out_button = QPushButton("Thu nhỏ (−)")
        self.zoom_in_button = QPushButton("Phóng to (+)")
        self.fit_button = QPushButton("Vừa khung")
        self.external_button = QPushButton("Mở bằng trình xem của máy")
        self._lay_out()
        self._connect()
        self._show_page()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        for w in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_button, self.fit_button, self.zoom_in_button, self.external_button):
            bar.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def _connect(self) -> None:
        self.previous_button.clicked.connect(lambda: self.go_to(self.page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.page() + 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        self.fit_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        self.external_button.clicked.connect(self.open_external)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        for key, step in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_PageUp, -1)):
            QShortcut(QKeySequence(key), self, lambda s=step: self.go_to(self.page() + s))
        QShortcut(QKeySequence(Qt.Key.Key_Plus), self, lambda: self.zoom(ZOOM_STEP))
        QShortcut(QKeySequence(Qt.Key.Key_Minus), self, lambda: self.zoom(1 / ZOOM_STEP))

    def page_count(self) -> int:
        return self.document.pageCount()

    def page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.page_count():
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
            self._show_page()

    def zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(MAX_ZOOM, max(MIN_ZOOM, self.view.zoomFactor() * factor)))

    def _show_page(self, *_) -> None:
        page, count = self.page(), self.page_count()
        if self.document.error() != QPdfDocument.Error.None_:  # damaged on disk since it was stored
            self.page_label.setText(f"Không mở được tệp “{self.path.name}”: hãy quét lại giấy tờ này.")
            self.page_label.setStyleSheet("color: #b00020;")
        else:
            self.page_label.setText(f"Trang {page + 1}/{count}")
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < count - 1)

    def open_external(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path)))
