"""The "Tra cứu" page (F3): every dossier, newest first, searched by code, name (accents optional), id number or
phone, and filtered by procedure, status and the days received; a page at a time as the list scrolls.

Keyboard: Ctrl+F (or F3 again) to the search box; typing searches after a pause, Enter at once (a single answer
opens, else the list takes the focus on its first row); Enter on a row opens it; Esc clears the search and filters.
The list reads only what is new when a dossier changes, and only when shown (a hidden page notes what changed).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QDate,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.catalogue.procedures import list_procedures
from counter.changes import Changes
from counter.context import AppContext
from counter.dossiers import scope, search
from counter.dossiers.search import Criteria, Page, Position
from counter.errors import ValidationError
from counter.records import DossierRow
from counter.status import Status
from counter.text import format_vnd
from ui.dossiers.lazy_model import LazyDossierModel
from ui.dossiers.table_model import (
    APPLICANT,
    CENTRE_COLUMNS,
    CLERK,
    CODE,
    DUE,
    PROCEDURE,
    RECEIVED,
    STATUS,
    WORKSTATION,
)

PAGE_SIZE = search.PAGE
TYPING_PAUSE_MS = 250  # a search runs this long after the last key (Enter: at once)
NO_DAY = QDate(2000, 1, 1)  # a day edit at its minimum shows "—": no bound
# Fixed widths (px) at the default font: a code of workstation 9, a date and time, the longest status elided.
# Resizing to contents measured every row loaded (92,860 data() calls after ten pages).
WIDTHS = {CODE: 190, APPLICANT: 190, RECEIVED: 118, DUE: 118, STATUS: 150, WORKSTATION: 48, CLERK: 150}


class DossierListPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self.ctx = ctx
        self.page_size = page_size
        self.centre = scope.offered(ctx)  # Quầy của tôi / Cả trung tâm (counter.dossiers.scope)
        self.workstation = scope.default(ctx)
        self.criteria = Criteria(workstation=self.workstation)
        self.loaded = False  # a list was read since the page was made or last went stale
        self._pending: set[str] = set()
        self.model = LazyDossierModel(self)
        self.view = self._make_view()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Mã hồ sơ, họ tên, số CCCD, điện thoại")
        self.search_edit.setToolTip("Mã hồ sơ (hoặc phần cuối), họ tên (gõ không dấu cũng được), số CCCD hoặc số "
                                    "điện thoại; Enter: tìm ngay, Esc: xóa")
        self.search_edit.setClearButtonEnabled(True)
        self.procedure_box = QComboBox()
        self.status_box = QComboBox()
        self.from_day, self.to_day = self._day_edit("Nhận từ ngày"), self._day_edit("Nhận đến ngày")
        self.summary = QLabel()
        self.more_button = QPushButton("Tải thêm")
        self.more_button.setToolTip("Danh sách tự tải thêm khi cuộn xuống cuối")
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._fill_boxes()
        self._lay_out()
        self._connect()

    # Building -----------------------------------------------------------------------------------

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)  # half Qt's work per page added
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(PROCEDURE, QHeaderView.ResizeMode.Stretch)
        for column in CENTRE_COLUMNS:  # one counter's database: the same counter and clerk on every row
            view.setColumnHidden(column, not self.centre)
        return view

    @staticmethod
    def _day_edit(tip: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(NO_DAY)
        edit.setSpecialValueText("—")  # shown at the minimum: no bound
        edit.setDate(NO_DAY)
        edit.setToolTip(f"{tip} (để “—”: không giới hạn; Delete: xóa ngày)")
        edit.setFixedWidth(118)
        return edit

    def _fill_boxes(self) -> None:
        self.status_box.addItem("Mọi trạng thái", None)
        for status in Status:
            self.status_box.addItem(status.label, status)
        self.status_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status_box.setMinimumContentsLength(14)
        self.procedure_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.procedure_box.setMinimumContentsLength(18)
        self._fill_procedures()

    def _fill_procedures(self) -> None:
        chosen = self.procedure_box.currentData()
        self.procedure_box.blockSignals(True)
        self.procedure_box.clear()
        self.procedure_box.addItem("Mọi thủ tục", "")
        for procedure in list_procedures(self.ctx, active_only=False):
            self.procedure_box.addItem(procedure.name, procedure.code)
            self.procedure_box.setItemData(self.procedure_box.count() - 1, f"{procedure.code} — {procedure.name}",
                                           Qt.ItemDataRole.ToolTipRole)
        self.procedure_box.setCurrentIndex(max(0, self.procedure_box.findData(chosen)))
        self.procedure_box.blockSignals(False)

    def _lay_out(self) -> None:
        title = QLabel("Tra cứu hồ sơ")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        filters.addWidget(self.procedure_box, 2)
        filters.addWidget(self.status_box, 1)
        filters.addWidget(QLabel("Nhận từ"))
        filters.addWidget(self.from_day)
        filters.addWidget(QLabel("đến"))
        filters.addWidget(self.to_day)
        footer = QHBoxLayout()
        footer.addWidget(self.summary, 1)
        footer.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

    def _connect(self) -> None:
        self.search_edit.textEdited.connect(lambda _: self._typing.start())
        self.search_edit.returnPressed.connect(self.search_and_go)
        self._typing.timeout.connect(self.search_now)
        for box in (self.procedure_box, self.status_box):
            box.currentIndexChanged.connect(self.search_now)
        for edit in (self.from_day, self.to_day):
            edit.dateChanged.connect(self.search_now)
            edit.installEventFilter(self)
        self.more_button.clicked.connect(self.load_more)
        self.model.rowsInserted.connect(self._update_footer)
        self.model.rowsRemoved.connect(self._update_footer)
        self.model.modelReset.connect(self._update_footer)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search, context=context)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.clear_search, context=context)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete or Backspace in a day edit: back to "—" (no bound)."""
        if (watched in (self.from_day, self.to_day) and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            watched.setDate(NO_DAY)
            return True
        return super().eventFilter(watched, event)

    # What the clerk asks -------------------------------------------------------------------------

    def current_criteria(self) -> Criteria:
        status = self.status_box.currentData()
        return Criteria(text=self.search_edit.text(), procedure_code=self.procedure_box.currentData() or "",
                        status=status if isinstance(status, Status) else None,
                        received_from=_day(self.from_day), received_to=_day(self.to_day),
                        workstation=self.workstation)

    def set_workstation(self, workstation: int | None) -> None:
        """Quầy của tôi (one counter's number) / Cả trung tâm (None): the list asked again from the top (or when it
        is next shown)."""
        self.workstation = workstation
        self.criteria = self.current_criteria()
        if self.isVisible():
            self.reload_from_top()
        else:
            self.loaded = False

    @Slot()
    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    @Slot()
    def clear_search(self) -> None:
        """Esc: every dossier again, the search box ready for the next."""
        self._typing.stop()
        for widget in (self.procedure_box, self.status_box, self.from_day, self.to_day):
            widget.blockSignals(True)
        self.search_edit.clear()
        self.procedure_box.setCurrentIndex(0)
        self.status_box.setCurrentIndex(0)
        self.from_day.setDate(NO_DAY)
        self.to_day.setDate(NO_DAY)
        for widget in (self.procedure_box, self.status_box, self.from_day, self.to_day):
            widget.blockSignals(False)
        self.search_now()
        self.focus_search()

    @Slot()
    def search_now(self) -> None:
        self._typing.stop()
        self.criteria = self.current_criteria()
        self.reload_from_top()

    @Slot()
    def search_and_go(self) -> None:
        """Enter in the search box: the search at once; its only answer opens, else the list takes the focus."""
        if self._typing.isActive() or self.current_criteria() != self.criteria:
            self.search_now()
        if self.model.rowCount() == 0:
            return
        first = self.model.index(0, CODE)
        self.view.setCurrentIndex(first)
        if self.model.rowCount() == 1:
            self.view.activated.emit(first)  # as Enter on the row: the window opens the dossier
        else:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # Loading ------------------------------------------------------------------------------------

    def reload_from_top(self) -> None:
        """The first page of the list the criteria ask for (later pages as the list scrolls)."""
        self.loaded = True
        self._pending.clear()
        criteria, size = self.criteria, self.page_size
        try:
            self.model.start(lambda after: self._page(criteria, after, size))
        except ValidationError as error:
            self.model.clear()
            self._update_footer(error=str(error))
            return
        if self.model.rowCount():
            self.view.scrollToTop()

    def _page(self, criteria: Criteria, after: Position | None, size: int) -> Page:
        return search.search(self.ctx, criteria, after=after, limit=size)

    @Slot()
    def reload(self) -> None:
        """Bring the list shown up to date: the dossiers received since at the top, the rows of those changed in
        place (gone if they no longer answer the search). Not the rows already shown again."""
        if not self.loaded:
            self.reload_from_top()
            return
        changed, self._pending = self._pending, set()
        self._add_newer()
        self._update(changed & self.model.codes())

    def _add_newer(self) -> None:
        top = self.model.first_position()
        if top is None:
            self.reload_from_top()  # an empty list: its first page is all there is to read
            return
        try:
            newer = search.newer(self.ctx, self.criteria, top, limit=self.page_size + 1)
        except ValidationError:
            return
        if len(newer) > self.page_size:
            self.reload_from_top()  # many arrived (a sync): the newest page, not all of them above the list
        else:
            self.model.prepend_rows(newer)

    def _update(self, codes: set[str]) -> None:
        if not codes:
            return
        status = self.criteria.status
        self.model.update_rows(search.rows_by_code(self.ctx, codes),
                               keep=lambda row: status is None or row.status == status)

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        if changes.catalogue:
            self._fill_procedures()
        if not changes.dossiers:
            return
        self._pending |= changes.dossiers
        if self.isVisible():
            self.reload()

    @Slot()
    def load_more(self) -> None:
        self.model.fetchMore()

    def _update_footer(self, *_: object, error: str = "") -> None:
        shown = self.model.rowCount()
        complete = self.model.complete()
        if error:
            self.summary.setText(error)
        elif shown == 0:
            self.summary.setText("Chưa có hồ sơ nào trên máy này." if self.criteria.is_empty()
                                 else "Không có hồ sơ nào khớp. Esc: xóa điều kiện tìm.")
        elif complete:
            self.summary.setText(f"{format_vnd(shown)} hồ sơ" + ("." if self.criteria.is_empty() else " khớp."))
        else:
            self.summary.setText(f"Đang hiện {format_vnd(shown)} hồ sơ mới nhất; cuộn xuống để xem thêm.")
        self.more_button.setEnabled(not complete)

    def selected_row(self) -> DossierRow | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # What changed while hidden (here or in another process: the CLI, a sync) is read now, not at each change.
        self.reload()


def _day(edit: QDateEdit) -> date | None:
    day = edit.date()
    return None if day == NO_DAY else date(day.year(), day.month(), day.day())
