"""Plugs the Quản trị section into the main window, for administrators only; the window adds the page as
a section when `install` returns one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from ui.admin.page import AdminPage
from ui.main_window.actions import make_action

ROLE = "admin"
SECTION = "admin"
SHORTCUT = "Ctrl+Shift+A"


@dataclass(frozen=True)
class AdminParts:
    page: AdminPage
    action: QAction


def install(window) -> AdminParts | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    if window.user.role != ROLE:
        return None
    page = AdminPage(window.ctx, window)
    action = make_action(window, "&Quản trị", SHORTCUT, "Thiết lập cơ quan và đồng bộ với hệ thống tỉnh")
    window.addAction(action)
    action.triggered.connect(lambda: window.show_section(SECTION))
    page.changed.connect(window.signals.changed)
    window.signals.changed.connect(page.on_changed)
    page.idle_minutes_changed.connect(lambda minutes: window.idle_lock.set_idle_minutes(minutes))  # made later
    return AdminParts(page, action)
