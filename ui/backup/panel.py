"""The Quản trị page's "Sao lưu" box: the last verified backup of each destination (time, age, size), the next
automatic one, what the last backup did, and "Sao lưu ngay" (Ctrl+Shift+B).

`buttons` is the row the box's commands sit in: the restore command goes beside "Sao lưu ngay" there.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.backup_schedule import BackupRun, BackupStatus, DestinationStatus, ago, size_text
from ui.backup.background import BackgroundBackup
from ui.reception.look import MessageLine

SHORTCUT = "Ctrl+Shift+B"


class BackupPanel(QGroupBox):
    def __init__(self, background: BackgroundBackup, parent: QWidget | None = None):
        super().__init__("Sao lưu dữ liệu", parent)
        self.background = background
        self._result_shown = False
        self.lines = QLabel()
        self.lines.setWordWrap(True)
        self.outcome = MessageLine()
        self.backup_button = QPushButton(f"Sao lưu ngay ({SHORTCUT})")  # the window's action has the shortcut
        self.backup_button.setToolTip(f"Sao lưu cơ sở dữ liệu, bản số hóa và thiết lập ngay bây giờ ({SHORTCUT})")
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.backup_button)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines)
        layout.addWidget(self.outcome)
        layout.addLayout(self.buttons)
        self.backup_button.clicked.connect(self.back_up_now)
        background.status_changed.connect(self.show_status)
        background.started.connect(self._started)
        background.finished.connect(self._finished)
        background.failed.connect(self._failed)
        self.show_status(background.status)

    @Slot()
    def back_up_now(self) -> None:
        if not self.background.run_now():
            self.outcome.info("Đang có một lần sao lưu chạy; kết quả sẽ hiện ở đây.")

    @Slot(object)
    def show_status(self, status: BackupStatus) -> None:
        lines = [_destination_line(status, d) for d in status.destinations]
        if status.next_at is None:
            lines.append("Tự động sao lưu theo giờ: tắt (vẫn sao lưu sau đồng bộ cuối ngày và khi đóng chương trình).")
        else:
            when = "ngay bây giờ" if status.next_at <= status.now else f"lúc {status.next_at:%H:%M %d/%m/%Y}"
            lines.append(f"Lần tự động kế tiếp: {when} (mỗi {status.interval_hours} giờ khi chương trình mở).")
        self.lines.setText("\n".join(lines))
        if not self._result_shown:  # a backup's own outcome stays until the next one
            warnings = status.warnings()
            if warnings:
                self.outcome.warn("\n".join(warnings))
            else:
                self.outcome.clear_message()

    @Slot(str)
    def _started(self, reason: str) -> None:
        self._result_shown = True
        self.backup_button.setEnabled(False)
        self.outcome.info(f"Đang sao lưu ({reason})…")

    @Slot(object)
    def _finished(self, run: BackupRun) -> None:
        self._result_shown = True
        self.backup_button.setEnabled(True)
        text = "\n".join(outcome.sentence() for outcome in run.outcomes)
        if run.ok:
            self.outcome.info(text)
        elif any(outcome.ok for outcome in run.outcomes):
            self.outcome.warn(text)
        else:
            self.outcome.error(text)

    @Slot(str)
    def _failed(self, why: str) -> None:
        self._result_shown = True
        self.backup_button.setEnabled(True)
        self.outcome.error(why)


def _destination_line(status: BackupStatus, destination: DestinationStatus) -> str:
    where = f"{destination.label} ({destination.path})"
    if not destination.present:
        return f"{where}: không thấy thư mục (ổ USB chưa cắm hoặc ổ mạng chưa kết nối)."
    last = destination.last
    if last is None:
        said = f"{where}: chưa có bản sao lưu đã kiểm tra."
    else:
        said = (f"{where}: bản đã kiểm tra gần nhất lúc {last.at:%H:%M %d/%m/%Y} ({ago(status.now - last.at)}), "
                f"{size_text(last.size)}.")
    if destination.failed:
        said += f" Bản {destination.failed} không đạt kiểm tra."
    return said
