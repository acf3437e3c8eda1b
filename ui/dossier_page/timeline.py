"""The dossier's history as a timeline: when, what, from whom to whom, who did it, the note.

This is the electronic Mẫu 06: each row is one hand-over or step, oldest first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from counter.clock import local
from counter.records import HistoryEntry
from counter.status import ACTION_LABELS

COLUMNS = ("Thời gian", "Việc", "Bên giao → Bên nhận, ghi chú", "Người thực hiện")
TIME, ACTION, WHAT, ACTOR = range(len(COLUMNS))


def action_text(entry: HistoryEntry) -> str:
    return ACTION_LABELS.get(entry.action) or entry.to_status.label


def units_text(entry: HistoryEntry) -> str:
    if entry.from_unit and entry.to_unit and entry.from_unit != entry.to_unit:
        return f"{entry.from_unit} → {entry.to_unit}"
    return entry.to_unit or entry.from_unit


def what_text(entry: HistoryEntry) -> str:
    """Who handed the file to whom, then the note on its own line (unless it only repeats the action)."""
    note = entry.note if entry.note and entry.note != action_text(entry) else ""
    return "\n".join(part for part in (units_text(entry), note) if part)


class Timeline(QTableWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column in (TIME, ACTOR):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ACTION, 170)
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())  # wrapped lines need the height

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resizeRowsToContents()  # the note column's width changed: so do its wrapped lines

    def show_history(self, history: tuple[HistoryEntry, ...]) -> None:
        self.setRowCount(0)
        self.setRowCount(len(history))
        for row, entry in enumerate(history):
            texts = (f"{local(entry.at):%H:%M  %d/%m/%Y}", action_text(entry), what_text(entry),
                     entry.actor_name or "—")
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.setItem(row, column, item)
        self.resizeRowsToContents()
        if history:
            self.scrollToBottom()

    def row_texts(self) -> list[tuple[str, ...]]:
        return [tuple(self.item(r, c).text() for c in range(len(COLUMNS))) for r in range(self.rowCount())]
