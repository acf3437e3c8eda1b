"""The calendar in the administrator's hands: versions, the impact on open dossiers, moving appointments later,
years without a calendar."""

from datetime import date

import pytest

from counter.calendar import admin, schedule, versions
from counter.calendar.workdays import HOLIDAY, REST_DAY, WORKDAY
from counter.clock import FixedClock
from counter.dossiers import lifecycle
from counter.dossiers.lookup import get_dossier
from counter.errors import NotFound, PermissionDenied, ValidationError
from counter.status import Status
from db.models import CalendarDay, CalendarVersion, DossierHistory, OutboxEntry
from tests.conftest import at
from tests.counter.lifecycle_steps import login, receive, walk

SOURCE = "Công văn số 12/UBND-VP ngày 10/02/2026"


def as_admin(ctx):
    return login(ctx, "admin")


def test_a_fresh_database_starts_at_version_one_from_the_shipped_calendar(ctx):
    [first] = versions.list_versions(ctx)
    assert (first.number, first.action, first.actor_name) == (1, "seed", "")
    assert first.day_count == CalendarDay.select().count() > 0
    assert schedule.calendar(ctx).version == 1


def test_each_change_is_a_new_version_and_the_old_ones_are_kept(ctx):
    user = as_admin(ctx)
    assert schedule.calendar(ctx).is_working_day(date(2026, 3, 3))
    version, changes = admin.add_day(ctx, date(2026, 3, 3), "holiday", SOURCE, note="Nghỉ bầu cử", name="Bầu cử")
    assert changes.calendar
    assert (version.number, version.action, version.day, version.kind, version.source, version.note) == (
        2, "add", date(2026, 3, 3), HOLIDAY, SOURCE, "Nghỉ bầu cử")
    assert version.actor_name == user.full_name
    assert not schedule.calendar(ctx).is_working_day(date(2026, 3, 3))  # the cached calendar was rebuilt
    assert schedule.calendar(ctx).version == 2
    assert CalendarDay.get(CalendarDay.date == date(2026, 3, 3)).origin == "admin"

    removed, _ = admin.remove_day(ctx, date(2026, 3, 3), "Công văn số 13/UBND-VP")
    assert (removed.number, removed.action, removed.kind) == (3, "remove", HOLIDAY)
    assert schedule.calendar(ctx).is_working_day(date(2026, 3, 3))
    assert date(2026, 3, 3) not in versions.version_days(ctx, 1)
    assert versions.version_days(ctx, 2)[date(2026, 3, 3)] == HOLIDAY
    assert date(2026, 3, 3) not in versions.version_days(ctx, 3)
    assert [v.number for v in versions.list_versions(ctx)] == [3, 2, 1]


@pytest.mark.parametrize(("kind", "stored"), [("holiday", HOLIDAY), ("rest", REST_DAY), ("working", WORKDAY),
                                              ("rest_day", REST_DAY)])
def test_the_command_line_kinds_are_understood(ctx, kind, stored):
    as_admin(ctx)
    admin.add_day(ctx, date(2026, 3, 7), kind, SOURCE)  # a Saturday
    assert CalendarDay.get(CalendarDay.date == date(2026, 3, 7)).kind == stored


@pytest.mark.parametrize(("call", "message"), [
    (lambda ctx: admin.add_day(ctx, date(2026, 3, 3), "holiday", "  "), "văn bản căn cứ"),
    (lambda ctx: admin.add_day(ctx, date(2026, 3, 3), "festival", SOURCE), "không hợp lệ"),
    (lambda ctx: admin.add_day(ctx, date(2026, 3, 3), "working", SOURCE), "vốn đã là ngày làm việc"),
    (lambda ctx: admin.remove_day(ctx, date(2026, 3, 3), SOURCE), "không có trong bảng lịch"),
    (lambda ctx: admin.remove_day(ctx, date(2026, 1, 1), ""), "văn bản căn cứ"),
    (lambda ctx: admin.move_later(ctx, ""), "văn bản căn cứ"),
])
def test_bad_input_writes_nothing(ctx, call, message):
    as_admin(ctx)
    before = (CalendarDay.select().count(), CalendarVersion.select().count())
    with pytest.raises((ValidationError, NotFound), match=message):
        call(ctx)
    assert (CalendarDay.select().count(), CalendarVersion.select().count()) == before


@pytest.mark.parametrize("username", ["canbo", "lanhdao", None])
def test_only_an_administrator_changes_the_calendar(ctx, username):
    if username:
        login(ctx, username)
    for call in (lambda: admin.add_day(ctx, date(2026, 3, 3), "holiday", SOURCE),
                 lambda: admin.remove_day(ctx, date(2026, 1, 1), SOURCE),
                 lambda: admin.move_later(ctx, SOURCE)):
        with pytest.raises(PermissionDenied, match="Chỉ quản trị viên"):
            call()
    assert CalendarVersion.select().count() == 1


def test_a_received_dossier_records_the_calendar_version_of_its_due_date(ctx, clerk):
    first = receive(ctx)
    assert first.calendar_version == 1
    as_admin(ctx)
    admin.add_day(ctx, date(2026, 3, 3), "holiday", SOURCE)
    login(ctx, "canbo")
    assert receive(ctx).calendar_version == 2
    assert get_dossier(ctx, first.code).calendar_version == 1


def test_a_new_holiday_lists_the_dossiers_it_moves_later_and_one_action_moves_them(ctx, clerk):
    # Fri 13/02/2026 10:00 + 3 working days, Tết 16–20/02 → Wed 25/02 10:00; a holiday on Mon 23/02 → Thu 26/02.
    moved = receive(ctx)
    ctx.clock.advance(days=12, hours=22)  # Thu 26/02 08:00: received after the new holiday, so not moved
    untouched = receive(ctx)
    done = receive(ctx)
    walk(ctx, done.code, ["withdraw"])  # closed: never listed
    as_admin(ctx)
    admin.add_day(ctx, date(2026, 2, 23), "holiday", SOURCE)
    [move] = admin.impact(ctx)
    assert (move.code, move.old_due, move.new_due, move.later) == (
        moved.code, at("2026-02-25 10:00"), at("2026-02-26 10:00"), True)
    assert move.applicant_name == "Nguyễn Văn An" and move.status == Status.RECEIVED
    entries_before = {(e.kind, e.key): e.revision for e in OutboxEntry.select()}

    moves, changes = admin.move_later(ctx, SOURCE, note="Theo chỉ đạo của UBND")
    assert [m.code for m in moves] == [moved.code]
    assert changes.dossiers == {moved.code} and changes.sync_queue and changes.to_send
    after = get_dossier(ctx, moved.code)
    assert after.due_at == at("2026-02-26 10:00") and after.original_due_at == at("2026-02-25 10:00")
    assert after.calendar_version == 2 and after.status == Status.RECEIVED
    step = after.history[-1]
    assert step.action == admin.MOVE_ACTION and step.actor_name == ctx.user.full_name
    assert SOURCE in step.note and "Theo chỉ đạo" in step.note and "26/02/2026" in step.note
    assert step.due_at == at("2026-02-26 10:00")
    entries = {(e.kind, e.key): e.revision for e in OutboxEntry.select()}
    assert entries[("step", step.step_uuid)] == 1  # the step is queued for the province…
    assert entries[("dossier", moved.code)] == entries_before[("dossier", moved.code)] + 1  # …and the dossier again
    assert get_dossier(ctx, untouched.code).history[-1].action == "receive"
    assert admin.impact(ctx) == ()  # nothing left to move
    assert admin.move_later(ctx, SOURCE) == ((), admin.Changes())  # and a second run writes nothing
    assert DossierHistory.select().where(DossierHistory.action == admin.MOVE_ACTION).count() == 1


def test_an_earlier_date_is_only_a_warning_never_applied(ctx, clerk):
    dossier = receive(ctx)
    as_admin(ctx)
    admin.remove_day(ctx, date(2026, 2, 20), SOURCE)  # the last day of Tết becomes a working day
    [move] = admin.impact(ctx)
    assert (move.old_due, move.new_due, move.later) == (at("2026-02-25 10:00"), at("2026-02-24 10:00"), False)
    moves, changes = admin.move_later(ctx, SOURCE)
    assert moves == () and not changes
    assert get_dossier(ctx, dossier.code).due_at == at("2026-02-25 10:00")
    assert admin.impact(ctx) == (move,)  # still shown


def test_paused_and_apologised_dossiers_are_not_recomputed_and_a_resumed_one_counts_from_its_resume(ctx, clerk):
    paused = receive(ctx)
    walk(ctx, paused.code, ["handover", "request_supplement"])
    resumed = receive(ctx)
    walk(ctx, resumed.code, ["handover", "request_supplement"])
    ctx.clock = FixedClock(at("2026-02-24 09:00"))  # 1 working day (+ the morning of 13/02) had been used
    before = get_dossier(ctx, resumed.code).due_at
    lifecycle.receive_supplement(ctx, resumed.code)
    after_resume = get_dossier(ctx, resumed.code)
    assert after_resume.due_at != before and after_resume.calendar_version == 1
    login(ctx, "lanhdao")
    sorry = receive(ctx)
    lifecycle.apologise(ctx, sorry.code, "Cần xác minh thêm", at("2026-03-04 10:00"))
    as_admin(ctx)
    assert after_resume.due_at == get_dossier(ctx, sorry.code).original_due_at == at("2026-02-27 09:00")
    admin.add_day(ctx, date(2026, 2, 27), "holiday", SOURCE)  # moves both, were they counted from a clock
    [move] = admin.impact(ctx)
    # From its resume with 3 working days left, not from its reception (that would be 25/02, an earlier warning).
    assert (move.code, move.old_due, move.new_due) == (resumed.code, at("2026-02-27 09:00"), at("2026-03-02 09:00"))


def test_years_without_a_calendar_are_named(ctx, clerk):
    assert admin.missing_calendar_notice(ctx, date(2026, 5, 1)) == ""  # 2026 and 2027 are shipped
    assert admin.missing_calendar_notice(ctx, date(2027, 5, 1)) == "Chưa có lịch làm việc năm 2028"
    assert admin.years_without_calendar(ctx, [2025, 2028, 2029]) == [2028, 2029]
    assert admin.due_date_warning(ctx, at("2026-03-02 10:00"), at("2026-03-05 10:00")) == ""
    assert admin.due_date_warning(ctx, at("2026-03-02 10:00"), None) == ""
    warning = admin.due_date_warning(ctx, at("2027-12-28 10:00"), at("2028-01-05 10:00"))
    assert warning.startswith("Chưa có lịch làm việc năm 2028")


def test_an_added_day_alone_does_not_make_a_year_loaded(ctx):
    as_admin(ctx)
    admin.add_day(ctx, date(2028, 1, 3), "rest", SOURCE)
    assert admin.years_without_calendar(ctx, [2028]) == [2028]


def test_demo_dossiers_record_the_calendar_version_too(ctx):
    from db.models import Dossier
    from devtools.demo.build import add_demo_dossiers

    add_demo_dossiers(ctx, 8, seed=3, recent=True)
    rows = list(Dossier.select(Dossier.due_at, Dossier.calendar_version))
    assert rows and {r.calendar_version for r in rows if r.due_at is not None} == {1}
    assert {r.calendar_version for r in rows if r.due_at is None} <= {None}


def test_an_administrator_confirms_a_year_entered_in_full(ctx):
    """A year the shipped calendar does not cover is named until an administrator, having entered its days from
    the announcement, confirms it: then nothing warns about it, and the version says who and on what authority."""
    login(ctx, "admin")
    assert admin.years_without_calendar(ctx, [2031]) == [2031]
    admin.add_day(ctx, date(2031, 1, 27), "holiday", "Thông báo 99/TB-UBND lịch nghỉ Tết 2031")
    assert admin.years_without_calendar(ctx, [2031]) == [2031]  # one day does not make a whole year
    version, _ = admin.confirm_year(ctx, 2031, "Thông báo 99/TB-UBND lịch nghỉ Tết 2031")
    assert admin.years_without_calendar(ctx, [2031]) == [] and version.action == "confirm_year"
    with pytest.raises(ValidationError, match="đã có đủ"):
        admin.confirm_year(ctx, 2031, "lần nữa")
    login(ctx, "canbo")
    with pytest.raises(PermissionDenied):
        admin.confirm_year(ctx, 2032, "Thông báo")
