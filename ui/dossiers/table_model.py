"""A table of dossier rows (frozen records), with a sort key per cell."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from counter.clock import local
from counter.records import DossierRow
from counter.text import fold

CODE, APPLICANT, PROCEDURE, RECEIVED, DUE, STATUS, WORKSTATION, CLERK = range(8)
HEADERS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Ngày nhận", "Hẹn trả", "Trạng thái", "Quầy", "Cán bộ nhận")
CENTRE_COLUMNS = (WORKSTATION, CLERK)  # a centre's lists only (counter.dossiers.scope.offered): who received it
NO_DATE = "—"
ROW_ROLE = Qt.ItemDataRole.UserRole  # the DossierRow itself
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a key that sorts right (dates as ISO text, names folded)

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset((Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, SORT_ROLE, ROW_ROLE))


@lru_cache(maxsize=4096)  # a list repaints its rows at every scroll step: strftime once per time shown
def format_datetime(value: datetime | None) -> str:
    return local(value).strftime("%d/%m/%Y %H:%M") if value else NO_DATE


def _display(row: DossierRow, column: int) -> str:
    if column == CODE:
        return row.code
    if column == APPLICANT:
        return row.applicant_name
    if column == PROCEDURE:
        return row.procedure_name
    if column == RECEIVED:
        return format_datetime(row.received_at)
    if column == DUE:
        return format_datetime(row.due_at)
    if column == WORKSTATION:
        return str(row.workstation) if row.workstation else NO_DATE
    if column == CLERK:
        return row.clerk_name or NO_DATE
    return row.status.label


def receiver(row: DossierRow) -> str:
    """Who received it, said whole (the Quầy column's tooltip)."""
    counter = f"Quầy {row.workstation}" if row.workstation else "Quầy không rõ"
    return f"{counter} — {row.clerk_name}" if row.clerk_name else counter


def _sort_key(row: DossierRow, column: int) -> str | int:
    if column == APPLICANT:
        return fold(row.applicant_name)
    if column == PROCEDURE:
        return fold(row.procedure_name)
    if column == RECEIVED:
        return row.received_at.isoformat()
    if column == DUE:
        return row.due_at.isoformat() if row.due_at else "~"  # no due date sorts after every date
    if column == STATUS:
        return int(row.status)
    if column == WORKSTATION:
        return row.workstation
    if column == CLERK:
        return fold(row.clerk_name)
    return row.code


class DossierTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[DossierRow] = []

    # Filling ----------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[DossierRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: Iterable[DossierRow]) -> int:
        """Add rows not already shown (paging by offset can overlap when dossiers arrive meanwhile)."""
        known = {r.id for r in self._rows}
        new = [r for r in rows if r.id not in known]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        return len(new)

    def rows(self) -> Sequence[DossierRow]:
        return tuple(self._rows)

    def replace_rows(self, rows: list[DossierRow]) -> None:
        """The same rows in another order, between the caller's layoutAboutToBeChanged and layoutChanged."""
        self._rows = rows

    def sort_key(self, row: DossierRow, column: int) -> str | int:
        """What the column sorts by (dates as ISO text, names folded)."""
        return _sort_key(row, column)

    def row_at(self, row: int) -> DossierRow:
        return self._rows[row]

    # Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None  # the view asks each cell for a dozen roles at each paint: the others end here
        row, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (APPLICANT, PROCEDURE, CLERK):
            return _display(row, column)  # long names are elided in the cell
        if role == Qt.ItemDataRole.ToolTipRole and column == WORKSTATION:
            return receiver(row)
        if role == SORT_ROLE:
            return self.sort_key(row, column)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None
