"""One sync: recover, log in, push, pull, and the end-of-day report (a frozen record to print or save).

`sync_once` holds the cross-process lock for its whole run (SyncBusy if another sync runs), reports
progress as (done, total) — the total grows once, when the pull learns how many dossiers to look up —
and stops cleanly between items when `cancel()` turns true (what was not sent stays queued).
A UI runs it in a worker thread (peewee gives each thread its own connection).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from counter.changes import Changes
from counter.clock import local
from counter.context import AppContext, bound
from counter.office.profile import get_office
from counter.sync import engine, pull, settings
from counter.sync.client import ProvinceClient
from counter.sync.conflicts import StatusChange
from counter.sync.dialects import connect
from counter.sync.errors import PermanentError, TransientError
from counter.sync.lock import office_sync_lock
from counter.sync.outbox import ATTENTION, entry_dossier, in_state
from counter.sync.rows import tuples
from db.models import Dossier, OutboxEntry, Setting

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Issue:
    code: str  # the dossier code
    kind: str  # dossier | step | attachment
    reason: str


@dataclass(frozen=True)
class SyncReport:
    started_at: datetime
    finished_at: datetime
    agency_id: str
    sent_dossiers: int  # acknowledged in this run
    sent_steps: int
    failed: tuple[Issue, ...]  # parked for a person (refused, or a conflict), all of them, not only this run's
    waiting: tuple[Issue, ...]  # still queued for a later try, with the last error
    applied: tuple[StatusChange, ...]  # status changes taken from the province
    conflicts: tuple[StatusChange, ...]  # found in this run
    sent_today: int  # dossiers acknowledged today (this run or earlier)
    confirmed: int  # of those, how many the province holds with the status we sent (if checked)
    unconfirmed: tuple[str, ...]  # codes the province lacks or holds with another status
    checked: bool = False  # whether the province was asked to confirm today's dossiers
    stopped_by: str = ""  # the error that ended the run early
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        """Nothing left to send or to look at."""
        return not self.failed and not self.waiting

    @property
    def changes(self) -> Changes:
        """What the run changed on this machine: the queue (sent, parked, rescheduled) and the dossiers whose
        status was taken from the province or found in conflict. Nothing newly due: no sync soon after."""
        return Changes(dossiers=frozenset(c.code for c in (*self.applied, *self.conflicts)), sync_queue=True)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data.update(started_at=self.started_at.isoformat(), finished_at=self.finished_at.isoformat(),
                    complete=self.complete)
        return data


LAST_SUCCESS_KEY = "sync.last_success"
BACKGROUND_PULL = 50  # look-ups per background pass: 500 open dossiers are all checked every 20 minutes


@bound
def last_success(ctx: AppContext) -> datetime | None:
    """When a sync last reached the province and ran through, from the app or `main.py sync` (any process)."""
    row = Setting.get_or_none(Setting.key == LAST_SUCCESS_KEY)
    try:
        return datetime.fromisoformat(row.value) if row else None
    except ValueError:
        return None


def _remember_success(ctx: AppContext, at: datetime) -> None:
    with ctx.transaction():
        Setting.put(LAST_SUCCESS_KEY, at.isoformat())


@bound
def sync_once(ctx: AppContext, *, progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
              confirm: bool = True, rng: random.Random | None = None, pull_limit: int | None = None) -> SyncReport:
    """Raises SettingsMissing before doing anything, SyncBusy if another sync runs. `pull_limit`: look up at
    most that many open dossiers at the province this time (a background pass; None: all of them)."""
    config = settings.require(ctx)
    with office_sync_lock(ctx):
        started = ctx.clock.now()
        engine.recover(ctx)
        counter = _Counter(progress)
        with connect(config) as client:
            outcome = _run(ctx, client, counter, cancel, rng, pull_limit)
            checked = _confirm(ctx, client, started) if confirm and not outcome.stopped_by else None
        report = _report(ctx, started, outcome, checked)
        if not report.stopped_by:
            _remember_success(ctx, report.finished_at)
    log.info("sync: sent %d dossiers and %d steps; %d waiting, %d need attention, %d conflicts%s",
             report.sent_dossiers, report.sent_steps, len(report.waiting), len(report.failed), len(report.conflicts),
             f"; stopped: {report.stopped_by}" if report.stopped_by else "")
    return report


class _Counter:
    def __init__(self, progress: Progress | None):
        self.done, self.total, self._progress = 0, 0, progress

    def grow(self, n: int) -> None:
        self.total += n
        self._emit()

    def step(self) -> None:
        self.done += 1
        self._emit()

    def _emit(self) -> None:
        if self._progress:
            self._progress(self.done, self.total)


@dataclass
class _RunOutcome:
    """What one run's push and pull did, and whether something ended it early."""

    pushed: engine.PassReport = field(default_factory=engine.PassReport)
    pulled: pull.PullReport = field(default_factory=pull.PullReport)
    stopped_by: str = ""
    cancelled: bool = False


def _run(ctx: AppContext, client: ProvinceClient, counter: _Counter, cancel: Callable[[], bool] | None,
         rng: random.Random | None, pull_limit: int | None) -> _RunOutcome:
    outcome = _RunOutcome()
    try:
        client.login()
    except (TransientError, PermanentError) as e:
        outcome.stopped_by = str(e)
        return outcome
    entries = engine.due_entries(ctx, ctx.clock.now())
    counter.grow(len(entries))
    pushed = engine.push(ctx, client, rng, entries=entries, step=counter.step, cancel=cancel)
    outcome.pushed, outcome.stopped_by = pushed, pushed.stopped_by
    if not pushed.stopped_by and not (cancel and cancel()):
        skip = set(pushed.synced) | {c.code for c in pushed.conflicts}
        codes = pull.candidates(ctx, skip=skip, limit=pull_limit)
        counter.grow(len(codes))
        outcome.pulled = pull.pull(ctx, client, codes, step=counter.step, cancel=cancel)
        outcome.stopped_by = outcome.pulled.stopped_by
    outcome.cancelled = bool(cancel and cancel())
    return outcome


def _sent_today(started: datetime) -> list[OutboxEntry]:
    midnight = local(started).replace(hour=0, minute=0, second=0, microsecond=0)
    return list(OutboxEntry.select().where((OutboxEntry.kind == "dossier") & (OutboxEntry.sent_revision > 0)
                                           & (OutboxEntry.updated_at >= midnight)))


def _confirm(ctx: AppContext, client: ProvinceClient, started: datetime) -> tuple[int, int, list[str]]:
    """Ask the province for each dossier acknowledged today: (checked, confirmed, unconfirmed codes)."""
    entries = _sent_today(started)
    unconfirmed = []
    for entry in entries:
        try:
            found = client.lookup(entry.key)
        except (TransientError, PermanentError):
            found = None
        sent = None if entry.sent_status is None else client.statuses.to_portal(entry.sent_status)
        if not found or str(found.get("TrangThaiHoSo")) != str(sent):
            unconfirmed.append(entry.key)
    return len(entries), len(entries) - len(unconfirmed), unconfirmed


def _issues(states: tuple[str, ...]) -> tuple[Issue, ...]:
    query = (OutboxEntry.select(OutboxEntry, Dossier.code).join(Dossier, on=(OutboxEntry.dossier == Dossier.id))
             .where(in_state(*states)).order_by(OutboxEntry.id))
    return tuple(Issue(entry_dossier(e).code, e.kind, e.last_error) for e in query)


def _report(ctx: AppContext, started: datetime, outcome: _RunOutcome, checked: tuple[int, int, list[str]] | None
            ) -> SyncReport:
    pushed, pulled = outcome.pushed, outcome.pulled
    kinds: dict[str, str] = dict(tuples(OutboxEntry.select(OutboxEntry.key, OutboxEntry.kind)
                                        .where(OutboxEntry.key.in_(pushed.synced)))) if pushed.synced else {}
    sent_today, confirmed, unconfirmed = checked or (len(_sent_today(started)), 0, [])
    return SyncReport(
        started_at=started, finished_at=ctx.clock.now(), agency_id=get_office(ctx).agency_id,
        sent_dossiers=sum(1 for k in kinds.values() if k == "dossier"),
        sent_steps=sum(1 for k in kinds.values() if k == "step"),
        failed=_issues((ATTENTION,)), waiting=_issues(("pending", "sending")),
        applied=tuple(pulled.applied), conflicts=tuple(pushed.conflicts + pulled.conflicts),
        sent_today=sent_today, confirmed=confirmed, unconfirmed=tuple(unconfirmed), checked=checked is not None,
        stopped_by=outcome.stopped_by, cancelled=outcome.cancelled)
