"""The rules beyond the status table: supplement pauses, the one apology, fees before return, rating."""

import pytest

from counter.catalogue import procedures
from counter.dossiers import lifecycle
from counter.dossiers.detail import load_detail
from counter.dossiers.transitions import allowed_actions
from counter.errors import IllegalTransition, PermissionDenied, ValidationError
from counter.records import Fee, GuidanceItem
from counter.status import Status
from db.models import DossierFee, ProcedureVersion
from tests.conftest import at
from tests.counter.lifecycle_steps import (
    AN,
    CALLS,
    CERTIFIED_COPIES,
    LATER,
    OTHER_UNIT,
    UNIT,
    dossier_in,
    login,
    receive,
    snapshot,
    walk,
)

ITEMS = [GuidanceItem("Tờ khai", "Chưa có chữ ký")]


def in_progress_at(ctx, received: str):
    """A 3-working-day dossier (1.004873) received at `received` and handed to UNIT at once."""
    ctx.clock.at = at(received)
    login(ctx, "canbo")
    dossier, _ = lifecycle.handover(ctx, receive(ctx).code, UNIT)
    return dossier


# Supplement: the clock pauses and resumes --------------------------------------------------------


def test_pause_and_resume_across_a_weekend_and_a_holiday(ctx):
    # Received Wed 22/04/2026 09:00 + 3 working days: Thu 23, Fri 24, then Tue 28 (Mon 27/04 is the
    # day off for Giỗ Tổ, which fell on Sunday 26/04) → due Tue 28/04 09:00.
    d = in_progress_at(ctx, "2026-04-22 09:00")
    assert d.due_at == at("2026-04-28 09:00")
    # Paused Fri 24/04 10:00. Left: Fri 10:00–11:30 (90) + 13:30–17:00 (210) + Tue 07:00–09:00 (120) = 420 min.
    ctx.clock.at = at("2026-04-24 10:00")
    d, _ = lifecycle.request_supplement(ctx, d.code, ITEMS, "Tờ khai chưa ký")
    assert d.status == Status.SUPPLEMENT and d.due_at == at("2026-04-28 09:00")
    (pause,) = load_detail(ctx, d.code).pauses
    assert (pause.paused_at, pause.remaining_minutes, pause.due_before) == (
        at("2026-04-24 10:00"), 420, at("2026-04-28 09:00"))
    assert pause.unit == UNIT and pause.reason == "Tờ khai chưa ký" and pause.items == tuple(ITEMS)
    assert pause.requested_by == "Nguyễn Thị Hoa" and pause.resumed_at is None
    # Back Tue 28/04 14:00: 14:00–17:00 (180), 240 left → Wed 29/04 07:00–11:00 → due Wed 29/04 11:00.
    ctx.clock.at = at("2026-04-28 14:00")
    d, _ = lifecycle.receive_supplement(ctx, d.code)
    assert d.status == Status.IN_PROGRESS
    assert d.due_at == at("2026-04-29 11:00")
    assert d.original_due_at == at("2026-04-28 09:00")  # the reception's date is kept
    (pause,) = load_detail(ctx, d.code).pauses
    assert (pause.resumed_at, pause.due_before, pause.due_after) == (
        at("2026-04-28 14:00"), at("2026-04-28 09:00"), at("2026-04-29 11:00"))
    assert d.history[-1].note == "Nhận hồ sơ bổ sung, hẹn trả mới 11:00 ngày 29/04/2026"


def test_the_due_timeline_follows_the_pause_the_resume_and_the_apology(ctx):
    d = in_progress_at(ctx, "2026-04-22 09:00")  # due Tue 28/04 09:00, as above
    ctx.clock.at = at("2026-04-24 10:00")
    lifecycle.request_supplement(ctx, d.code, ITEMS, "Tờ khai chưa ký")
    ctx.clock.at = at("2026-04-28 14:00")
    lifecycle.receive_supplement(ctx, d.code)  # due Wed 29/04 11:00
    login(ctx, "lanhdao")
    ctx.clock.at = at("2026-04-29 08:00")
    lifecycle.apologise(ctx, d.code, "Cần xác minh thêm", at("2026-05-05 10:00"))
    assert load_detail(ctx, d.code).due_timeline() == (
        (at("2026-04-22 09:00"), at("2026-04-28 09:00")), (at("2026-04-24 10:00"), None),
        (at("2026-04-28 14:00"), at("2026-04-29 11:00")), (at("2026-04-29 08:00"), at("2026-05-05 10:00")))


def test_resume_before_the_may_holidays(ctx):
    d = in_progress_at(ctx, "2026-04-22 09:00")
    ctx.clock.at = at("2026-04-24 10:00")
    lifecycle.request_supplement(ctx, d.code, ITEMS, "Tờ khai chưa ký")  # 420 min left, as above
    # Back Wed 29/04 15:00: 15:00–17:00 (120), 300 left; 30/04 and 01/05 are holidays, 02–03/05 a
    # weekend; Mon 04/05 07:00–11:30 (270), 30 left → 13:30 + 30 → Mon 04/05 14:00.
    ctx.clock.at = at("2026-04-29 15:00")
    assert lifecycle.receive_supplement(ctx, d.code)[0].due_at == at("2026-05-04 14:00")


def test_a_dossier_already_late_resumes_due_at_once(ctx):
    d = in_progress_at(ctx, "2026-04-22 09:00")
    ctx.clock.at = at("2026-04-28 10:00")  # an hour past due
    lifecycle.request_supplement(ctx, d.code, ITEMS, "Thiếu giấy tờ")
    assert load_detail(ctx, d.code).pauses[0].remaining_minutes == 0
    ctx.clock.at = at("2026-05-02 09:00")  # a Saturday: due at the next working moment
    assert lifecycle.receive_supplement(ctx, d.code)[0].due_at == at("2026-05-04 07:00")


def test_a_procedure_without_deadline_pauses_without_dates(ctx):
    ProcedureVersion.update(time_rule_kind="none").execute()
    procedures.invalidate_cache(ctx)
    d = in_progress_at(ctx, "2026-04-22 09:00")
    assert d.due_at is None
    lifecycle.request_supplement(ctx, d.code, ITEMS, "Thiếu giấy tờ")
    ctx.clock.at = at("2026-04-28 14:00")
    d, _ = lifecycle.receive_supplement(ctx, d.code)
    assert d.due_at is None and d.history[-1].note == "Nhận hồ sơ bổ sung"
    (pause,) = load_detail(ctx, d.code).pauses
    assert pause.remaining_minutes is None and pause.resumed_at == at("2026-04-28 14:00")


def test_at_most_one_supplement_per_processing_unit(ctx):
    d = in_progress_at(ctx, "2026-04-22 09:00")
    lifecycle.request_supplement(ctx, d.code, ITEMS, "Lần 1")
    lifecycle.receive_supplement(ctx, d.code)
    before = snapshot()
    with pytest.raises(IllegalTransition, match=f"“{UNIT}” đã yêu cầu bổ sung hồ sơ này một lần"):
        lifecycle.request_supplement(ctx, d.code, ITEMS, "Lần 2")
    assert snapshot() == before
    lifecycle.handover(ctx, d.code, OTHER_UNIT)
    d, _ = lifecycle.request_supplement(ctx, d.code, ITEMS, "Đơn vị khác")  # another unit may ask once too
    assert d.status == Status.SUPPLEMENT
    assert [p.unit for p in load_detail(ctx, d.code).pauses] == [UNIT, OTHER_UNIT]


@pytest.mark.parametrize("items, reason, message", [
    ([], "Thiếu", "ít nhất một giấy tờ"),
    ([GuidanceItem("  ", "x")], "Thiếu", "ít nhất một giấy tờ"),
    (ITEMS, " ", "lý do"),
])
def test_a_supplement_needs_items_and_a_reason(ctx, items, reason, message):
    d = in_progress_at(ctx, "2026-04-22 09:00")
    with pytest.raises(ValidationError, match=message):
        lifecycle.request_supplement(ctx, d.code, items, reason)


# The apology (Mẫu 04) -----------------------------------------------------------------------------


def test_the_apology_sets_the_new_date_once_and_keeps_the_first(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)  # received Fri 13/02 10:00, due Wed 25/02 10:00
    login(ctx, "lanhdao")
    d, _ = lifecycle.apologise(ctx, d.code, "Cần xác minh tại nơi cư trú trước đây", at("2026-03-02 10:00"))
    assert d.status == Status.IN_PROGRESS
    assert d.due_at == at("2026-03-02 10:00") and d.original_due_at == at("2026-02-25 10:00")
    apology = load_detail(ctx, d.code).apology
    assert (apology.due_before, apology.new_due, apology.signer_name, apology.signer_title) == (
        at("2026-02-25 10:00"), at("2026-03-02 10:00"), "Trần Văn Minh", "Giám đốc Trung tâm")
    assert apology.reason == "Cần xác minh tại nơi cư trú trước đây"
    assert d.history[-1].note == ("Xin lỗi và hẹn lại ngày trả kết quả: 10:00 ngày 02/03/2026. "
                                  "Lý do: Cần xác minh tại nơi cư trú trước đây")
    with pytest.raises(IllegalTransition, match="chỉ được hẹn lại một lần"):
        lifecycle.apologise(ctx, d.code, "Lại chậm", at("2026-03-09 10:00"))


@pytest.mark.parametrize("username", [None, "canbo"])
def test_only_a_leader_signs_an_apology(ctx, username):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    ctx.user = None
    if username:
        login(ctx, username)
    before = snapshot()
    with pytest.raises(PermissionDenied, match="Chỉ lãnh đạo"):
        lifecycle.apologise(ctx, d.code, "Cần xác minh", LATER)
    assert snapshot() == before


@pytest.mark.parametrize("username", [None, "canbo"])
def test_only_a_leader_or_an_admin_stops_a_dossier(ctx, username):
    """Mẫu 05 is signed by the head of the agency: a clerk (or a script with no user) is refused, nothing written."""
    d = dossier_in(ctx, Status.IN_PROGRESS)
    ctx.user = None
    if username:
        login(ctx, username)
    before = snapshot()
    with pytest.raises(PermissionDenied, match=r"Chỉ lãnh đạo mới được ký thông báo dừng giải quyết hồ sơ \(Mẫu 05\)"):
        lifecycle.stop(ctx, d.code, "Hồ sơ giả mạo giấy tờ", "Lê Thị Thu", "Phó Giám đốc")
    assert snapshot() == before
    assert "stop" not in allowed_actions(d, login(ctx, "canbo"))
    assert "stop" in allowed_actions(d, login(ctx, "lanhdao"))
    assert lifecycle.stop(ctx, d.code, "Hồ sơ giả mạo giấy tờ")[0].status == Status.STOPPED


@pytest.mark.parametrize("new_due", ["2026-02-27 17:00", "2026-02-27 11:30", "2026-02-27 07:00"])
def test_the_new_appointment_may_be_at_the_end_of_a_period(ctx, new_due):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")
    assert lifecycle.apologise(ctx, d.code, "Cần xác minh", at(new_due))[0].due_at == at(new_due)


def test_an_admin_may_sign_an_apology(ctx):
    d = dossier_in(ctx, Status.RECEIVED)
    login(ctx, "admin")
    assert lifecycle.apologise(ctx, d.code, "Cần xác minh", LATER)[0].due_at == LATER


@pytest.mark.parametrize("new_due, message", [
    ("2026-02-25 10:00", "phải sau ngày hẹn trả hiện tại"),  # the current due date itself
    ("2026-02-24 10:00", "phải sau ngày hẹn trả hiện tại"),
    ("2026-02-13 09:00", "phải sau thời điểm hiện tại"),
    ("2026-02-28 10:00", "không phải ngày làm việc"),  # a Saturday
    ("2026-02-27 23:30", "ngoài giờ làm việc"),
    ("2026-02-27 12:15", "ngoài giờ làm việc"),  # lunch
    ("2026-02-27 06:59", "ngoài giờ làm việc"),
])
def test_the_new_date_must_be_a_later_working_day(ctx, new_due, message):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")
    with pytest.raises(ValidationError, match=message):
        lifecycle.apologise(ctx, d.code, "Cần xác minh", at(new_due))
    with pytest.raises(ValidationError, match="lý do"):
        lifecycle.apologise(ctx, d.code, "", LATER)


def test_an_overdue_dossier_can_still_be_apologised_for(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    ctx.clock.at = at("2026-02-26 08:00")  # a day late
    login(ctx, "lanhdao")
    apologised, _ = lifecycle.apologise(ctx, d.code, "Chậm do mất điện", at("2026-02-27 16:00"))
    assert apologised.due_at == at("2026-02-27 16:00")


# Fees before the return ---------------------------------------------------------------------------


def test_the_return_waits_for_the_fees(ctx):
    login(ctx, "canbo")
    d = receive(ctx, "2.000815", components=CERTIFIED_COPIES)
    assert d.fee_total == 14_000 and d.fees[0].paid_at is None
    walk(ctx, d.code, ["handover", "record_result"])
    before = snapshot()
    with pytest.raises(IllegalTransition) as error:
        lifecycle.return_result(ctx, d.code)
    assert str(error.value) == ("Không thể trả kết quả: hồ sơ còn 14.000 đồng phí, lệ phí chưa nộp. "
                                "Hãy thu phí, lệ phí trước khi trả kết quả.")
    assert snapshot() == before
    d, _ = lifecycle.request_payment(ctx, d.code)  # the reception's fee line
    assert d.status == Status.AWAITING_PAYMENT
    assert d.history[-1].note == "Yêu cầu thực hiện nghĩa vụ tài chính: 14.000 đồng"
    ctx.clock.advance(minutes=20)
    d, _ = lifecycle.record_payment(ctx, d.code)
    assert d.status == Status.RESULT_READY  # the result was already there
    assert [f.paid_at for f in d.fees] == [at("2026-02-13 10:20")]
    assert lifecycle.return_result(ctx, d.code)[0].status == Status.RETURNED


def test_a_fee_set_during_processing_is_added_and_paid_before_the_result(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    d, _ = lifecycle.request_payment(ctx, d.code, [Fee("Lệ phí cấp bản sao trích lục", 8_000, code="LP01")])
    assert d.fee_total == 8_000 and [(f.name, f.amount, f.paid_at) for f in d.fees] == [
        ("Lệ phí cấp bản sao trích lục", 8_000, None)]
    d, _ = lifecycle.record_payment(ctx, d.code)
    assert d.status == Status.IN_PROGRESS and d.fees[0].paid_at == ctx.clock.now()
    assert d.history[-1].note == "Đã nộp phí, lệ phí: 8.000 đồng"
    d = walk(ctx, d.code, ["record_result", "return_result"])
    assert d.status == Status.RETURNED


@pytest.mark.parametrize("fees, message", [
    (None, "không có khoản phí"),
    ([Fee(" ", 1_000)], "tên khoản phí"),
    ([Fee("Lệ phí", 0)], "lớn hơn 0"),
])
def test_a_payment_request_needs_something_to_pay(ctx, fees, message):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match=message):
        lifecycle.request_payment(ctx, d.code, fees)
    assert DossierFee.select().count() == 0


# The result and the return ------------------------------------------------------------------------


def test_the_result_defaults_to_the_procedures_result_type_and_returns_to_the_desk(ctx):
    login(ctx, "canbo")
    d = receive(ctx, "1.001193")  # Đăng ký khai sinh → Giấy khai sinh, KQ.G15.000031
    desk = d.unit
    lifecycle.handover(ctx, d.code, UNIT)
    d, _ = lifecycle.record_result(ctx, d.code, "125/2026", note="Bản chính và 1 bản sao")
    assert d.status == Status.RESULT_READY and d.unit == desk
    assert (d.history[-1].from_unit, d.history[-1].to_unit) == (UNIT, desk)
    assert d.history[-1].note == "Nhận kết quả giải quyết: Giấy khai sinh số 125/2026. Bản chính và 1 bản sao"
    result = load_detail(ctx, d.code).result
    assert (result.number, result.result_code, result.result_name, result.note, result.recorded_by) == (
        "125/2026", "KQ.G15.000031", "Giấy khai sinh", "Bản chính và 1 bản sao", "Nguyễn Thị Hoa")


def test_a_result_code_given_replaces_the_default(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    lifecycle.record_result(ctx, d.code, "7/XN", result_code="KQ.G15.000040")
    assert load_detail(ctx, d.code).result.result_code == "KQ.G15.000040"
    with pytest.raises(ValidationError, match="số, ký hiệu"):
        lifecycle.record_result(ctx, dossier_in(ctx, Status.IN_PROGRESS).code, " ")


def test_the_applicant_collects_the_result(ctx):
    d = dossier_in(ctx, Status.RESULT_READY)
    ctx.clock.advance(days=5)
    d, _ = lifecycle.return_result(ctx, d.code)
    returned = load_detail(ctx, d.code).returned
    assert (returned.collector_name, returned.collector_id_number, returned.authorised, returned.returned_at) == (
        AN.full_name, AN.id_number, False, at("2026-02-18 10:00"))
    assert d.history[-1].note == "Trả kết quả cho người nộp hồ sơ Nguyễn Văn An"


def test_an_authorised_person_collects_with_name_and_id_number(ctx):
    d = dossier_in(ctx, Status.RESULT_READY)
    d, _ = lifecycle.return_result(ctx, d.code, "Lê Thị Bình", "038190054321")
    returned = load_detail(ctx, d.code).returned
    assert (returned.collector_name, returned.collector_id_number, returned.authorised) == (
        "Lê Thị Bình", "038190054321", True)
    assert d.history[-1].note == "Trả kết quả cho người được ủy quyền Lê Thị Bình"


@pytest.mark.parametrize("name, id_number, message", [
    ("Lê Thị Bình", None, "12 chữ số"),
    ("Lê Thị Bình", "03819005432", "12 chữ số"),
    (None, "038190054321", "họ tên"),
])
def test_a_collector_needs_a_name_and_a_12_digit_id(ctx, name, id_number, message):
    d = dossier_in(ctx, Status.RESULT_READY)
    with pytest.raises(ValidationError, match=message):
        lifecycle.return_result(ctx, d.code, name, id_number)


# Rating ----------------------------------------------------------------------------------------------


def test_rating_after_return_once(ctx):
    d = dossier_in(ctx, Status.RETURNED)
    d, _ = lifecycle.rate_service(ctx, d.code, "very_satisfied")
    assert d.status == Status.RETURNED and d.history[-1].note == "Đánh giá: RẤT HÀI LÒNG"
    rating = load_detail(ctx, d.code).rating
    assert (rating.level, rating.label, rating.rated_at) == ("very_satisfied", "RẤT HÀI LÒNG", ctx.clock.now())
    with pytest.raises(IllegalTransition, match="đã được đánh giá"):
        lifecycle.rate_service(ctx, d.code, "satisfied")


def test_dissatisfied_needs_a_reason(ctx):
    d = dossier_in(ctx, Status.RETURNED)
    with pytest.raises(ValidationError, match="KHÔNG HÀI LÒNG phải ghi rõ lý do"):
        lifecycle.rate_service(ctx, d.code, "dissatisfied", "  ")
    d, _ = lifecycle.rate_service(ctx, d.code, "dissatisfied", "Phải chờ lâu")
    assert load_detail(ctx, d.code).rating.reason == "Phải chờ lâu"
    assert d.history[-1].note == "Đánh giá: KHÔNG HÀI LÒNG. Phải chờ lâu"


def test_rating_only_after_return_and_with_a_known_level(ctx):
    d = dossier_in(ctx, Status.RESULT_READY)
    with pytest.raises(IllegalTransition, match="Đã xử lý xong"):
        lifecycle.rate_service(ctx, d.code, "satisfied")
    with pytest.raises(ValidationError, match="RẤT HÀI LÒNG"):
        lifecycle.rate_service(ctx, d.code, "rất hài lòng")


def test_the_stop_notice_keeps_its_reason_and_signer(ctx):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "admin")
    d, _ = lifecycle.stop(ctx, dossier.code, "Hồ sơ giả mạo giấy tờ")  # recorded by an administrator
    stopped = load_detail(ctx, d.code).stopped
    assert (stopped.reason, stopped.signer_name, stopped.signer_title) == (
        "Hồ sơ giả mạo giấy tờ", "Trần Văn Minh", "Giám đốc Trung tâm")  # the office's leader signs
    named, _ = lifecycle.stop(ctx, dossier_in(ctx, Status.RECEIVED).code, "Trùng hồ sơ", "Lê Thị Thu", "Phó Giám đốc")
    assert (load_detail(ctx, named.code).stopped.signer_name, load_detail(ctx, named.code).stopped.signer_title) == (
        "Lê Thị Thu", "Phó Giám đốc")


# Withdrawal and stop, hand-over input, codes ---------------------------------------------------------


@pytest.mark.parametrize("action, status, note", [
    ("withdraw", Status.WITHDRAWN, "Công dân yêu cầu rút hồ sơ: Công dân không còn nhu cầu"),
    ("stop", Status.STOPPED, "Dừng xử lý hồ sơ: Hồ sơ giả mạo giấy tờ"),
])
def test_withdraw_and_stop_record_the_reason(ctx, action, status, note):
    login(ctx, "lanhdao")
    d, _ = CALLS[action](ctx, dossier_in(ctx, Status.SUPPLEMENT).code)
    assert d.status == status and d.history[-1].note == note
    with pytest.raises(ValidationError, match="lý do"):
        getattr(lifecycle, action)(ctx, dossier_in(ctx, Status.IN_PROGRESS).code, "")


def test_handover_needs_a_different_place(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    with pytest.raises(ValidationError, match="đang ở “Công chức Tư pháp - Hộ tịch”"):
        lifecycle.handover(ctx, d.code, UNIT)
    with pytest.raises(ValidationError, match="đơn vị"):
        lifecycle.handover(ctx, d.code, "  ")


def test_unknown_and_malformed_codes(ctx):
    from counter.errors import NotFound
    with pytest.raises(NotFound):
        lifecycle.withdraw(ctx, "000.00.06.H56-260213-0999", "x")
    with pytest.raises(ValidationError, match="không phải mã hồ sơ"):
        lifecycle.withdraw(ctx, "HS-1", "x")
