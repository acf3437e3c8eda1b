"""Lệ phí: computed live from the procedure's rule and the papers; exemption needs a reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from counter.catalogue import fees
from counter.errors import Field, ValidationError
from counter.records import ComponentInput, Procedure
from counter.text import format_vnd, nfc
from ui.reception.look import TITLE_POINTS, WrappedLabel, bold


class FeeBox(QGroupBox):
    units_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Lệ phí", parent)
        self.procedure: Procedure | None = None
        self.total: int | None = None  # None: cannot be computed yet (see the hint)
        self.amount_label = QLabel("—")
        bold(self.amount_label, TITLE_POINTS + 1)
        self.hint_label = WrappedLabel()
        self.units_label = QLabel("Số bản:")
        self.units_spin = QSpinBox()
        self.units_spin.setRange(1, 999)
        self.exempt_check = QCheckBox("Miễn lệ phí")
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Lý do miễn (bắt buộc)")
        self.reason_edit.setEnabled(False)
        grid = QGridLayout(self)
        grid.addWidget(self.amount_label, 0, 0, 1, 2)
        grid.addWidget(self.hint_label, 1, 0, 1, 2)
        grid.addWidget(self.units_label, 2, 0)
        grid.addWidget(self.units_spin, 2, 1)
        grid.addWidget(self.exempt_check, 3, 0)
        grid.addWidget(self.reason_edit, 3, 1)
        grid.setColumnStretch(1, 1)
        self.exempt_check.toggled.connect(self._on_exempt)
        self.units_spin.valueChanged.connect(self.units_changed)
        self.exempt_check.toggled.connect(self.units_changed)
        self.set_procedure(None)
        self.recompute(())

    def fields(self) -> list[QWidget]:
        return [self.units_spin, self.exempt_check, self.reason_edit]

    @Slot(object)
    def set_procedure(self, procedure: Procedure | None) -> None:
        self.procedure = procedure
        rule = procedure.fee_rule if procedure else None
        per_unit = bool(rule and rule.amount and not rule.formula)
        self.units_label.setText(f"Số {rule.per}:" if per_unit and rule.per else "Số đơn vị tính phí:")
        for widget in (self.units_label, self.units_spin):
            widget.setVisible(per_unit)
        self.units_spin.setValue(1)
        has_fee = bool(rule and (rule.amount or rule.formula))
        self.exempt_check.setEnabled(has_fee)
        if not has_fee:
            self.exempt_check.setChecked(False)

    def recompute(self, components: Sequence[ComponentInput]) -> None:
        """Show what to collect for these papers; an incomplete input shows what is still needed."""
        self.total = None
        self.hint_label.setStyleSheet("")
        if self.procedure is None:
            self.amount_label.setText("—")
            self.hint_label.setText("Chọn thủ tục để tính lệ phí.")
            self.hint_label.show()
            return
        rule = self.procedure.fee_rule
        try:
            lines = fees.compute_fees(self.procedure, components, self.units_spin.value(), self._reason_for_fee())
        except ValidationError as exc:
            self.amount_label.setText("Chưa tính được")
            self.hint_label.setText(str(exc))
            self.hint_label.setStyleSheet("color: #7a5200;")
            self.hint_label.show()
            return
        self.total = fees.fee_total(lines)
        hint = ""
        if lines and self.exempt_check.isChecked():
            self.amount_label.setText("0 đồng (miễn)")
        elif lines:
            self.amount_label.setText(f"{format_vnd(self.total)} đồng")
        elif rule.amount is None and not rule.formula:
            self.amount_label.setText("Theo mức HĐND tỉnh")
            hint = "Mức thu chưa có trong danh mục: thu theo quyết định của HĐND tỉnh."
        else:
            self.amount_label.setText("Không thu")
        self.hint_label.setText(hint)
        self.hint_label.setVisible(bool(hint))

    def _reason_for_fee(self) -> str:
        # While the clerk is still typing the reason, show the exempt amount already.
        return (nfc(self.reason_edit.text()) or "miễn") if self.exempt_check.isChecked() else ""

    def units(self) -> int:
        return self.units_spin.value()

    def exempt_reason(self) -> str:
        """'' when not exempt; a ValidationError when exempt without a reason."""
        if not self.exempt_check.isChecked():
            return ""
        reason = nfc(self.reason_edit.text())
        if not reason:
            raise ValidationError("Đã chọn miễn lệ phí: hãy ghi lý do miễn (ví dụ: hộ nghèo, người khuyết tật).",
                                  Field.FEE_EXEMPT_REASON)
        return reason

    @Slot(bool)
    def _on_exempt(self, on: bool) -> None:
        self.reason_edit.setEnabled(on)
        if on:
            self.reason_edit.setFocus()
        else:
            self.reason_edit.clear()

    def clear_form(self) -> None:
        self.exempt_check.setChecked(False)
        self.set_procedure(None)
        self.recompute(())
