"""Plugs the Lịch làm việc section into the main window, for administrators only (like ui/admin/wiring.py)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from ui.calendar.page import CalendarPage
from ui.main_window.actions import make_action

ROLE = "admin"
SECTION = "calendar"
SHORTCUT = "Ctrl+Shift+L"


@dataclass(frozen=True)
class CalendarParts:
    page: CalendarPage
    action: QAction


def install(window) -> CalendarParts | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    if window.user.role != ROLE:
        return None
    page = CalendarPage(window.ctx, window)
    action = make_action(window, "&Lịch làm việc", SHORTCUT, "Ngày lễ, ngày nghỉ, ngày làm bù và lịch hẹn bị ảnh hưởng")
    window.addAction(action)
    action.triggered.connect(lambda: window.show_section(SECTION))
    page.changed.connect(window.signals.changed)
    window.signals.changed.connect(page.on_changed)
    return CalendarParts(page, action)
