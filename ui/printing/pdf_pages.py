"""A PDF shown page under page, rendered at screen resolution on white paper.

QPdfDocument.render returns a transparent image (only the ink is painted), so every page is
composited onto white before it is shown or printed.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

POINTS_PER_INCH = 72
PAGE_GAP = 16
MIN_ZOOM, MAX_ZOOM = 0.4, 3.0
DESK, PAGE_EDGE = "#8a9099", "#5c636b"


def load_pdf(pdf: bytes, parent=None) -> QPdfDocument:
    """A document loaded from memory (synchronous for a QBuffer); raises ValueError if unreadable."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)  # owned by the document: it must outlive the load
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise ValueError(f"PDF không đọc được ({document.error().name})")
    return document


def _coloured(palette: QPalette, role: QPalette.ColorRole, colour: str) -> QPalette:
    palette.setColor(role, QColor(colour))
    return palette


def page_pixels(document: QPdfDocument, page: int, dpi: float) -> QSize:
    points = document.pagePointSize(page)
    return QSize(round(points.width() * dpi / POINTS_PER_INCH), round(points.height() * dpi / POINTS_PER_INCH))


def render_on_white(document: QPdfDocument, page: int, size: QSize) -> QImage:
    ink = document.render(page, size)
    paper = QImage(size, QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, ink)
    painter.end()
    return paper


class PdfPages(QScrollArea):
    """Pages on a grey desk. The first page is rendered at once, the others on the next turn of the
    event loop, so the preview appears as soon as the page the clerk looks at first is ready."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document: QPdfDocument | None = None
        self.zoom = 1.0
        self.fit = True  # follow the window's width until the clerk zooms
        self._labels: list[QLabel] = []
        self._pending: list[int] = []
        # The desk's colour and the pages' edges by palette, not style sheets: a style sheet makes every page
        # polished and painted through the style sheet engine, part of the preview's first frame after F9.
        desk = QWidget()
        desk.setObjectName("desk")
        desk.setAutoFillBackground(True)
        desk.setPalette(_coloured(desk.palette(), QPalette.ColorRole.Window, DESK))
        self._column = QVBoxLayout(desk)
        self._column.setSpacing(PAGE_GAP)
        self._column.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self._column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(desk)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and PgUp/PgDn scroll the pages

    def load(self, pdf: bytes, width: int = 0) -> int:
        """Show `pdf`, fitted to `width` pixels of this widget if given (else to its current width);
        returns the page count. The first page is rendered when this returns."""
        self.document = load_pdf(pdf, self)
        for label in self._labels:
            label.deleteLater()
        self._labels = []
        for _ in range(self.document.pageCount()):
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setFrameStyle(QFrame.Shape.Box.value | QFrame.Shadow.Plain.value)  # a 1 px edge round the paper
            label.setPalette(_coloured(label.palette(), QPalette.ColorRole.WindowText, PAGE_EDGE))
            self._column.addWidget(label)
            self._labels.append(label)
        if self.fit:
            self.zoom = self._fit_zoom(self._viewport_width(width or self.width()))
        self._render_all()
        return self.document.pageCount()

    def page_count(self) -> int:
        return self.document.pageCount() if self.document else 0

    def rendered_pages(self) -> int:
        return sum(1 for label in self._labels if not label.pixmap().isNull())

    def page_image(self, page: int) -> QImage:
        return self._labels[page].pixmap().toImage()

    def set_zoom(self, zoom: float) -> None:
        """A zoom chosen by the clerk: the pages no longer follow the window's width."""
        self.fit = False
        self._apply_zoom(zoom)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.fit and self.document:
            zoom = self._fit_zoom(self.viewport().width())
            if abs(zoom - self.zoom) > 0.02 * self.zoom:  # not for a pixel or two
                self._apply_zoom(zoom)

    def _apply_zoom(self, zoom: float) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        if abs(zoom - self.zoom) > 0.001:
            self.zoom = zoom
            self._render_all()

    def _viewport_width(self, width: int) -> int:
        return width - self.verticalScrollBar().sizeHint().width() - 2 * self.frameWidth()

    def _fit_zoom(self, viewport_width: int) -> float:
        natural = page_pixels(self.document, 0, self._dpi()).width()
        return min(MAX_ZOOM, max(MIN_ZOOM, (viewport_width - 2 * PAGE_GAP - 4) / natural))

    def _dpi(self) -> float:
        return self.logicalDpiX() or 96

    def _render_all(self) -> None:
        if not self._labels:
            return
        self._render(0)
        self._pending = list(range(1, len(self._labels)))
        if self._pending:
            QTimer.singleShot(0, self._render_pending)

    def _render_pending(self) -> None:
        while self._pending:
            self._render(self._pending.pop(0))

    def _render(self, page: int) -> None:
        if self.document is None or page >= len(self._labels):
            return
        ratio = self.devicePixelRatioF()
        size = page_pixels(self.document, page, self._dpi() * self.zoom * ratio)
        pixmap = QPixmap.fromImage(render_on_white(self.document, page, size))
        pixmap.setDevicePixelRatio(ratio)
        self._labels[page].setPixmap(pixmap)
