"""What this person handed in before: their dossiers and any Mẫu 02 guidance they were given."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.context import AppContext
from counter.dossiers import lookup, reception
from counter.records import DossierRow, Guidance
from ui.reception.look import MessageLine, WrappedLabel

COLUMNS = ("Ngày", "Mã hồ sơ / phiếu", "Thủ tục", "Tình trạng")
LIMIT = 20
PROMPT = "Nhập hoặc quét số định danh để xem các hồ sơ người này đã nộp."


class HistoryBox(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("Hồ sơ đã nộp trước đây", parent)
        self.ctx = ctx
        self.id_number = ""
        self.hint = WrappedLabel(PROMPT)
        self.hint.setStyleSheet("color: #555;")
        self.guidance_note = MessageLine()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # reading only: Tab skips it
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.guidance_note)
        layout.addWidget(self.tree, 1)
        self.tree.hide()

    @Slot(str)
    def show_for(self, id_number: str) -> None:
        self.id_number = id_number
        self.tree.clear()
        self.guidance_note.clear_message()
        if not id_number:
            self._empty(PROMPT)
            return
        rows = lookup.dossiers_of_applicant(self.ctx, id_number, limit=LIMIT)
        guidance = reception.guidance_for(self.ctx, id_number, limit=LIMIT)
        if not rows and not guidance:
            self._empty("Chưa có hồ sơ nào của người này trên máy.")
            return
        items = [(r.received_at, _dossier_item(r)) for r in rows] + [(g.at, _guidance_item(g)) for g in guidance]
        for _, item in sorted(items, key=lambda pair: pair[0], reverse=True):
            self.tree.addTopLevelItem(item)
        self.setTitle(f"Hồ sơ đã nộp trước đây ({len(rows)} hồ sơ, {len(guidance)} lần hướng dẫn bổ sung)")
        if guidance:
            self.guidance_note.warn(_guidance_summary(guidance[0]))
        self.hint.hide()
        self.tree.show()

    def _empty(self, text: str) -> None:
        self.setTitle("Hồ sơ đã nộp trước đây")
        self.hint.setText(text)
        self.hint.show()
        self.tree.hide()

    def row_texts(self) -> list[tuple[str, ...]]:
        return [tuple(self.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS)))
                for i in range(self.tree.topLevelItemCount())]


def _day(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y}"


def _dossier_item(row: DossierRow) -> QTreeWidgetItem:
    item = QTreeWidgetItem([_day(row.received_at), row.code, row.procedure_name, row.status.label])
    item.setToolTip(2, row.procedure_name)
    return item


def _guidance_item(g: Guidance) -> QTreeWidgetItem:
    asked = "; ".join(f"{i.name}: {i.problem}" if i.problem else i.name for i in g.items)
    item = QTreeWidgetItem([_day(g.at), "Mẫu 02 (hướng dẫn)", g.procedure_name, "Chưa tiếp nhận"])
    item.setToolTip(2, f"{g.procedure_name}\nĐã yêu cầu bổ sung: {asked}")
    item.setToolTip(3, asked)
    return item


def _guidance_summary(g: Guidance) -> str:
    asked = "; ".join(f"{i.name} ({i.problem})" if i.problem else i.name for i in g.items)
    return f"Ngày {_day(g.at)} đã hướng dẫn bổ sung hồ sơ “{g.procedure_name}”: {asked}."
