"""The Quản trị section (administrators only): the backups' box (ui/backup/panel.py, added by ui/backup/wiring.py),
the office, sync, scan and backup settings, a connection test, Save.

Save writes every edited key in one transaction: if any is refused, none is kept, each refusal shows
under its field, and what was typed stays in the form. The connection test uses what the form says
now, on a WorkerRunner thread (ui/sync/runner.py), so the window keeps running while the province
does not answer.
"""

from __future__ import annotations

from PySide6.QtCore import (
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter.calendar import admin as calendar_admin
from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError
from counter.sync import settings
from ui.admin.connection import CONNECTED, check_connection
from ui.admin.settings_form import ERROR_STYLE, SettingsForm
from ui.reception.look import MessageLine
from ui.settings import IDLE_MINUTES, read, ui_settings, write
from ui.signals import Announcer
from ui.sync.runner import WorkerRunner

SAVED = "Đã lưu thiết lập."
NOT_SAVED = "Chưa lưu: hãy sửa các mục báo đỏ rồi bấm Lưu lại. Những gì đã nhập vẫn còn trong biểu mẫu."
NOTHING_CHANGED = "Không có thay đổi nào để lưu."
CHECKING = "Đang kiểm tra kết nối…"


class AdminPage(QWidget):
    changed = Signal(Changes)  # settings were saved (the background sync re-reads them)
    idle_minutes_changed = Signal(float)  # this machine's idle lock time was saved

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.form = SettingsForm(ctx)
        self.idle = idle_spin(read(ui_settings(ctx), IDLE_MINUTES))
        self.save_button = QPushButton("Lưu")
        self.check_button = QPushButton("Kiểm tra kết nối")
        self.message = QLabel()
        self.calendar_note = MessageLine()  # "Chưa có lịch làm việc năm 2027"
        self.connection = QLabel()
        self.checker = WorkerRunner(self)
        self.announcer = Announcer(self.changed)
        self._lay_out()
        self.save_button.clicked.connect(self.save)
        self.check_button.clicked.connect(self.check)
        self.checker.finished.connect(self._checked)
        self.checker.failed.connect(self._check_failed)
        self._say(self.form.load(), error=True)
        self.show_calendar_notice()

    def show_calendar_notice(self) -> None:
        notice = calendar_admin.missing_calendar_notice(self.ctx, self.ctx.clock.now().date())
        if notice:
            self.calendar_note.warn(f"{notice}: hãy nạp lịch ở màn hình Lịch làm việc (Ctrl+Shift+L).")
        else:
            self.calendar_note.clear_message()

    def _lay_out(self) -> None:
        title = QLabel("Quản trị: cơ quan và đồng bộ")
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.message.setWordWrap(True)
        self.connection.setWordWrap(True)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        machine = QGroupBox("Máy này")
        QFormLayout(machine).addRow("Tự khóa màn hình sau khi không thao tác:", self.idle)
        self.form.layout().addWidget(machine)
        self.form.layout().addStretch(1)  # a tall window leaves the space below the groups, not inside them
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.connection, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.calendar_note)
        self.boxes = QVBoxLayout()  # boxes other parts add above the settings (add_box): the backups
        layout.addLayout(self.boxes)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def focus_setting(self, key: str) -> None:
        """The field of this setting focused and scrolled into view (a missing sync setting, from Đồng bộ)."""
        edit = self.form.edits[key]
        self.scroll.ensureWidgetVisible(edit)
        edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def add_box(self, box: QWidget) -> None:
        """A box above the settings form (the backups' status and commands: ui/backup/panel.py), as tall as its
        content: the settings below get the rest of a 768-pixel screen."""
        box.setSizePolicy(box.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Maximum)
        self.boxes.addWidget(box)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")

    @Slot()
    def save(self) -> bool:
        edits = self.form.changes()
        idle_changed = self._save_idle_minutes()
        if not edits:
            self._say(SAVED if idle_changed else NOTHING_CHANGED)
            return True
        errors, changes = self._write(edits)
        self.form.show_errors(errors)
        if errors:
            self._say(NOT_SAVED, error=True)
            return False
        self._say(self.form.load() or SAVED, error=False)
        self.announcer.announce(changes)
        return True

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        """Settings changed elsewhere: show them, unless the administrator is editing the form."""
        if changes.calendar:
            self.show_calendar_notice()
        if changes.settings and not self.announcer.announcing and not self.form.changes():
            why = self.form.load()
            if why:
                self._say(why, error=True)

    def _save_idle_minutes(self) -> bool:
        """A per-machine preference (ui.ini beside the database), applied at once to the running lock."""
        stored = ui_settings(self.ctx)
        minutes = float(self.idle.value())
        if minutes == read(stored, IDLE_MINUTES):
            return False
        write(stored, IDLE_MINUTES, minutes)
        self.idle_minutes_changed.emit(minutes)
        return True

    def _write(self, edits: dict[str, str]) -> tuple[dict[str, str], Changes]:
        """Each key's refusal, and what changed; nothing is kept unless every key was accepted."""
        return settings.set_values(self.ctx, edits)

    @Slot()
    def check(self) -> None:
        config = self.form.sync_settings()
        missing = [settings.SYNC_KEYS[key] for key in config.missing()]
        if missing:
            self.connection.setText("Chưa đủ thông tin để kiểm tra, còn thiếu: " + "; ".join(missing) + ".")
            return
        if self.checker.run(lambda progress, cancel: check_connection(config)):
            self.check_button.setEnabled(False)
            self.connection.setText(CHECKING)

    @Slot(object)
    def _checked(self, answer: str) -> None:
        self.check_button.setEnabled(True)
        self.connection.setText(answer)
        self.connection.setStyleSheet("color: #1b5e20;" if answer == CONNECTED else ERROR_STYLE)

    @Slot(object)
    def _check_failed(self, error) -> None:
        why = str(error) if isinstance(error, CounterError) else f"lỗi ngoài dự kiến ({type(error).__name__}: {error})"
        self._checked(f"Không kiểm tra được: {why}")


def idle_spin(minutes: float) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 240)
    spin.setSuffix(" phút")
    spin.setSpecialValueText("Không tự khóa")  # 0
    spin.setValue(max(0, round(minutes)))
    return spin
