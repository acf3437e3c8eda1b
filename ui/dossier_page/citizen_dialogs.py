"""The action dialogs that face the citizen: the supplement request (Mẫu 02), the return of the result, the
citizen's rating, and the leader's apology with a new appointment (Mẫu 04)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateTimeEdit,
    QHeaderView,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from counter import records
from counter.calendar import schedule
from counter.clock import local
from counter.dossiers import lifecycle
from counter.dossiers.cccd import parse_cccd
from counter.errors import Field, ValidationError
from counter.records import RATING_LEVELS, REASON_REQUIRED, DossierDetail
from counter.text import format_vnd, nfc
from ui.dossier_page import jobs
from ui.dossier_page.dialog_base import ActionDialog, reason_edit, text_of
from ui.dossier_page.processing_dialogs import unpaid, when
from ui.printing.preview import PrintJob


class SupplementRequestDialog(ActionDialog):
    action = "request_supplement"
    title = "Yêu cầu bổ sung, hoàn thiện hồ sơ"
    ok_text = "Ghi và in Mẫu 02"
    dialog_width = 720

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        self.say("Thời hạn giải quyết tạm dừng từ lúc ghi đến khi nhận đủ hồ sơ bổ sung "
                 "(mỗi đơn vị xử lý chỉ yêu cầu bổ sung một lần). Insert: thêm dòng.")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Tên giấy tờ", "Nội dung cần bổ sung, hoàn thiện"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(150)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.add_item()
        self.add_row("Giấy tờ cần bổ sung:", self.table)
        self.reason = self.add_row("Lý do:", reason_edit("Ví dụ: Tờ khai chưa có chữ ký của người yêu cầu"))
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, lambda: self.add_item())

    def add_item(self, name: str = "", problem: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(problem))
        self.table.setCurrentCell(row, 0)
        return row

    def items(self) -> list[records.GuidanceItem]:
        found = []
        for row in range(self.table.rowCount()):
            name, problem = (nfc(self.table.item(row, c).text()) if self.table.item(row, c) else "" for c in (0, 1))
            if name:
                found.append(records.GuidanceItem(name, problem))
        return found

    def fields(self) -> list[QWidget]:
        return [self.table, self.reason]

    def submit(self) -> lifecycle.Done:
        return lifecycle.request_supplement(self.ctx, self.dossier.code, self.items(), text_of(self.reason))

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.SUPPLEMENT_ITEMS: self.table, Field.REASON: self.reason, None: self.table}

    def job(self, detail: DossierDetail) -> PrintJob:
        return jobs.supplement_job(self.ctx, detail, self.ctx.user.full_name if self.ctx.user else "")


class ReturnDialog(ActionDialog):
    """Who collects the result: the applicant, or someone authorised (name and 12-digit id; a scanned
    ID card fills them)."""

    action = "return_result"
    title = "Trả kết quả"
    ok_text = "Trả kết quả và in giấy biên nhận"
    dialog_width = 640

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        self.say(_return_intro(detail))
        a = self.dossier.applicant
        self.self_radio = QRadioButton(f"Chủ hồ sơ nhận: {a.full_name} — số định danh {a.id_number or '(chưa có)'}")
        self.proxy_radio = QRadioButton("Người khác nhận thay (có văn bản ủy quyền)")
        self.group = QButtonGroup(self)
        for radio in (self.self_radio, self.proxy_radio):
            self.group.addButton(radio)
        self.self_radio.setChecked(True)
        self.form.addRow(self.self_radio)
        self.form.addRow(self.proxy_radio)
        self.name_edit = self.add_row("Họ tên người nhận thay:", QLineEdit())
        self.id_edit = self.add_row("Số định danh (12 chữ số):", QLineEdit())
        self.id_edit.setMaxLength(12)
        self.id_edit.setPlaceholderText("Quét CCCD của người nhận thay để điền")
        self.proxy_radio.toggled.connect(self._on_proxy)
        self._on_proxy(False)
        for widget in (self.self_radio, self.proxy_radio, self.name_edit, self.id_edit):
            widget.installEventFilter(self)

    def _on_proxy(self, proxy: bool) -> None:
        self.name_edit.setEnabled(proxy)
        self.id_edit.setEnabled(proxy)

    def fields(self) -> list[QWidget]:
        if self.proxy_radio.isChecked():
            return [self.proxy_radio, self.name_edit, self.id_edit]
        return [self.self_radio]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter on the applicant's line accepts; on the proxy's it goes to the name.
        if (watched in (self.self_radio, self.proxy_radio) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            watched.setChecked(True)
            self._enter_from(self.fields()[0])
            return True
        return super().eventFilter(watched, event)

    def fill_from_cccd(self, text: str) -> bool:
        """A scanned ID card while the dialog is open: the person collecting the result."""
        try:
            card = parse_cccd(text, today=self.ctx.clock.now().date())
        except ValidationError as exc:
            self.message.error(str(exc))
            return False
        if card.id_number == self.dossier.applicant.id_number:
            self.self_radio.setChecked(True)
            self.self_radio.setFocus()
        else:
            self.proxy_radio.setChecked(True)
            self.name_edit.setText(card.full_name)
            self.id_edit.setText(card.id_number)
            self.id_edit.setFocus()
        return True

    def submit(self) -> lifecycle.Done:
        if self.self_radio.isChecked():
            return lifecycle.return_result(self.ctx, self.dossier.code)
        return lifecycle.return_result(self.ctx, self.dossier.code, text_of(self.name_edit), text_of(self.id_edit))

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.COLLECTOR_NAME: self.name_edit, Field.COLLECTOR_ID: self.id_edit}

    def job(self, detail: DossierDetail) -> PrintJob:
        return jobs.return_receipt_job(self.ctx, detail, self.ctx.user.full_name if self.ctx.user else "")


class RatingDialog(ActionDialog):
    """The citizen's satisfaction: 1, 2 or 3; a reason is mandatory for KHÔNG HÀI LÒNG (the domain says so)."""

    action = "rate_service"
    title = "Đánh giá mức độ hài lòng"
    ok_text = "Ghi đánh giá"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        self.cancel_button.setText("Bỏ qua  (Esc)")
        self.say("Mời công dân đánh giá việc giải quyết hồ sơ: bấm phím 1, 2 hoặc 3.")
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for number, (level, label) in enumerate(RATING_LEVELS.items(), start=1):
            radio = QRadioButton(f"{number}.  {label}")
            radio.setStyleSheet("QRadioButton { font-size: 13pt; padding: 4px; }")
            self.group.addButton(radio)
            self.radios[level] = radio
            self.form.addRow(radio)
            radio.installEventFilter(self)
        self.reason = self.add_row("Lý do (bắt buộc khi KHÔNG HÀI LÒNG):", reason_edit())
        self.reason.installEventFilter(self)  # a field only once KHÔNG HÀI LÒNG is chosen

    def level(self) -> str | None:
        return next((level for level, radio in self.radios.items() if radio.isChecked()), None)

    def fields(self) -> list[QWidget]:
        chosen = self.radios.get(self.level() or "", next(iter(self.radios.values())))
        return [chosen, self.reason] if self.level() == REASON_REQUIRED else [chosen]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched in self.radios.values() and event.type() == QEvent.Type.KeyPress:
            levels = list(self.radios)
            if event.text() in ("1", "2", "3"):
                radio = self.radios[levels[int(event.text()) - 1]]
                radio.setChecked(True)
                radio.setFocus()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._enter_from(self.fields()[0])
                return True
        return super().eventFilter(watched, event)

    def submit(self) -> lifecycle.Done:
        return lifecycle.rate_service(self.ctx, self.dossier.code, self.level() or "", text_of(self.reason))

    def field_widgets(self) -> dict[Field | None, QWidget]:
        first = next(iter(self.radios.values()))
        return {Field.RATING: first, Field.REASON: self.reason, None: first}


class ApologyDialog(ActionDialog):
    """Mẫu 04, signed by the logged-in leader: the reason for the delay and the new appointment."""

    action = "apologise"
    title = "Xin lỗi và hẹn lại ngày trả kết quả"
    ok_text = "Ghi và in Mẫu 04"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        signer = ctx.user.full_name if ctx.user else ""
        self.say(f"Hẹn trả hiện tại: <b>{when(self.dossier.due_at)}</b>. Chỉ được hẹn lại một lần. "
                 f"Văn bản xin lỗi (Mẫu 04) do {signer} ký.")
        self.reason = self.add_row("Lý do chậm trả kết quả:", reason_edit())
        self.due_edit = self.add_row("Ngày hẹn trả mới:", QDateTimeEdit())
        self.due_edit.setDisplayFormat("HH:mm  dd/MM/yyyy")
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDateTime(suggested_due(ctx, self.dossier).replace(tzinfo=None))

    def new_due(self) -> datetime:
        return local(self.due_edit.dateTime().toPython())  # shown and typed in Vietnam time

    def fields(self) -> list[QWidget]:
        return [self.reason, self.due_edit]

    def submit(self) -> lifecycle.Done:
        return lifecycle.apologise(self.ctx, self.dossier.code, text_of(self.reason), self.new_due())

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.REASON: self.reason, Field.NEW_DUE: self.due_edit, None: self.reason}

    def job(self, detail: DossierDetail) -> PrintJob:
        return jobs.apology_job(self.ctx, detail)


def suggested_due(ctx, dossier: records.Dossier) -> datetime:
    """The next working day after the later of now and the current appointment, at its clock time."""
    cal = schedule.calendar(ctx)
    due = local(dossier.due_at) if dossier.due_at else ctx.clock.now()
    base = max(due, ctx.clock.now())
    day = cal.next_working_day(base.date())
    return due.replace(year=day.year, month=day.month, day=day.day)


def _return_intro(detail: DossierDetail) -> str:
    result = detail.result
    what = (f"{result.result_name or 'Kết quả'} số {result.number}" + (f" ({result.result_code})" if result.result_code
                                                                        else "")) if result else "Kết quả giải quyết"
    owed = sum(f.amount for f in unpaid(detail.dossier))
    fee = f" <b>Còn {format_vnd(owed)} đồng phí, lệ phí chưa nộp.</b>" if owed else ""
    return f"Trả: <b>{what}</b>.{fee} Người nhận ký Giấy biên nhận trả kết quả."
