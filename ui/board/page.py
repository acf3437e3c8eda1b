"""Hôm nay: the clerk's home screen. Today's intake, what falls due, what is late, results waiting for
their citizen (with the phone to call) and dossiers waiting for a supplement — each a sortable table
where Enter opens the dossier — and one search box for a code, an id number, a phone or a name.

Today's lists are read on a worker thread (ui/background_read.py); searches run as lookups (ui/board/lookups.py),
and a search typed on top of an earlier one drops the earlier answer.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter.backup_schedule import BackupStatus
from counter.calendar import admin as calendar_admin
from counter.calendar import schedule
from counter.changes import Changes
from counter.context import AppContext
from counter.dossiers import scope
from counter.sync import conflicts
from ui.background_read import BackgroundRead
from ui.board import lists
from ui.board.lists import LISTS, SEARCH, BoardList, TimedRows
from ui.board.lookups import Lookups
from ui.board.rows_view import RowsView
from ui.board.table_model import BoardTableModel
from ui.dossiers.table_model import WORKSTATION
from ui.reception.look import MessageLine, bold, readable

SEARCH_DELAY_MS = 250  # typing pauses this long before a search starts
REFRESH_MS = 60_000  # "due today" and "overdue" change with the clock
LIMIT_SHOWN = 500  # counter.dossiers.board.LIMIT: a full list says "500+"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
PLACEHOLDER = "Tìm hồ sơ: mã hồ sơ, số định danh, số điện thoại hoặc họ tên (gõ không dấu cũng được)   Ctrl+F"
HINT = "Enter hoặc nhấp đúp: mở hồ sơ  ·  Ctrl+Tab: danh sách kế tiếp  ·  Quét mã hồ sơ ở bất kỳ màn hình nào"


class BoardPage(QWidget):
    open_code = Signal(str)  # a dossier to open
    receive_for = Signal(str)  # a scanned CCCD with no dossier here: receive one for this person

    def __init__(self, ctx: AppContext, lookups: Lookups, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.lookups = ctx, lookups
        self.loader = BackgroundRead(ctx, self)  # today's lists, read on a worker thread
        self.loader.done.connect(self._show_lists)
        self.loader.failed.connect(self._show_failure)
        self.person_cccd = ""
        self._person: tuple[str, str] | None = None  # (id number, name) of a scanned ID card
        self._focus_results = False  # Enter in the search box: the results get the focus
        readable(self)
        self.title = QLabel()
        bold(self.title, 14)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(PLACEHOLDER)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumHeight(34)
        self.banner = MessageLine()
        self.calendar_note = MessageLine()  # "Chưa có lịch làm việc năm 2027": this year's or the next's
        self.backup_note = MessageLine()  # no verified backup for two days, the USB drive not plugged in
        self.collision_note = MessageLine()  # the province holds another citizen's dossier under one of our codes
        self.receive_button = QPushButton("Tiếp nhận hồ sơ mới cho người này")
        self.receive_button.hide()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        day_minutes = schedule.calendar(ctx).day_minutes
        self.models = {spec.key: BoardTableModel(day_minutes, self) for spec in (*LISTS, SEARCH)}
        self.views = {spec.key: self._view(spec) for spec in (*LISTS, SEARCH)}
        # Quầy của tôi / Cả trung tâm (counter.dossiers.scope): the lists' narrowing; the search is the centre's.
        self.centre = scope.offered(ctx)
        self.workstation = scope.default(ctx)
        for view in self.views.values():
            view.setColumnHidden(WORKSTATION, not self.centre)
        self.scope_label = QLabel()  # whose lists these are, at the right of the tabs (a centre's board only)
        self.scope_label.setStyleSheet("color: #555; padding-right: 6px;")
        if self.centre:
            self.tabs.setCornerWidget(self.scope_label, Qt.Corner.TopRightCorner)
        self.counts: dict[str, int] = {}
        self.loaded = False  # the five lists arrived at least once
        self.first_page_shown = False  # the list on screen arrived at least once (the others follow)
        self._filling = 0  # which arrival of the lists fills the tabs behind the one shown
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._refresh_timer = QTimer(self, interval=REFRESH_MS)
        self._lay_out()
        self._connect()

    def _view(self, spec: BoardList) -> RowsView:
        view = RowsView(self.models[spec.key], spec.hidden, spec.sort_column, spec.empty)
        if spec.descending:
            view.sortByColumn(spec.sort_column, Qt.SortOrder.DescendingOrder)
        view.open_code.connect(self.open_code)
        return view

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.search_edit, 1)
        person = QHBoxLayout()
        person.addWidget(self.banner, 1)
        person.addWidget(self.receive_button)
        for spec in LISTS:
            self.tabs.addTab(self.views[spec.key], spec.title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, spec.hint)
        hint = QLabel(HINT)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self.calendar_note)
        layout.addWidget(self.backup_note)
        layout.addWidget(self.collision_note)
        layout.addLayout(person)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(hint)

    def _connect(self) -> None:
        self.search_edit.textEdited.connect(self._on_typed)
        self.search_edit.returnPressed.connect(self._search_and_focus)
        self.search_edit.installEventFilter(self)
        self._search_timer.timeout.connect(self.search_now)
        self._refresh_timer.timeout.connect(self._refresh_if_shown)
        self.receive_button.clicked.connect(lambda: self.receive_for.emit(self.person_cccd))
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search, context=context).setWhatsThis(
            "Tìm hồ sơ, người nộp")

    # Today's lists -------------------------------------------------------------------------------

    def set_workstation(self, workstation: int | None) -> None:
        """The lists narrowed to one counter, or the whole centre (None); reloaded now if shown, else when shown."""
        self.workstation = workstation
        if self.isVisible():
            self.reload()

    @Slot()
    def reload(self) -> None:
        self.title.setText(_today(self.ctx))
        self.scope_label.setText(f"{scope.label(self.workstation)}   Ctrl+Alt+Q")
        notice = calendar_admin.missing_calendar_notice(self.ctx, self.ctx.clock.now().date())
        if notice:
            self.calendar_note.warn(f"{notice}: ngày hẹn trả rơi vào năm đó tính theo ngày lễ dự kiến. "
                                    "Hãy báo quản trị viên nạp lịch làm việc.")
        else:
            self.calendar_note.clear_message()
        self.show_collisions()
        ctx, workstation = self.ctx, self.workstation
        self.loader.read(lambda: lists.load_lists(ctx, workstation))

    @Slot(object)
    def show_backup_status(self, status: BackupStatus) -> None:
        """The backups' warnings (counter.backup_schedule): none when the last verified backup is recent and every
        destination is there."""
        warnings = status.warnings()
        if warnings:
            self.backup_note.warn("\n".join(warnings))
        else:
            self.backup_note.clear_message()

    def show_collisions(self) -> None:
        """Dossier codes the province holds for someone else (two PCs on one workstation number, a restored
        database): said on the board, not only in the sync queue, since the citizens hold receipts with them."""
        codes = conflicts.collisions(self.ctx)
        if codes:
            self.collision_note.error(
                f"{len(codes)} hồ sơ trùng mã với hồ sơ khác trên hệ thống tỉnh, chưa gửi được: {', '.join(codes[:5])}"
                f"{' …' if len(codes) > 5 else ''}. Quản trị viên hãy đặt cho máy này một số máy tiếp nhận chưa "
                "máy nào dùng (Quản trị) và xem lỗi ở trang Đồng bộ (Ctrl+Shift+S).")
        else:
            self.collision_note.clear_message()

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        """Its lists show dossiers, and the working time they have left (the calendar); the sync queue may hold a
        code collision."""
        if changes.sync_queue and self.isVisible():
            self.show_collisions()
        if not (changes.dossiers or changes.calendar):
            return
        if not self.isVisible():
            return  # showing the board reloads it: no queries for a screen nobody looks at
        self.reload()
        if self.search_edit.text().strip():
            self.search_now()

    def _show_lists(self, found: dict[str, TimedRows]) -> None:
        """The list on screen first, painted before the four behind their tabs are filled (each a sorted table of
        up to 500 rows: at a million dossiers they held the board's first paint back); `loaded` once all are."""
        self.counts = {key: len(rows) for key, rows in found.items()}
        self._retitle()
        if not self.loaded and not self.counts.get(self._current_key(), 0):
            self._show_first_busy_list()
        shown = self._current_key()
        if shown in found:
            self.models[shown].set_timed_rows(found[shown])
        self.first_page_shown = True
        self._filling += 1
        filling = self._filling
        QTimer.singleShot(0, self, lambda: self._fill_behind(found, shown, filling))

    def _fill_behind(self, found: dict[str, TimedRows], shown: str, filling: int) -> None:
        if filling != self._filling:
            return  # newer lists arrived meanwhile: they fill the tabs
        for key, rows in found.items():
            if key != shown:
                self.models[key].set_timed_rows(rows)
        self.loaded = True

    def _retitle(self) -> None:
        for spec in LISTS:
            index = self.tabs.indexOf(self.views[spec.key])
            count = self.counts.get(spec.key, 0)
            shown = f"{LIMIT_SHOWN}+" if count >= LIMIT_SHOWN else str(count)
            self.tabs.setTabText(index, f"{spec.title} ({shown})")
            alarm = spec.key == "overdue" and count > 0
            colour = QColor(Qt.GlobalColor.darkRed) if alarm else self.palette().text().color()
            self.tabs.tabBar().setTabTextColor(index, colour)

    def _current_key(self) -> str:
        return next((key for key, view in self.views.items() if view is self.tabs.currentWidget()), "")

    def _show_first_busy_list(self) -> None:
        """On first showing, an empty tab is no help: open the first list with something in it."""
        busy = next((spec.key for spec in LISTS if self.counts.get(spec.key)), None)
        if busy is not None:
            self.show_list(busy)

    def _show_failure(self, error: Exception) -> None:
        self.banner.error(f"Không đọc được danh sách hồ sơ: {error}")

    @Slot()
    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        self.reload()  # another counter, the CLI or a sync may have written meanwhile
        self._refresh_timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._refresh_timer.stop()
        super().hideEvent(event)

    # Search ----------------------------------------------------------------------------------------

    @Slot()
    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    @Slot(str)
    def _on_typed(self, _text: str) -> None:
        self._forget_person()
        self._search_timer.start()

    @Slot()
    def _search_and_focus(self) -> None:
        self._focus_results = True
        self.search_now()

    @Slot()
    def search_now(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        if not text:
            self.lookups.cancel("search")
            self._hide_search()
            return
        self.lookups.run("search", lambda: lists.search(self.ctx, text),
                            lambda rows: self._show_found(text, rows), self._show_search_error)

    def show_person(self, id_number: str, name: str, cccd: str) -> None:
        """A scanned ID card: that person's dossiers, or the offer to receive one for them."""
        self.search_edit.setText(id_number)
        self.person_cccd = cccd
        self._person = (id_number, name)
        self.search_now()

    def _forget_person(self) -> None:
        self.person_cccd = ""
        self._person = None
        self.receive_button.hide()

    def _show_found(self, text: str, rows: TimedRows) -> None:
        self.models[SEARCH.key].set_timed_rows(rows)
        view = self.views[SEARCH.key]
        if self.tabs.indexOf(view) < 0:
            self.tabs.insertTab(0, view, SEARCH.title)
            self.tabs.setTabToolTip(0, SEARCH.hint)
        self.tabs.setTabText(0, f"{SEARCH.title} ({len(rows)})")
        self.tabs.setCurrentIndex(0)
        self._say_found(text, len(rows))
        if self._focus_results and rows and self.search_edit.hasFocus():
            view.setFocus()
        self._focus_results = False

    def _say_found(self, text: str, count: int) -> None:
        if self._person is not None:
            id_number, name = self._person
            if count:
                self.banner.info(f"Hồ sơ của {name} (số định danh {id_number}): {count} hồ sơ. "
                                 "Chọn một hồ sơ rồi Enter để mở.")
            else:
                self.banner.warn(f"Chưa có hồ sơ nào của {name} (số định danh {id_number}) trên máy này.")
            self.receive_button.setVisible(bool(self.person_cccd))
        elif count:
            self.banner.clear_message()
        else:
            self.banner.warn(f"Không tìm thấy hồ sơ nào theo “{text}”.")

    def _show_search_error(self, error: Exception) -> None:
        self.banner.error(str(error))

    def _hide_search(self) -> None:
        self._forget_person()
        self.banner.clear_message()
        index = self.tabs.indexOf(self.views[SEARCH.key])
        if index >= 0:
            self.tabs.removeTab(index)

    def eventFilter(self, watched, event) -> bool:
        """Down from the search box goes into the current list; Esc empties the search."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Down:
                self.current_view().setFocus()
                return True
            if event.key() == Qt.Key.Key_Escape and self.search_edit.text():
                self.search_edit.clear()
                self.search_now()
                return True
        return super().eventFilter(watched, event)

    def current_view(self) -> RowsView:
        return self.tabs.currentWidget()

    def show_list(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.views[key])


def _today(ctx: AppContext) -> str:
    now = ctx.clock.now()
    return f"Hôm nay, {WEEKDAYS[now.weekday()]} {now:%d/%m/%Y}"
