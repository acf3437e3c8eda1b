"""The working-day calendar: the table's exceptions, office hours, the holidays-package fallback, admin edits."""

import json
from datetime import UTC, date, datetime, time

import pytest

import resources
from counter.calendar import workdays
from counter.calendar.workdays import (
    WorkCalendar,
    list_calendar_days,
    load_calendar,
    package_holidays,
    remove_calendar_day,
    seed_calendar,
    set_calendar_day,
)
from counter.clock import VN_TZ
from counter.errors import NotFound, ValidationError
from counter.records import OfficeHours
from db.models import CalendarDay
from tests.conftest import at


def seed_table() -> dict[date, str]:
    entries = json.loads(resources.path("data", "calendar_vn.json").read_text(encoding="utf-8"))["entries"]
    return {date.fromisoformat(e["date"]): e["kind"] for e in entries}


CAL = WorkCalendar(seed_table(), OfficeHours())


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 3, 3), True),  # an ordinary Tuesday
        (date(2026, 3, 7), False),  # an ordinary Saturday
        (date(2026, 1, 2), False),  # Friday rest day, swapped with…
        (date(2026, 1, 10), True),  # …the make-up Saturday
        (date(2025, 4, 26), True),  # make-up Saturday for Friday 02/05/2025
        (date(2025, 5, 2), False),
        (date(2026, 8, 22), True),  # make-up Saturday for Monday 31/08/2026
        (date(2026, 8, 31), False),
        (date(2026, 4, 27), False),  # nghỉ bù Giỗ Tổ (26/04/2026 is a Sunday)
        (date(2026, 11, 24), False),  # Ngày Văn hóa Việt Nam, from 2026
        (date(2025, 1, 29), False),  # Tết Ất Tỵ
        (date(2026, 2, 18), False),  # Tết Bính Ngọ
    ],
)
def test_seeded_days(day, working):
    assert CAL.is_working_day(day) is working


def test_next_working_moment_keeps_open_hours():
    assert CAL.next_working_moment(at("2026-03-03 09:15")) == at("2026-03-03 09:15")
    assert CAL.next_working_moment(at("2026-03-03 07:00")) == at("2026-03-03 07:00")
    assert CAL.next_working_moment(at("2026-03-03 13:30")) == at("2026-03-03 13:30")


@pytest.mark.parametrize(
    ("when", "moved_to"),
    [
        ("2026-03-03 06:00", "2026-03-03 07:00"),  # before opening
        ("2026-03-03 11:30", "2026-03-03 13:30"),  # the morning's end is lunch
        ("2026-03-03 12:00", "2026-03-03 13:30"),
        ("2026-03-03 17:00", "2026-03-04 07:00"),  # closing time is closed
        ("2026-03-03 18:00", "2026-03-04 07:00"),
        ("2026-03-08 10:00", "2026-03-09 07:00"),  # Sunday → Monday
        ("2026-04-24 18:00", "2026-04-28 07:00"),  # Fri evening; Sat, Sun, Mon 27/04 holiday → Tue
        ("2026-01-09 18:00", "2026-01-10 07:00"),  # Fri evening → the make-up Saturday
    ],
)
def test_next_working_moment_moves_to_the_next_opening(when, moved_to):
    assert CAL.next_working_moment(at(when)) == at(moved_to)


def test_any_aware_datetime_is_accepted_and_vietnam_time_returned():
    utc = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
    moment = CAL.next_working_moment(utc)
    assert moment == at("2026-03-03 09:00") and moment.utcoffset().total_seconds() == 7 * 3600
    evening = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)  # 18:00 in Vietnam
    assert CAL.next_working_moment(evening).tzinfo is VN_TZ
    assert CAL.next_working_moment(evening) == at("2026-03-04 07:00")


def test_add_working_minutes():
    # 11:00 + 60: 30 min to 11:30, lunch, 30 min from 13:30 → 14:00
    assert CAL.add_working_minutes(at("2026-03-02 11:00"), 60) == at("2026-03-02 14:00")
    # a whole morning from 07:00 ends at 11:30 (the earliest moment; due dates rewrite it)
    assert CAL.add_working_minutes(at("2026-03-02 07:00"), 270) == at("2026-03-02 11:30")
    # Fri 16:00 + 120: 60 on Friday, the weekend is skipped, 60 from Mon 07:00 → Mon 08:00
    assert CAL.add_working_minutes(at("2026-03-06 16:00"), 120) == at("2026-03-09 08:00")
    # from a Sunday: the first 480 minutes are Monday's
    assert CAL.add_working_minutes(at("2026-03-08 10:00"), 480) == at("2026-03-09 17:00")
    assert CAL.add_working_minutes(at("2026-03-08 10:00"), 0) == at("2026-03-08 10:00")


def test_working_minutes_between():
    # Fri 16:00 → Mon 08:00: 60 + 60
    assert CAL.working_minutes_between(at("2026-03-06 16:00"), at("2026-03-09 08:00")) == 120
    assert CAL.working_minutes_between(at("2026-03-09 08:00"), at("2026-03-06 16:00")) == -120
    # across lunch: 11:00–11:30 and 13:30–14:00
    assert CAL.working_minutes_between(at("2026-03-03 11:00"), at("2026-03-03 14:00")) == 60
    # Fri 13/02/2026 16:00 → Mon 23/02 08:00: the Tết week counts nothing → 60 + 60
    assert CAL.working_minutes_between(at("2026-02-13 16:00"), at("2026-02-23 08:00")) == 120
    # Fri 09/01/2026 16:00 → Mon 12/01 08:00: 60 + the make-up Saturday 480 + 60
    assert CAL.working_minutes_between(at("2026-01-09 16:00"), at("2026-01-12 08:00")) == 600
    # a full working week: 5 × 480
    assert CAL.working_minutes_between(at("2026-03-02 07:00"), at("2026-03-09 07:00")) == 2400


def test_day_length_comes_from_the_hours():
    assert CAL.day_minutes == 480  # 4 h 30 + 3 h 30
    custom = WorkCalendar({}, OfficeHours(time(7, 30), time(11, 30), time(13, 0), time(17, 0)), covered_years=[2026])
    assert custom.day_minutes == 480  # 4 h + 4 h
    assert custom.next_working_moment(at("2026-03-03 07:10")) == at("2026-03-03 07:30")
    assert custom.next_working_moment(at("2026-03-03 11:45")) == at("2026-03-03 13:00")
    assert custom.next_working_moment(at("2026-03-03 13:15")) == at("2026-03-03 13:15")
    short = WorkCalendar({}, OfficeHours(time(7, 0), time(11, 0), time(13, 0), time(16, 0)), covered_years=[2026])
    assert short.day_minutes == 420


def test_bad_office_hours_are_refused():
    with pytest.raises(ValidationError, match="Giờ làm việc không hợp lệ"):
        WorkCalendar({}, OfficeHours(morning_end=time(14, 0)))


def test_bad_kind_in_the_mapping_is_refused():
    with pytest.raises(ValidationError, match="không hợp lệ"):
        WorkCalendar({date(2026, 5, 5): "vacation"}, OfficeHours())


# The holidays package, for years the table does not cover ---------------------------------------


def test_year_outside_the_table_uses_the_holidays_package():
    assert 2030 not in CAL.covered_years
    assert not CAL.is_working_day(date(2030, 1, 1))  # Tuesday, Tết Dương lịch
    assert not CAL.is_working_day(date(2030, 9, 2))  # Monday, Quốc khánh
    assert not CAL.is_working_day(date(2030, 9, 3))  # Tuesday, the adjacent day
    assert CAL.is_working_day(date(2030, 9, 4))
    assert CAL.next_working_moment(at("2030-08-30 18:00")) == at("2030-09-04 07:00")


def test_package_is_asked_once_per_year_and_never_for_a_covered_year(monkeypatch):
    asked = []

    def fake(year):
        asked.append(year)
        return frozenset({date(2030, 3, 5)})

    monkeypatch.setattr(workdays, "package_holidays", fake)
    cal = WorkCalendar(seed_table(), OfficeHours())
    assert cal.covered_years == {2025, 2026, 2027}
    assert cal.is_working_day(date(2026, 3, 5)) and not cal.is_working_day(date(2030, 3, 5))
    assert cal.is_working_day(date(2030, 3, 6))
    assert asked == [2030]


def test_a_covered_year_ignores_a_package_holiday_the_table_lacks():
    # The package lists 24/11/2026; a table covering 2026 without that row means "working day".
    assert date(2026, 11, 24) in package_holidays(2026)
    table = {day: kind for day, kind in seed_table().items() if day != date(2026, 11, 24)}
    assert WorkCalendar(table, OfficeHours()).is_working_day(date(2026, 11, 24))
    # The same table with 2026 declared uncovered falls back to the package.
    fallback = WorkCalendar(table, OfficeHours(), covered_years={2025, 2027})
    assert not fallback.is_working_day(date(2026, 11, 24))


# The CalendarDay table ----------------------------------------------------------------------------


def test_seed_calendar_is_idempotent(bare_ctx):
    expected = len(seed_table())
    assert seed_calendar(bare_ctx) == expected
    assert seed_calendar(bare_ctx) == 0
    assert CalendarDay.select().count() == expected
    row = CalendarDay.get(CalendarDay.date == date(2026, 1, 10))
    assert (row.kind, row.origin, row.status) == ("workday", "seed", "official")
    assert "12729/VPCP-KGVX" in row.source


def test_load_calendar_from_the_table(bare_ctx):
    seed_calendar(bare_ctx)
    cal = load_calendar(bare_ctx, OfficeHours())
    assert cal.covered_years == {2025, 2026, 2027}
    assert not cal.is_working_day(date(2026, 1, 2))
    assert cal.is_working_day(date(2026, 1, 10))
    assert cal.next_working_moment(at("2026-02-13 18:00")) == at("2026-02-23 07:00")


def test_seed_keeps_admin_rows_and_admin_removals(bare_ctx):
    seed_calendar(bare_ctx)
    set_calendar_day(bare_ctx, date(2026, 2, 20), "workday", "Làm việc ngày mùng 4 Tết", "Quyết định của UBND xã")
    remove_calendar_day(bare_ctx, date(2026, 11, 24))
    assert seed_calendar(bare_ctx) == 0
    row = CalendarDay.get(CalendarDay.date == date(2026, 2, 20))
    assert (row.kind, row.origin, row.name) == ("workday", "admin", "Làm việc ngày mùng 4 Tết")
    assert CalendarDay.get_or_none(CalendarDay.date == date(2026, 11, 24)) is None
    cal = load_calendar(bare_ctx, OfficeHours())
    assert cal.is_working_day(date(2026, 2, 20)) and cal.is_working_day(date(2026, 11, 24))


def test_an_admin_day_in_a_later_year_keeps_that_years_package_holidays(bare_ctx):
    seed_calendar(bare_ctx)
    set_calendar_day(bare_ctx, date(2028, 5, 6), "workday", "Làm bù cho ngày 2/5/2028", "Thông báo của Bộ Nội vụ")
    cal = load_calendar(bare_ctx, OfficeHours())
    assert 2028 not in cal.covered_years
    assert cal.is_working_day(date(2028, 5, 6))  # the Saturday the admin added
    assert not cal.is_working_day(date(2028, 5, 1))  # Labour Day, from the package all the same


def test_seed_follows_the_file_for_seed_rows(bare_ctx):
    seed_calendar(bare_ctx)
    CalendarDay.update(name="sửa tay").where(CalendarDay.date == date(2027, 2, 4)).execute()
    CalendarDay.create(date=date(2027, 2, 11), kind="holiday", name="Tết (ước tính cũ)", origin="seed")
    assert seed_calendar(bare_ctx) == 0
    assert CalendarDay.get(CalendarDay.date == date(2027, 2, 4)).name == "Tết Nguyên đán Đinh Mùi"
    assert CalendarDay.get_or_none(CalendarDay.date == date(2027, 2, 11)) is None


def test_set_calendar_day_adds_and_replaces(bare_ctx):
    set_calendar_day(bare_ctx, date(2028, 12, 30), "workday", "  Làm bù  ", "Văn bản số 1")
    set_calendar_day(bare_ctx, date(2028, 12, 30), "holiday", "Nghỉ", "Văn bản số 2")
    (entry,) = list_calendar_days(bare_ctx, 2028)
    assert (entry.date, entry.kind, entry.name, entry.source, entry.origin) == (
        date(2028, 12, 30), "holiday", "Nghỉ", "Văn bản số 2", "admin")


def test_set_calendar_day_rejects_a_bad_kind_in_vietnamese(bare_ctx):
    with pytest.raises(ValidationError) as error:
        set_calendar_day(bare_ctx, date(2026, 5, 5), "vacation", "Nghỉ", "")
    assert "Loại ngày «vacation» không hợp lệ" in str(error.value)
    assert "ngày làm bù" in str(error.value)
    with pytest.raises(ValidationError, match="Phải nhập tên ngày"):
        set_calendar_day(bare_ctx, date(2026, 5, 5), "holiday", "  ", "")
    assert CalendarDay.select().count() == 0


def test_remove_an_unknown_day(bare_ctx):
    with pytest.raises(NotFound, match="05/05/2026"):
        remove_calendar_day(bare_ctx, date(2026, 5, 5))
