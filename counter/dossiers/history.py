"""History rows: one per transition or hand-over (the electronic Mẫu 06, the source of progress steps)."""

from __future__ import annotations

import uuid
from datetime import datetime

from counter import records
from counter.context import AppContext, bound
from counter.status import Status
from counter.sync import outbox
from db.models import Dossier, DossierHistory


@bound
def record(ctx: AppContext, dossier: Dossier, action: str, to_status: Status, *, at: datetime,
           actor: records.User | None, from_status: Status | None = None, from_unit: str = "", to_unit: str = "",
           note: str = "", due_at: datetime | None = None) -> DossierHistory:
    """Write the history row and its progress-step outbox entry (caller holds the transaction). `due_at`: the
    due date once the step is taken, kept so the step reads the same however often it is sent."""
    row = write(ctx, dossier, action, to_status, at=at, actor=actor, from_status=from_status, from_unit=from_unit,
                to_unit=to_unit, note=note, due_at=due_at)
    outbox.enqueue_step(ctx, row, at)
    return row


@bound
def write(ctx: AppContext, dossier: Dossier, action: str, to_status: Status, *, at: datetime,
          actor: records.User | None, from_status: Status | None = None, from_unit: str = "", to_unit: str = "",
          note: str = "", due_at: datetime | None = None) -> DossierHistory:
    """The history row alone, as `record` writes it: the caller enqueues its step (a new dossier's reception sends
    it with the dossier's own entry, outbox.enqueue_received)."""
    return DossierHistory.create(
        dossier=dossier, at=at, action=action,
        from_status=int(from_status) if from_status is not None else None, to_status=int(to_status),
        from_unit=from_unit, to_unit=to_unit, actor=actor.id if actor else None,
        actor_name=actor.full_name if actor else "", note=note, step_uuid=str(uuid.uuid4()), due_at=due_at,
    )


def to_record(row: DossierHistory) -> records.HistoryEntry:
    return records.HistoryEntry(
        at=row.at, action=row.action,
        from_status=Status(row.from_status) if row.from_status is not None else None,
        to_status=Status(row.to_status), from_unit=row.from_unit, to_unit=row.to_unit,
        actor_name=row.actor_name, note=row.note, step_uuid=row.step_uuid, due_at=row.due_at, actor_id=row.actor_id,
    )
