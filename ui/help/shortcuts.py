"""Trợ giúp → Phím tắt: a card of every shortcut of the current screen, read from the QActions and QShortcuts
themselves each time it opens (so it never goes stale): the menus' and the window's, then the current page's."""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

WHOLE_APP = "Cả chương trình"
NO_TEXT = "(không có mô tả)"
_KEY_IN_TEXT = r"\s*\(\s*{}\s*\)"  # "Tiếp nhận, in Mẫu 01  (F9)": the key in brackets after the label


@dataclass(frozen=True)
class Entry:
    group: str  # WHOLE_APP or the screen's title
    keys: str  # as the user reads them: "Ctrl+Shift+S"
    text: str


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _action_text(action: QAction) -> str:
    text = action.text().split("\t")[0].replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip("…").strip() or action.toolTip() or NO_TEXT


def _shortcut_text(shortcut: QShortcut, keys: str) -> str:
    """A QShortcut has no label: its whatsThis, else the button of its widget that names the key in brackets."""
    if shortcut.whatsThis():
        return shortcut.whatsThis()
    owner = shortcut.parent()
    if isinstance(owner, QWidget):
        pattern = re.compile(_KEY_IN_TEXT.format(re.escape(keys)))
        for button in owner.findChildren(QAbstractButton):
            if pattern.search(button.text()):
                return pattern.sub("", button.text()).replace("&", "").strip()
    return NO_TEXT


def _menu_actions(menu: QMenu) -> list[QAction]:
    found = []
    for action in menu.actions():
        if action.menu() is not None:
            found.extend(_menu_actions(action.menu()))
        else:
            found.append(action)
    return found


def collect(window: QMainWindow, screen: QWidget | None, screen_title: str) -> list[Entry]:
    """The shortcuts in force on `window` with `screen` (its current page) shown: the window's and its menus'
    actions, then the page's own actions and shortcuts (hidden, disabled or keyless ones left out, and those of a
    hidden widget: Qt does not fire them)."""
    entries: list[Entry] = []
    seen: set[tuple[str, str]] = set()

    def add(group: str, keys: str, text: str) -> None:
        if keys and (keys, text) not in seen:
            seen.add((keys, text))
            entries.append(Entry(group, keys, text))

    window_actions = list(window.actions())
    for menu_action in window.menuBar().actions():
        if menu_action.menu() is not None:
            window_actions.extend(_menu_actions(menu_action.menu()))
    for action in window_actions:
        owner = action.parent()
        if isinstance(owner, QWidget) and owner is not window:
            continue  # a page's own command (ui/page_actions, in the menus too): listed with its screen below
        if action.isVisible() and action.isEnabled():
            for sequence in action.shortcuts():
                add(WHOLE_APP, _keys(sequence), _action_text(action))
    for shortcut in window.findChildren(QShortcut, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if shortcut.isEnabled():
            keys = _keys(shortcut.key())
            add(WHOLE_APP, keys, _shortcut_text(shortcut, keys))
    if screen is not None:
        for action in screen.findChildren(QAction):
            if action.isVisible() and action.isEnabled() and action.menu() is None:
                for sequence in action.shortcuts():
                    add(screen_title, _keys(sequence), _action_text(action))
        for shortcut in screen.findChildren(QShortcut):
            owner = shortcut.parent()
            # Qt fires a shortcut only while its widget is shown: a hidden bar's keys, a dialog's, are not the page's
            if shortcut.isEnabled() and isinstance(owner, QWidget) and owner.window() is window and owner.isVisible():
                keys = _keys(shortcut.key())
                add(screen_title, keys, _shortcut_text(shortcut, keys))
    return entries


class ShortcutsDialog(QDialog):
    """The card: one row per shortcut, the whole program's first, then this screen's. Esc closes it."""

    def __init__(self, entries: list[Entry], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Phím tắt")
        self.entries = entries
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Phím", "Việc", "Áp dụng ở"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for entry in entries:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, value in enumerate((entry.keys, entry.text, entry.group)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng  (Esc)")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Các phím tắt dùng được ở màn hình đang mở (F1 luôn về màn hình Hôm nay)."))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)  # inside 1366×768 with the taskbar

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3)) for r in range(self.table.rowCount())]
