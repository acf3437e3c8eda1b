"""Plugs the Người dùng section into the main window, for administrators only (the same rule as counter/: each
action is also refused there to anyone else); the window adds the page as a section when `install` returns one."""

from __future__ import annotations

from ui.main_window.admin_section import AdminSection, install_admin_section
from ui.users.page import UsersPage

SECTION = "users"
SHORTCUT = "Ctrl+Shift+U"


def install(window) -> AdminSection[UsersPage] | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    return install_admin_section(window, SECTION, UsersPage, "&Người dùng", SHORTCUT,
                                 "Thêm, khóa, mở lại người dùng; đặt lại mật khẩu; vai trò")
