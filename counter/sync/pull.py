"""Pull: the province's status for open dossiers it already has, applied or recorded as a conflict.

A dossier the province holds under our code but with another applicant or reception time is not ours: its
status is not taken, and its entry is parked as a collision (counter.sync.conflicts.collision).

Dossiers acknowledged in this very pass are skipped: the province holds what we sent a moment ago.
A transient error ends the pull (the link is bad); the next sync starts over.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from counter.context import AppContext, bound
from counter.status import Status
from counter.sync.client import JsonObject, ProvinceClient
from counter.sync.conflicts import StatusChange, collision, identity, portal_status, reconcile, record_collision
from counter.sync.errors import PermanentError, TransientError
from db.models import Dossier, OutboxEntry, Setting

CURSOR_KEY = "sync.pull_cursor"  # the id of the last dossier a limited pull looked up
OPEN = (Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT, Status.AWAITING_PAYMENT, Status.RESULT_READY)


@dataclass
class PullReport:
    checked: int = 0
    applied: list[StatusChange] = field(default_factory=list)
    conflicts: list[StatusChange] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)  # codes the province holds for another dossier
    stopped_by: str = ""


@bound
def candidates(ctx: AppContext, skip: Collection[str] = (), limit: int | None = None) -> list[str]:
    """Codes of open dossiers whose dossier entry the province has acknowledged at least once.

    `limit`: at most that many, taking up after the last dossier a previous limited pull looked up and
    wrapping round, so background passes share the look-ups over time instead of asking the gateway for
    every open dossier every two minutes (the end-of-day batch looks them all up)."""
    query = (Dossier.select(Dossier.id, Dossier.code).join(OutboxEntry, on=(OutboxEntry.dossier == Dossier.id))
             .where((OutboxEntry.kind == "dossier") & (OutboxEntry.sent_revision > 0)
                    & Dossier.status.in_([int(s) for s in OPEN])).order_by(Dossier.id))
    skip = set(skip)
    rows = [(row.id, row.code) for row in query if row.code not in skip]
    if limit is None or len(rows) <= limit:
        return [code for _, code in rows]
    cursor = _cursor()
    after = [r for r in rows if r[0] > cursor]
    chosen = (after + [r for r in rows if r[0] <= cursor])[:limit]
    _set_cursor(chosen[-1][0])
    return [code for _, code in chosen]


def _cursor() -> int:
    row = Setting.get_or_none(Setting.key == CURSOR_KEY)
    return int(row.value) if row and row.value.isdigit() else 0


def _set_cursor(dossier_id: int) -> None:
    Setting.put(CURSOR_KEY, str(dossier_id))


@bound
def pull(ctx: AppContext, client: ProvinceClient, codes: list[str], *,
         step: Callable[[], None] | None = None, cancel: Callable[[], bool] | None = None) -> PullReport:
    report = PullReport()
    for code in codes:
        if cancel and cancel():
            break
        try:
            found = client.lookup(code)
        except TransientError as e:
            report.stopped_by = str(e)
            break
        except PermanentError:
            found = None  # the province refuses to say: nothing to apply
        report.checked += 1
        why = collision(found, identity(ctx, code)) if found else None
        if why:  # someone else's dossier under our code: its status is not ours to take
            record_collision(ctx, code, why)
            report.collisions.append(code)
        status = None if why else _status(found)
        if status is not None:
            outcome, change = reconcile(ctx, code, status, client.statuses)
            if change is not None:  # 'same' carries none
                (report.applied if outcome == "applied" else report.conflicts).append(change)
        if step:
            step()
    return report


def _status(found: JsonObject | None) -> int | None:
    """The national status the province holds (before the status mapping is read back), if it is one."""
    return portal_status(found)
