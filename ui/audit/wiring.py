"""Plugs the Nhật ký section into the main window, for administrators only; the window adds the page as a
section when `install` returns one."""

from __future__ import annotations

from ui.audit.page import AuditPage
from ui.main_window.admin_section import AdminSection, install_admin_section

SECTION = "audit"
SHORTCUT = "Ctrl+Shift+K"  # nhật Ký; Ctrl+Shift+A is Quản trị, S Đồng bộ


def install(window) -> AdminSection[AuditPage] | None:
    """The page and its command when the logged-in user is an administrator; None for anyone else."""
    return install_admin_section(window, SECTION, AuditPage, "&Nhật ký thao tác", SHORTCUT,
                                 "Ai đã làm gì, khi nào; kiểm tra tính toàn vẹn")
