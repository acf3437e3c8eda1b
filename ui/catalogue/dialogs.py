"""The catalogue's two dialogs: an import's dry-run report before it is applied, and the fee and time limit the
province set, entered with its decision. Each keeps what was typed and shows the domain's message when refused."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    Slot,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.catalogue import editing
from counter.catalogue.procedures import ImportReport
from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError
from ui.admin.settings_form import ERROR_STYLE

APPLY_KEY = "Ctrl+Return"


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def picked(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def _apply_shortcut(dialog: QDialog, slot) -> None:
    for key in (APPLY_KEY, "Ctrl+Enter"):
        QShortcut(QKeySequence(key), dialog).activated.connect(slot)


class ImportDialog(QDialog):
    """The report of a dry run of `path` (redone when the effective date changes); Áp dụng imports for real."""

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.path = ctx, path
        self.setWindowTitle("Nhập danh mục thủ tục")
        self.effective = date_edit(ctx.clock.now().date())
        self.source = QLineEdit()
        self.source.setPlaceholderText(f"tệp {path.name}")
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.apply_button = QPushButton("Áp dụng (Ctrl+Enter)")
        self.cancel_button = QPushButton("Hủy (Esc)")
        self.report: ImportReport | None = None  # the last dry run's
        self.changes = Changes()  # what applying changed
        self.applied: ImportReport | None = None
        self._lay_out()
        self.effective.dateChanged.connect(self.preview)
        self.apply_button.clicked.connect(self.apply)
        self.cancel_button.clicked.connect(self.reject)
        _apply_shortcut(self, self.apply)
        self.resize(900, 560)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("Tệp:", QLabel(str(self.path)))
        form.addRow("Ngày &hiệu lực:", self.effective)
        form.addRow("&Văn bản công bố:", self.source)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Kết quả chạy thử (chưa ghi gì):"))
        layout.addWidget(self.report_view, 1)
        layout.addLayout(buttons)

    def _run(self, *, dry_run: bool) -> ImportReport:
        report, changes = editing.import_catalogue(self.ctx, self.path, effective_from=picked(self.effective),
                                                   source=self.source.text(), dry_run=dry_run)
        self.changes = changes
        return report

    @Slot()
    def preview(self) -> bool:
        """Run the import as a dry run and show its report; False (with the message) when the file is refused."""
        try:
            self.report = self._run(dry_run=True)
        except CounterError as exc:
            self.report = None
            self.report_view.setPlainText("")
            self._say(str(exc), error=True)
            self.apply_button.setEnabled(False)
            return False
        self.report_view.setPlainText("\n".join(editing.report_lines(self.report, dry_run=True)))
        something = bool(self.report.added or self.report.changed)
        self.apply_button.setEnabled(something)
        self._say("Bấm Áp dụng để ghi các thay đổi trên." if something else "Không có gì để ghi.", error=False)
        return True

    @Slot()
    def apply(self) -> None:
        if not self.apply_button.isEnabled():
            return
        try:
            self.applied = self._run(dry_run=False)
        except CounterError as exc:
            self._say(str(exc), error=True)
            return
        self.accept()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")


TIME_CHOICES = (("", "Giữ nguyên"), ("working_days", "Ngày làm việc"), ("calendar_days", "Ngày (tính cả nghỉ)"),
                ("same_day", "Trong ngày"), ("none", "Không quy định"))
_MONEY = re.compile(r"^\d{1,3}(\.\d{3})+$|^\d+$")


class RulesDialog(QDialog):
    """The fee and/or time limit the province set for one procedure, with the decision: one new version."""

    def __init__(self, ctx: AppContext, procedure: records.Procedure, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.procedure = ctx, procedure
        self.setWindowTitle(f"Lệ phí, thời hạn — {procedure.code}")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("để trống nếu giữ nguyên; ví dụ 15.000")
        self.per = QLineEdit(procedure.fee_rule.per)
        self.per.setPlaceholderText("trường hợp, bản sao…")
        self.kind = QComboBox()
        for value, text in TIME_CHOICES:
            self.kind.addItem(text, value)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(procedure.time_rule.days or 1)
        self.source = QLineEdit()
        self.source.setPlaceholderText("Nghị quyết 12/2025/NQ-HĐND tỉnh…")
        self.effective = date_edit(ctx.clock.now().date())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.save_button = QPushButton("Lưu (Ctrl+Enter)")
        self.cancel_button = QPushButton("Hủy (Esc)")
        self.result_procedure: records.Procedure | None = None
        self.changes = Changes()
        self._lay_out()
        if procedure.fee_rule.formula:
            self.amount.setEnabled(False)
            self.per.setEnabled(False)
            self.amount.setPlaceholderText("lệ phí theo số trang: nhập lại danh mục của tỉnh để đổi")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        _apply_shortcut(self, self.save)
        self.resize(640, 0)

    def _lay_out(self) -> None:
        p = self.procedure
        title = QLabel(f"<b>{p.code}</b> — {p.name}")
        title.setWordWrap(True)
        now = QLabel(f"Đang áp dụng (phiên bản {p.version} từ {p.effective_from:%d/%m/%Y}): lệ phí "
                     f"{editing.fee_text(p.fee_rule)}; thời hạn {editing.time_text(p.time_rule)}.")
        now.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Mức &lệ phí (đồng):", self.amount)
        form.addRow("Đơn vị &tính:", self.per)
        time = QHBoxLayout()
        time.addWidget(self.kind, 1)
        time.addWidget(self.days)
        form.addRow("Thời &hạn giải quyết:", time)
        form.addRow("&Văn bản quy định:", self.source)
        form.addRow("Ngày hiệu &lực:", self.effective)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(now)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    @Slot()
    def _kind_changed(self) -> None:
        self.days.setEnabled(self.kind.currentData() in ("working_days", "calendar_days"))

    @Slot()
    def save(self) -> bool:
        text = self.amount.text().strip().removesuffix("đ").strip()
        if text and not _MONEY.match(text):
            self.message.setText(f"Mức lệ phí phải là số đồng, ví dụ 15000 hoặc 15.000 (đã nhập “{text}”).")
            self.amount.setFocus()
            return False
        kind = self.kind.currentData() or None
        try:
            self.result_procedure, self.changes = editing.set_rules(
                self.ctx, self.procedure.code, source=self.source.text(),
                amount=int(text.replace(".", "")) if text else None,
                per=self.per.text() if text else None, kind=kind,
                days=self.days.value() if kind in ("working_days", "calendar_days") else None,
                effective_from=picked(self.effective))
        except CounterError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True
