"""Plugs the Nhật ký section into the main window, for administrators only; the window adds the page as a
section when `install` returns one."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from ui.audit.page import AuditPage
from ui.main_window.actions import make_action

ROLE = "admin"
SECTION = "audit"
SHORTCUT = "Ctrl+Shift+K"  # nhật Ký; Ctrl+Shift+A is Quản trị, S Đồng bộ


@dataclass(frozen=True)
class AuditParts:
    page: AuditPage
    action: QAction


def install(window) -> AuditParts | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    if window.user.role != ROLE:
        return None
    page = AuditPage(window.ctx, window)
    action = make_action(window, "&Nhật ký thao tác", SHORTCUT, "Ai đã làm gì, khi nào; kiểm tra tính toàn vẹn")
    window.addAction(action)
    action.triggered.connect(lambda: window.show_section(SECTION))
    window.signals.changed.connect(page.on_changed)
    return AuditParts(page, action)
