"""The non-modal bar that offers the files the scanner just wrote for the component in hand.

A scanner that writes one file per page produces a burst; while the bar is shown, each new file joins the
offer, so the clerk accepts the whole paper once. Over a component that already has a scan, Enter adds the
pages to it; replacing the old scan is the second button.
"""

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

SHOWN_NAMES = 3


def files_text(paths: list[Path]) -> str:
    names = ", ".join(p.name for p in paths[:SHOWN_NAMES]) + (" …" if len(paths) > SHOWN_NAMES else "")
    return f"Tệp mới từ máy quét: {names}" if len(paths) == 1 else f"{len(paths)} tệp mới từ máy quét: {names}"


class OfferBar(QFrame):
    accepted = Signal(object, bool)  # the offered Paths, and whether they replace the scan already there
    skipped = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.paths: list[Path] = []
        self.component = ""
        self.setStyleSheet("OfferBar { background: #fff6d6; border: 1px solid #e0c060; border-radius: 4px; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.attach_button = QPushButton()
        self.attach_button.setDefault(True)
        self.replace_button = QPushButton("Thay bản cũ")
        self.skip_button = QPushButton("Bỏ qua")
        self.attach_button.clicked.connect(lambda: self._accept(replace=False))
        self.replace_button.clicked.connect(lambda: self._accept(replace=True))
        self.skip_button.clicked.connect(self._skip)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, lambda: self._accept(replace=False),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        for button in (self.attach_button, self.replace_button, self.skip_button):
            layout.addWidget(button)
        self.hide()

    @property
    def path(self) -> Path | None:
        return self.paths[-1] if self.paths else None

    def offer(self, path: Path, component_name: str, take_focus: bool, *, has_scan: bool = False) -> None:
        """Offer `path`; joins the files already offered for the same component."""
        if not (self.isVisible() and self.paths and component_name == self.component):
            self.paths = []
        self.paths.append(path)
        self.component = component_name
        self.label.setText(files_text(self.paths))
        verb = "Thêm trang vào" if has_scan else "Gắn vào"
        self.attach_button.setText(f"{verb} “{component_name}” (Enter)")
        self.replace_button.setVisible(has_scan)
        self.show()
        if take_focus:
            self.attach_button.setFocus()  # Enter attaches; the bar stays out of the way otherwise

    def _accept(self, replace: bool) -> None:
        paths, self.paths = self.paths, []
        self.hide()
        if paths:
            self.accepted.emit(paths, replace)

    def _skip(self) -> None:
        paths, self.paths = self.paths, []
        self.hide()
        self.skipped.emit(paths)
