"""The dossier page's action dialogs: keyboard-first, the domain's messages shown with the input kept,
the page refreshed and announced after a commit, and the form printed only then, from the stored record."""

import pytest
from PySide6.QtCore import QDateTime, Qt

from counter.dossiers import lifecycle
from counter.dossiers.lookup import get_dossier
from counter.errors import Field, ValidationError
from counter.status import Status
from db.models import DossierFee, ServiceRating
from tests.conftest import at
from tests.counter.lifecycle_steps import CERTIFIED_COPIES, OTHER_UNIT, UNIT, dossier_in, login, receive, walk
from tests.ui.dossier_steps import enter_through, fill, press_action
from tests.ui.keys import press
from tests.ui.printed import pdf_text as raw_pdf_text

CCCD_BICH = "038190054321||Trần Thị Bích|02021991|Nữ|Thôn 5, Xã Quảng Hùng, Thanh Hóa|01012022"


@pytest.fixture
def page(dossier_page):
    """The page, keeping what it announced (its `changed` signal) in `page.announced`."""
    dossier_page.announced = []
    dossier_page.changed.connect(dossier_page.announced.append)
    return dossier_page


def pdf_text(pdf: bytes) -> str:
    """The PDF's words with line breaks as spaces (the forms wrap long values)."""
    return " ".join(raw_pdf_text(pdf).split())


def test_hand_over_with_the_keyboard_then_mau06(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.RECEIVED)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "handover")
    assert dialog.isVisible() and dialog.focusWidget() is dialog.unit_edit
    fill(dialog.unit_edit, UNIT)
    fill(dialog.note_edit, "Kèm 2 bản sao")
    enter_through(dialog.unit_edit, dialog.note_edit)  # Enter moves on, then accepts
    assert not dialog.isVisible()
    stored = get_dossier(ctx, dossier.code)
    assert stored.status == Status.IN_PROGRESS and stored.unit == UNIT
    assert [c.dossiers for c in page.announced] == [{dossier.code}]
    assert page.header.status_badge.text() == "Đang xử lý" and "record_result" in page.offered()
    assert [j.form for j in page.jobs] == ["mau06"]
    text = pdf_text(page.jobs[0].pdf)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and UNIT in text and "Kèm 2 bản sao" in text
    assert page.message.kind == "info" and UNIT in page.message.plain_text()


def test_an_error_keeps_the_dialog_open_with_what_was_typed(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)  # already at UNIT
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "handover")
    fill(dialog.unit_edit, UNIT)
    fill(dialog.note_edit, "Ghi chú dài đã gõ")
    dialog.accept()
    assert dialog.isVisible() and dialog.message.kind == "error"
    assert dialog.message.plain_text() == f"Hồ sơ đang ở “{UNIT}”: hãy chọn nơi nhận khác."
    assert dialog.unit_edit.text() == UNIT and dialog.note_edit.text() == "Ghi chú dài đã gõ"
    assert dialog.focusWidget() is dialog.unit_edit and page.jobs == [] and page.announced == []
    dialog.unit_edit.setText(OTHER_UNIT)
    dialog.accept()
    assert not dialog.isVisible() and get_dossier(ctx, dossier.code).unit == OTHER_UNIT


def test_supplement_requested_then_received(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "request_supplement")
    dialog.accept()  # nothing written yet: the domain's message, and nothing committed
    assert dialog.message.plain_text() == "Hãy ghi ít nhất một giấy tờ cần bổ sung, hoàn thiện."
    dialog.table.item(0, 0).setText("Tờ khai đăng ký")
    dialog.table.item(0, 1).setText("Chưa có chữ ký người yêu cầu")
    fill(dialog.reason, "Tờ khai chưa ký")
    enter_through(dialog.reason)
    assert get_dossier(ctx, dossier.code).status == Status.SUPPLEMENT
    assert page.header.time_badge.text() == "Tạm dừng: chờ công dân bổ sung"
    text = pdf_text(page.jobs[-1].pdf)
    assert page.jobs[-1].form == "mau02" and "PHIẾU YÊU CẦU BỔ SUNG" in text
    assert "Chưa có chữ ký người yêu cầu" in text and dossier.code in text
    ctx.clock.advance(days=5)  # Wed 18/02, still Tết: the clock resumes at the next working moment
    dialog = press_action(qtbot, page, "receive_supplement")
    assert "Tờ khai đăng ký (Chưa có chữ ký người yêu cầu)" in dialog.intro.text()
    enter_through(dialog.note_edit)
    resumed = get_dossier(ctx, dossier.code)
    assert resumed.status == Status.IN_PROGRESS
    assert "đã nhận bổ sung" in page.progress_box.values()["Yêu cầu bổ sung:"]
    assert page.message.plain_text().endswith(f"hẹn trả mới: {resumed.due_at:%H:%M} ngày {resumed.due_at:%d/%m/%Y}.")


def test_the_result_defaults_to_the_procedures_result_type(qtbot, page, ctx):
    dossier = receive(ctx, "1.001193")  # khai sinh: its result is a Giấy khai sinh, KQ.G15.000031
    lifecycle.handover(ctx, dossier.code, UNIT)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "record_result")
    assert dialog.code_edit.text() == "KQ.G15.000031" and dialog.name_edit.text() == "Giấy khai sinh"
    enter_through(dialog.number_edit, dialog.name_edit, dialog.code_edit, dialog.note_edit)
    assert dialog.isVisible() and dialog.message.plain_text() == "Hãy nhập số, ký hiệu của kết quả giải quyết."
    assert dialog.focusWidget() is dialog.number_edit
    fill(dialog.number_edit, "15/2026/KS")
    enter_through(dialog.number_edit, dialog.name_edit, dialog.code_edit, dialog.note_edit)
    assert not dialog.isVisible()
    result = page.detail.result
    assert (result.number, result.result_code, result.result_name) == ("15/2026/KS", "KQ.G15.000031", "Giấy khai sinh")
    assert page.offered() == ["request_payment", "return_result", "print_slip", "reprint"]


def test_a_result_without_a_catalogue_name_asks_for_the_one_on_the_paper(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)  # xác nhận tình trạng hôn nhân: the catalogue names no result
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "record_result")
    assert dialog.name_edit.text() == ""
    fill(dialog.number_edit, "52/2026/XNTTHN")
    enter_through(dialog.number_edit, dialog.name_edit, dialog.code_edit, dialog.note_edit)
    assert dialog.isVisible() and "tên kết quả" in dialog.message.plain_text()
    assert dialog.focusWidget() is dialog.name_edit and get_dossier(ctx, dossier.code).status == Status.IN_PROGRESS
    fill(dialog.name_edit, "Giấy xác nhận tình trạng hôn nhân")
    enter_through(dialog.name_edit, dialog.code_edit, dialog.note_edit)
    assert not dialog.isVisible() and page.detail.result.result_name == "Giấy xác nhận tình trạng hôn nhân"
    # The paper result is to be digitised next: its row is shown and selected.
    assert page.lower.currentWidget() is page.scans
    assert page.scans.slots[page.scans.current_row()].position is None and "Kết quả" in page.message.plain_text()


def test_return_blocked_while_fees_are_unpaid_shows_the_domain_message(qtbot, page, ctx):
    dossier = receive(ctx, "2.000815", components=CERTIFIED_COPIES)  # 14.000 đ, unpaid
    lifecycle.handover(ctx, dossier.code, UNIT)
    lifecycle.record_result(ctx, dossier.code, "SCT/2026/15")
    page.load(dossier.code)
    message = ("Không thể trả kết quả: hồ sơ còn 14.000 đồng phí, lệ phí chưa nộp. "
               "Hãy thu phí, lệ phí trước khi trả kết quả.")
    assert "return_result" not in page.offered() and page.notice.plain_text() == message
    assert press_action(qtbot, page, "return_result") is None
    assert page.message.plain_text() == message
    # Ask for the fee (F7), take the money (F8): the return is offered again.
    enter_through(*press_action(qtbot, page, "request_payment").fields())
    dialog = press_action(qtbot, page, "record_payment")
    assert "14.000 đồng" in dialog.intro.text()
    enter_through(dialog.ok_button)
    assert get_dossier(ctx, dossier.code).status == Status.RESULT_READY
    assert "return_result" in page.offered() and not page.notice.isVisible()
    assert "đã nộp 10:00 ngày 13/02/2026" in page.fees_box.lines()[0]
    assert "(đã nộp đủ)" in page.fees_box.values()["Tổng cộng:"]


def test_a_fee_paid_meanwhile_elsewhere_is_refused_in_the_dialog(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "return_result")
    lifecycle.request_payment(ctx, dossier.code, [lifecycle.records.Fee("Lệ phí", 8_000)])  # another counter
    dialog.accept()
    assert dialog.isVisible()
    assert "đang ở trạng thái “Yêu cầu thực hiện nghĩa vụ tài chính”" in dialog.message.plain_text()


def test_return_to_an_authorised_person_from_a_scanned_card_then_rating(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "return_result")
    assert dialog.self_radio.isChecked() and not dialog.name_edit.isEnabled()
    assert dialog.fill_from_cccd(CCCD_BICH)
    assert dialog.proxy_radio.isChecked() and dialog.name_edit.text() == "Trần Thị Bích"
    enter_through(dialog.id_edit)
    assert get_dossier(ctx, dossier.code).status == Status.RETURNED
    receipt = pdf_text(page.jobs[-1].pdf)
    assert page.jobs[-1].form == "return_receipt" and "GIẤY BIÊN NHẬN TRẢ KẾT QUẢ" in receipt
    assert "Trần Thị Bích" in receipt and "038190054321" in receipt and "người được ủy quyền" in receipt
    rating = page.dialog  # the rating follows the return
    assert rating is not None and rating.action == "rate_service"
    press(rating.focusWidget(), ord("3"), "3")  # KHÔNG HÀI LÒNG
    enter_through(rating.focusWidget())  # to the reason, which is mandatory
    assert rating.focusWidget() is rating.reason
    enter_through(rating.reason)
    assert rating.isVisible() and rating.message.plain_text() == "Đánh giá KHÔNG HÀI LÒNG phải ghi rõ lý do."
    fill(rating.reason, "Phải chờ lâu")
    enter_through(rating.reason)
    assert not rating.isVisible()
    row = ServiceRating.get()
    assert (row.level, row.reason) == ("dissatisfied", "Phải chờ lâu")
    assert page.offered() == ["print_slip", "reprint"]


def test_the_citizen_may_skip_the_rating_and_rate_later(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    page.load(dossier.code)
    enter_through(press_action(qtbot, page, "return_result").self_radio)
    page.dialog.reject()  # "Bỏ qua"
    assert page.offered() == ["rate_service", "print_slip", "reprint"] and ServiceRating.select().count() == 0
    rating = press_action(qtbot, page, "rate_service")
    press(rating.focusWidget(), ord("1"), "1")
    enter_through(rating.focusWidget())
    assert ServiceRating.get().level == "very_satisfied"


def test_the_leader_apologises_and_mau04_is_printed(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")
    ctx.clock.at = at("2026-02-24 09:00")
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "apologise")
    assert dialog.due_edit.dateTime().toString("HH:mm dd/MM/yyyy") == "10:00 26/02/2026"  # next working day
    fill(dialog.reason, "Cần xác minh thêm tại nơi cư trú")
    dialog.due_edit.setDateTime(QDateTime.fromString("10:00 27/02/2026", "HH:mm dd/MM/yyyy"))
    enter_through(dialog.reason, dialog.due_edit)
    assert not dialog.isVisible()
    stored = get_dossier(ctx, dossier.code)
    assert stored.due_at == at("2026-02-27 10:00") and stored.original_due_at == at("2026-02-25 10:00")
    text = pdf_text(page.jobs[-1].pdf)
    assert page.jobs[-1].form == "mau04" and "Cần xác minh thêm tại nơi cư trú" in text and "Trần Văn Minh" in text
    assert "apologise" not in page.offered()  # once only


def test_stop_prints_mau05_signed_by_the_leader(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")  # Mẫu 05 is the leader's
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "stop")
    assert dialog.signer_edit.text() == "Trần Văn Minh"  # the office's leader, prefilled
    fill(dialog.reason, "Hồ sơ có giấy tờ giả mạo")
    enter_through(dialog.reason, dialog.signer_edit, dialog.title_edit)
    assert get_dossier(ctx, dossier.code).status == Status.STOPPED
    text = pdf_text(page.jobs[-1].pdf)
    assert page.jobs[-1].form == "mau05" and "Hồ sơ có giấy tờ giả mạo" in text and "Trần Văn Minh" in text
    assert page.offered() == ["print_slip", "reprint"]


def test_withdraw_needs_a_reason(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.RECEIVED)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "withdraw")
    enter_through(dialog.reason)
    assert dialog.message.plain_text() == "Hãy ghi lý do công dân rút hồ sơ."
    fill(dialog.reason, "Không còn nhu cầu")
    enter_through(dialog.reason)
    assert get_dossier(ctx, dossier.code).status == Status.WITHDRAWN and page.jobs == []


def test_every_form_the_dossier_was_given_can_be_printed_again(qtbot, page, ctx):
    """A jammed printer or a closed preview loses no form: Ctrl+Shift+P lists them, a digit prints one."""
    dossier = walk(ctx, dossier_in(ctx, Status.SUPPLEMENT).code, ["receive_supplement", "record_result",
                                                                  "return_result"])
    page.load(dossier.code)
    press_action(qtbot, page, "reprint")
    dialog = page.reprint_dialog
    assert dialog.isVisible() and [f.label.split(" — ")[0] for f in dialog.available] == [
        "Mẫu 01", "Mẫu 02", "Giấy biên nhận trả kết quả", "Mẫu 06"]
    qtbot.keyClick(dialog.list, Qt.Key.Key_2)
    assert not dialog.isVisible() and [j.form for j in page.jobs] == ["mau02"]
    assert "PHIẾU YÊU CẦU BỔ SUNG" in pdf_text(page.jobs[0].pdf)
    press_action(qtbot, page, "reprint")
    qtbot.keyClick(page.reprint_dialog.list, Qt.Key.Key_1)
    receipt = pdf_text(page.jobs[-1].pdf)
    assert "Liên 1: Lưu" in receipt and "Liên 2: Giao người nộp" in receipt
    assert f"ngày {dossier.due_at:%d/%m/%Y}" in receipt  # the appointment given at reception


def test_a_stopped_dossier_reprints_its_notice_with_the_signer_it_had(qtbot, page, ctx):
    code = dossier_in(ctx, Status.IN_PROGRESS).code
    login(ctx, "lanhdao")
    dossier, _ = lifecycle.stop(ctx, code, "Hồ sơ giả mạo giấy tờ", "Lê Thị Thu",
                                "Phó Giám đốc")
    page.load(dossier.code)
    press_action(qtbot, page, "reprint")
    labels = [f.label.split(" — ")[0] for f in page.reprint_dialog.available]
    qtbot.keyClick(page.reprint_dialog.list, Qt.Key.Key_1 + labels.index("Mẫu 05"))
    text = pdf_text(page.jobs[-1].pdf)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Lê Thị Thu" in text and "Hồ sơ giả mạo giấy tờ" in text


# The cursor goes to the field a refusal names, in every dialog module --------------------------------------


def test_the_payment_request_puts_the_cursor_on_the_amount_or_the_name(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "request_payment")
    fill(dialog.name_edit, "Lệ phí trích lục")
    fill(dialog.amount_edit, "0")
    dialog.name_edit.setFocus()
    dialog.accept()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.amount_edit  # the domain: more than 0
    dialog.amount_edit.setText("8.000 đ")
    dialog.name_edit.setFocus()
    dialog.accept()
    assert dialog.focusWidget() is dialog.amount_edit  # the dialog's own reading of the amount
    dialog.name_edit.clear()
    dialog.amount_edit.setText("8000")
    dialog.accept()
    assert dialog.focusWidget() is dialog.name_edit and DossierFee.select().count() == 0


def test_the_stop_puts_the_cursor_on_the_signer_even_reworded(qtbot, page, ctx, monkeypatch):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")  # Mẫu 05 is the leader's
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "stop")
    dialog.signer_edit.clear()
    fill(dialog.reason, "Hồ sơ có giấy tờ giả mạo")
    dialog.accept()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.signer_edit
    fill(dialog.signer_edit, "Trần Văn Minh")
    dialog.reason.clear()
    dialog.accept()
    assert dialog.focusWidget() is dialog.reason

    def reworded(*args):
        raise ValidationError("Lý do đã ghi chưa đủ rõ cho người ký.", Field.SIGNER_NAME)  # the reason's words
    monkeypatch.setattr(lifecycle, "stop", reworded)
    fill(dialog.reason, "Hồ sơ có giấy tờ giả mạo")
    dialog.accept()
    assert dialog.message.plain_text() == "Lý do đã ghi chưa đủ rõ cho người ký."
    assert dialog.focusWidget() is dialog.signer_edit and get_dossier(ctx, dossier.code).status == Status.IN_PROGRESS


def test_a_refused_transition_puts_the_cursor_where_the_dialog_says(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "handover")
    fill(dialog.unit_edit, OTHER_UNIT)
    dialog.note_edit.setFocus()
    lifecycle.withdraw(ctx, dossier.code, "Công dân không còn nhu cầu")  # meanwhile, at another counter
    dialog.accept()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.unit_edit  # the dialog's place for no one field


def test_the_apology_puts_the_cursor_on_the_new_date(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")
    ctx.clock.at = at("2026-02-24 09:00")
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "apologise")
    fill(dialog.reason, "Cần xác minh thêm tại nơi cư trú")
    for moment in ("10:00 28/02/2026", "12:15 27/02/2026"):  # a Saturday; lunch time
        dialog.due_edit.setDateTime(QDateTime.fromString(moment, "HH:mm dd/MM/yyyy"))
        dialog.reason.setFocus()
        dialog.accept()
        assert dialog.isVisible() and dialog.focusWidget() is dialog.due_edit, dialog.message.plain_text()
    dialog.due_edit.setDateTime(QDateTime.fromString("10:00 27/02/2026", "HH:mm dd/MM/yyyy"))
    dialog.reason.clear()
    dialog.accept()
    assert dialog.focusWidget() is dialog.reason


def test_the_return_puts_the_cursor_on_the_collectors_name_or_id(qtbot, page, ctx):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    page.load(dossier.code)
    dialog = press_action(qtbot, page, "return_result")
    dialog.proxy_radio.setChecked(True)
    fill(dialog.id_edit, "038190054321")
    dialog.accept()
    assert dialog.isVisible() and dialog.focusWidget() is dialog.name_edit
    fill(dialog.name_edit, "Trần Thị Bích")
    dialog.id_edit.setText("0381")
    dialog.name_edit.setFocus()
    dialog.accept()
    assert dialog.focusWidget() is dialog.id_edit and get_dossier(ctx, dossier.code).status == Status.RESULT_READY
