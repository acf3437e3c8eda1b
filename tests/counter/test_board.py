"""Today's board and the search box, on a handful of dossiers at known times (now: Fri 13/02/2026 10:00)."""

import pytest

from counter.calendar import schedule
from counter.dossiers import board, lifecycle, reception
from counter.records import ApplicantInput, DossierDraft, DossierRow, GuidanceItem
from counter.status import Status
from tests.conftest import at
from tests.counter.lifecycle_steps import AN, UNIT, login, receive

BICH = ApplicantInput(id_number="038190054321", full_name="Trần Thị Bích", phone="0987654321")
NOW = at("2026-02-13 10:00")


def received(ctx, procedure: str, when: str, applicant=AN, then=()):
    """A dossier received at `when`, then taken through `then` (each at the reception time), clock back to NOW."""
    ctx.clock.at = at(when)
    d = receive(ctx, procedure, applicant)
    for step in then:
        d, _ = step(ctx, d.code)
    ctx.clock.at = NOW
    return d


def handed(ctx, code):
    return lifecycle.handover(ctx, code, UNIT)


@pytest.fixture
def desk(ctx):
    login(ctx, "canbo")

    def paused(c, code):
        return lifecycle.request_supplement(c, code, [GuidanceItem("Tờ khai", "Chưa ký")], "Chưa ký")

    def ready(c, code):
        return lifecycle.record_result(c, code, "12/2026")

    ds = {
        # khai sinh (same day): received Mon 09/02 08:00, due 17:00 that day, then paused for a supplement
        "paused": received(ctx, "1.001193", "2026-02-09 08:00", then=(handed, paused)),
        # xác nhận hôn nhân (3 working days) from Tue 10/02 08:00: due Fri 13/02 08:00 — two hours late now
        "late_today": received(ctx, "1.004873", "2026-02-10 08:00", then=(handed,)),
        "ready": received(ctx, "1.001193", "2026-02-10 09:00", BICH, then=(handed, ready)),
        # khai sinh received Thu 12/02 08:00: due 12/02 17:00 — late since yesterday
        "late": received(ctx, "1.001193", "2026-02-12 08:00", then=(handed,)),
        "returned": received(ctx, "1.001193", "2026-02-12 09:00",
                             then=(handed, ready, lambda c, code: lifecycle.return_result(c, code))),
        # today: a khai sinh due 17:00, a xác nhận due Wed 25/02 09:00 (Tết 16–20/02 in between)
        "due_today": received(ctx, "1.001193", "2026-02-13 08:30"),
        "on_time": received(ctx, "1.004873", "2026-02-13 09:00", BICH),
    }
    ds["refused"], _ = reception.refuse_dossier(
        ctx, DossierDraft(procedure_code="1.004873", applicant=BICH, components=()), "Không thuộc thẩm quyền")
    return ds


def codes(rows):
    return [r.code for r in rows]


def test_todays_lists(ctx, desk):
    assert desk["due_today"].due_at == at("2026-02-13 17:00")
    assert desk["late_today"].due_at == at("2026-02-13 08:00")
    assert desk["on_time"].due_at == at("2026-02-25 09:00")
    assert codes(board.received_today(ctx, NOW)) == codes([desk["on_time"], desk["due_today"]])  # not the refusal
    assert codes(board.due_today(ctx, NOW)) == codes([desk["due_today"]])
    assert codes(board.overdue(ctx, NOW)) == codes([desk["late"], desk["late_today"]])  # not the paused one
    assert codes(board.waiting_supplement(ctx)) == codes([desk["paused"]])
    (ready,) = board.ready_to_return(ctx)
    assert (ready.code, ready.applicant_name, ready.applicant_phone) == (
        desk["ready"].code, "Trần Thị Bích", "0987654321")
    assert ready.procedure_name == "Đăng ký khai sinh" and ready.status == Status.RESULT_READY


def test_the_lists_move_with_the_clock(ctx, desk):
    evening = at("2026-02-13 17:30")
    assert codes(board.due_today(ctx, evening)) == []
    assert codes(board.overdue(ctx, evening)) == codes([desk["late"], desk["late_today"], desk["due_today"]])
    monday = at("2026-02-16 08:00")  # Tết: nobody received anything
    assert board.received_today(ctx, monday) == [] and board.due_today(ctx, monday) == []
    # Paused at 08:00 on its reception day with 7 h left; back today 10:00: 10:00–11:30 and 13:30–17:00
    # use 5 h, Tết takes 16–20/02, so the last 2 h end Mon 23/02 09:00. Its clock runs again, not late.
    resumed, _ = lifecycle.receive_supplement(ctx, desk["paused"].code)
    assert resumed.due_at == at("2026-02-23 09:00")
    assert board.waiting_supplement(ctx) == [] and resumed.code not in codes(board.overdue(ctx, NOW))
    assert codes(board.overdue(ctx, at("2026-02-23 09:30")))[-1] == resumed.code


def test_time_left_and_colour(ctx, desk):
    cal = schedule.calendar(ctx)
    rows = dict(desk)
    # 10:00–11:30 and 13:30–17:00 are left today: 300 minutes, within a working day.
    assert board.time_left(NOW, rows["due_today"], cal) == (300, board.DUE_SOON)
    # Today 300 + Mon 23 and Tue 24 (480 each) + Wed 25 07:00–09:00 (120): 1,380 minutes.
    assert board.time_left(NOW, rows["on_time"], cal) == (1380, board.ON_TIME)
    # Due Thu 12/02 17:00; from then to Fri 10:00 is 180 working minutes.
    assert board.time_left(NOW, rows["late"], cal) == (-180, board.OVERDUE)
    assert board.time_left(NOW, rows["paused"], cal) == (None, board.ON_TIME)  # the clock is paused
    assert board.time_left(NOW, rows["ready"], cal) == (None, board.ON_TIME)  # nothing runs any more


def test_due_soon_is_at_most_one_working_day():
    from counter.calendar.workdays import WorkCalendar
    from counter.records import OfficeHours
    cal = WorkCalendar({}, OfficeHours())
    row = DossierRow(id=1, code="x", applicant_name="", procedure_name="", received_at=at("2026-03-02 08:00"),
                     due_at=at("2026-03-04 17:00"), status=Status.IN_PROGRESS)
    assert board.time_left(at("2026-03-03 17:00"), row, cal) == (480, board.DUE_SOON)
    assert board.time_left(at("2026-03-03 16:59"), row, cal) == (481, board.ON_TIME)
    assert board.time_left(at("2026-03-04 17:00"), row, cal) == (0, board.DUE_SOON)
    assert board.time_left(at("2026-03-04 17:01"), row, cal) == (0, board.OVERDUE)  # closed: no working time


def test_find_by_code_and_its_end(ctx, desk):
    target = desk["on_time"]
    assert codes(board.find(ctx, target.code)) == [target.code]
    assert codes(board.find(ctx, f" {target.code.lower()} ")) == [target.code]
    day_and_seq = target.code.split("-", 1)[1]  # "260213-0002"
    assert codes(board.find(ctx, day_and_seq)) == [target.code]
    seq = target.code[-4:]
    same_seq = sorted((d for d in desk.values() if d.code.endswith(seq)), key=lambda d: d.received_at, reverse=True)
    assert len(same_seq) > 1  # several days used this number
    assert codes(board.find(ctx, seq)) == codes(same_seq)
    assert codes(board.find(ctx, seq.lstrip("0"))) == codes(same_seq)
    assert board.find(ctx, "000.00.06.H56-260213-0999") == [] and board.find(ctx, "260213-0999") == []


def test_find_a_person(ctx, desk):
    bich = codes([desk["refused"], desk["on_time"], desk["ready"]])  # newest first
    assert codes(board.find(ctx, "038190054321")) == bich
    assert codes(board.find(ctx, "0987 654 321")) == bich
    assert codes(board.find(ctx, "+84 987 654 321")) == bich == codes(board.find(ctx, "(0987) 654.321"))
    assert codes(board.find(ctx, "tran thi bich")) == bich
    assert codes(board.find(ctx, "Trần Thị")) == bich
    assert len(board.find(ctx, "nguyen van an")) == 5
    assert board.find(ctx, "le van") == [] and board.find(ctx, "   ") == [] and board.find(ctx, "099999999999") == []


def test_find_on_an_empty_database(ctx):
    assert board.find(ctx, "0001") == [] and board.find(ctx, "Nguyễn") == []


def test_a_phone_given_in_international_form_is_stored_and_found_in_one_form(ctx, clerk):
    from counter.dossiers import applicants
    from tests.counter.lifecycle_steps import receive
    cuc = ApplicantInput(id_number="038190054329", full_name="Lê Thị Cúc", phone="+84 912 345 678")
    d = receive(ctx, applicant=cuc)
    assert d.applicant.phone == "0912345678"
    assert [a.full_name for a in applicants.find_by_phone(ctx, "84912345678")] == ["Lê Thị Cúc"]
