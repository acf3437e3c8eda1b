"""A page's own commands as QActions: its shortcuts work while the focus is on the page (as a QShortcut's would),
and the main window's menus list the same actions, so the menus and the keys cannot disagree."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def page_action(page: QWidget, text: str, keys: Sequence[str], slot: Callable[[], object], tip: str = "") -> QAction:
    """An action of `page` (its first key is the one a menu shows), active while the page or a child has focus."""
    action = QAction(text, page)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setStatusTip(tip)
    action.triggered.connect(lambda: slot())
    page.addAction(action)
    return action
