"""Plugs the Lịch làm việc section into the main window, for administrators only (like ui/admin/wiring.py)."""

from __future__ import annotations

from ui.calendar.page import CalendarPage
from ui.main_window.admin_section import AdminSection, install_admin_section

SECTION = "calendar"
SHORTCUT = "Ctrl+Shift+L"


def install(window) -> AdminSection[CalendarPage] | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    return install_admin_section(window, SECTION, CalendarPage, "&Lịch làm việc", SHORTCUT,
                                 "Ngày lễ, ngày nghỉ, ngày làm bù và lịch hẹn bị ảnh hưởng")
