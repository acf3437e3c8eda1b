"""The non-modal bar that offers a file the scanner just wrote for the component in hand."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)


class OfferBar(QFrame):
    accepted = Signal(object)  # the offered Path
    skipped = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.path: Path | None = None
        self.setStyleSheet("OfferBar { background: #fff6d6; border: 1px solid #e0c060; border-radius: 4px; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.attach_button = QPushButton()
        self.attach_button.setDefault(True)
        self.skip_button = QPushButton("Bỏ qua")
        self.attach_button.clicked.connect(self._accept)
        self.skip_button.clicked.connect(self._skip)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, self._accept, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.attach_button)
        layout.addWidget(self.skip_button)
        self.hide()

    def offer(self, path: Path, component_name: str, take_focus: bool) -> None:
        self.path = path
        self.label.setText(f"Tệp mới từ máy quét: {path.name}")
        self.attach_button.setText(f"Gắn vào “{component_name}” (Enter)")
        self.show()
        if take_focus:
            self.attach_button.setFocus()  # Enter attaches; the bar stays out of the way otherwise

    def _accept(self) -> None:
        path, self.path = self.path, None
        self.hide()
        if path is not None:
            self.accepted.emit(path)

    def _skip(self) -> None:
        path, self.path = self.path, None
        self.hide()
        self.skipped.emit(path)
