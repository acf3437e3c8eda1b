"""Several files make one PDF: the clerk sees every page small and moves pages up or down before attaching.

The answer is the domain's `order`: 0-based page numbers over all the files' pages, in the new order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QIcon,
    QImageReader,
    QPixmap,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.printing.pdf_pages import page_pixels, render_on_white

THUMB = QSize(96, 128)


@dataclass(frozen=True)
class SourcePage:
    path: Path
    index: int  # page within the file


def source_pages(paths: list[Path]) -> list[SourcePage]:
    """Every page of the files, in file order (an unreadable file counts one page: the domain will name it)."""
    pages = []
    for path in paths:
        count = _pdf_pages(path) if path.suffix.lower() == ".pdf" else QImageReader(str(path)).imageCount()
        pages += [SourcePage(path, i) for i in range(max(1, count))]
    return pages


def _pdf_pages(path: Path) -> int:
    document = QPdfDocument()
    document.load(str(path))
    return document.pageCount()


def _thumbnail(page: SourcePage) -> QPixmap:
    if page.path.suffix.lower() == ".pdf":
        document = QPdfDocument()
        document.load(str(page.path))
        if document.pageCount() > page.index:
            size = page_pixels(document, page.index, 24).scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio)
            return QPixmap.fromImage(render_on_white(document, page.index, size))
        return QPixmap()
    reader = QImageReader(str(page.path))
    reader.jumpToImage(page.index)
    size = reader.size().scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio)
    if size.isValid():
        reader.setScaledSize(size)  # JPEG decodes at the reduced size: cheap
    return QPixmap.fromImage(reader.read())


class PageOrderDialog(QDialog):
    def __init__(self, paths: list[Path], component_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Thứ tự trang của bản số hóa")
        self.pages = source_pages(paths)
        self.list = QListWidget()
        self.list.setIconSize(THUMB)
        for number, page in enumerate(self.pages):
            label = f"{page.path.name}" + (f" — trang {page.index + 1}" if page.index else "")
            item = QListWidgetItem(QIcon(_thumbnail(page)), label)
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.up_button = QPushButton("Lên (Ctrl+↑)")
        self.down_button = QPushButton("Xuống (Ctrl+↓)")
        self.up_button.setShortcut("Ctrl+Up")
        self.down_button.setShortcut("Ctrl+Down")
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Ghép và gắn")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(self.up_button)
        side.addWidget(self.down_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Ghép {len(self.pages)} trang thành một tệp PDF cho “{component_name}”. "
                                "Chọn một trang rồi đưa lên hoặc xuống."))
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def order(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]
