"""Due dates for this office: its hours and the calendar table, cached on the context."""

from __future__ import annotations

from datetime import datetime

from counter import records
from counter.calendar.duedates import compute_due
from counter.calendar.workdays import WorkCalendar, load_calendar
from counter.context import AppContext
from counter.office.profile import office_hours


def calendar(ctx: AppContext) -> WorkCalendar:
    cal = ctx.cache.get("calendar")
    if cal is None:
        cal = ctx.cache["calendar"] = load_calendar(ctx, office_hours(ctx))
    return cal


def invalidate(ctx: AppContext) -> None:
    """Call after the calendar table or the office hours change."""
    ctx.cache.pop("calendar", None)


def due_for(ctx: AppContext, rule: records.TimeRule, received_at: datetime) -> datetime | None:
    return compute_due(received_at, rule, calendar(ctx))
