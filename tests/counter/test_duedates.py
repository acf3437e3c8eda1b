"""Due dates over the shipped calendar. Each expected value is worked out by hand in its comment.

Default hours: 07:00–11:30 and 13:30–17:00 (a working day is 480 minutes), same-day cut-off 15:00.
"""

import json
from datetime import date, time

import pytest

import resources
from counter.calendar.duedates import compute_due, remaining_minutes, resume_due, working_minutes_left
from counter.calendar.workdays import WorkCalendar, load_calendar, seed_calendar
from counter.records import OfficeHours, TimeRule
from tests.conftest import at


def seed_table() -> dict[date, str]:
    entries = json.loads(resources.path("data", "calendar_vn.json").read_text(encoding="utf-8"))["entries"]
    return {date.fromisoformat(e["date"]): e["kind"] for e in entries}


CAL = WorkCalendar(seed_table(), OfficeHours())
SAME_DAY = TimeRule("same_day")


def days(n: int) -> TimeRule:
    return TimeRule("working_days", n)


def due(received: str, rule: TimeRule, cal: WorkCalendar = CAL):
    return compute_due(at(received), rule, cal)


# working_days: the clock time is kept --------------------------------------------------------------


def test_working_days_keep_the_clock_time():
    # Mon 02/03/2026 09:30 + 3 × 480 min → Thu 05/03 09:30
    assert due("2026-03-02 09:30", days(3)) == at("2026-03-05 09:30")


def test_working_days_from_opening_time_end_on_an_opening_time():
    # Mon 07:00 + 1440 min ends Wed 17:00, reported as the next period's start: Thu 05/03 07:00
    assert due("2026-03-02 07:00", days(3)) == at("2026-03-05 07:00")


def test_working_days_received_at_lunch():
    # Mon 12:00 → 13:30; + 1440 min ends Thu 11:30, reported as Thu 05/03 13:30
    assert due("2026-03-02 12:00", days(3)) == at("2026-03-05 13:30")


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-03-06 18:00", "2026-03-12 07:00"),  # Fri evening → Mon 09/03 07:00 → + 3 → Thu 12/03 07:00
        # Tue evening → Wed 04/03 07:00 → + 3 ends Fri 17:00, reported as Mon 09/03 07:00
        ("2026-03-03 18:00", "2026-03-09 07:00"),
        ("2026-03-03 17:00", "2026-03-09 07:00"),  # closing time counts as after hours
        ("2026-03-03 06:00", "2026-03-06 07:00"),  # Tue 06:00 → Tue 07:00 → + 3 → Fri 06/03 07:00
        ("2026-03-08 10:00", "2026-03-12 07:00"),  # Sunday → Mon 09/03 07:00 → + 3 → Thu 12/03 07:00
    ],
)
def test_working_days_received_after_hours(received, expected):
    assert due(received, days(3)) == at(expected)


def test_long_rule_over_a_month():
    # Tue 03/03/2026 10:00 + 25 working days: March has no holiday; 25 working days after
    # Tue 03/03 is Tue 07/04 (5 weeks) → Tue 07/04/2026 10:00
    assert due("2026-03-03 10:00", days(25)) == at("2026-04-07 10:00")


# same_day and the 15:00 cut-off ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-03-03 14:59", "2026-03-03 17:00"),  # before the cut-off: same day
        ("2026-03-03 15:00", "2026-03-04 17:00"),  # at the cut-off: next working day
        ("2026-03-03 15:01", "2026-03-04 17:00"),
        ("2026-04-24 14:59", "2026-04-24 17:00"),  # Fri before the cut-off
        ("2026-04-24 15:01", "2026-04-28 17:00"),  # Fri after it: Sat, Sun, Mon 27/04 holiday → Tue
        ("2026-08-28 15:00", "2026-09-03 17:00"),  # Fri 28/08: weekend, 31/08 rest, 1–2/09 holidays → Thu
    ],
)
def test_same_day_cutoff(received, expected):
    assert due(received, SAME_DAY) == at(expected)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-03-03 18:00", "2026-03-04 17:00"),  # → Wed 07:00, before 15:00 → Wed 17:00
        ("2026-03-03 06:00", "2026-03-03 17:00"),  # → Tue 07:00 → Tue 17:00
        ("2026-03-03 12:00", "2026-03-03 17:00"),  # lunch → 13:30, before 15:00 → Tue 17:00
        ("2026-03-08 10:00", "2026-03-09 17:00"),  # Sunday → Mon 07:00 → Mon 17:00
        ("2026-03-07 10:00", "2026-03-09 17:00"),  # Saturday → Mon 07:00 → Mon 17:00
    ],
)
def test_same_day_received_out_of_hours(received, expected):
    assert due(received, SAME_DAY) == at(expected)


# Tết --------------------------------------------------------------------------------------------------


def test_tet_2025_working_days():
    # Fri 24/01/2025 10:00 + 3: Tết is Mon 27 – Fri 31/01 → Mon 03/02 (1), Tue 04/02 (2), Wed 05/02 (3)
    assert due("2025-01-24 10:00", days(3)) == at("2025-02-05 10:00")


def test_tet_2025_received_during_tet():
    # Tue 28/01/2025 09:00 is a holiday → Mon 03/02 07:00 → + 3 → Thu 06/02 07:00
    assert due("2025-01-28 09:00", days(3)) == at("2025-02-06 07:00")
    assert due("2025-01-24 15:30", SAME_DAY) == at("2025-02-03 17:00")  # Fri after the cut-off → Mon 03/02


def test_tet_2026_working_days():
    # Fri 13/02/2026 10:00 + 3: Tết is Mon 16 – Fri 20/02 → Mon 23 (1), Tue 24 (2), Wed 25/02 (3)
    assert due("2026-02-13 10:00", days(3)) == at("2026-02-25 10:00")


def test_tet_2026_same_day_after_cutoff():
    # Fri 13/02/2026 15:30: the next working day is Mon 23/02 → 17:00
    assert due("2026-02-13 15:30", SAME_DAY) == at("2026-02-23 17:00")


def test_tet_2026_through_the_seeded_table(bare_ctx):
    # Same as above, but the calendar comes from the CalendarDay table.
    seed_calendar(bare_ctx)
    cal = load_calendar(bare_ctx, OfficeHours())
    assert due("2026-02-13 10:00", days(3), cal) == at("2026-02-25 10:00")
    assert due("2026-02-13 15:30", SAME_DAY, cal) == at("2026-02-23 17:00")


# Swaps, make-up Saturdays and the new holidays ---------------------------------------------------------


def test_new_year_2026_swap_rest_day():
    # Wed 31/12/2025 10:00 + 2: Thu 01/01 holiday, Fri 02/01 rest day, weekend → Mon 05/01 (1), Tue 06/01 (2)
    assert due("2025-12-31 10:00", days(2)) == at("2026-01-06 10:00")
    # received on the rest day Fri 02/01 09:00 → Mon 05/01 07:00 → 17:00
    assert due("2026-01-02 09:00", SAME_DAY) == at("2026-01-05 17:00")


def test_new_year_2026_make_up_saturday():
    # Fri 09/01/2026 10:00 + 1 → Sat 10/01 is a working day → Sat 10/01 10:00
    assert due("2026-01-09 10:00", days(1)) == at("2026-01-10 10:00")
    # received on Sat 10/01 09:00: received that day → same day 17:00; + 1 → Mon 12/01 09:00
    assert due("2026-01-10 09:00", SAME_DAY) == at("2026-01-10 17:00")
    assert due("2026-01-10 09:00", days(1)) == at("2026-01-12 09:00")


def test_make_up_saturday_26_04_2025():
    # Fri 25/04/2025 10:00 + 4: Sat 26/04 (1), Mon 28 (2), Tue 29 (3); 30/04, 01/05 holidays,
    # 02/05 rest day, weekend → Mon 05/05 (4)
    assert due("2025-04-25 10:00", days(4)) == at("2025-05-05 10:00")
    assert due("2025-04-26 09:00", SAME_DAY) == at("2025-04-26 17:00")


def test_make_up_saturday_22_08_2026_and_rest_day_31_08_2026():
    # Fri 21/08/2026 14:00 + 1 → Sat 22/08 14:00
    assert due("2026-08-21 14:00", days(1)) == at("2026-08-22 14:00")
    # received Sat 22/08 08:00 + 1 → Mon 24/08 08:00
    assert due("2026-08-22 08:00", days(1)) == at("2026-08-24 08:00")
    # Fri 28/08 10:00 + 2: Mon 31/08 rest, Tue 1 and Wed 2/09 holidays → Thu 03/09 (1), Fri 04/09 (2)
    assert due("2026-08-28 10:00", days(2)) == at("2026-09-04 10:00")


def test_gio_to_substitute_day_27_04_2026():
    # Fri 24/04/2026 10:00 + 3: Mon 27/04 off → Tue 28 (1), Wed 29 (2); 30/04, 01/05 holidays,
    # weekend → Mon 04/05 (3)
    assert due("2026-04-24 10:00", days(3)) == at("2026-05-04 10:00")


def test_vietnamese_culture_day_24_11_2026():
    # Mon 23/11/2026 10:00 + 1: Tue 24/11 off → Wed 25/11 10:00
    assert due("2026-11-23 10:00", days(1)) == at("2026-11-25 10:00")


# calendar_days and none -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "n", "expected"),
    [
        ("2026-03-03 10:00", 5, "2026-03-09 10:00"),  # lands Sun 08/03 → Mon 09/03
        ("2026-04-21 10:00", 6, "2026-04-28 10:00"),  # lands Mon 27/04 (holiday) → Tue 28/04
        ("2026-04-23 10:00", 7, "2026-05-04 10:00"),  # lands Thu 30/04; 01/05 holiday, weekend → Mon 04/05
        ("2026-08-14 10:00", 8, "2026-08-22 10:00"),  # lands on the make-up Sat 22/08: kept
        ("2026-03-03 18:00", 10, "2026-03-16 07:00"),  # start Wed 04/03 07:00; + 10 → Sat 14/03 → Mon 16/03
        ("2026-03-03 12:00", 1, "2026-03-04 13:30"),  # lunch → 13:30; + 1 → Wed 04/03 13:30
    ],
)
def test_calendar_days(received, n, expected):
    assert due(received, TimeRule("calendar_days", n)) == at(expected)


def test_no_deadline():
    assert due("2026-03-03 10:00", TimeRule("none")) is None


# Office hours from the office, not from the code ------------------------------------------------------


def test_custom_office_hours():
    hours = OfficeHours(time(7, 30), time(11, 30), time(13, 0), time(17, 0))  # 4 h + 4 h
    cal = WorkCalendar(seed_table(), hours)
    # Tue 07:00 → 07:30; + 1 day (480 min) ends Tue 17:00 → Wed 04/03 07:30
    assert due("2026-03-03 07:00", days(1), cal) == at("2026-03-04 07:30")
    # lunch 12:00 → 13:00 (not 13:30); + 1 ends Wed 11:30 → Wed 04/03 13:00
    assert due("2026-03-03 12:00", days(1), cal) == at("2026-03-04 13:00")
    # 13:15 is open with these hours: + 2 → Thu 05/03 13:15
    assert due("2026-03-03 13:15", days(2), cal) == at("2026-03-05 13:15")


def test_custom_day_length_cutoff_and_closing_time():
    hours = OfficeHours(time(7, 0), time(11, 0), time(13, 0), time(16, 30), time(14, 0))  # 4 h + 3 h 30
    cal = WorkCalendar(seed_table(), hours)
    # a day is 450 min: Tue 09:30 + 3 days keeps the clock time → Fri 06/03 09:30
    assert due("2026-03-03 09:30", days(3), cal) == at("2026-03-06 09:30")
    # cut-off 14:00, closing 16:30
    assert due("2026-03-03 13:59", SAME_DAY, cal) == at("2026-03-03 16:30")
    assert due("2026-03-03 14:00", SAME_DAY, cal) == at("2026-03-04 16:30")


# Years outside the table ------------------------------------------------------------------------------


def test_year_2030_uses_the_holidays_package():
    # Mon 31/12/2029 10:00 + 1: Tue 01/01/2030 is Tết Dương lịch → Wed 02/01/2030 10:00
    assert due("2029-12-31 10:00", days(1)) == at("2030-01-02 10:00")
    # Fri 30/08/2030 10:00 + 1: Mon 02/09 and Tue 03/09 are Quốc khánh → Wed 04/09/2030 10:00
    assert due("2030-08-30 10:00", days(1)) == at("2030-09-04 10:00")


# Supplement pause and resume --------------------------------------------------------------------------


def test_pause_and_resume_across_a_holiday():
    # Due Wed 29/04/2026 08:00, paused Fri 24/04 16:00: Fri 60 + Mon 27/04 holiday 0 + Tue 480
    # + Wed 07:00–08:00 60 = 600 min (10 working hours)
    left = remaining_minutes(at("2026-04-29 08:00"), at("2026-04-24 16:00"), CAL)
    assert left == 600
    # resumed Tue 28/04 09:00: Tue 150 + 210 = 360, then 240 from Wed 07:00 → Wed 29/04 11:00
    assert resume_due(at("2026-04-28 09:00"), left, CAL) == at("2026-04-29 11:00")


def test_pause_and_resume_across_a_weekend():
    # Due Tue 10/03/2026 10:00, paused Fri 06/03 16:00: 60 + Mon 480 + Tue 180 = 720
    left = remaining_minutes(at("2026-03-10 10:00"), at("2026-03-06 16:00"), CAL)
    assert left == 720
    # resumed Fri 13/03 17:30 → Mon 16/03 07:00; 480 on Monday, 240 from Tue 07:00 → Tue 17/03 11:00
    assert resume_due(at("2026-03-13 17:30"), left, CAL) == at("2026-03-17 11:00")


def test_resume_landing_on_a_period_end():
    # 270 min from Tue 07:00 ends at 11:30 → reported as Tue 03/03 13:30
    assert resume_due(at("2026-03-03 07:00"), 270, CAL) == at("2026-03-03 13:30")


def test_overdue_pause_leaves_nothing():
    # due Tue 03/03 10:00, paused Wed 04/03 09:00: already late
    assert remaining_minutes(at("2026-03-03 10:00"), at("2026-03-04 09:00"), CAL) == 0
    assert remaining_minutes(at("2026-03-03 10:00"), at("2026-03-03 10:00"), CAL) == 0


def test_working_minutes_left():
    # Tue 03/03 16:00 → Wed 04/03 08:00: 60 + 60
    assert working_minutes_left(at("2026-03-03 16:00"), at("2026-03-04 08:00"), CAL) == 120
    # overdue: due Tue 10:00, now Wed 09:00 → -(90 + 210 + 120)
    assert working_minutes_left(at("2026-03-04 09:00"), at("2026-03-03 10:00"), CAL) == -420
