"""One push pass over the outbox: dossiers before their steps, per-item outcome, backoff on transient errors.

- A transient error (network, 5xx, 429, captive portal, nonsense) reschedules the item with capped exponential
  backoff and jitter, and ends the pass: the link is bad, the rest waits for the next pass.
- A permanent refusal parks the item in 'attention' and the pass goes on with the others.
- The revision read before sending is the one acknowledged: a change made meanwhile stays pending.
- **Look before writing** (OpenCPS): each dossier is looked up first. Unknown → inserted. Known → it must be
  ours (same applicant id number and reception time, counter.sync.conflicts.collision), else it is a collision,
  parked and never overwritten; then its status there must still be the one it last confirmed (a change made
  at the province is a conflict for the clerk); then it is updated. An insert answered "đã tồn tại" (someone
  inserted in between) goes through the same checks.
- A step is sent only once the province has some revision of its dossier (and not while that dossier is in
  conflict or collides); steps go `client.steps_per_call` to a call, all or none; a refused call is retried
  one step at a time, so one bad step parks itself and not its neighbours.
- Entries left 'sending' by a crash return to pending (`recover`); the resend is the same bytes, which the
  province keeps once. That is also why entries are claimed, and their outcomes recorded, a chunk per
  transaction: an outcome lost to a crash only means a resend, and a batch of thousands does not wait on
  thousands of fsyncs. Those transactions read then write while the clerk keeps receiving: they take the write
  lock at BEGIN (IMMEDIATE), else a clerk's commit in between makes SQLite refuse the write at once. On PostgreSQL
  the claim takes only pending entries no other transaction holds (FOR UPDATE SKIP LOCKED).
- A dossier's digitised papers get their addresses first (counter.sync.uploads: uploaded only where the
  province takes files); a failed upload is the dossier's failure: it is not sent without its files.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from counter import records
from counter.context import AppContext, bound
from counter.dossiers.lookup import to_record
from counter.office.profile import get_office
from counter.sync.bulk import dossier_extras, dossier_records
from counter.sync.client import Exists, JsonObject, ProvinceClient
from counter.sync.conflicts import (
    StatusChange,
    collision,
    is_collision,
    is_conflict,
    portal_status,
    province_changed,
    record_conflict,
)
from counter.sync.errors import PermanentError, TransientError
from counter.sync.outbox import ATTENTION, PENDING, SENDING, SYNCED, entry_dossier_id, in_state
from counter.sync.payload import DossierPayload, Extras, StepPayload, dossier_payload, step_payload
from counter.sync.rows import tuples
from counter.sync.uploads import with_addresses, with_attachments
from db.database import is_postgres
from db.models import Dossier, DossierHistory, OutboxEntry, User

CHUNK = 250  # entries claimed, then their outcomes recorded, per transaction
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)
DOUBLINGS = (MAX_DELAY // BASE_DELAY).bit_length()  # enough to reach MAX_DELAY; more would overflow timedelta


@dataclass
class PassReport:
    synced: list[str] = field(default_factory=list)  # outbox keys
    attention: list[str] = field(default_factory=list)
    retry: list[str] = field(default_factory=list)
    conflicts: list[StatusChange] = field(default_factory=list)
    stopped_by: str = ""  # the transient error that ended the pass early, if any


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """Capped exponential delay with jitter in its upper half: attempt 1 → 15–30 s, … up to 1 h."""
    delay = min(MAX_DELAY, BASE_DELAY * (1 << min(max(0, attempts - 1), DOUBLINGS)))
    return delay * rng.uniform(0.5, 1.0)


@bound
def recover(ctx: AppContext) -> int:
    """At start: entries a crashed pass left 'sending' go back to pending. Returns how many."""
    now = ctx.clock.now()
    count: int = (OutboxEntry.update(state=PENDING, next_attempt_at=now, updated_at=now)
                  .where(in_state(SENDING)).execute())
    return count


@bound
def due_entries(ctx: AppContext, now: datetime) -> list[OutboxEntry]:
    """Pending and due, dossiers first, then steps in the order they happened."""
    due = in_state(PENDING) & (OutboxEntry.next_attempt_at <= now)
    dossiers = list(OutboxEntry.select().where(due & (OutboxEntry.kind == "dossier")).order_by(OutboxEntry.id))
    steps = list(OutboxEntry.select(OutboxEntry).join(DossierHistory, on=(DossierHistory.step_uuid == OutboxEntry.key))
                 .where(due & (OutboxEntry.kind == "step")).order_by(DossierHistory.at, DossierHistory.id))
    return dossiers + steps


class _Conflict(Exception):
    def __init__(self, change: StatusChange):
        self.change = change


class _Collision(Exception):
    def __init__(self, message: str):
        self.message = message


# What became of one claimed entry; `_record` writes it down.
@dataclass(frozen=True)
class _Sent:
    status: int | None  # for a dossier, the status the province now holds


@dataclass(frozen=True)
class _Refused:
    error: str  # permanent: parked in 'attention' for a person


@dataclass(frozen=True)
class _Retry:
    error: str  # transient: rescheduled with backoff


@dataclass(frozen=True)
class _Conflicted:
    change: StatusChange


@dataclass(frozen=True)
class _Released:
    """Claimed but not sent (held, cancelled, or after the link failed)."""


_Outcome = _Sent | _Refused | _Retry | _Conflicted | _Released


@bound
def push(ctx: AppContext, client: ProvinceClient, rng: random.Random | None = None, *,
         entries: list[OutboxEntry] | None = None, step: Callable[[], None] | None = None,
         cancel: Callable[[], bool] | None = None) -> PassReport:
    """Send `entries` (default: the due ones); `step()` after each, `cancel()` checked before each call."""
    report = PassReport()
    sender = _Sender(ctx, client, get_office(ctx).office_name)
    todo = due_entries(ctx, ctx.clock.now()) if entries is None else entries
    for start in range(0, len(todo), CHUNK):
        if report.stopped_by or (cancel and cancel()):
            break
        revisions = _claim(ctx, todo[start:start + CHUNK])
        chunk = [entry for entry in todo[start:start + CHUNK] if entry.id in revisions]  # another pass took the rest
        sender.prefetch(chunk)
        outcomes = _Pass(sender, report, cancel, step).run(chunk)
        _record(ctx, [(entry, outcomes[entry.id]) for entry in chunk], revisions, rng or random.Random())
    return report


class _Pass:
    """One chunk: dossiers one call each, steps gathered into calls of `steps_per_call`."""

    def __init__(self, sender: _Sender, report: PassReport, cancel: Callable[[], bool] | None,
                 step: Callable[[], None] | None):
        self.sender, self.report, self.cancel, self.step = sender, report, cancel, step
        self.outcomes: dict[int, _Outcome] = {}
        self.batch: list[OutboxEntry] = []

    def stopped(self) -> bool:
        return bool(self.report.stopped_by or (self.cancel and self.cancel()))

    def run(self, chunk: list[OutboxEntry]) -> dict[int, _Outcome]:
        for entry in chunk:
            if self.stopped():
                break
            if entry.kind == "dossier":
                self._flush()
                self._done([entry], self.sender.send_dossier(entry, self.report))
            elif not self.sender.dossier_known(entry):
                self._done([entry], _Released())  # held until the province has its dossier
            else:
                self.batch.append(entry)
                if len(self.batch) >= self.sender.client.steps_per_call:
                    self._flush()
        self._flush()
        return {e.id: self.outcomes.get(e.id, _Released()) for e in chunk}

    def _flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch or self.stopped():
            return
        outcome = self.sender.send_steps(batch, self.report)
        if isinstance(outcome, _Refused) and len(batch) > 1:
            for entry in batch:  # find the step the province refuses: the others go through
                if not self.stopped():
                    self._done([entry], self.sender.send_steps([entry], self.report))
            return
        self._done(batch, outcome)

    def _done(self, entries: list[OutboxEntry], outcome: _Outcome) -> None:
        for entry in entries:
            self.outcomes[entry.id] = outcome
            if isinstance(outcome, _Sent):
                self.report.synced.append(entry.key)
            elif isinstance(outcome, _Refused):
                self.report.attention.append(entry.key)
            elif isinstance(outcome, _Retry):
                self.report.retry.append(entry.key)
            if self.step:
                self.step()


class _Sender:
    """Builds and sends payloads; remembers what this pass learnt (dossiers the province has, actors'
    titles, dossier records). A step is built from its dossier as read earlier in the same pass: what a
    step takes from it (code, earlier steps' times, due date) does not change within seconds."""

    CACHE = 2000  # dossier records kept for their steps

    def __init__(self, ctx: AppContext, client: ProvinceClient, office_name: str):
        self.ctx, self.client, self.office_name = ctx, client, office_name
        self.known: dict[int, bool] = {}
        self.titles: dict[int, str] = dict(tuples(User.select(User.id, User.title)))
        self.records: dict[int, records.Dossier] = {}
        self.steps: dict[int, dict[str, records.HistoryEntry]] = {}  # per dossier id: its steps by uuid
        self.extras: dict[int, Extras] = {}
        self.with_papers: set[int] = set()

    def prefetch(self, chunk: list[OutboxEntry]) -> None:
        """Read the chunk's dossiers (fresh for dossier entries; with their steps), what else a dossier sends, and
        which have papers, in a few queries: per-dossier queries would cost more than the network."""
        wanted = {entry_dossier_id(e) for e in chunk if e.kind == "dossier" or entry_dossier_id(e) not in self.records}
        if len(self.records) + len(wanted) > self.CACHE:
            self.records.clear()
            self.steps.clear()
        self._keep(dossier_records(self.ctx, list(wanted)))
        dossier_ids = [entry_dossier_id(e) for e in chunk if e.kind == "dossier"]
        self.extras = dossier_extras(self.ctx, dossier_ids)
        self.with_papers = with_attachments(self.ctx, dossier_ids)

    def _keep(self, fresh: dict[int, records.Dossier]) -> None:
        self.records.update(fresh)
        for dossier_id, record in fresh.items():
            self.steps[dossier_id] = {h.step_uuid: h for h in record.history}

    def dossier_known(self, step: OutboxEntry) -> bool:
        dossier_id = entry_dossier_id(step)
        if dossier_id not in self.known:
            parent = OutboxEntry.get_or_none((OutboxEntry.kind == "dossier") & (OutboxEntry.dossier == dossier_id))
            # In conflict or colliding, the province has not accepted our change: its steps wait for a person.
            self.known[dossier_id] = parent is None or (
                parent.sent_revision > 0 and not is_conflict(parent) and not is_collision(parent))
        return self.known[dossier_id]

    def send_dossier(self, entry: OutboxEntry, report: PassReport) -> _Outcome:
        dossier_id = entry_dossier_id(entry)
        try:
            status = self._send_dossier(entry)
        except _Conflict as c:
            report.conflicts.append(c.change)
            self.known[dossier_id] = False  # its steps wait too
            return _Conflicted(c.change)
        except _Collision as c:
            self.known[dossier_id] = False
            return _Refused(c.message)
        except (PermanentError, TransientError) as e:
            return self._failed(e, report)
        self.known[dossier_id] = True
        return _Sent(status)

    def send_steps(self, entries: list[OutboxEntry], report: PassReport) -> _Outcome:
        try:
            self.client.send_steps([self._step(entry) for entry in entries])
        except (PermanentError, TransientError) as e:
            return self._failed(e, report)
        return _Sent(None)

    @staticmethod
    def _failed(error: PermanentError | TransientError, report: PassReport) -> _Outcome:
        if isinstance(error, TransientError):
            report.stopped_by = str(error)
            return _Retry(str(error))
        return _Refused(str(error))

    def _send_dossier(self, entry: OutboxEntry) -> int:
        """Look, check, then insert or update; the local status the province now holds."""
        dossier_id = entry_dossier_id(entry)
        dossier = self._record_of(dossier_id)
        papers = with_addresses(self.ctx, self.client, dossier.code) if dossier_id in self.with_papers else []
        extras = self.extras.get(dossier_id) or dossier_extras(self.ctx, [dossier_id])[dossier_id]
        payload = dossier_payload(dossier, office_name=self.office_name, attachments=papers, extras=extras,
                                  statuses=self.client.statuses)
        found = self.client.lookup(dossier.code)
        if found is None:
            try:
                self.client.insert_dossier(payload)
                return int(dossier.status)
            except Exists:
                found = self.client.lookup(dossier.code) or {}  # inserted in between: look again, then check
        self._check(entry, dossier, payload, found)
        self.client.update_dossier(payload)
        return int(dossier.status)

    def _check(self, entry: OutboxEntry, dossier: records.Dossier, payload: DossierPayload,
               found: JsonObject) -> None:
        """Before updating what the province holds: it must be ours, and unchanged there since it last confirmed."""
        why = collision(found, payload)
        if why:
            raise _Collision(why)
        province = portal_status(found)
        statuses = self.client.statuses
        if (province is not None and entry.sent_revision > 0 and province != statuses.to_portal(dossier.status)
                and province_changed(entry, province, statuses)):
            local = statuses.to_local(province, current=dossier.status) or province
            raise _Conflict(StatusChange(dossier.code, int(dossier.status), local))

    def _step(self, entry: OutboxEntry) -> StepPayload:
        dossier_id = entry_dossier_id(entry)
        dossier = self._record_of(dossier_id)
        step = self.steps[dossier_id].get(entry.key)
        if step is None:  # taken after the dossier was read: read it again
            self._keep({dossier_id: to_record(self.ctx, Dossier.get_by_id(dossier_id))})
            dossier, step = self.records[dossier_id], self.steps[dossier_id][entry.key]
        title = self.titles.get(step.actor_id, "") if step.actor_id else ""
        return step_payload(step, dossier, title=title, statuses=self.client.statuses)

    def _record_of(self, dossier_id: int) -> records.Dossier:
        if dossier_id not in self.records:
            self._keep({dossier_id: to_record(self.ctx, Dossier.get_by_id(dossier_id))})
        return self.records[dossier_id]


def _claim(ctx: AppContext, entries: list[OutboxEntry]) -> dict[int, int]:
    """Mark the entries in flight (committed, so a crash leaves a trace); {entry id: revision being sent}.

    On PostgreSQL an entry is claimed only if it is still pending and no other transaction holds it (FOR UPDATE
    SKIP LOCKED): another claimer never waits for, nor takes, an entry this one is taking; the entries not claimed
    are left out of the answer and not sent by this pass. On SQLite the IMMEDIATE transaction holds the file."""
    ids = [e.id for e in entries]
    with ctx.transaction():
        query = OutboxEntry.select(OutboxEntry.id, OutboxEntry.revision).where(OutboxEntry.id.in_(ids))
        if is_postgres(ctx.database):
            query = query.where(in_state(PENDING)).order_by(OutboxEntry.id).for_update(skip_locked=True)
        revisions: dict[int, int] = dict(tuples(query))
        (OutboxEntry.update(state=SENDING, updated_at=ctx.clock.now())
         .where(OutboxEntry.id.in_(list(revisions))).execute())
    return revisions


def _record(ctx: AppContext, outcomes: list[tuple[OutboxEntry, _Outcome]], revisions: dict[int, int],
            rng: random.Random) -> None:
    """Every outcome of a chunk in one transaction."""
    with ctx.transaction():
        _synced(ctx, [(e, revisions[e.id], o.status) for e, o in outcomes if isinstance(o, _Sent)])
        for entry, outcome in outcomes:
            revision = revisions[entry.id]
            if isinstance(outcome, _Sent):
                continue
            elif isinstance(outcome, _Refused):
                _finish(ctx, entry, revision, state=ATTENTION, error=outcome.error)
            elif isinstance(outcome, _Conflicted):
                record_conflict(ctx, entry, outcome.change)
            elif isinstance(outcome, _Retry):
                _retry(ctx, entry, outcome.error, rng)
            else:
                _release(ctx, entry)


def _synced(ctx: AppContext, acked: list[tuple[OutboxEntry, int, int | None]]) -> None:
    """Acknowledgements, grouped by (revision, status) into a few updates; an entry changed in flight
    (its revision moved on, so it is still 'sending') goes back to pending through `_finish`."""
    groups: dict[tuple[int, int | None], list[int]] = {}
    for entry, revision, status in acked:
        groups.setdefault((revision, status), []).append(entry.id)
    now = ctx.clock.now()
    for (revision, status), ids in groups.items():
        extra = {} if status is None else {"sent_status": status}
        (OutboxEntry.update(state=SYNCED, last_error="", updated_at=now, sent_revision=revision, **extra)
         .where(OutboxEntry.id.in_(ids) & (OutboxEntry.revision == revision)).execute())
    changed: set[int] = {i for (i,) in tuples(OutboxEntry.select(OutboxEntry.id)
                                                .where(OutboxEntry.id.in_([e.id for e, _, _ in acked])
                                                       & (OutboxEntry.state == SENDING)))}
    for entry, revision, status in acked:
        if entry.id in changed:
            _finish(ctx, entry, revision, state=SYNCED, sent_status=status)


def _finish(ctx: AppContext, entry: OutboxEntry, revision: int, *, state: str, error: str = "",
            sent_status: int | None = None) -> None:
    """Record the outcome for `revision`; if the entry changed while in flight, it goes back to pending."""
    now = ctx.clock.now()
    sent = {"sent_revision": revision} if state == SYNCED else {}
    if sent_status is not None:
        sent["sent_status"] = sent_status
    same = (OutboxEntry.update(state=state, last_error=error, updated_at=now, **sent)
            .where((OutboxEntry.id == entry.id) & (OutboxEntry.revision == revision)).execute())
    if not same:
        OutboxEntry.update(state=PENDING, next_attempt_at=now, updated_at=now, last_error=error, **sent
                           ).where(OutboxEntry.id == entry.id).execute()


def _release(ctx: AppContext, entry: OutboxEntry) -> None:
    """Claimed but not sent (held, cancelled, or after the link failed): pending again, as it was."""
    OutboxEntry.update(state=PENDING).where((OutboxEntry.id == entry.id) & (OutboxEntry.state == SENDING)).execute()


def _retry(ctx: AppContext, entry: OutboxEntry, error: str, rng: random.Random) -> None:
    now = ctx.clock.now()
    attempts = OutboxEntry.get_by_id(entry.id).attempts + 1
    OutboxEntry.update(state=PENDING, attempts=attempts, next_attempt_at=now + backoff(attempts, rng),
                       last_error=error, updated_at=now).where(OutboxEntry.id == entry.id).execute()
