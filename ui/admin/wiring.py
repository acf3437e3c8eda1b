"""Plugs the Quản trị section into the main window, for administrators only; the window adds the page as
a section when `install` returns one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.main_window.admin_section import AdminSection, install_admin_section

if TYPE_CHECKING:
    from ui.admin.page import AdminPage

SECTION = "admin"
SHORTCUT = "Ctrl+Shift+A"


def install(window) -> AdminSection[AdminPage] | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    parts = install_admin_section(window, SECTION, _admin_page, "&Quản trị", SHORTCUT,
                                  "Thiết lập cơ quan và đồng bộ với hệ thống tỉnh")
    if parts is not None:
        # the idle lock is made after the sections: looked up when the minutes change
        parts.page.idle_minutes_changed.connect(lambda minutes: window.idle_lock.set_idle_minutes(minutes))
    return parts


def _admin_page(ctx, parent) -> AdminPage:
    from ui.admin.page import AdminPage  # with the province's client (httpx): imported for an administrator only

    return AdminPage(ctx, parent)
