"""The audit log as a table: frozen AuditEntry records, replaced as a whole on refresh."""

from __future__ import annotations

import json

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from counter.clock import local
from counter.records import AuditEntry

HEADERS = ("Số", "Thời điểm", "Người thực hiện", "Loại", "Nội dung")
Index = QModelIndex | QPersistentModelIndex


class AuditTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[AuditEntry] = []

    def set_rows(self, rows: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: Index) -> AuditEntry | None:
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
        entry = self.row_at(index)
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(entry.id), f"{local(entry.at):%d/%m/%Y %H:%M:%S}", entry.actor or "(hệ thống)",
                    entry.kind_label, entry.summary)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return details(entry)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def details(entry: AuditEntry) -> str:
    """The row's detail, one `key: value` per line (the tooltip of a row and of the line under the table)."""
    if not entry.detail:
        return entry.summary
    return "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value}"
                     for key, value in entry.detail.items())
