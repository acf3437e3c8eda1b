"""Enter moves to the next field, as on a paper form; Ctrl+Enter is left for the page's commands."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QScrollArea,
    QWidget,
)

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def is_plain_enter(event: QEvent) -> bool:
    if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
        return False
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in ENTER_KEYS and modifiers == Qt.KeyboardModifier.NoModifier


class EnterMoves(QObject):
    """Watches fields; on a plain Enter runs `before(field)` (which may take the key) then moves on."""

    def __init__(self, owner: QWidget, before: Callable[[QWidget], bool] | None = None):
        super().__init__(owner)
        self.owner = owner
        self.before = before

    def watch(self, *fields: QWidget) -> None:
        for field in fields:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not is_plain_enter(event):
            return False
        if self.before is not None and self.before(watched):
            return True
        self.owner.focusNextPrevChild(True)
        reveal(QApplication.focusWidget())
        return True


def reveal(widget: QWidget | None) -> None:
    """Scroll the nearest enclosing scroll area so `widget` is on screen."""
    parent = widget.parentWidget() if widget else None
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
            return
        parent = parent.parentWidget()
