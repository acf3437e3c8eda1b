"""Due dates: pure functions of (reception time, time rule, work calendar) — domain.md §5.

Production systems count working hours: N working days is N working-day lengths of office time
from the first working moment after reception, so the clock time is kept (Mon 09:30 + 3 → Thu
09:30). A result exactly at the end of a period is reported as the start of the next one
(Wed 17:00 → Thu 07:00, Thu 11:30 → Thu 13:30): that is the same instant of office time, written
the way the counter and the citizen read it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from counter.calendar.workdays import WorkCalendar
from counter.clock import local
from counter.records import TimeRule


def compute_due(received_at: datetime, rule: TimeRule, cal: WorkCalendar) -> datetime | None:
    """When the result is due, or None for procedures with no fixed deadline."""
    if rule.kind == "none":
        return None
    start = cal.next_working_moment(received_at)
    if rule.kind == "working_days":
        return _after_working_time(start, rule.days * cal.day_minutes, cal)
    if rule.kind == "same_day":
        return _same_day(start, cal)
    if rule.kind == "calendar_days":
        return _calendar_days(start, rule.days, cal)
    raise ValueError(f"unknown time rule {rule.kind!r}")


def _after_working_time(start: datetime, minutes: int, cal: WorkCalendar) -> datetime:
    return cal.next_working_moment(cal.add_working_minutes(start, minutes))


def _same_day(start: datetime, cal: WorkCalendar) -> datetime:
    """Before the cut-off: closing time that day; at or after it: closing time the next working day."""
    day = start.date()
    if start.time() >= cal.hours.same_day_cutoff:
        day = cal.next_working_day(day)
    return cal.period_end(day)


def _calendar_days(start: datetime, days: int, cal: WorkCalendar) -> datetime:
    """Same clock time `days` later, pushed off a non-working last day."""
    due = start + timedelta(days=days)
    if not cal.is_working_day(due.date()):
        next_day = cal.next_working_day(due.date())
        due = due.replace(year=next_day.year, month=next_day.month, day=next_day.day)
    return cal.next_working_moment(due)


def remaining_minutes(due_at: datetime, paused_at: datetime, cal: WorkCalendar) -> int:
    """Working minutes left when a supplement pauses the clock; 0 if already overdue."""
    return max(0, cal.working_minutes_between(paused_at, due_at))


def resume_due(resumed_at: datetime, remaining: int, cal: WorkCalendar) -> datetime:
    """The new due date when the clock restarts with `remaining` working minutes left."""
    return _after_working_time(cal.next_working_moment(resumed_at), remaining, cal)


def working_minutes_left(now: datetime, due_at: datetime, cal: WorkCalendar) -> int:
    """Working minutes until `due_at` (negative when overdue), for colouring dossier lists."""
    return cal.working_minutes_between(local(now), due_at)
