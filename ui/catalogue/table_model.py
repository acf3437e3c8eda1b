"""The catalogue's rows (records.Procedure at the version in force today); one the province still has to set, or
not yet checked against its catalogue, is marked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
)

from counter import records
from counter.catalogue.editing import fee_text, needs_province, time_text
from counter.catalogue.procedures import SEED_SOURCE

MARK, CODE, NAME, FIELD, TIME, FEE, VERSION, SOURCE = range(8)
HEADERS = ("Tình trạng", "Mã", "Tên thủ tục", "Lĩnh vực", "Thời hạn", "Lệ phí", "Phiên bản", "Nguồn")
CHECKED = "Đã đối chiếu"
SHIPPED = "Danh mục kèm chương trình"
NEEDS = "Cần nhập"
NEEDS_TIP = ("Lệ phí do tỉnh quy định chưa nhập, hoặc chưa đối chiếu với danh mục của tỉnh: "
             "chọn dòng và bấm Ctrl+E để nhập theo văn bản quy định.")
ROW_ROLE = Qt.ItemDataRole.UserRole
AMBER = QColor("#fff3cd")

Index = QModelIndex | QPersistentModelIndex


def _display(p: records.Procedure, column: int) -> str:
    if column == MARK:
        return NEEDS if needs_province(p) else CHECKED
    if column == CODE:
        return p.code
    if column == NAME:
        return p.name
    if column == FIELD:
        return p.field
    if column == TIME:
        return time_text(p.time_rule)
    if column == FEE:
        return fee_text(p.fee_rule)
    if column == VERSION:
        return f"{p.version} · {p.effective_from:%d/%m/%Y}"
    return _source(p)


def _source(p: records.Procedure) -> str:
    decisions = [s for s in dict.fromkeys((p.fee_source, p.time_source)) if s]
    if decisions:
        return "; ".join(decisions)
    return SHIPPED if p.source == SEED_SOURCE else p.source


class CatalogueTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._rows: list[records.Procedure] = []

    def set_rows(self, rows: Sequence[records.Procedure]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def procedure(self, row: int) -> records.Procedure:
        return self._rows[row]

    def procedures(self) -> list[records.Procedure]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        p = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(p, index.column())
        if role == ROW_ROLE:
            return p
        marked = needs_province(p)
        if role == Qt.ItemDataRole.BackgroundRole and marked:
            return QBrush(AMBER)
        if role == Qt.ItemDataRole.FontRole and marked and index.column() == MARK:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tip(p, index.column(), marked)
        return None


def _tip(p: records.Procedure, column: int, marked: bool) -> str | None:
    """The whole text of a cell too narrow for it, and what the mark means."""
    if column == MARK:
        return NEEDS_TIP if marked else None
    if column == FEE:
        return p.fee_rule.note or None
    if column == VERSION:
        return f"Phiên bản {p.version}, áp dụng từ ngày {p.effective_from:%d/%m/%Y}"
    return _display(p, column) or None
