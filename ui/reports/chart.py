"""The on-time trend as bars drawn with QPainter (no chart wheel): one bar per month, its rate above it."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from counter.reports.records import MonthRate


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}".replace(".", ",") + " %"


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.months: tuple[MonthRate, ...] = ()
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Tỷ lệ đúng hạn theo tháng")

    def set_months(self, months: tuple[MonthRate, ...]) -> None:
        self.months = months
        self.setToolTip("\n".join(f"{m.label}: {m.on_time}/{m.resolved} ({rate_text(m.rate)})" for m in months))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self.months:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Chưa có số liệu")
            return
        top, bottom, line = 22.0, float(self.height() - 24), painter.fontMetrics().height()
        slot = self.width() / len(self.months)
        painter.setPen(QColor("#c0c8d2"))
        painter.drawLine(0, int(bottom), self.width(), int(bottom))
        for i, month in enumerate(self.months):
            x = i * slot + slot * 0.2
            height = (bottom - top) * (month.rate or 0) / 100
            colour = "#2e7d32" if (month.rate or 0) >= 90 else "#e0a800" if (month.rate or 0) >= 70 else "#c62828"
            painter.fillRect(QRectF(x, bottom - height, slot * 0.6, height), QColor(colour))
            painter.setPen(QColor("#1f2d3d"))
            painter.drawText(QRectF(i * slot, bottom - height - line - 2, slot, line),
                             Qt.AlignmentFlag.AlignCenter, rate_text(month.rate))
            painter.drawText(QRectF(i * slot, bottom + 2, slot, line), Qt.AlignmentFlag.AlignCenter, month.label)
