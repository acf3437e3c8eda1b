"""Sizes and colours of the reception screen, the message line every part of it uses, and how a screen shows
the domain's refusal: its message, and the cursor in the field the error names."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape, unescape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from counter.errors import CounterError, Field

BASE_POINTS = 11  # read at arm's length across a counter
TITLE_POINTS = 12
ERROR, WARN, INFO = "error", "warn", "info"
_COLOURS = {
    ERROR: ("#fde8e8", "#9b1c1c", "#e8a0a0"),
    WARN: ("#fff6dd", "#7a5200", "#e9c46a"),
    INFO: ("#e7f4ea", "#1e5a2c", "#9fcfaa"),
}


def readable(widget: QWidget, points: int = BASE_POINTS) -> None:
    font = widget.font()
    if font.pointSizeF() < points:
        font.setPointSizeF(points)
        widget.setFont(font)


def bold(widget: QWidget, points: int | None = None) -> None:
    font = QFont(widget.font())
    font.setBold(True)
    if points:
        font.setPointSizeF(points)
    widget.setFont(font)


class WrappedLabel(QLabel):
    """A word-wrapped label that claims the height its text needs. Nested layouts do not always
    honour a label's height-for-width, and a clipped line is a line the clerk never reads."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._claim_height()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._claim_height()

    def _claim_height(self) -> None:
        if self.width() <= 0:
            return
        claimed = self.minimumHeight()
        self.setMinimumHeight(0)  # QLabel's height-for-width is never below the minimum: what was claimed at a
        needed = self.heightForWidth(self.width())  # narrower width (a hidden page laid out) would stick
        self.setMinimumHeight(needed if needed > 0 else claimed)


class MessageLine(WrappedLabel):
    """One message at a time, coloured by kind; hidden when there is nothing to say."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("", parent)
        self.kind = ""
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, kind: str, text: str) -> None:
        back, fore, border = _COLOURS[kind]
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ background: {back}; color: {fore}; border: 1px solid {border};"
                           " border-radius: 4px; padding: 6px 8px; }")
        self.setText(escape(text, quote=False).replace("\n", "<br>"))
        self.show()

    def error(self, text: str) -> None:
        self.show_message(ERROR, text)

    def warn(self, text: str) -> None:
        self.show_message(WARN, text)

    def info(self, text: str) -> None:
        self.show_message(INFO, text)

    def clear_message(self) -> None:
        self.kind = ""
        self.clear()
        self.hide()

    def plain_text(self) -> str:
        return unescape(self.text().replace("<br>", "\n"))


def show_error(message: MessageLine, error: CounterError, widgets: Mapping[Field | None, QWidget]) -> None:
    """The error's message, and the cursor in the widget the screen declares for the field it names. A screen
    may map None too: where the cursor goes after an error about no one field (else it stays)."""
    message.error(str(error))
    widget = widgets.get(error.field)
    if widget is not None:
        widget.setFocus()
