"""The sync queue as a table: frozen QueueRow records, replaced as a whole on refresh."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from counter.clock import local
from counter.sync.outbox import ATTENTION, PENDING, SENDING, SYNCED
from counter.sync.queue import QueueRow

HEADERS = ("Mã hồ sơ", "Loại", "Trạng thái", "Số lần thử", "Lần thử tới", "Lỗi gần nhất, ghi chú")
HELD = "Gửi sau khi hồ sơ của nó được tỉnh nhận"
COLOURS = {ATTENTION: "#b00020", PENDING: "#8a5a00", SENDING: "#1f4e79", SYNCED: "#1b7a3a"}
Index = QModelIndex | QPersistentModelIndex


def _when(row: QueueRow, now: datetime) -> str:
    if row.state in (SYNCED, ATTENTION) or row.next_attempt_at is None:
        return "—"
    if row.next_attempt_at <= now:
        return "lượt tới"  # due: the next sync sends it
    return f"{local(row.next_attempt_at):%H:%M %d/%m}"


class QueueModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[QueueRow] = []
        self.now: datetime | None = None

    def set_rows(self, rows: list[QueueRow], now: datetime) -> None:
        self.beginResetModel()
        self.rows, self.now = list(rows), now
        self.endResetModel()

    def row_at(self, index: Index) -> QueueRow | None:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column, self.now)
        if role == Qt.ItemDataRole.ToolTipRole and column == 5 and row.last_error:
            return row.last_error
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QColor(COLOURS.get(row.state, "#000"))
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and not row.last_error:
            return QColor("#555")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _text(row: QueueRow, column: int, now: datetime) -> str:
        return (row.code, row.kind_label, row.state_label, str(row.attempts), _when(row, now),
                row.last_error or (HELD if row.held else ""))[column]
