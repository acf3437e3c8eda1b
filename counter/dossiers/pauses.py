"""The clock of a dossier waiting for a supplement: paused with the working time left, resumed with it.

Shared by the desk's own intents (counter.dossiers.lifecycle) and by a status taken from the province
(counter.sync.conflicts), so both pause and resume the same way. Callers hold the transaction.
"""

from __future__ import annotations

from datetime import datetime

from counter.calendar import duedates, schedule
from counter.context import AppContext, bound
from db.models import Dossier, DossierPause


@bound
def open_pause(ctx: AppContext, row: Dossier) -> DossierPause | None:
    return (DossierPause.select().where((DossierPause.dossier == row.id) & DossierPause.resumed_at.is_null())
            .order_by(DossierPause.id.desc()).get_or_none())


@bound
def pause_clock(ctx: AppContext, row: Dossier, now: datetime, *, reason: str, items: str = "[]",
                requested_by: int | None = None) -> DossierPause:
    """Stop the clock, keeping the working minutes left (None: the procedure has no deadline)."""
    remaining = duedates.remaining_minutes(row.due_at, now, schedule.calendar(ctx)) if row.due_at else None
    return DossierPause.create(dossier=row, unit=row.unit, paused_at=now, reason=reason, items=items,
                               due_before=row.due_at, remaining_minutes=remaining, requested_by=requested_by)


@bound
def resume_clock(ctx: AppContext, row: Dossier, now: datetime) -> datetime | None:
    """Restart the clock: the new due date is now + the time that was left (the old one if nothing was paused),
    computed with the calendar in force, whose version the dossier then records."""
    pause = open_pause(ctx, row)
    due = row.due_at
    if pause is not None:
        if pause.remaining_minutes is not None:
            cal = schedule.calendar(ctx)
            due = duedates.resume_due(now, pause.remaining_minutes, cal)
            Dossier.update(calendar_version=cal.version).where(Dossier.id == row.id).execute()
        DossierPause.update(resumed_at=now, due_after=due).where(DossierPause.id == pause.id).execute()
    return due
