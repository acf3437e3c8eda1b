"""Plugs the Danh mục thủ tục section into the main window, for administrators only (the domain refuses anyone
else's change as well); the window adds the page as a section when `install` returns one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from ui.catalogue.page import CataloguePage
from ui.main_window.actions import make_action

ROLE = "admin"
SECTION = "catalogue"
SHORTCUT = "Ctrl+Shift+T"


@dataclass(frozen=True)
class CatalogueParts:
    page: CataloguePage
    action: QAction


def install(window) -> CatalogueParts | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    if window.user.role != ROLE:
        return None
    page = CataloguePage(window.ctx, window)
    action = make_action(window, "&Danh mục thủ tục", SHORTCUT,
                         "Danh mục thủ tục: nhập danh mục của tỉnh, lệ phí và thời hạn do tỉnh quy định")
    window.addAction(action)
    action.triggered.connect(lambda: window.show_section(SECTION))
    page.changed.connect(window.signals.changed)
    window.signals.changed.connect(page.on_changed)
    return CatalogueParts(page, action)
