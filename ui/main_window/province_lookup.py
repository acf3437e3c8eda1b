"""A scanned code this machine does not have: ask the provincial system whether it knows it.

The look-up runs on a WorkerRunner thread (ui/sync/runner.py: no Qt there, the GC paused meanwhile); the
settings are read here, on the GUI thread, and handed over frozen.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.context import AppContext
from counter.errors import CounterError
from counter.sync import settings
from counter.sync.settings import SyncSettings
from ui.admin.connection import describe, lookup
from ui.sync.runner import WorkerRunner

OFFER = "Tra cứu trên hệ thống tỉnh"
NOT_AT_PROVINCE = "Tỉnh cũng không có hồ sơ này."


class ProvinceLookupDialog(QDialog):
    def __init__(self, config: SyncSettings, code: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("provinceLookup")
        self.setWindowTitle(f"{OFFER}: {code}")
        self.setMinimumWidth(520)
        self.answer = QLabel(f"Đang hỏi hệ thống tỉnh về hồ sơ {code}…")
        self.answer.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.answer)
        layout.addWidget(buttons)
        self.runner = WorkerRunner(self)
        self.runner.finished.connect(self._show)
        self.runner.failed.connect(self._fail)
        self.runner.finished.connect(self._settle)
        self.runner.failed.connect(self._settle)
        self.runner.run(lambda progress, cancel: lookup(config, code))

    @property
    def done(self) -> bool:
        return not self.runner.running

    @Slot(object)
    def _show(self, data) -> None:
        if not data:
            self.answer.setText(NOT_AT_PROVINCE)
            return
        rows = "".join(f"<tr><td>{escape(label)}:&nbsp;</td><td><b>{escape(value)}</b></td></tr>"
                       for label, value in describe(data))
        self.answer.setText(f"Hệ thống tỉnh có hồ sơ này (chưa có trên máy này):<table>{rows}</table>")

    @Slot(object)
    def _fail(self, error) -> None:
        why = str(error) if isinstance(error, CounterError) else f"lỗi ngoài dự kiến ({type(error).__name__})"
        self.answer.setText(f"Không tra cứu được trên hệ thống tỉnh: {why}")

    def reject(self) -> None:
        super().reject()
        if self.done:
            self.deleteLater()  # else it goes once its answer is in (a runner must not die mid-work)

    @Slot()
    def _settle(self) -> None:
        """Closed before its answer came: it can go now."""
        if not self.isVisible():
            self.deleteLater()


def offer_lookup(ctx: AppContext, box: QMessageBox, ask: Callable[[SyncSettings], None]) -> QPushButton:
    """Add the offer to a scan message, `ask(settings)` when clicked; disabled, saying why, while sync is not
    configured."""
    button = box.addButton(OFFER, QMessageBox.ButtonRole.ActionRole)
    button.setObjectName("provinceLookupButton")
    try:
        config = settings.require(ctx)
    except settings.SettingsMissing as e:
        button.setEnabled(False)
        button.setToolTip(str(e))
        return button
    button.clicked.connect(lambda: ask(config))
    return button


def open_lookup(config: SyncSettings, code: str, parent: QWidget) -> ProvinceLookupDialog:
    dialog = ProvinceLookupDialog(config, code, parent)
    dialog.open()
    return dialog
