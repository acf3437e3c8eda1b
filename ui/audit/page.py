"""The Nhật ký section (administrators only): the audit log, newest first, filtered by day, user and kind, and
a check of its hash chain (the same as `main.py audit verify`)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QDate,
    Qt,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter import audit
from counter.changes import Changes
from counter.context import AppContext
from ui.audit.model import AuditTableModel, details

LIMIT = 2000  # the newest rows shown; a narrower filter reaches older ones
ALL_USERS, ALL_KINDS = "Tất cả người dùng", "Tất cả loại"
DAYS_SHOWN = 30  # the filter opens on the last 30 days
OK_STYLE, BAD_STYLE = "color: #1b5e20;", "color: #b00020; font-weight: bold;"


class AuditPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        today = QDate(ctx.clock.now().date())
        self.from_day = self._day_edit(today.addDays(-DAYS_SHOWN + 1))
        self.to_day = self._day_edit(today)
        self.user = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem(ALL_KINDS, "")
        for kind, label in audit.KINDS.items():
            self.kind.addItem(label, kind)
        self.verify_button = QPushButton("Kiểm tra tính toàn vẹn (Ctrl+K)")
        self.count = QLabel()
        self.check = QLabel()
        self.check.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = AuditTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self._set_up_view()
        self._lay_out()
        for box in (self.from_day, self.to_day):
            box.dateChanged.connect(self.refresh)
        for combo in (self.user, self.kind):
            combo.currentIndexChanged.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        QShortcut(QKeySequence("Ctrl+K"), self, self.verify)
        QShortcut(QKeySequence("Ctrl+F"), self, self.from_day.setFocus)
        self.view.selectionModel().currentRowChanged.connect(self._show_detail)
        self.loaded = False

    def _day_edit(self, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def _set_up_view(self) -> None:
        view = self.view
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        for column, width in enumerate((48, 172, 140, 196)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def _lay_out(self) -> None:
        title = QLabel("Nhật ký thao tác")
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        hint = QLabel("Ai đã làm gì, khi nào: đăng nhập, khóa máy, thay đổi thiết lập, in phiếu, sao lưu… Mỗi dòng "
                      "mang mã băm của dòng trước, nên một dòng bị sửa, xóa hay chèn thêm sẽ bị phát hiện.")
        hint.setWordWrap(True)
        filters = QHBoxLayout()
        for text, widget in (("&Từ ngày:", self.from_day), ("Đến ngà&y:", self.to_day), ("Người &dùng:", self.user),
                             ("&Loại:", self.kind)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(filters)
        layout.addWidget(self.check)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.count)

    # Data ------------------------------------------------------------------------------------

    def _fill_users(self) -> None:
        current = self.user.currentData()
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem(ALL_USERS, "")
        for name in audit.actors(self.ctx):
            self.user.addItem(name, name)
        self.user.setCurrentIndex(max(0, self.user.findData(current)) if current else 0)
        self.user.blockSignals(False)

    @Slot()
    def refresh(self) -> None:
        self._fill_users()
        from_day, to_day = _day(self.from_day.date()), _day(self.to_day.date())
        rows = audit.entries(self.ctx, from_=from_day, to=to_day, user=self.user.currentData() or None,
                             kind=self.kind.currentData() or None, limit=LIMIT, newest_first=True)
        self.model.set_rows(rows)
        more = " (chỉ hiện các dòng mới nhất: thu hẹp bộ lọc để xem thêm)" if len(rows) == LIMIT else ""
        self.count.setText(f"{len(rows)} dòng từ {from_day:%d/%m/%Y} đến {to_day:%d/%m/%Y}{more}.")
        self.detail.setText("")
        if rows:
            self.view.selectRow(0)
        self.loaded = True

    @Slot()
    def verify(self) -> bool:
        check = audit.verify(self.ctx)
        if check.ok:
            self.check.setText(f"Nhật ký nguyên vẹn: {check.rows} dòng, chuỗi băm khớp từ dòng đầu đến dòng cuối.")
        else:
            self.check.setText(f"Nhật ký KHÔNG nguyên vẹn: {check.reason} Hãy báo cho người phụ trách và giữ lại "
                               "bản sao lưu gần nhất để đối chiếu.")
        self.check.setStyleSheet(OK_STYLE if check.ok else BAD_STYLE)
        return check.ok

    @Slot()
    def _show_detail(self) -> None:
        entry = self.model.row_at(self.view.currentIndex())
        self.detail.setText(f"Dòng #{entry.id}: {entry.summary}" if entry else "")  # whole, as the table cuts it
        self.detail.setToolTip(details(entry) if entry else "")

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        """Whatever changed may have left a row (a setting, a print): shown now if the page is, else when opened."""
        if changes and self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        self.refresh()
        super().showEvent(event)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
