"""The status bar's sync state: the link to the province, how old the oldest waiting record is, and
when the last sync reached the province. The count itself is SyncCountLabel's ("Chờ đồng bộ: N")."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QTimer,
    Slot,
)
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from counter.changes import Changes
from counter.clock import local
from counter.context import AppContext
from counter.sync.queue import oldest_waiting
from counter.sync.settings import NO_PASSWORD_HERE
from counter.text import age_text
from ui.sync.background import OFFLINE, ONLINE, UNCONFIGURED, Connection

REFRESH_MS = 30_000
STATES = {ONLINE: ("Trực tuyến", "#1b7a3a"), OFFLINE: ("Mất kết nối", "#b00020"),
          UNCONFIGURED: ("Chưa cấu hình đồng bộ", "#8a5a00")}
UNKNOWN_TEXT = ("Đang kiểm tra kết nối", "#555")
NO_PASSWORD_HERE_TEXT = ("Máy này chưa có mật khẩu đồng bộ", "#8a5a00")  # office mode: each PC enters its own


def when_text(at: datetime, now: datetime) -> str:
    at = local(at)
    return f"{at:%H:%M}" if at.date() == local(now).date() else f"{at:%H:%M %d/%m}"


class SyncStatusLabel(QLabel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.connection = Connection("unknown")
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)  # the first text comes with `follow` (a query less while the window is built)

    def follow(self, background) -> None:
        """Show `background`'s connection state from now on (a BackgroundSync)."""
        background.connection_changed.connect(self.set_connection)
        background.synced.connect(self.refresh)
        self.set_connection(background.connection)

    @Slot(object)
    def set_connection(self, connection: Connection) -> None:
        self.connection = connection
        self.refresh()

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        if changes.sync_queue:  # the oldest waiting record may be another one
            self.refresh()

    @Slot()
    @Slot(object)
    def refresh(self, _changes: object = None) -> None:
        now = self.ctx.clock.now()
        label, colour = STATES.get(self.connection.state, UNKNOWN_TEXT)
        if self.connection.state == UNCONFIGURED and self.connection.reason == NO_PASSWORD_HERE:
            label, colour = NO_PASSWORD_HERE_TEXT
        parts = [f"<b style='color:{colour}'>● {label}</b>"]
        oldest = oldest_waiting(self.ctx)
        if oldest is not None:
            parts.append(f"cũ nhất: {age_text(now - oldest)}")
        if self.connection.last_success is not None:
            parts.append(f"đồng bộ lúc {when_text(self.connection.last_success, now)}")
        self.setText("  ·  ".join(parts) + "  ")
        self.setToolTip(self.connection.reason or "Kết nối với hệ thống một cửa của tỉnh")

    def plain_text(self) -> str:
        """The text without markup (for tests and the accessible name)."""
        from PySide6.QtGui import QTextDocumentFragment
        return QTextDocumentFragment.fromHtml(self.text()).toPlainText()
