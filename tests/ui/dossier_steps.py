"""Shared by the dossier page, board and return-visit tests: a page that collects what it would print,
and the keys and dialogs a clerk goes through."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.ui.keys import enter, type_text
from ui.dossier_page.actions import BY_KEY
from ui.dossier_page.page import DossierPage


def collecting(page: DossierPage) -> DossierPage:
    """Replace the preview seam: each print job is collected instead of shown (no dialog, no printer)."""
    page.jobs = []

    def show_preview(job):
        page.jobs.append(job)
        return None

    page.show_preview = show_preview
    return page


def shown_dossier_page(qtbot, ctx, size: tuple[int, int] = (1190, 660)) -> DossierPage:
    """A dossier's page on its own, collecting its print jobs, shown and active (its shortcuts need that);
    1190×660 is the room the main window gives it at 1366×768."""
    page = collecting(DossierPage(ctx))
    qtbot.addWidget(page)
    page.resize(*size)
    with qtbot.waitActive(page):
        page.show()
    return page


def press_action(qtbot, page: DossierPage, key: str):
    """Press the action's shortcut on the page, as a clerk would; returns the dialog it opened (or None)."""
    target = page.focusWidget() or page
    shortcut = BY_KEY[key].shortcut
    qt_key, modifiers = _key(shortcut)
    qtbot.keyClick(target, qt_key, modifiers)
    return page.dialog


def fill(field: QWidget, text: str) -> None:
    """Type into an empty field (Vietnamese included)."""
    field.setFocus()
    type_text(field, text)


def enter_through(*fields: QWidget) -> None:
    """Enter in each field in turn: the dialog moves on, and accepts on the last one."""
    for field in fields:
        enter(field)


def _key(shortcut: str) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    modifiers = Qt.KeyboardModifier.NoModifier
    *mods, name = shortcut.split("+")
    for mod in mods:
        modifiers |= {"Ctrl": Qt.KeyboardModifier.ControlModifier, "Shift": Qt.KeyboardModifier.ShiftModifier}[mod]
    return getattr(Qt.Key, f"Key_{name}"), modifiers
