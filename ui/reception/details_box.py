"""Trích yếu, how the dossier came in, where the result goes, how many sets."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

CHANNELS = (("Trực tiếp", 1), ("Bưu chính", 3))  # KenhThucHien
RETURN_METHODS = (("Tại quầy", 0), ("Qua bưu chính công ích", 1))  # HinhThuc


@dataclass(frozen=True)
class Details:
    summary: str
    channel: int
    return_method: int
    sets: int


class DetailsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__("Thông tin hồ sơ", parent)
        self.summary_edit = QLineEdit()
        self.summary_edit.setPlaceholderText("Không bắt buộc")
        self.channel_combo = self._combo(CHANNELS)
        self.return_combo = self._combo(RETURN_METHODS)
        self.sets_spin = QSpinBox()
        self.sets_spin.setRange(1, 99)
        self.sets_spin.setSuffix(" bộ")
        form = QFormLayout(self)
        form.addRow("Trích yếu:", self.summary_edit)
        form.addRow("Hình thức nộp:", self.channel_combo)
        form.addRow("Nhận kết quả:", self.return_combo)
        form.addRow("Số bộ hồ sơ:", self.sets_spin)

    def _combo(self, choices) -> QComboBox:
        combo = QComboBox()
        for label, value in choices:
            combo.addItem(label, value)
        return combo

    def fields(self) -> list[QWidget]:
        return [self.summary_edit, self.channel_combo, self.return_combo, self.sets_spin]

    def values(self) -> Details:
        return Details(summary=self.summary_edit.text(), channel=self.channel_combo.currentData(),
                       return_method=self.return_combo.currentData(), sets=self.sets_spin.value())

    def clear_form(self) -> None:
        self.summary_edit.clear()
        self.channel_combo.setCurrentIndex(0)
        self.return_combo.setCurrentIndex(0)
        self.sets_spin.setValue(1)
