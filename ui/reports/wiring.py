"""Plugs the Báo cáo section (F5) into the main window, for every logged-in user; F5 opens it and recomputes. In
office mode it follows the window's Quầy của tôi / Cả trung tâm switch (Ctrl+Alt+Q) like the board and Tra cứu."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from ui.main_window.actions import make_action
from ui.reports.page import ReportsPage

SECTION = "reports"
SHORTCUT = "F5"


@dataclass(frozen=True)
class ReportsSection:
    page: ReportsPage
    action: QAction


def install(window) -> ReportsSection:
    page = ReportsPage(window.ctx, window)
    page.set_workstation(window.scope.workstation)  # the switch as the window starts (a clerk: their counter)
    window.scope.changed.connect(page.set_workstation)
    action = make_action(window, "&Báo cáo", SHORTCUT, "Tỷ lệ đúng hạn, hồ sơ quá hạn, số liệu và chỉ số của kỳ")
    window.addAction(action)
    action.triggered.connect(lambda: (window.show_section(SECTION), page.load()))
    page.open_code.connect(window.navigator.open_code)
    return ReportsSection(page, action)
