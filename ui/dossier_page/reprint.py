"""Printing a dossier's forms again (Ctrl+Shift+P): a jammed printer or a closed preview must not lose one.

Every form is rebuilt from what was committed — the receipt with the reception's appointment, each
supplement request from its pause, the apology, the stop notice and the return receipt from their rows —
and printed through the same preview, which logs it as a further copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from counter.context import AppContext
from counter.records import DossierDetail
from counter.status import Status
from ui.dossier_page import jobs
from ui.printing.preview import PrintJob
from ui.reception import jobs as reception_jobs
from ui.reception.look import readable


@dataclass(frozen=True)
class Form:
    label: str
    build: Callable[[], PrintJob]


def forms(ctx: AppContext, detail: DossierDetail, clerk_name: str) -> list[Form]:
    """The forms this dossier has been given, in the order they were issued; Mẫu 06 last."""
    d = detail.dossier
    found = []
    if d.status == Status.REFUSED:
        reason = next((h.note for h in d.history if h.action == "refuse"), "")
        found.append(Form("Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ",
                          lambda: reception_jobs.refusal_job(ctx, d, reason)))
    else:
        found.append(Form("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả (2 liên)",
                          lambda: reception_jobs.receipt_job(ctx, d)))
    for pause in detail.pauses:
        found.append(Form(f"Mẫu 02 — Phiếu yêu cầu bổ sung ngày {pause.paused_at:%d/%m/%Y}",
                          lambda p=pause: jobs.supplement_job(ctx, detail, p.requested_by or clerk_name, p)))
    if detail.apology:
        found.append(Form("Mẫu 04 — Văn bản xin lỗi và hẹn lại ngày trả kết quả",
                          lambda: jobs.apology_job(ctx, detail)))
    if d.status == Status.STOPPED:
        found.append(Form("Mẫu 05 — Thông báo dừng giải quyết hồ sơ", lambda: jobs.stop_job(ctx, detail)))
    if detail.returned:
        found.append(Form("Giấy biên nhận trả kết quả", lambda: jobs.return_receipt_job(ctx, detail, clerk_name)))
    found.append(Form("Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ",
                      lambda: jobs.control_slip_job(ctx, detail)))
    return found


class ReprintDialog(QDialog):
    """The forms as a numbered list: a digit or the arrows pick one, Enter prints it."""

    def __init__(self, available: list[Form], code: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reprintDialog")
        self.setWindowTitle(f"In lại giấy tờ — {code}")
        readable(self)
        self.available = available
        self.chosen: Form | None = None
        self.list = QListWidget()
        for number, form in enumerate(available, start=1):
            self.list.addItem(f"{number}. {form.label}")
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("In  (Enter)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng  (Esc)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Chọn giấy tờ cần in lại (mỗi lần in được ghi vào sổ in: bản gốc, rồi bản sao 1, 2…):"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

        self.list.installEventFilter(self)  # before the list's own type-to-find takes the digits

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and not event.modifiers():
            row = event.key() - Qt.Key.Key_1
            if 0 <= row < min(9, len(self.available)):
                self.list.setCurrentRow(row)
                self.accept()
                return True
        return False

    def accept(self) -> None:
        row = self.list.currentRow()
        self.chosen = self.available[row] if 0 <= row < len(self.available) else None
        super().accept()
