"""The status bar's backup line: when the last verified backup was made, or what is wrong (none for two days, the
second destination missing, a failed backup), and "Đang sao lưu…" while one runs."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QWidget

from counter.backup_schedule import BackupStatus, ago
from counter.text import age_text
from ui.backup.background import BackgroundBackup

OK_STYLE = "color: #1b7a3a;"
WARN_STYLE = "color: #b00020; font-weight: bold;"


class BackupStatusLabel(QLabel):
    def __init__(self, background: BackgroundBackup, parent: QWidget | None = None):
        super().__init__(parent)
        self.background = background
        background.status_changed.connect(self.show_status)
        background.started.connect(self._running)
        background.failed.connect(lambda _why: self.show_status(background.status))
        self.show_status(background.status)

    @Slot(str)
    def _running(self, _reason: str) -> None:
        self.setText("Đang sao lưu…  ")
        self.setStyleSheet("")

    @Slot(object)
    def show_status(self, status: BackupStatus) -> None:
        if self.background.running:
            return
        problems = []
        last = status.last
        if status.second_missing is not None:
            problems.append("chưa cắm ổ sao lưu thứ hai")
        if self.background.last_error:
            problems.append("lần sao lưu vừa rồi lỗi")
        if last is None:
            problems.append("chưa có bản sao lưu")
        elif status.stale:
            problems.append(f"bản sao lưu cũ {age_text(status.now - last.at)}")
        if problems:
            self.setText("⚠ Sao lưu: " + ", ".join(problems) + "  ")
            self.setStyleSheet(WARN_STYLE)
        else:
            assert last is not None
            self.setText(f"Sao lưu: {ago(status.now - last.at)}  ")
            self.setStyleSheet(OK_STYLE)
        tips = [*status.warnings(), *([self.background.last_error] if self.background.last_error else [])]
        self.setToolTip("\n".join(tips) or "Bản sao lưu đã kiểm tra gần nhất")
