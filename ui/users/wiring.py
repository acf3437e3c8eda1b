"""Plugs the Người dùng section into the main window, for administrators only (the same rule as counter/: each
action is also refused there to anyone else); the window adds the page as a section when `install` returns one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from counter.office.roles import ADMINS, has_role
from ui.main_window.actions import make_action
from ui.users.page import UsersPage

SECTION = "users"
SHORTCUT = "Ctrl+Shift+U"


@dataclass(frozen=True)
class UsersParts:
    page: UsersPage
    action: QAction


def install(window) -> UsersParts | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    if not has_role(window.user, ADMINS):
        return None
    page = UsersPage(window.ctx, window)
    action = make_action(window, "&Người dùng", SHORTCUT, "Thêm, khóa, mở lại người dùng; đặt lại mật khẩu; vai trò")
    window.addAction(action)
    action.triggered.connect(lambda: window.show_section(SECTION))
    page.changed.connect(window.signals.changed)
    window.signals.changed.connect(page.on_changed)
    return UsersParts(page, action)
