"""The soon-late list reads only the dossiers due before `soon_late_horizon` (a working day and two minutes of office
time ahead): no dossier the board calls due soon is ever due after it, across weekends, Tết and odd seconds, and a
dossier due at the horizon itself is no longer soon late (the horizon is tight, not 15 calendar days)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import resources
from counter.calendar.workdays import WorkCalendar
from counter.clock import VN_TZ
from counter.dossiers import board
from counter.records import DossierRow, OfficeHours
from counter.reports.scorecard import soon_late_horizon
from counter.status import Status

_ENTRIES = json.loads(resources.path("data", "calendar_vn.json").read_text(encoding="utf-8"))["entries"]
CAL = WorkCalendar({date.fromisoformat(e["date"]): e["kind"] for e in _ENTRIES}, OfficeHours())
START = datetime(2026, 1, 20, tzinfo=VN_TZ)  # Tết 2026 (mid-February) and its long holiday are in reach


def _row(due: datetime) -> DossierRow:
    return DossierRow(id=1, code="X", applicant_name="A", procedure_name="P", received_at=START, due_at=due,
                      status=Status.IN_PROGRESS)


@settings(max_examples=400, deadline=None)
@given(now_s=st.integers(0, 60 * 86400), ahead_s=st.integers(0, 20 * 86400))
def test_no_soon_late_dossier_is_due_after_the_horizon(now_s: int, ahead_s: int) -> None:
    now = START + timedelta(seconds=now_s, microseconds=now_s % 997)
    due = now + timedelta(seconds=ahead_s)
    if board.time_left(now, _row(due), CAL)[1] == board.DUE_SOON:
        assert due < soon_late_horizon(now, CAL)


@settings(max_examples=200, deadline=None)
@given(now_s=st.integers(0, 60 * 86400))
def test_the_horizon_is_tight(now_s: int) -> None:
    now = START + timedelta(seconds=now_s)
    horizon = soon_late_horizon(now, CAL)
    assert board.time_left(now, _row(horizon), CAL)[1] == board.ON_TIME
    # at most a working day and two minutes of office time: two calendar days plus the days off between
    days_off = sum(not CAL.is_working_day((now + timedelta(days=i)).date()) for i in range(15)
                   if (now + timedelta(days=i)).date() <= horizon.date())
    assert horizon - now <= timedelta(days=2 + days_off)


def test_friday_afternoon_reaches_monday_afternoon_not_further() -> None:
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=VN_TZ)
    horizon = soon_late_horizon(friday, CAL)
    assert horizon.date() == date(2026, 3, 9) and horizon.hour == 15
    monday_due = datetime(2026, 3, 9, 15, 0, tzinfo=VN_TZ)
    assert board.time_left(friday, _row(monday_due), CAL)[1] == board.DUE_SOON
    assert monday_due < horizon
