"""One push pass over the outbox: dossiers before their steps, per-item outcome, backoff on transient errors.

- A transient error (network, 5xx, 429, captive portal) reschedules the item with capped exponential
  backoff and jitter, and ends the pass: the link is bad, the rest waits for the next pass.
- A permanent refusal parks the item in 'attention' and the pass goes on with the others.
- The revision read before sending is the one acknowledged: a change made meanwhile stays pending.
- A step is sent only once the province has some revision of its dossier.
- Entries left 'sending' by a crash return to pending (`recover`); the province deduplicates the resend.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from counter import history
from counter.context import AppContext
from counter.dossiers import to_record
from counter.office import get_office
from counter.outbox import ATTENTION, PENDING, SENDING, SYNCED
from counter.sync.client import ProvinceClient
from counter.sync.errors import PermanentError, TransientError
from counter.sync.payload import dossier_payload, step_payload
from db.models import Dossier, DossierHistory, OutboxEntry, User

BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)


@dataclass
class PassReport:
    synced: list[str] = field(default_factory=list)  # outbox keys
    attention: list[str] = field(default_factory=list)
    retry: list[str] = field(default_factory=list)
    stopped_by: str = ""  # the transient error that ended the pass early, if any


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """Capped exponential delay with jitter in its upper half: attempt 1 → 15–30 s, … up to 1 h."""
    delay = min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempts - 1))
    return delay * rng.uniform(0.5, 1.0)


def recover(ctx: AppContext) -> int:
    """At start: entries a crashed pass left 'sending' go back to pending. Returns how many."""
    now = ctx.clock.now()
    return (OutboxEntry.update(state=PENDING, next_attempt_at=now, updated_at=now)
            .where(OutboxEntry.state == SENDING).execute())


def due_entries(now: datetime) -> list[OutboxEntry]:
    """Pending and due, dossiers first, then steps in the order they happened."""
    due = (OutboxEntry.state == PENDING) & (OutboxEntry.next_attempt_at <= now)
    dossiers = list(OutboxEntry.select().where(due & (OutboxEntry.kind == "dossier")).order_by(OutboxEntry.id))
    steps = list(OutboxEntry.select(OutboxEntry).join(DossierHistory, on=(DossierHistory.step_uuid == OutboxEntry.key))
                 .where(due & (OutboxEntry.kind == "step")).order_by(DossierHistory.at, DossierHistory.id))
    return dossiers + steps


def push(ctx: AppContext, client: ProvinceClient, rng: random.Random | None = None) -> PassReport:
    rng = rng or random.Random()
    report = PassReport()
    agency_id = get_office().agency_id
    for entry in due_entries(ctx.clock.now()):
        if entry.kind == "step" and not _dossier_known(entry):
            continue  # held until the province has its dossier; a failed dossier stops its own chain only
        revision = _claim(ctx, entry)
        try:
            _send(client, entry, agency_id)
        except PermanentError as e:
            _finish(ctx, entry, revision, state=ATTENTION, error=str(e))
            report.attention.append(entry.key)
        except TransientError as e:
            _retry(ctx, entry, str(e), rng)
            report.retry.append(entry.key)
            report.stopped_by = str(e)
            break
        else:
            _finish(ctx, entry, revision, state=SYNCED)
            report.synced.append(entry.key)
    return report


def _dossier_known(step: OutboxEntry) -> bool:
    parent = OutboxEntry.get_or_none((OutboxEntry.kind == "dossier") & (OutboxEntry.dossier == step.dossier_id))
    return parent is None or parent.sent_revision > 0


def _send(client: ProvinceClient, entry: OutboxEntry, agency_id: str) -> None:
    dossier = to_record(Dossier.get_by_id(entry.dossier_id))
    if entry.kind == "dossier":
        client.upsert_dossier(dossier_payload(dossier, agency_id=agency_id))
        return
    row = DossierHistory.get(DossierHistory.step_uuid == entry.key)
    actor = User.get_or_none(User.id == row.actor_id) if row.actor_id else None
    client.send_step(step_payload(history.to_record(row), dossier, title=actor.title if actor else ""))


def _claim(ctx: AppContext, entry: OutboxEntry) -> int:
    """Mark the entry in flight (committed, so a crash leaves a trace) and return the revision being sent."""
    with ctx.database.atomic():
        current = OutboxEntry.get_by_id(entry.id)
        OutboxEntry.update(state=SENDING, updated_at=ctx.clock.now()).where(OutboxEntry.id == entry.id).execute()
    return current.revision


def _finish(ctx: AppContext, entry: OutboxEntry, revision: int, *, state: str, error: str = "") -> None:
    """Record the outcome for `revision`; if the entry changed while in flight, it goes back to pending."""
    now = ctx.clock.now()
    sent = {"sent_revision": revision} if state == SYNCED else {}
    with ctx.database.atomic():
        same = (OutboxEntry.update(state=state, last_error=error, updated_at=now, **sent)
                .where((OutboxEntry.id == entry.id) & (OutboxEntry.revision == revision)).execute())
        if not same:
            OutboxEntry.update(state=PENDING, next_attempt_at=now, updated_at=now, last_error=error, **sent
                               ).where(OutboxEntry.id == entry.id).execute()


def _retry(ctx: AppContext, entry: OutboxEntry, error: str, rng: random.Random) -> None:
    now = ctx.clock.now()
    attempts = OutboxEntry.get_by_id(entry.id).attempts + 1
    OutboxEntry.update(state=PENDING, attempts=attempts, next_attempt_at=now + backoff(attempts, rng),
                       last_error=error, updated_at=now).where(OutboxEntry.id == entry.id).execute()
