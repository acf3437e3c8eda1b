"""The Lịch làm việc section (administrators only): a year's holidays, rest days and make-up working days; add or
remove one on the authority of a document (each change a new calendar version); the open dossiers whose legal due
date the calendar in force moves; and "Dời lịch hẹn", which moves the later ones (an earlier date is a warning).

Keys: Ctrl+S writes the day in the form, Ctrl+Delete removes the day selected in the list, Ctrl+Shift+H moves the
later appointments, PgUp/PgDn (in the year box) change the year.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.calendar import admin, schedule, versions
from counter.calendar.workdays import HOLIDAY, KIND_LABELS, REST_DAY, WORKDAY, CalendarEntry, list_calendar_days
from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError
from ui.reception.look import MessageLine, bold, readable
from ui.signals import Announcer

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
ORIGINS = {"seed": "lịch phát hành", "holidays": "ước tính", "admin": "quản trị viên"}
KINDS = (HOLIDAY, REST_DAY, WORKDAY)
DAY_COLUMNS = ("Ngày", "Thứ", "Loại", "Tên ngày", "Văn bản căn cứ", "Nguồn")
IMPACT_COLUMNS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Hẹn trả đã hẹn", "Hẹn trả theo lịch mới", "")
VERSION_COLUMNS = ("Số", "Lúc", "Người sửa", "Thay đổi", "Văn bản")
NO_IMPACT = "Không có hồ sơ đang giải quyết nào có ngày hẹn trả thay đổi theo lịch hiện hành."


def _item(text: str, data: object = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)  # a narrow column cuts a long name or document short
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(columns: tuple[str, ...], *stretch: int) -> QTableWidget:
    """Columns sized to their contents, but those in `stretch` share what is left (no sideways scrolling)."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setWordWrap(False)
    return table


def _fill(table: QTableWidget, rows: list[list[QTableWidgetItem]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, item in enumerate(row):
            table.setItem(r, c, item)


class CalendarPage(QWidget):
    changed = Signal(Changes)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        readable(self)
        self.announcer = Announcer(self.changed)
        self.title = QLabel("Lịch làm việc")
        bold(self.title, 15)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setPrefix("Năm ")
        self.year.setValue(ctx.clock.now().year)
        self.version_label = QLabel()
        self.notice = MessageLine()
        self.days = _table(DAY_COLUMNS, 3, 4)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        today = ctx.clock.now().date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind].capitalize(), kind)
        self.name = QLineEdit()
        self.name.setPlaceholderText("mặc định: theo loại ngày")
        self.source = QLineEdit()
        self.source.setPlaceholderText("Công văn số …/UBND-VP ngày …")
        self.note = QLineEdit()
        self.add_button = QPushButton("Ghi ngày  (Ctrl+S)")
        self.remove_button = QPushButton("Bỏ ngày đã chọn  (Ctrl+Del)")
        self.confirm_button = QPushButton("Đã nhập đủ lịch năm  (Ctrl+Shift+Y)")
        self.confirm_button.setToolTip("Xác nhận lịch làm việc của năm đang xem đã nhập đủ theo văn bản công bố")
        self.message = MessageLine()
        self.impact = _table(IMPACT_COLUMNS, 2)
        self.impact_label = QLabel()
        self.move_button = QPushButton("Dời lịch hẹn muộn hơn  (Ctrl+Shift+H)")
        self.versions = _table(VERSION_COLUMNS, 3, 4)
        self._lay_out()
        self._connect()
        self.reload()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.year)
        top.addWidget(self.version_label, 1)
        form_box = QGroupBox("Thêm, sửa hoặc bỏ một ngày theo văn bản")
        form = QFormLayout(form_box)
        form.addRow("Ngày:", self.day)
        form.addRow("Loại:", self.kind)
        form.addRow("Tên ngày:", self.name)
        form.addRow("Văn bản căn cứ:", self.source)
        form.addRow("Ghi chú:", self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        form.addRow(buttons)
        form.addRow(self.confirm_button)
        versions_box = QGroupBox("Các phiên bản lịch")
        QVBoxLayout(versions_box).addWidget(self.versions)
        right = QVBoxLayout()
        right.addWidget(form_box)
        right.addWidget(versions_box, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.days, 3)
        middle.addLayout(right, 2)
        impact_box = QGroupBox("Hồ sơ đang giải quyết có ngày hẹn trả theo quy định thay đổi")
        impact = QVBoxLayout(impact_box)
        impact.addWidget(self.impact)
        bottom = QHBoxLayout()
        bottom.addWidget(self.impact_label, 1)
        bottom.addWidget(self.move_button)
        impact.addLayout(bottom)
        self.impact.setMinimumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(middle, 3)
        layout.addWidget(self.message)
        layout.addWidget(impact_box, 2)

    def _connect(self) -> None:
        self.year.valueChanged.connect(self._show_year)
        self.add_button.clicked.connect(self.add_day)
        self.remove_button.clicked.connect(self.remove_day)
        self.confirm_button.clicked.connect(self.confirm_year)
        self.move_button.clicked.connect(self.move_later)
        self.days.itemSelectionChanged.connect(self._picked)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+S"), self, self.add_day, context=context)
        QShortcut(QKeySequence("Ctrl+Delete"), self, self.remove_day, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+Y"), self, self.confirm_year, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+H"), self, self.move_later, context=context)

    # Showing -------------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        self._show_year()
        self._show_versions()
        self._show_impact()
        notice = admin.missing_calendar_notice(self.ctx, self.ctx.clock.now().date())
        if notice:
            self.notice.warn(notice + ": ngày hẹn trả rơi vào năm đó tính theo ngày lễ dự kiến.")
        else:
            self.notice.clear_message()

    @Slot()
    def _show_year(self, *_) -> None:
        year = self.year.value()
        entries = list_calendar_days(self.ctx, year)
        _fill(self.days, [[_item(f"{e.date:%d/%m/%Y}", e), _item(WEEKDAYS[e.date.weekday()]),
                           _item(KIND_LABELS[e.kind]), _item(e.name), _item(e.source),
                           _item(ORIGINS.get(e.origin, e.origin))] for e in entries])
        loaded = not admin.years_without_calendar(self.ctx, [year])
        state = "" if loaded else f"  ·  Chưa có lịch làm việc năm {year}"
        self.version_label.setText(f"Phiên bản lịch hiện hành: {schedule.calendar(self.ctx).version}{state}")

    def _show_versions(self) -> None:
        rows = []
        for v in versions.list_versions(self.ctx):
            what = v.action_label + (f" {v.day:%d/%m/%Y} ({KIND_LABELS.get(v.kind, v.kind)})" if v.day else "")
            rows.append([_item(str(v.number)), _item(f"{v.created_at:%d/%m/%Y %H:%M}"), _item(v.actor_name or "—"),
                         _item(what + (f". {v.note}" if v.note else "")), _item(v.source)])
        _fill(self.versions, rows)

    def _show_impact(self) -> None:
        moves = admin.impact(self.ctx)
        rows = []
        for m in moves:
            flag = _item("dời muộn hơn" if m.later else "sớm hơn: chỉ cảnh báo, giữ ngày đã hẹn")
            if not m.later:
                flag.setForeground(Qt.GlobalColor.darkRed)
            rows.append([_item(m.code, m), _item(m.applicant_name), _item(m.procedure_name),
                         _item(f"{m.old_due:%H:%M %d/%m/%Y}"), _item(f"{m.new_due:%H:%M %d/%m/%Y}"), flag])
        _fill(self.impact, rows)
        later = sum(1 for m in moves if m.later)
        earlier = len(moves) - later
        parts = [f"{later} hồ sơ có thể dời muộn hơn"] if later else []
        if earlier:
            parts.append(f"{earlier} hồ sơ sớm hơn theo lịch mới (chỉ cảnh báo, không tự đổi ngày đã hẹn)")
        self.impact_label.setText("; ".join(parts) + "." if parts else NO_IMPACT)
        self.move_button.setEnabled(later > 0)

    def selected_entry(self) -> CalendarEntry | None:
        rows = self.days.selectionModel().selectedRows()
        if not rows:
            return None
        entry = self.days.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return entry if isinstance(entry, CalendarEntry) else None

    @Slot()
    def _picked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        self.day.setDate(QDate(entry.date.year, entry.date.month, entry.date.day))
        self.kind.setCurrentIndex(KINDS.index(entry.kind))
        self.name.setText(entry.name)

    # Acting ----------------------------------------------------------------------------------------

    def _form_day(self) -> date:
        q = self.day.date()
        return date(q.year(), q.month(), q.day())

    @Slot()
    def add_day(self) -> None:
        day = self._form_day()
        self._act(lambda: admin.add_day(self.ctx, day, self.kind.currentData(), self.source.text(),
                                        note=self.note.text(), name=self.name.text()),
                  lambda v: f"Đã ghi ngày {day:%d/%m/%Y}: lịch làm việc phiên bản {v.number}.", year=day.year)

    @Slot()
    def remove_day(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.message.error("Hãy chọn trong danh sách ngày cần bỏ.")
            self.days.setFocus()
            return
        self._act(lambda: admin.remove_day(self.ctx, entry.date, self.source.text(), note=self.note.text()),
                  lambda v: f"Đã bỏ ngày {entry.date:%d/%m/%Y}: lịch làm việc phiên bản {v.number}.",
                  year=entry.date.year)

    @Slot()
    def confirm_year(self) -> None:
        """The year shown is entered in full from its announcement (the "Văn bản căn cứ" box): no longer named
        as a year with no calendar."""
        year = self.year.value()
        self._act(lambda: admin.confirm_year(self.ctx, year, self.source.text(), note=self.note.text()),
                  lambda v: f"Đã xác nhận lịch làm việc năm {year}: lịch làm việc phiên bản {v.number}.", year=year)

    def _act(self, write, done, *, year: int) -> None:
        try:
            version, changes = write()
        except CounterError as exc:
            self.message.error(str(exc))
            if not self.source.text().strip():
                self.source.setFocus()
            return
        self.name.clear()
        self.note.clear()
        if self.year.value() != year:
            self.year.setValue(year)
        self.reload()
        moves = admin.impact(self.ctx)
        extra = f" {len(moves)} hồ sơ có ngày hẹn trả thay đổi: xem danh sách bên dưới." if moves else ""
        self.message.info(done(version) + extra)
        self.announcer.announce(changes)

    def confirm_move(self, count: int) -> bool:
        """Asked before moving (tests replace this seam)."""
        answer = QMessageBox.question(
            self, "Dời lịch hẹn",
            f"Dời ngày hẹn trả của {count} hồ sơ sang ngày muộn hơn theo lịch làm việc mới, căn cứ "
            f"“{self.source.text().strip()}”? Mỗi hồ sơ được ghi một dòng lịch sử và gửi lên hệ thống tỉnh.")
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def move_later(self) -> None:
        later = [m for m in admin.impact(self.ctx) if m.later]
        if not later:
            self.message.info(NO_IMPACT)
            return
        if not self.source.text().strip():
            self.message.error("Hãy ghi văn bản căn cứ (ô “Văn bản căn cứ”) trước khi dời lịch hẹn.")
            self.source.setFocus()
            return
        if not self.confirm_move(len(later)):
            return
        try:
            moves, changes = admin.move_later(self.ctx, self.source.text(), note=self.note.text())
        except CounterError as exc:
            self.message.error(str(exc))
            return
        self._show_impact()
        self.message.info(f"Đã dời lịch hẹn của {len(moves)} hồ sơ; các hồ sơ này sẽ được gửi lên hệ thống tỉnh.")
        self.announcer.announce(changes)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.reload()  # what changed while it was hidden (it does not compute the impact for nobody)

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        """A dossier received or moved elsewhere changes the impact list; the calendar changes everything."""
        if self.announcer.announcing or not self.isVisible():
            return
        if changes.calendar:
            self.reload()
        elif changes.dossiers:
            self._show_impact()
