"""The status bar's count of records the province has not confirmed yet."""

from __future__ import annotations

from PySide6.QtCore import (
    QTimer,
    Slot,
)
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from counter.changes import Changes
from counter.context import AppContext
from counter.sync.outbox import waiting_count
from counter.sync.queue import WAITING_LABEL
from counter.text import format_vnd

REFRESH_MS = 5000


class SyncCountLabel(QLabel):
    """"Chờ đồng bộ: N", refreshed every few seconds (a sync may run in another process) and on demand."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, refresh_ms: int = REFRESH_MS):
        super().__init__(parent)
        self.ctx = ctx
        self.setToolTip("Số bản ghi (hồ sơ, bước xử lý, tệp) tỉnh chưa xác nhận, đếm như trang Đồng bộ")
        self.count = -1
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(refresh_ms)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        count = waiting_count(self.ctx)  # indexed COUNTs over the waiting states only
        if count != self.count:
            self.count = count
            self.setText(f"{WAITING_LABEL}: {format_vnd(count)}")

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        if changes.sync_queue:
            self.refresh()
