"""The calendar's versions: every change to the CalendarDay table is a new numbered version with who made it,
when, on which document, and the whole table as it then stood (migration 0010), so no old version is lost and a
dossier can name the version its due date was computed with (Dossier.calendar_version)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from peewee import fn

from counter import audit, records
from counter.context import AppContext, bound
from counter.errors import NotFound
from db.models import CalendarDay, CalendarVersion

ACTION_LABELS = {"initial": "Lịch ban đầu", "seed": "Cập nhật lịch phát hành", "add": "Thêm ngày",
                 "remove": "Bỏ ngày"}


@dataclass(frozen=True)
class VersionInfo:
    """One version of the calendar, for the admin screen and `calendar list` (the days are read apart)."""

    number: int
    created_at: datetime
    actor_name: str
    action: str  # initial | seed | add | remove | confirm_year
    day: date | None
    kind: str
    source: str
    note: str
    day_count: int

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@bound
def current_version(ctx: AppContext) -> int:
    """The number of the calendar in force (0: the table was never versioned, e.g. no calendar at all)."""
    number: int | None = CalendarVersion.select(fn.MAX(CalendarVersion.number)).scalar()
    return number or 0


@bound
def record(ctx: AppContext, action: str, *, at: datetime, actor: records.User | None = None, day: date | None = None,
           kind: str = "", source: str = "", note: str = "") -> VersionInfo:
    """Write the version the table now is (the caller holds the transaction and has just changed the table)."""
    row = CalendarVersion.create(
        number=current_version(ctx) + 1, created_at=at, actor=actor.id if actor else None,
        actor_name=actor.full_name if actor else "", action=action, day=day, kind=kind, source=source, note=note,
        days=json.dumps(_snapshot(), ensure_ascii=False),
    )
    if actor is not None:  # a person's change; the shipped calendar's loads are versions only
        what = f"{action} {day:%d/%m/%Y} ({kind})" if day else action
        by = f", theo {source}" if source else ""
        audit.record(ctx, "calendar", f"Lịch làm việc phiên bản {row.number}: {what}{by}.", actor=actor.username,
                     detail={"version": row.number, "action": action, "day": day.isoformat() if day else "",
                             "kind": kind, "source": source, "note": note})
    return _info(row)


def _snapshot() -> list[list[str]]:
    query = CalendarDay.select().order_by(CalendarDay.date)
    return [[r.date.isoformat(), r.kind, r.name, r.source, r.status, r.origin] for r in query]


@bound
def list_versions(ctx: AppContext) -> tuple[VersionInfo, ...]:
    """Every version, newest first."""
    return tuple(_info(row) for row in CalendarVersion.select().order_by(CalendarVersion.number.desc()))


@bound
def version_days(ctx: AppContext, number: int) -> dict[date, str]:
    """The days of version `number` as they stood then: {date: kind}."""
    row = CalendarVersion.get_or_none(CalendarVersion.number == number)
    if row is None:
        raise NotFound(f"Không có phiên bản lịch số {number}.")
    return {date.fromisoformat(d[0]): d[1] for d in json.loads(row.days)}


def _info(row: CalendarVersion) -> VersionInfo:
    return VersionInfo(number=row.number, created_at=row.created_at, actor_name=row.actor_name, action=row.action,
                       day=row.day, kind=row.kind, source=row.source, note=row.note,
                       day_count=len(json.loads(row.days)))
