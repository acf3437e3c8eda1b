"""The dossier page's actions: the button text, the key, and the dialog of each lifecycle action.

The keys stay the same whatever the dossier's state, so a clerk learns them once; a key whose action
the state does not allow says why instead of doing anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui.dossier_page import citizen_dialogs, processing_dialogs
from ui.dossier_page.dialog_base import ActionDialog


@dataclass(frozen=True)
class PageAction:
    key: str  # counter.dossiers.transitions action, or one of the printing keys (always offered)
    text: str
    shortcut: str
    dialog: type[ActionDialog] | None = None
    primary: bool = False  # the usual next step: drawn stronger
    grave: bool = False  # ends the dossier: drawn apart, no single-key shortcut


ACTIONS = (
    PageAction("handover", "Bàn giao, chuyển xử lý", "F4", processing_dialogs.HandoverDialog, primary=True),
    PageAction("request_supplement", "Yêu cầu bổ sung (Mẫu 02)", "F5", citizen_dialogs.SupplementRequestDialog),
    PageAction("receive_supplement", "Nhận hồ sơ bổ sung", "F6", processing_dialogs.ReceiveSupplementDialog,
               primary=True),
    PageAction("request_payment", "Yêu cầu nộp phí, lệ phí", "F7", processing_dialogs.RequestPaymentDialog),
    PageAction("record_payment", "Thu phí, lệ phí", "F8", processing_dialogs.RecordPaymentDialog, primary=True),
    PageAction("record_result", "Có kết quả giải quyết", "F9", processing_dialogs.RecordResultDialog, primary=True),
    PageAction("return_result", "Trả kết quả", "F10", citizen_dialogs.ReturnDialog, primary=True),
    PageAction("rate_service", "Đánh giá hài lòng", "F12", citizen_dialogs.RatingDialog),
    PageAction("apologise", "Xin lỗi, hẹn lại (Mẫu 04)", "F11", citizen_dialogs.ApologyDialog),
    PageAction("withdraw", "Rút hồ sơ", "Ctrl+Shift+R", processing_dialogs.WithdrawDialog, grave=True),
    PageAction("stop", "Dừng xử lý (Mẫu 05)", "Ctrl+Shift+D", processing_dialogs.StopDialog, grave=True),
)
PRINT_SLIP = PageAction("print_slip", "In phiếu kiểm soát (Mẫu 06)", "Ctrl+P")
REPRINT = PageAction("reprint", "In lại giấy tờ đã cấp…", "Ctrl+Shift+P")  # ui/dossier_page/reprint.py
PRINTING = (PRINT_SLIP, REPRINT)
BY_KEY = {a.key: a for a in (*ACTIONS, *PRINTING)}
