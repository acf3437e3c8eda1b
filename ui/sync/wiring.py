"""Plugs sync into the main window: the background sync, its status bar label, the Đồng bộ page and its
command. Kept here so the window only calls `install` and adds the page as a section."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction

from ui.main_window.actions import make_action
from ui.sync.background import BackgroundSync
from ui.sync.page import SyncPage
from ui.sync.status_bar import SyncStatusLabel

SHORTCUT = "Ctrl+Shift+S"  # F4–F12 are the dossier page's; a text box takes Ctrl+D (delete)


@dataclass(frozen=True)
class SyncParts:
    background: BackgroundSync
    page: SyncPage
    status: SyncStatusLabel
    action: QAction


def install(window) -> SyncParts:
    """Build the parts and connect them to the window's signals and status bar (before its own labels)."""
    background = BackgroundSync(window.ctx, window)
    page = SyncPage(window.ctx, background, window)
    status = SyncStatusLabel(window.ctx, window)
    action = make_action(window, "Đồn&g bộ với tỉnh", SHORTCUT, "Hàng đợi đồng bộ và đồng bộ cuối ngày")
    window.addAction(action)
    window.statusBar().addPermanentWidget(status)
    changed = window.signals.changed
    changed.connect(background.on_changed)
    changed.connect(page.on_changed)
    changed.connect(status.on_changed)
    page.changed.connect(changed)  # a pass's changes too: the page announces them (the count in the status bar)
    status.follow(background)
    page.configure.connect(lambda key: open_setting(window, key))
    return SyncParts(background, page, status, action)


def open_setting(window, key: str) -> None:
    """An administrator taken to a missing setting: the Quản trị page, its field focused and scrolled into view."""
    if window.admin is not None:  # installed after the sync: looked up when asked
        window.show_section("admin")
        window.admin.page.focus_setting(key)
