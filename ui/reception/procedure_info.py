"""The chosen procedure's rules at a glance, with the due date it would get if received now.

The due date is live: it is recomputed every 30 seconds and on every pick, so a same-day
procedure shows the next working day as soon as the clock passes 15:00.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QWidget,
)

from counter.calendar import schedule
from counter.context import AppContext
from counter.records import Procedure
from counter.text import format_vnd
from ui.reception.look import WrappedLabel

REFRESH_MS = 30_000
NO_DUE_DATE = "Không có ngày hẹn trả cụ thể theo quy định"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
NOT_CHOSEN = "—"


def format_due(due: datetime | None) -> str:
    """'17 giờ 00 phút, Thứ Hai 09/03/2026', or the legal wording when there is no deadline."""
    if due is None:
        return NO_DUE_DATE
    return f"{due:%H} giờ {due:%M} phút, {WEEKDAYS[due.weekday()]} {due:%d/%m/%Y}"


def fee_rule_text(procedure: Procedure) -> str:
    """The rule as the catalogue states it: its note when there is one (it carries the amounts)."""
    rule = procedure.fee_rule
    if rule.note:
        return rule.note
    if rule.formula:
        return "Tính theo số trang của bản sao"
    if rule.amount is None:
        return "Mức thu do HĐND tỉnh quy định"
    if rule.amount == 0:
        return "Không thu"
    return f"{format_vnd(rule.amount)} đồng" + (f"/{rule.per}" if rule.per else "")


class ProcedureInfo(QFrame):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.procedure: Procedure | None = None
        self.due_at: datetime | None = None
        self.setObjectName("procedureInfo")
        self.setStyleSheet("#procedureInfo { background: #f3f6fa; border: 1px solid #c9d3de; border-radius: 4px; }")
        self.time_label = self._value()
        self.fee_label = self._value()
        self.due_label = self._value()
        self.due_label.setStyleSheet("color: #1f4e79; font-weight: bold;")
        self.note_label = self._value()
        self.note_label.setStyleSheet("color: #7a5200;")
        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 6)
        form.setVerticalSpacing(3)
        form.addRow("Thời hạn giải quyết:", self.time_label)
        form.addRow("Lệ phí theo quy định:", self.fee_label)
        form.addRow("Hẹn trả nếu nhận bây giờ:", self.due_label)
        form.addRow(self.note_label)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.set_procedure(None)

    def _value(self) -> QLabel:
        label = WrappedLabel()
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    @Slot(object)
    def set_procedure(self, procedure: Procedure | None) -> None:
        self.procedure = procedure
        if procedure is None:
            for label in (self.time_label, self.fee_label, self.due_label):
                label.setText(NOT_CHOSEN)
            self.note_label.hide()
            self.due_at = None
            return
        self.time_label.setText(procedure.time_rule.describe())
        self.fee_label.setText(fee_rule_text(procedure))
        notes = [procedure.note] if procedure.note else []
        if not procedure.verified:
            notes.append("Thời hạn, lệ phí của thủ tục này chưa được kiểm chứng: đối chiếu quy định của tỉnh.")
        self.note_label.setText("\n".join(notes))
        self.note_label.setVisible(bool(notes))
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self.procedure is None:
            return
        self.due_at = schedule.due_for(self.ctx, self.procedure.time_rule, self.ctx.clock.now())
        self.due_label.setText(format_due(self.due_at))
