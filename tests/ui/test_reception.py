"""The reception screen end to end: scan, type-ahead, the three outcomes and what they print."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from counter.clock import FixedClock
from counter.dossiers import reception
from counter.records import GuidanceItem, TimeRule
from counter.status import Status
from db.models import Dossier, Guidance, Office, OutboxEntry, PrintLog
from tests.conftest import at
from tests.ui.keys import type_text
from tests.ui.printed import barcodes, pdf_pages, pdf_text
from ui.reception import dialogs
from ui.reception.page import ReceivePage
from ui.reception.procedure_info import NO_DUE_DATE, REFRESH_MS

CCCD = "038090012345|123456789|Nguyễn Văn An|15031990|Nam|Thôn 3, Xã Quảng Hùng, Thanh Hóa|20042021"
KHAI_SINH = "1.001193"


@pytest.fixture
def page(receive_page):
    return receive_page


def pick(qtbot, page, typed: str, code: str) -> None:
    """Type into the procedure field (ASCII), walk down the results to `code`, Enter."""
    page.picker.edit.setFocus()
    if typed:
        qtbot.keyClick(page.picker.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(page.picker.edit, typed)
    codes = [p.code for p in page.picker.model.rows]
    assert code in codes, codes
    for _ in range(codes.index(code)):
        qtbot.keyClick(page.picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    assert page.picker.procedure().code == code


def filled(qtbot, page, code: str = KHAI_SINH, typed: str = "khai sinh") -> ReceivePage:
    assert page.fill_from_cccd(CCCD)
    pick(qtbot, page, typed, code)
    return page


def form_is_empty(page) -> bool:
    a = page.applicant
    return (not any(e.text() for e in (a.id_edit, a.name_edit, a.birth_edit, a.address_edit, a.phone_edit))
            and page.picker.procedure() is None and page.picker.edit.text() == ""
            and page.components.rowCount() == 0)


# The applicant ------------------------------------------------------------------------------------


def test_a_scanned_card_fills_the_applicant(page):
    assert page.fill_from_cccd(CCCD + "\r\n")
    a = page.applicant
    assert (a.id_edit.text(), a.old_id_edit.text()) == ("038090012345", "123456789")
    assert a.name_edit.text() == "Nguyễn Văn An"
    assert (a.birth_edit.text(), a.sex_combo.currentText()) == ("15/03/1990", "Nam")
    assert a.address_edit.text() == "Thôn 3, Xã Quảng Hùng, Thanh Hóa"
    assert a.message.kind == "info" and "20/04/2021" in a.message.plain_text()
    draft_applicant = a.applicant_input()
    assert draft_applicant.birth_date.isoformat() == "1990-03-15" and draft_applicant.old_id_number == "123456789"


def test_a_bad_date_on_the_card_is_named_and_the_fields_kept_for_correction(page):
    bad = CCCD.replace("15031990", "31021990")
    assert not page.fill_from_cccd(bad)
    message = page.applicant.message
    assert message.kind == "error"
    assert "Ngày sinh" in message.plain_text() and "31021990" in message.plain_text()
    assert page.applicant.name_edit.text() == "Nguyễn Văn An"  # what was read, to correct by hand
    assert page.applicant.birth_edit.text() == "31/02/1990"


def test_a_truncated_qr_shows_what_was_read(page):
    assert not page.fill_from_cccd("038090012345|123456789|Nguy")
    text = page.applicant.message.plain_text()
    assert "3 trường" in text and "038090012345|123456789|Nguy" in text


def test_a_qr_typed_slowly_into_the_id_field_is_read_on_enter(page, qtbot):
    page.applicant.id_edit.setFocus()
    type_text(page.applicant.id_edit, CCCD + "\n")
    assert page.applicant.id_edit.text() == "038090012345"
    assert page.applicant.name_edit.text() == "Nguyễn Văn An"


def test_a_known_person_brings_back_details_dossiers_and_guidance(page, qtbot, ctx):
    filled(qtbot, page)
    type_text(page.applicant.phone_edit, "0912345678")
    assert page.receive() is not None
    code = Dossier.get().code
    filled(qtbot, page)
    reception.record_guidance(ctx, KHAI_SINH, page.applicant.applicant_input(),
                              [GuidanceItem("Giấy chứng sinh", "Bản photo không rõ")], "Thiếu")
    page.new_reception()
    page.applicant.id_edit.setFocus()
    type_text(page.applicant.id_edit, "038090012345")
    a = page.applicant
    assert (a.name_edit.text(), a.phone_edit.text()) == ("Nguyễn Văn An", "0912345678")
    assert a.birth_edit.text() == "15/03/1990"
    rows = page.history.row_texts()
    assert (code, "Đăng ký khai sinh", "Được tiếp nhận") in [r[1:] for r in rows]
    assert any(r[1] == "Mẫu 02 (hướng dẫn)" for r in rows)
    assert "Giấy chứng sinh (Bản photo không rõ)" in page.history.guidance_note.plain_text()
    type_text(page.applicant.id_edit, "9")  # 13 digits: no longer that person
    assert page.history.row_texts() == []


# The procedure ---------------------------------------------------------------------------------------


def test_type_ahead_ignores_accents_and_enter_picks(page, qtbot):
    page.picker.edit.setFocus()
    qtbot.keyClicks(page.picker.edit, "khai sinh")
    names = [p.name for p in page.picker.model.rows]
    assert "Đăng ký khai sinh" in names and page.picker.results.isVisible()
    pick(qtbot, page, "", KHAI_SINH)
    assert not page.picker.results.isVisible()
    assert page.info.time_label.text() == TimeRule("same_day").describe()
    assert page.info.due_label.text() == "17 giờ 00 phút, Thứ Sáu 13/02/2026"
    assert "Miễn lệ phí" in page.info.fee_label.text()
    assert page.components.rowCount() == 3
    assert page.table.hasFocus()  # Enter moved on to the papers


def test_editing_the_picked_name_drops_the_procedure(page, qtbot):
    filled(qtbot, page)
    qtbot.keyClicks(page.picker.edit, "x")
    assert page.picker.procedure() is None and page.components.rowCount() == 0


def test_same_day_after_three_pm_is_due_the_next_working_day(qtbot, page, ctx):
    ctx.clock = FixedClock(at("2026-03-06 14:59"))  # a Friday
    pick(qtbot, page, "dang ky khai sinh", KHAI_SINH)
    assert page.info.due_label.text() == "17 giờ 00 phút, Thứ Sáu 06/03/2026"
    assert page.info.timer.interval() == REFRESH_MS and page.info.timer.isActive()
    ctx.clock.advance(minutes=2)
    page.info.timer.timeout.emit()  # what the 30-second timer does
    assert page.info.due_label.text() == "17 giờ 00 phút, Thứ Hai 09/03/2026"


def test_before_tet_the_next_working_day_skips_the_holiday(qtbot, page, ctx):
    ctx.clock = FixedClock(at("2026-02-13 15:01"))
    pick(qtbot, page, "khai sinh", KHAI_SINH)
    assert page.info.due_label.text() == "17 giờ 00 phút, Thứ Hai 23/02/2026"


def test_a_procedure_without_deadline_says_so(page, ctx):
    from counter.catalogue import procedures
    procedure = replace(procedures.get_procedure(ctx, KHAI_SINH), time_rule=TimeRule("none"))
    page.info.set_procedure(procedure)
    assert page.info.due_label.text() == NO_DUE_DATE == "Không có ngày hẹn trả cụ thể theo quy định"


def test_components_show_optional_items_and_count_pages_for_certified_copies(qtbot, page):
    filled(qtbot, page, code="2.000815", typed="chung thuc ban sao")
    model = page.components
    assert not page.table.isColumnHidden(4)  # pages matter for this fee
    copy_row = [r.form for r in model.rows].index("bản sao")
    assert page.fee.amount_label.text() == "Chưa tính được"
    model.setData(model.index(copy_row, 4), 5)
    model.setData(model.index(copy_row, 3), 2)
    assert page.fee.amount_label.text() == "14.000 đồng"  # (2×2.000 + 3×1.000) × 2 copies
    pick(qtbot, page, "khai sinh", KHAI_SINH)
    assert not page.table.isColumnHidden(4)  # the column stays (issue 21); no "?" where pages do not count
    assert not any(model.data(model.index(r, 4)) == "?" for r in range(model.rowCount()))
    assert model.data(model.index(2, 1)).endswith("(không bắt buộc)")
    assert model.rows[2].handed_over is False and model.rows[0].handed_over is True


def test_exemption_needs_a_reason(qtbot, page):
    filled(qtbot, page, code="2.000635", typed="trich luc")
    assert page.fee.amount_label.text() == "8.000 đồng"
    page.fee.exempt_check.setChecked(True)
    assert page.fee.amount_label.text() == "0 đồng (miễn)"
    assert page.receive() is None
    assert "lý do miễn" in page.message.plain_text() and Dossier.select().count() == 0
    type_text(page.fee.reason_edit, "Hộ nghèo")
    dossier = page.receive()
    assert dossier.fee_total == 0 and dossier.fee_exempt_reason == "Hộ nghèo"


# The outcomes ----------------------------------------------------------------------------------------


def test_receive_commits_prints_mau01_and_empties_the_form(qtbot, page):
    filled(qtbot, page)
    announced = []
    page.changed.connect(announced.append)
    qtbot.keyClick(page.table, Qt.Key.Key_F9)
    dossier = Dossier.get()
    assert dossier.status == Status.RECEIVED and dossier.applicant_name == "Nguyễn Văn An"
    assert announced == []  # the views refresh once the preview is on screen
    qtbot.waitUntil(lambda: len(announced) == 1)
    assert announced[0].dossiers == {dossier.code}
    [job] = page.jobs
    assert (job.form, job.dossier_code, job.file_name) == ("mau01", dossier.code, dossier.code)
    text = pdf_text(job.pdf)
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text and "Nguyễn Văn An" in text
    assert "Liên 1" in text and "Liên 2" in text and pdf_pages(job.pdf) == 2
    assert barcodes(job.pdf, 0) == [dossier.code] and barcodes(job.pdf, 1) == [dossier.code]  # both copies
    assert form_is_empty(page)
    assert page.focusWidget() is page.applicant.id_edit
    assert dossier.code in page.message.plain_text() and "17 giờ 00 phút" in page.message.plain_text()


def test_ctrl_enter_also_receives(qtbot, page):
    filled(qtbot, page)
    qtbot.keyClick(page.applicant.name_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert Dossier.select().count() == 1 and len(page.jobs) == 1


def test_incomplete_records_guidance_and_prints_mau02_without_receiving(qtbot, page, monkeypatch):
    filled(qtbot, page)
    page.table.setFocus()
    page.table.setCurrentIndex(page.components.index(1, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # the birth certificate is missing
    asked = []

    def answer(parent, missing):
        asked.append(missing)
        return [GuidanceItem(missing[0], "Còn thiếu, cần nộp bản chính")], "Hồ sơ chưa đủ giấy tờ"
    monkeypatch.setattr(dialogs, "ask_guidance", answer)
    with qtbot.waitSignal(page.changed) as announced:
        qtbot.keyClick(page.table, Qt.Key.Key_F7)
    assert asked == [["Giấy chứng sinh (hoặc văn bản của người làm chứng / giấy cam đoan)"]]
    assert Dossier.select().count() == 0
    guidance = Guidance.get()
    assert guidance.applicant_name == "Nguyễn Văn An" and guidance.reason == "Hồ sơ chưa đủ giấy tờ"
    assert announced.args[0].guidance == {guidance.id}
    [job] = page.jobs
    assert (job.form, job.guidance_id, job.dossier_code) == ("mau02", guidance.id, None)
    text = pdf_text(job.pdf)
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and "Nguyễn Văn An" in text and "cần nộp bản chính" in text
    assert form_is_empty(page)


def test_receiving_with_a_required_paper_unticked_is_refused_with_advice(qtbot, page):
    filled(qtbot, page)
    page.components.toggle(0)
    assert page.receive() is None
    assert "thiếu giấy tờ bắt buộc" in page.message.plain_text() and "Mẫu 02" in page.message.plain_text()
    assert Dossier.select().count() == 0 and page.jobs == []
    assert page.applicant.name_edit.text() == "Nguyễn Văn An" and page.picker.procedure().code == KHAI_SINH


def test_refuse_records_status_3_and_prints_mau03(qtbot, page, monkeypatch):
    filled(qtbot, page)
    monkeypatch.setattr(dialogs, "ask_refusal_reason", lambda parent: "Không thuộc thẩm quyền của xã")
    qtbot.keyClick(page.applicant.name_edit, Qt.Key.Key_F8)
    dossier = Dossier.get()
    assert dossier.status == Status.REFUSED and dossier.due_at is None
    [job] = page.jobs
    assert (job.form, job.dossier_code) == ("mau03", dossier.code)
    text = pdf_text(job.pdf)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" in text and "Không thuộc thẩm quyền của xã" in text and "Nguyễn Văn An" in text
    assert form_is_empty(page)


def test_cancelling_a_dialog_changes_nothing(qtbot, page, monkeypatch):
    filled(qtbot, page)
    monkeypatch.setattr(dialogs, "ask_refusal_reason", lambda parent: None)
    monkeypatch.setattr(dialogs, "ask_guidance", lambda parent, missing: None)
    assert page.refuse() is None and page.guide() is None
    assert Dossier.select().count() == 0 and Guidance.select().count() == 0 and page.jobs == []
    assert page.picker.procedure().code == KHAI_SINH


def test_a_failure_while_writing_leaves_no_dossier_no_print_and_the_form_intact(qtbot, page, monkeypatch):
    filled(qtbot, page)
    type_text(page.details.summary_edit, "Khai sinh cho con thứ hai")

    def fail(step):
        if step == "outbox":
            raise OSError("ổ đĩa đầy")
    monkeypatch.setattr(reception, "written", fail)
    with qtbot.assertNotEmitted(page.changed, wait=50):
        qtbot.keyClick(page.table, Qt.Key.Key_F9)
    assert Dossier.select().count() == 0 and OutboxEntry.select().count() == 0 and PrintLog.select().count() == 0
    assert page.jobs == []
    assert page.message.kind == "error"
    assert "Không ghi được hồ sơ" in page.message.plain_text() and "ổ đĩa đầy" in page.message.plain_text()
    assert page.applicant.name_edit.text() == "Nguyễn Văn An"
    assert page.picker.procedure().code == KHAI_SINH and page.components.rowCount() == 3
    assert page.details.summary_edit.text() == "Khai sinh cho con thứ hai"
    monkeypatch.setattr(reception, "written", lambda step: None)
    assert page.receive() is not None  # the same form, once the fault is gone


def test_a_form_that_cannot_be_built_after_the_commit_is_reported_not_hidden(qtbot, page, monkeypatch):
    from ui.reception import jobs

    def broken(ctx, dossier):
        raise RuntimeError("font missing")
    monkeypatch.setattr(jobs, "receipt_job", broken)
    filled(qtbot, page)
    dossier = page.receive()
    assert Dossier.get().code == dossier.code and page.jobs == []
    text = page.message.plain_text()
    assert page.message.kind == "error" and dossier.code in text and "chưa tạo được phiếu" in text
    assert form_is_empty(page)  # received: the same form must not be received twice


def test_validation_errors_are_shown_and_nothing_is_lost(qtbot, page):
    type_text(page.applicant.name_edit, "Trần Thị Bình")
    assert page.receive() is None
    assert "Chưa chọn thủ tục" in page.message.plain_text() and page.picker.edit.hasFocus()
    pick(qtbot, page, "khai sinh", KHAI_SINH)
    type_text(page.applicant.id_edit, "12345")
    assert page.receive() is None
    assert "12 chữ số" in page.message.plain_text() and page.applicant.id_edit.hasFocus()
    type_text(page.applicant.birth_edit, "31/02/1990")
    page.applicant.id_edit.setText("038090012345")
    assert page.receive() is None and "Ngày sinh" in page.message.plain_text()
    assert page.applicant.name_edit.text() == "Trần Thị Bình" and Dossier.select().count() == 0


# Each refusal puts the cursor in the field it names (counter.errors.Field), whatever its words.
SPOILED = {
    "id_number": (lambda page: page.applicant.id_edit.setText("12345"), lambda page: page.applicant.id_edit),
    "old_id": (lambda page: page.applicant.old_id_edit.setText("1234"), lambda page: page.applicant.old_id_edit),
    "name": (lambda page: page.applicant.name_edit.clear(), lambda page: page.applicant.name_edit),
    "birth_date": (lambda page: page.applicant.birth_edit.setText("31/02/1990"),
                   lambda page: page.applicant.birth_edit),
    "phone": (lambda page: page.applicant.phone_edit.setText("12-ab"), lambda page: page.applicant.phone_edit),
    "procedure": (lambda page: page.picker.clear_choice(), lambda page: page.picker.edit),
    "required_papers": (lambda page: page.components.toggle(0), lambda page: page.table),
    "exempt_reason": (lambda page: page.fee.exempt_check.setChecked(True), lambda page: page.fee.reason_edit),
}


@pytest.mark.parametrize("spoiled", list(SPOILED))
def test_a_refused_field_gets_the_cursor(qtbot, page, spoiled):
    spoil, widget = SPOILED[spoiled]
    filled(qtbot, page)
    spoil(page)
    page.details.summary_edit.setFocus()  # the cursor elsewhere, as after a click on F9's button
    assert page.receive() is None and page.message.kind == "error" and Dossier.select().count() == 0
    assert page.focusWidget() is widget(page)


def test_a_summary_too_long_for_the_portal_is_refused_on_f9_and_before_f8_asks_the_reason(qtbot, page, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_refusal_reason", lambda parent: asked.append("reason"))
    filled(qtbot, page)
    page.details.summary_edit.setText("x" * 1001)
    page.table.setFocus()  # the cursor elsewhere (the summary box is where it must go)
    assert page.receive() is None and page.message.kind == "error" and Dossier.select().count() == 0
    assert "Trích yếu" in page.message.plain_text() and page.focusWidget() is page.details.summary_edit
    assert page.details.summary_edit.text() == "x" * 1001  # kept for the clerk to shorten
    page.table.setFocus()
    assert page.refuse() is None and asked == [] and page.focusWidget() is page.details.summary_edit
    page.details.summary_edit.setText("x" * 1000)
    assert page.receive() is not None and Dossier.get().summary == "x" * 1000


def test_f7_asks_for_the_name_before_the_papers_and_f8_for_the_id_before_the_reason(qtbot, page, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_guidance", lambda parent, missing: asked.append(missing))
    monkeypatch.setattr(dialogs, "ask_refusal_reason", lambda parent: asked.append("reason"))
    filled(qtbot, page)
    page.applicant.name_edit.clear()
    page.table.setFocus()
    assert page.guide() is None and asked == []
    assert page.message.plain_text() == "Chưa nhập họ tên người nộp hồ sơ."
    assert page.focusWidget() is page.applicant.name_edit
    type_text(page.applicant.name_edit, "Nguyễn Văn An")
    page.applicant.id_edit.setText("0380900")
    page.table.setFocus()
    assert page.refuse() is None and asked == [] and page.focusWidget() is page.applicant.id_edit


def test_f7_lists_the_papers_the_domain_finds_missing(qtbot, page, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_guidance", lambda parent, missing: asked.append(missing))
    filled(qtbot, page)
    required = [r for r, row in enumerate(page.components.rows) if not row.optional]
    assert page.components.missing_rows() == frozenset()
    page.components.toggle(required[0])
    assert page.components.missing_rows() == {required[0]}
    name = page.components.rows[required[0]].name
    # A paper added under the same name counts as handed over, as it does on F9.
    row = page.components.add_row()
    page.components.set_row(row, name=name)
    assert page.components.missing_rows() == frozenset()
    page.components.remove_row(row)
    assert page.components.missing_rows() == {required[0]}
    page.guide()
    assert asked == [[name]]


def test_rewording_a_message_does_not_move_the_cursor(qtbot, page, monkeypatch):
    from counter.dossiers import applicants
    from counter.errors import Field, ValidationError

    def reworded(full_name):
        raise ValidationError("Xin cho biết số định danh và điện thoại.", Field.NAME)  # other fields' words
    monkeypatch.setattr(applicants, "require_name", reworded)
    filled(qtbot, page)
    page.details.summary_edit.setFocus()
    assert page.receive() is None and page.message.plain_text() == "Xin cho biết số định danh và điện thoại."
    assert page.focusWidget() is page.applicant.name_edit

    def about_nothing(ctx, draft):
        raise ValidationError("Thủ tục, họ tên, giấy tờ: chưa ghi được.")  # about no one field
    monkeypatch.setattr(reception, "receive_dossier", about_nothing)
    page.details.summary_edit.setFocus()
    assert page.receive() is None and page.focusWidget() is page.details.summary_edit


def test_enter_moves_to_the_next_field(qtbot, page):
    page.applicant.id_edit.setFocus()
    qtbot.keyClick(page.applicant.id_edit, Qt.Key.Key_Return)
    assert page.focusWidget() is page.applicant.old_id_edit
    page.applicant.address_edit.setFocus()
    qtbot.keyClick(page.applicant.address_edit, Qt.Key.Key_Return)
    assert page.focusWidget() is page.picker.edit
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)  # nothing chosen yet: stay
    assert page.focusWidget() is page.picker.edit


def test_the_main_window_builds_this_page_and_routes_a_scan_to_it(qtbot, ctx, clerk):
    from ui.app import create_main_window
    window = create_main_window(ctx, clerk)
    qtbot.addWidget(window)
    assert isinstance(window.receive_page, ReceivePage)
    window.show_section("receive")
    window.on_scanned(CCCD)
    assert window.receive_page.applicant.name_edit.text() == "Nguyễn Văn An"


def test_a_fault_after_the_commit_still_prints_the_receipt_and_says_what_is_left(qtbot, page, monkeypatch):
    filled(qtbot, page)

    def broken(*_args, **_kwargs):
        raise OSError("không đọc được thư mục dữ liệu")
    monkeypatch.setattr(page.reuse, "link", broken)
    qtbot.keyClick(page.table, Qt.Key.Key_F9)
    dossier = Dossier.get()  # received once: F9 again would be a second dossier, so it must not look failed
    [job] = page.jobs
    assert (job.form, job.dossier_code) == ("mau01", dossier.code) and form_is_empty(page)
    shown = page.message.plain_text()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in shown and "Chưa dùng lại được bản số hóa đã có" in shown
    assert "Không ghi được hồ sơ" not in shown


def test_the_details_typed_and_chosen_reach_the_stored_dossier(qtbot, page):
    filled(qtbot, page)
    type_text(page.details.summary_edit, "Khai sinh cho con thứ ba")
    page.details.channel_combo.setCurrentIndex(page.details.channel_combo.findData(3))  # by post
    page.details.return_combo.setCurrentIndex(page.details.return_combo.findData(1))  # result by post
    page.details.sets_spin.setValue(2)
    qtbot.keyClick(page.table, Qt.Key.Key_F9)
    dossier = Dossier.get()
    assert (dossier.summary, dossier.channel, dossier.return_method, dossier.sets) == (
        "Khai sinh cho con thứ ba", 3, 1, 2)
    assert "Số lượng hồ sơ: 02 (bộ)" in pdf_text(page.jobs[0].pdf)


def test_a_database_behind_the_codes_already_issued_says_why_and_receives_nothing(qtbot, page, ctx):
    from counter.office import code_ledger
    Office.update(demo=False).execute()  # a real office: the demonstration is never refused
    code_ledger.record_issued(ctx, "000.00.06.H56-260213-0007", 0)  # issued, then lost to a restored backup
    filled(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key.Key_F9)
    assert Dossier.select().count() == 0 and page.jobs == [] and page.message.kind == "error"
    shown = page.message.plain_text()
    assert "máy này đã cấp mã hồ sơ 000.00.06.H56-260213-0007" in shown and "báo quản trị viên" in shown
    assert page.picker.procedure().code == KHAI_SINH  # the form is kept for when the admin has fixed it
