"""One push pass over the outbox: dossiers before their steps, per-item outcome, backoff on transient errors.

- A transient error (network, 5xx, 429, captive portal) reschedules the item with capped exponential
  backoff and jitter, and ends the pass: the link is bad, the rest waits for the next pass.
- A permanent refusal parks the item in 'attention' and the pass goes on with the others.
- The revision read before sending is the one acknowledged: a change made meanwhile stays pending.
- A step is sent only once the province has some revision of its dossier.
- Entries left 'sending' by a crash return to pending (`recover`); the province deduplicates the resend.
  That is also why entries are claimed, and their outcomes recorded, a chunk per transaction: an outcome
  lost to a crash only means a resend, and a batch of thousands does not wait on thousands of fsyncs.
  Those transactions read then write while the clerk keeps receiving: they take the write lock at BEGIN
  (IMMEDIATE), else a clerk's commit in between makes SQLite refuse the write at once ("database is locked").
- A dossier's digitised papers are uploaded first (counter.sync.uploads), so TaiLieuNop carries their URLs;
  a failed upload is the dossier's failure: it is not sent without its files.
- Before updating a dossier the province already has, its status there is checked against the one it last
  confirmed: a change made at the province is a conflict (counter.sync.conflicts), never overwritten.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from counter import records
from counter.context import AppContext, bound
from counter.dossiers import history
from counter.dossiers.lookup import to_record
from counter.office.profile import get_office
from counter.sync.bulk import dossier_extras, dossier_records
from counter.sync.client import ProvinceClient
from counter.sync.conflicts import StatusChange, is_conflict, province_changed, record_conflict
from counter.sync.errors import PermanentError, TransientError
from counter.sync.outbox import ATTENTION, PENDING, SENDING, SYNCED, entry_dossier_id
from counter.sync.payload import Extras, dossier_payload, step_payload
from counter.sync.rows import tuples
from counter.sync.uploads import has_attachments, upload_missing
from db.models import Dossier, DossierHistory, OutboxEntry, User

CHUNK = 50  # entries claimed, then their outcomes recorded, per transaction
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
                  .where(OutboxEntry.state == SENDING).execute())
    return count


@bound
def due_entries(ctx: AppContext, now: datetime) -> list[OutboxEntry]:
    """Pending and due, dossiers first, then steps in the order they happened."""
    due = (OutboxEntry.state == PENDING) & (OutboxEntry.next_attempt_at <= now)
    dossiers = list(OutboxEntry.select().where(due & (OutboxEntry.kind == "dossier")).order_by(OutboxEntry.id))
    steps = list(OutboxEntry.select(OutboxEntry).join(DossierHistory, on=(DossierHistory.step_uuid == OutboxEntry.key))
                 .where(due & (OutboxEntry.kind == "step")).order_by(DossierHistory.at, DossierHistory.id))
    return dossiers + steps


class _Conflict(Exception):
    def __init__(self, change: StatusChange):
        self.change = change


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
    """Send `entries` (default: the due ones); `step()` after each, `cancel()` checked before each."""
    report = PassReport()
    sender = _Sender(ctx, client, get_office(ctx).agency_id)
    todo = due_entries(ctx, ctx.clock.now()) if entries is None else entries
    for start in range(0, len(todo), CHUNK):
        if report.stopped_by or (cancel and cancel()):
            break
        chunk = todo[start:start + CHUNK]
        revisions = _claim(ctx, chunk)
        sender.prefetch(chunk)
        outcomes = [_push_one(sender, entry, report, cancel, step) for entry in chunk]
        _record(ctx, list(zip(chunk, outcomes, strict=True)), revisions, rng or random.Random())
    return report


def _push_one(sender: _Sender, entry: OutboxEntry, report: PassReport, cancel: Callable[[], bool] | None,
              step: Callable[[], None] | None) -> _Outcome:
    """Send one claimed entry: its outcome (released when it was not sent at all)."""
    if report.stopped_by or (cancel and cancel()):
        return _Released()
    outcome: _Outcome
    if entry.kind == "step" and not sender.dossier_known(entry):
        outcome = _Released()  # held until the province has its dossier; a failed one stops its own chain only
    else:
        outcome = sender.send(entry, report)
    if step:
        step()
    return outcome


class _Sender:
    """Builds and sends payloads; remembers what this pass learnt (dossiers the province has, actors'
    titles, dossier records). A step is built from its dossier as read earlier in the same pass: what a
    step takes from it (code, earlier steps' times, due date) does not change within seconds."""

    CACHE = 2000  # dossier records kept for their steps

    def __init__(self, ctx: AppContext, client: ProvinceClient, agency_id: str):
        self.ctx, self.client, self.agency_id = ctx, client, agency_id
        self.known: dict[int, bool] = {}
        self.titles: dict[int, str] = dict(tuples(User.select(User.id, User.title)))
        self.records: dict[int, records.Dossier] = {}
        self.steps: dict[str, DossierHistory] = {}
        self.extras: dict[int, Extras] = {}

    def prefetch(self, chunk: list[OutboxEntry]) -> None:
        """Read the chunk's history rows, and its dossiers (fresh for dossier entries), in a few queries."""
        keys = [e.key for e in chunk if e.kind == "step"]
        self.steps = {h.step_uuid: h for h in DossierHistory.select().where(DossierHistory.step_uuid.in_(keys))}
        wanted = {entry_dossier_id(e) for e in chunk if e.kind == "dossier" or entry_dossier_id(e) not in self.records}
        if len(self.records) + len(wanted) > self.CACHE:
            self.records.clear()
        self.records.update(dossier_records(self.ctx, list(wanted)))
        self.extras = dossier_extras(self.ctx, [entry_dossier_id(e) for e in chunk if e.kind == "dossier"])

    def dossier_known(self, step: OutboxEntry) -> bool:
        dossier_id = entry_dossier_id(step)
        if dossier_id not in self.known:
            parent = OutboxEntry.get_or_none((OutboxEntry.kind == "dossier") & (OutboxEntry.dossier == dossier_id))
            # In conflict, the province has not accepted our change: its steps wait for the clerk.
            self.known[dossier_id] = parent is None or (parent.sent_revision > 0 and not is_conflict(parent))
        return self.known[dossier_id]

    def send(self, entry: OutboxEntry, report: PassReport) -> _Outcome:
        try:
            sent_status = self._send(entry)
        except _Conflict as c:
            report.conflicts.append(c.change)
            self.known[entry_dossier_id(entry)] = False  # its steps wait too
            return _Conflicted(c.change)
        except PermanentError as e:
            report.attention.append(entry.key)
            return _Refused(str(e))
        except TransientError as e:
            report.retry.append(entry.key)
            report.stopped_by = str(e)
            return _Retry(str(e))
        report.synced.append(entry.key)
        if entry.kind == "dossier":
            self.known[entry_dossier_id(entry)] = True
        return _Sent(sent_status)

    def _send(self, entry: OutboxEntry) -> int | None:
        """Send the entry; for a dossier, return the status the province now holds."""
        dossier_id = entry_dossier_id(entry)
        if entry.kind == "dossier":
            dossier = self._record_of(dossier_id)
            if entry.sent_revision > 0 and entry.sent_status is not None:
                _check_unchanged(self.client, entry, dossier)
            papers = (upload_missing(self.ctx, self.client, dossier.code)
                      if has_attachments(self.ctx, dossier_id) else [])
            extras = self.extras.get(dossier_id) or dossier_extras(self.ctx, [dossier_id])[dossier_id]
            self.client.upsert_dossier(dossier_payload(dossier, agency_id=self.agency_id, attachments=papers,
                                                       extras=extras))
            return int(dossier.status)
        row = self.steps.get(entry.key) or DossierHistory.get(DossierHistory.step_uuid == entry.key)
        title = self.titles.get(row.actor_id, "") if row.actor_id else ""
        self.client.send_step(step_payload(history.to_record(row), self._record_of(dossier_id), title=title))
        return None

    def _record_of(self, dossier_id: int) -> records.Dossier:
        if dossier_id not in self.records:
            self.records[dossier_id] = to_record(self.ctx, Dossier.get_by_id(dossier_id))
        return self.records[dossier_id]


def _check_unchanged(client: ProvinceClient, entry: OutboxEntry, dossier: records.Dossier) -> None:
    """Compare-then-update: the province's status must still be the one it last confirmed to us."""
    found = client.lookup(dossier.code) or {}
    try:
        province = int(str(found.get("TrangThaiHoSo", "")))
    except ValueError:
        return
    if province != int(dossier.status) and province_changed(entry, province):
        raise _Conflict(StatusChange(dossier.code, int(dossier.status), province))


def _claim(ctx: AppContext, entries: list[OutboxEntry]) -> dict[int, int]:
    """Mark the entries in flight (committed, so a crash leaves a trace); {entry id: revision being sent}."""
    ids = [e.id for e in entries]
    with ctx.transaction():
        revisions: dict[int, int] = dict(tuples(OutboxEntry.select(OutboxEntry.id, OutboxEntry.revision)
                                                .where(OutboxEntry.id.in_(ids))))
        OutboxEntry.update(state=SENDING, updated_at=ctx.clock.now()).where(OutboxEntry.id.in_(ids)).execute()
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
