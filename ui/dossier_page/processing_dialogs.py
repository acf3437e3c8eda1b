"""The processing steps' dialogs: hand-over, supplement received, payment, result, withdrawal, stop.

Each one names its intent (`action`), commits it in `submit`, and says what to print afterwards in
`job`, from the refreshed record.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QLineEdit,
    QWidget,
)

from counter import records
from counter.catalogue import procedures
from counter.clock import local
from counter.context import AppContext
from counter.dossiers import lifecycle
from counter.errors import CounterError, Field, ValidationError
from counter.office.users import list_users
from counter.records import DossierDetail
from counter.text import format_vnd
from ui.dossier_page import jobs
from ui.dossier_page.dialog_base import ActionDialog, reason_edit, text_of
from ui.printing.preview import PrintJob


def when(moment) -> str:
    return f"{local(moment):%H:%M} ngày {local(moment):%d/%m/%Y}" if moment else "—"


def unpaid(dossier: records.Dossier) -> list[records.Fee]:
    return [f for f in dossier.fees if f.paid_at is None and f.amount > 0]


class HandoverDialog(ActionDialog):
    action = "handover"
    title = "Bàn giao, chuyển xử lý hồ sơ"
    ok_text = "Bàn giao và in Mẫu 06"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        self.say(f"Hồ sơ đang ở: <b>{self.dossier.unit}</b>. Ghi đơn vị hoặc người nhận hồ sơ giấy.")
        self.unit_edit = self.add_row("Chuyển đến (đơn vị, người nhận):", QLineEdit())
        self.unit_edit.setPlaceholderText("Ví dụ: Công chức Tư pháp - Hộ tịch")
        known = sorted({h.to_unit for h in self.dossier.history if h.to_unit and h.to_unit != self.dossier.unit})
        if known:  # the units this file has already been to, typed once
            completer = QCompleter(known, self)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.unit_edit.setCompleter(completer)
        self.note_edit = self.add_row("Ghi chú (không bắt buộc):", QLineEdit())

    def fields(self) -> list[QWidget]:
        return [self.unit_edit, self.note_edit]

    def submit(self) -> lifecycle.Done:
        return lifecycle.handover(self.ctx, self.dossier.code, text_of(self.unit_edit), text_of(self.note_edit))

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.UNIT: self.unit_edit, None: self.unit_edit}

    def job(self, detail: DossierDetail) -> PrintJob:
        return jobs.control_slip_job(self.ctx, detail)


class ReceiveSupplementDialog(ActionDialog):
    action = "receive_supplement"
    title = "Nhận hồ sơ bổ sung"
    ok_text = "Ghi đã nhận bổ sung"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        waiting = [p for p in detail.pauses if p.resumed_at is None]
        if waiting:
            asked = "; ".join(f"{i.name} ({i.problem})" if i.problem else i.name for i in waiting[-1].items)
            self.say(f"Đã yêu cầu bổ sung lúc {when(waiting[-1].paused_at)}: {asked}. "
                     "Thời hạn giải quyết chạy tiếp từ lúc nhận đủ.")
        self.note_edit = self.add_row("Ghi chú (không bắt buộc):", QLineEdit())

    def fields(self) -> list[QWidget]:
        return [self.note_edit]

    def submit(self) -> lifecycle.Done:
        return lifecycle.receive_supplement(self.ctx, self.dossier.code, text_of(self.note_edit))


class RequestPaymentDialog(ActionDialog):
    action = "request_payment"
    title = "Yêu cầu nộp phí, lệ phí"
    ok_text = "Ghi yêu cầu nộp phí"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        owed = unpaid(self.dossier)
        if owed:
            lines = "; ".join(f"{f.name}: {format_vnd(f.amount)} đ" for f in owed)
            self.say(f"Các khoản chưa nộp: {lines}. Có thể thêm một khoản thu khác nếu cần.")
        else:
            self.say("Hồ sơ chưa có khoản phí, lệ phí nào phải nộp: ghi khoản cần thu.")
        self.name_edit = self.add_row("Khoản thu thêm:", QLineEdit())
        self.name_edit.setPlaceholderText("Ví dụ: Lệ phí cấp bản sao trích lục")
        self.amount_edit = self.add_row("Số tiền (đồng):", QLineEdit())
        self.amount_edit.setPlaceholderText("Ví dụ: 8000")

    def fields(self) -> list[QWidget]:
        return [self.name_edit, self.amount_edit]

    def submit(self) -> lifecycle.Done:
        return lifecycle.request_payment(self.ctx, self.dossier.code, self.new_fees())

    def new_fees(self) -> list[records.Fee]:
        name, amount = text_of(self.name_edit), text_of(self.amount_edit).replace(".", "").replace(" ", "")
        if not name and not amount:
            return []
        if not amount.isdigit():
            raise ValidationError(f"Số tiền phải là số đồng, ví dụ 8000 (đã nhập “{self.amount_edit.text()}”).",
                                  Field.FEE_AMOUNT)
        return [records.Fee(name=name, amount=int(amount))]

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.FEE_NAME: self.name_edit, Field.FEE_AMOUNT: self.amount_edit, None: self.name_edit}


class RecordPaymentDialog(ActionDialog):
    action = "record_payment"
    title = "Thu phí, lệ phí"
    ok_text = "Ghi đã thu tiền"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        owed = unpaid(self.dossier)
        total = sum(f.amount for f in owed)
        lines = "".join(f"<br>• {f.name}: {format_vnd(f.amount)} đồng" for f in owed)
        self.say(f"Thu của công dân <b>{format_vnd(total)} đồng</b>:{lines}")

    def fields(self) -> list[QWidget]:
        return [self.ok_button]

    def submit(self) -> lifecycle.Done:
        return lifecycle.record_payment(self.ctx, self.dossier.code)


NAME_NEEDED = "Hãy ghi tên kết quả giải quyết (như trên giấy tờ kết quả, ví dụ: Giấy chứng nhận kết hôn)."


class RecordResultDialog(ActionDialog):
    action = "record_result"
    title = "Nhận kết quả giải quyết"
    ok_text = "Ghi có kết quả"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        procedure = _procedure(ctx, self.dossier)
        self.say("Ghi kết quả theo giấy tờ kết quả nhận từ cơ quan giải quyết.")
        self.number_edit = self.add_row("Số, ký hiệu kết quả:", QLineEdit())
        self.number_edit.setPlaceholderText("Ví dụ: 15/2026/TP-HT")
        self.name_edit = self.add_row("Tên kết quả:", QLineEdit(procedure.result_name if procedure else ""))
        self.name_edit.setPlaceholderText("Ví dụ: Giấy chứng nhận kết hôn")
        self.code_edit = self.add_row("Mã loại kết quả (nếu có):",
                                      QLineEdit(procedure.result_code if procedure else ""))
        self.note_edit = self.add_row("Ghi chú (không bắt buộc):", QLineEdit())

    def fields(self) -> list[QWidget]:
        return [self.number_edit, self.name_edit, self.code_edit, self.note_edit]

    def submit(self) -> lifecycle.Done:
        if not text_of(self.name_edit):  # printed on the return receipt: never a blank for the citizen
            raise ValidationError(NAME_NEEDED, Field.RESULT_NAME)
        return lifecycle.record_result(self.ctx, self.dossier.code, text_of(self.number_edit),
                                       text_of(self.code_edit) or None, text_of(self.note_edit),
                                       text_of(self.name_edit))

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.RESULT_NUMBER: self.number_edit, Field.RESULT_NAME: self.name_edit, None: self.number_edit}


class WithdrawDialog(ActionDialog):
    action = "withdraw"
    title = "Công dân rút hồ sơ"
    ok_text = "Ghi rút hồ sơ"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        self.say("Hồ sơ sẽ chuyển sang trạng thái “Công dân yêu cầu rút hồ sơ” và không xử lý tiếp.")
        self.reason = self.add_row("Lý do rút hồ sơ:", reason_edit("Ví dụ: Công dân không còn nhu cầu"))

    def fields(self) -> list[QWidget]:
        return [self.reason]

    def submit(self) -> lifecycle.Done:
        return lifecycle.withdraw(self.ctx, self.dossier.code, text_of(self.reason))

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.REASON: self.reason, None: self.reason}


class StopDialog(ActionDialog):
    action = "stop"
    title = "Dừng xử lý hồ sơ"
    ok_text = "Dừng xử lý và in Mẫu 05"

    def __init__(self, ctx, detail, parent=None):
        super().__init__(ctx, detail, parent)
        self.say("Thông báo dừng giải quyết hồ sơ (Mẫu 05) do lãnh đạo ký gửi công dân.")
        self.reason = self.add_row("Lý do dừng xử lý:", reason_edit())
        signer = _signer(ctx)
        self.signer_edit = self.add_row("Người ký:", QLineEdit(signer.full_name if signer else ""))
        self.title_edit = self.add_row("Chức vụ người ký:", QLineEdit(signer.title if signer else ""))

    def fields(self) -> list[QWidget]:
        return [self.reason, self.signer_edit, self.title_edit]

    def submit(self) -> lifecycle.Done:
        if not text_of(self.signer_edit):
            raise ValidationError("Hãy ghi họ tên người ký thông báo dừng giải quyết.", Field.SIGNER_NAME)
        return lifecycle.stop(self.ctx, self.dossier.code, text_of(self.reason), text_of(self.signer_edit),
                              text_of(self.title_edit))

    def field_widgets(self) -> dict[Field | None, QWidget]:
        return {Field.REASON: self.reason, Field.SIGNER_NAME: self.signer_edit, None: self.reason}

    def job(self, detail: DossierDetail) -> PrintJob:
        return jobs.stop_job(self.ctx, detail)


def _procedure(ctx: AppContext, dossier: records.Dossier) -> records.Procedure | None:
    """The procedure's rules in force at reception (its result name and code)."""
    try:
        return procedures.get_procedure(ctx, dossier.procedure_code, local(dossier.received_at).date())
    except CounterError:
        return None


def _signer(ctx: AppContext) -> records.User | None:
    """Who signs letters: the logged-in leader, else the office's first leader."""
    if ctx.user is not None and ctx.user.role == "leader":
        return ctx.user
    return next((u for u in list_users(ctx) if u.role == "leader"), None)
