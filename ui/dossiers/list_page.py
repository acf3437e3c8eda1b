"""The "Tra cứu" page: the newest dossiers, a page at a time, sortable by any column."""

from __future__ import annotations

from PySide6.QtCore import (
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.changes import Changes
from counter.context import AppContext
from counter.dossiers.lookup import count_dossiers, recent_dossiers
from counter.text import format_vnd
from ui.dossiers.table_model import (
    APPLICANT,
    CODE,
    DUE,
    PROCEDURE,
    RECEIVED,
    SORT_ROLE,
    STATUS,
    DossierTableModel,
)

PAGE_SIZE = 200


class DossierListPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.total = 0
        self.model = DossierTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = self._make_view()
        self.summary = QLabel()
        self.more_button = QPushButton("Tải thêm")
        self.more_button.clicked.connect(self.load_more)
        self._lay_out()

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.proxy)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSortIndicator(RECEIVED, Qt.SortOrder.DescendingOrder)  # the load order: newest first
        view.setSortingEnabled(True)
        header.setHighlightSections(False)
        for column in (CODE, RECEIVED, DUE, STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(APPLICANT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(APPLICANT, 200)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.ResizeMode.Stretch)
        return view

    def _lay_out(self) -> None:
        title = QLabel("Hồ sơ đã tiếp nhận")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        footer = QHBoxLayout()
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

    # Loading ------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        """Show the newest dossiers again: as many as were shown, plus those added since."""
        total = count_dossiers(self.ctx)
        shown = self.model.rowCount()
        if shown:
            shown += max(0, total - self.total)
        self.model.set_rows(recent_dossiers(self.ctx, limit=max(self.page_size, shown), offset=0))
        self._update_footer(total)

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        if changes.dossiers:
            self.reload()

    @Slot()
    def load_more(self) -> None:
        self.model.append_rows(recent_dossiers(self.ctx, limit=self.page_size, offset=self.model.rowCount()))
        self._update_footer(count_dossiers(self.ctx))

    def _update_footer(self, total: int) -> None:
        self.total = total
        shown = self.model.rowCount()
        if self.total == 0:
            self.summary.setText("Chưa có hồ sơ nào trên máy này.")
        elif shown >= self.total:
            self.summary.setText(f"Đang hiện tất cả {format_vnd(self.total)} hồ sơ.")
        else:
            self.summary.setText(f"Đang hiện {format_vnd(shown)} hồ sơ mới nhất trong tổng số "
                                 f"{format_vnd(self.total)}.")
        self.more_button.setEnabled(shown < self.total)

    def showEvent(self, event: QShowEvent) -> None:
        self.reload()  # another process (the CLI, a sync) may have written meanwhile
        super().showEvent(event)
