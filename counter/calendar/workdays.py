"""The working-day calendar: Mon–Fri, minus holidays and rest days, plus make-up working days.

Dated exceptions come from the CalendarDay table (seeded from resources/data/calendar_vn.json,
editable by an admin). A year with no row at all falls back to the `holidays` package, whose
future years are estimates (domain.md §5): a year the table covers never consults it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import resources
from counter.calendar import versions
from counter.changes import Changes
from counter.clock import VN_TZ, local
from counter.context import AppContext, bound
from counter.errors import NotFound, ValidationError
from counter.records import OfficeHours
from counter.text import nfc
from db.models import CalendarDay, Meta, Setting

log = logging.getLogger(__name__)

HOLIDAY = "holiday"
REST_DAY = "rest_day"
WORKDAY = "workday"  # an announced make-up working day, usually a Saturday
KIND_LABELS = {HOLIDAY: "ngày lễ", REST_DAY: "ngày nghỉ", WORKDAY: "ngày làm bù"}

SEED_SOURCE = "Lịch phát hành kèm phần mềm (calendar_vn.json)"
SEEDED_KEY = "calendar_seeded"  # Meta row: seed dates already applied, so an admin removal sticks
MAX_SCAN_DAYS = 3660  # a calendar with no working day for ten years is broken data, not a long wait


def check_kind(kind: str) -> str:
    if kind not in KIND_LABELS:
        choices = ", ".join(f"{label} ({key})" for key, label in KIND_LABELS.items())
        raise ValidationError(f"Loại ngày «{kind}» không hợp lệ. Chọn một trong: {choices}.")
    return kind


class WorkCalendar:
    """Working days and office hours. Immutable once built; rebuild it when the table changes.

    Times inside a day are seconds since midnight; office periods are half-open [start, end),
    so 11:30 is lunch and 17:00 is closed. A working day lasts `day_minutes` (480 by default).
    """

    def __init__(self, days: Mapping[date, str], hours: OfficeHours, covered_years: Iterable[int] | None = None,
                 version: int = 0):
        self.hours = hours
        self.version = version  # the CalendarVersion number it was loaded from (0: none)
        self._days = {d: check_kind(kind) for d, kind in days.items()}
        years = covered_years if covered_years is not None else (d.year for d in self._days)
        self.covered_years = frozenset(years)
        self._periods = _periods(hours)
        self._day_seconds = sum(end - start for start, end in self._periods)
        self._package_days: dict[int, frozenset[date]] = {}

    @property
    def day_minutes(self) -> int:
        return self._day_seconds // 60

    def is_working_day(self, d: date) -> bool:
        kind = self._days.get(d)
        if kind is not None:
            return kind == WORKDAY
        if d.year not in self.covered_years and d in self._package_holidays(d.year):
            return False
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        for _ in range(MAX_SCAN_DAYS):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValidationError("Lịch làm việc không có ngày làm việc nào trong mười năm tới: hãy kiểm tra bảng lịch.")

    def is_appointment_time(self, dt: datetime) -> bool:
        """True if a citizen can be given `dt` as an appointment: a working day, inside a period or at its
        end (a due time of 17:00 or 11:30 is when the office hands results over, not after it closed)."""
        d, secs = _split(dt)
        return self.is_working_day(d) and any(start <= secs <= end for start, end in self._periods)

    def next_working_moment(self, dt: datetime) -> datetime:
        """`dt` itself when the office is open then; otherwise the next opening (Vietnam time)."""
        d, secs = _split(dt)
        if self.is_working_day(d):
            for start, end in self._periods:
                if secs < start:
                    return _join(d, start)
                if secs < end:
                    return local(dt)
        return _join(self.next_working_day(d), self._periods[0][0])

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The earliest moment with `minutes` of office time after `start` (may be a period's end)."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        if minutes == 0:
            return local(start)
        d, secs = _split(start)
        left = minutes * 60
        if self.is_working_day(d):
            done = self._worked_before(secs)
            if left <= self._day_seconds - done:
                return _join(d, self._moment_after(done + left))
            left -= self._day_seconds - done
        d = self.next_working_day(d)
        while left > self._day_seconds:  # whole days at a time
            left -= self._day_seconds
            d = self.next_working_day(d)
        return _join(d, self._moment_after(left))

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Office minutes from `a` to `b`; negative when `b` is before `a`. Seconds are truncated."""
        if b < a:
            return -self.working_minutes_between(b, a)
        (day_a, secs_a), (day_b, secs_b) = _split(a), _split(b)
        if day_a == day_b:
            seconds = self._worked_on(day_b, secs_b) - self._worked_on(day_a, secs_a)
        else:
            seconds = self._day_seconds_on(day_a) - self._worked_on(day_a, secs_a) + self._worked_on(day_b, secs_b)
            d = day_a + timedelta(days=1)
            while d < day_b:
                seconds += self._day_seconds_on(d)
                d += timedelta(days=1)
        return seconds // 60

    def period_end(self, d: date) -> datetime:
        """The office's closing time on day `d` (the afternoon end)."""
        return _join(d, self._periods[-1][1])

    # Inside one working day ---------------------------------------------------------------

    def _worked_before(self, secs: int) -> int:
        return sum(min(max(secs, start), end) - start for start, end in self._periods)

    def _moment_after(self, worked: int) -> int:
        """The time of day when `worked` (> 0) seconds of the day have passed."""
        for start, end in self._periods:
            if worked <= end - start:
                return start + worked
            worked -= end - start
        raise ValueError("more than a working day")

    def _worked_on(self, d: date, secs: int) -> int:
        return self._worked_before(secs) if self.is_working_day(d) else 0

    def _day_seconds_on(self, d: date) -> int:
        return self._day_seconds if self.is_working_day(d) else 0

    def _package_holidays(self, year: int) -> frozenset[date]:
        days = self._package_days.get(year)
        if days is None:
            days = self._package_days[year] = package_holidays(year)
        return days


def check_hours(hours: OfficeHours) -> OfficeHours:
    """Morning before afternoon, each period starting before it ends (they may touch at noon). Asked when the
    office's hours are saved, and again when a calendar is built from them (the row may come from elsewhere)."""
    if not (hours.morning_start < hours.morning_end <= hours.afternoon_start < hours.afternoon_end):
        raise ValidationError("Giờ làm việc không hợp lệ: sáng phải trước chiều, giờ bắt đầu trước giờ kết thúc.")
    return hours


def _periods(hours: OfficeHours) -> tuple[tuple[int, int], ...]:
    check_hours(hours)
    bounds = [hours.morning_start, hours.morning_end, hours.afternoon_start, hours.afternoon_end]
    secs = [t.hour * 3600 + t.minute * 60 + t.second for t in bounds]
    return (secs[0], secs[1]), (secs[2], secs[3])


def _split(dt: datetime) -> tuple[date, int]:
    dt = local(dt)
    return dt.date(), dt.hour * 3600 + dt.minute * 60 + dt.second


def _join(d: date, secs: int) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=VN_TZ) + timedelta(seconds=secs)


def package_holidays(year: int) -> frozenset[date]:
    """Vietnam's public holidays for `year` from the `holidays` package (empty if unavailable)."""
    try:
        import holidays  # imported late: it takes a tenth of a second and most years never need it
    except ImportError:
        log.warning("holidays package missing: %d counts Mon–Fri only", year)
        return frozenset()
    try:
        table = holidays.country_holidays("VN", years=year, language="vi")
    except (NotImplementedError, KeyError, ValueError):
        table = holidays.country_holidays("VN", years=year)
    log.info("calendar %d not in the table: using the holidays package (%d days)", year, len(table))
    return frozenset(table)


# The CalendarDay table ----------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """One row of the calendar table, for the admin screen (source shown)."""

    date: date
    kind: str
    name: str
    source: str
    status: str  # official | estimate
    origin: str  # seed | holidays | admin


WHOLE_YEAR_ORIGINS = ("seed", "holidays")


@bound
def load_calendar(ctx: AppContext, hours: OfficeHours) -> WorkCalendar:
    """The calendar of the context's database, with the office's hours. A year counts as covered only when a whole
    calendar was loaded for it (seed file or holidays package): an administrator's one make-up day for a
    later year adds to that year's package holidays instead of cancelling them."""
    rows = list(CalendarDay.select(CalendarDay.date, CalendarDay.kind, CalendarDay.origin))
    covered = {row.date.year for row in rows if row.origin in WHOLE_YEAR_ORIGINS} | confirmed_years(ctx)
    return WorkCalendar({row.date: row.kind for row in rows}, hours, covered_years=covered,
                        version=versions.current_version(ctx))


CONFIRMED_KEY = "calendar.confirmed_years"  # years an administrator declared whole (counter.calendar.admin)


@bound
def confirmed_years(ctx: AppContext) -> set[int]:
    """The years an administrator confirmed as entered in full from the year's official announcement."""
    row = Setting.get_or_none(Setting.key == CONFIRMED_KEY)
    return {int(y) for y in (row.value.split(",") if row else ()) if y.strip().isdigit()}


@bound
def list_calendar_days(ctx: AppContext, year: int | None = None) -> tuple[CalendarEntry, ...]:
    query = CalendarDay.select().order_by(CalendarDay.date)
    if year is not None:
        query = query.where(CalendarDay.date.between(date(year, 1, 1), date(year, 12, 31)))
    return tuple(CalendarEntry(r.date, r.kind, r.name, r.source, r.status, r.origin) for r in query)


@bound
def seed_calendar(ctx: AppContext) -> int:
    """Load the shipped calendar; returns the rows added. Safe to run at every start.

    Admin rows are never touched. A seed date applied once is remembered, so a row the admin
    removed does not come back. Seeded rows follow the file when a new release corrects them
    (an estimated Tết replaced by the announced one), including rows the file no longer lists.
    """
    raw = json.loads(resources.path("data", "calendar_vn.json").read_text(encoding="utf-8"))["entries"]
    entries = {date.fromisoformat(entry["date"]): _seed_values(entry) for entry in raw}
    with ctx.transaction():
        seeded = _seeded_dates()
        rows = {row.date: row for row in CalendarDay.select()}
        added = corrected = 0
        for day, values in entries.items():
            row = rows.get(day)
            if row is None and day not in seeded:
                CalendarDay.create(date=day, origin="seed", **values)
                added += 1
            elif row is not None and row.origin != "admin" and _differs(row, values):
                CalendarDay.update(origin="seed", **values).where(CalendarDay.id == row.id).execute()
                corrected += 1
        stale = [day for day, row in rows.items() if row.origin == "seed" and day not in entries]
        if stale:
            CalendarDay.delete().where(CalendarDay.date.in_(stale)).execute()
        if not entries.keys() <= seeded:
            _remember_seeded(seeded | entries.keys())
        if added or corrected or stale or versions.current_version(ctx) == 0:
            versions.record(ctx, "seed", at=ctx.clock.now(), source=SEED_SOURCE,
                            note=f"Thêm {added}, sửa {corrected}, bỏ {len(stale)} ngày theo lịch phát hành")
    return added


def _seed_values(entry: dict[str, Any]) -> dict[str, str]:  # an entry of the JSON file
    return {
        "kind": check_kind(entry["kind"]),
        "name": nfc(entry["name"]),
        "source": nfc(entry.get("source", "")),
        "status": entry.get("status", "official"),
    }


def _differs(row: CalendarDay, values: dict[str, str]) -> bool:
    return any(getattr(row, key) != value for key, value in values.items())


def _seeded_dates() -> set[date]:
    row = Meta.get_or_none(Meta.key == SEEDED_KEY)
    return {date.fromisoformat(d) for d in json.loads(row.value)} if row else set()


def _remember_seeded(days: set[date]) -> None:
    value = json.dumps(sorted(d.isoformat() for d in days))
    upsert = Meta.insert(key=SEEDED_KEY, value=value)
    upsert.on_conflict(conflict_target=[Meta.key], update={Meta.value: value}).execute()


@bound
def set_calendar_day(ctx: AppContext, day: date, kind: str, name: str, source: str) -> Changes:
    """An admin's entry for `day` (added or replacing what was there). Rebuild the calendar after."""
    check_kind(kind)
    name, source = nfc(name), nfc(source)
    if not name:
        raise ValidationError("Phải nhập tên ngày (ví dụ: Tết Nguyên đán, Làm bù cho ngày 02/01).")
    values = {"kind": kind, "name": name, "source": source, "status": "official", "origin": "admin"}
    update = {getattr(CalendarDay, key): value for key, value in values.items()}
    CalendarDay.insert(date=day, **values).on_conflict(conflict_target=[CalendarDay.date], update=update).execute()
    return Changes(calendar=True)


@bound
def remove_calendar_day(ctx: AppContext, day: date) -> Changes:
    """Make `day` an ordinary day again (working on a weekday, off on a weekend)."""
    if CalendarDay.delete().where(CalendarDay.date == day).execute() == 0:
        raise NotFound(f"Ngày {day:%d/%m/%Y} không có trong bảng lịch.")
    return Changes(calendar=True)
