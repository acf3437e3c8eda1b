"""The sync queue as a clerk sees it: frozen rows of the outbox, and "try again now" for one or all.

Retrying only makes an entry due at once (pending, next attempt now, attempts reset); the next sync
sends it. A conflict is not retried this way: `conflicts.resolve` asks the clerk which side to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import SQL, Expression, fn

from counter.changes import NOTHING, Changes
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.sync import settings
from counter.sync.conflicts import CONFLICT_PREFIX, is_conflict, resolve
from counter.sync.dialects import connect
from counter.sync.outbox import (
    ATTENTION,
    PENDING,
    SENDING,
    SYNCED,
    UNCONFIRMED,
    WAITING,
    in_state,
    waiting_counts,
)
from counter.sync.rows import tuples
from counter.text import format_vnd
from db.models import Dossier, OutboxEntry

WAITING_LABEL = "Chờ đồng bộ"  # the waiting states together, in the status bar and on the Đồng bộ page
STATE_LABELS = {PENDING: "Chờ gửi", SENDING: "Đang gửi", SYNCED: "Đã đồng bộ", ATTENTION: "Cần xử lý"}
KIND_LABELS = {"dossier": "Hồ sơ", "step": "Bước xử lý", "attachment": "Tệp đính kèm"}

OPEN = "open"  # a filter, not a state: everything the province has not confirmed (pending, sending, attention)
LIMIT = 2000  # rows shown at most; a counter's queue is far shorter unless the link was down for weeks
LIST_ORDER = (ATTENTION, SENDING, PENDING, SYNCED)  # a person's decision first, the confirmed last
DUE_NOW = Changes(sync_queue=True, to_send=True)  # what a retry changes: entries due at once


@dataclass(frozen=True)
class QueueRow:
    id: int
    code: str  # the dossier code
    kind: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    updated_at: datetime
    held: bool = False  # a step waiting for its dossier to reach the province first

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_conflict(self) -> bool:
        return self.state == ATTENTION and self.last_error.startswith(CONFLICT_PREFIX)


@bound
def list_entries(ctx: AppContext, state: str | None = None, *, limit: int = LIMIT) -> list[QueueRow]:
    """Outbox entries in `state` (or OPEN, or all): those needing a person first, then waiting ones (each state's
    latest change first), then the newest confirmed ones. The confirmed are millions at a large office: they are
    read newest first along the table itself (the newest entries are mostly confirmed, so the first `limit` are
    near its end), not sorted by their time (1.9 s at a million dossiers)."""
    states = [state] if state and state != OPEN else list(LIST_ORDER[:3] if state == OPEN else LIST_ORDER)
    lines: list[tuple[Any, ...]] = []
    for one in states:
        if len(lines) >= limit:
            break
        order = (OutboxEntry.id.desc(),) if one == SYNCED else (OutboxEntry.updated_at.desc(), OutboxEntry.id.desc())
        where = OutboxEntry.state == one if one == SYNCED else in_state(one)
        lines.extend(tuples(OutboxEntry.select(*_LINE).join(Dossier, on=(OutboxEntry.dossier == Dossier.id))
                            .where(where).order_by(*order).limit(limit - len(lines))))
    unsent = _unsent_dossiers({line[-1] for line in lines if line[2] == "step" and line[3] != SYNCED})
    return [_row(line, held=line[2] == "step" and line[3] != SYNCED and line[-1] in unsent) for line in lines]


def _row(line: tuple[Any, ...], *, held: bool) -> QueueRow:
    entry_id, code, kind, state, attempts, next_attempt_at, last_error, updated_at, _ = line
    return QueueRow(entry_id, code, kind, state, attempts, next_attempt_at, last_error, updated_at, held)


# A list line's columns (QueueRow's, then the dossier's id): tuples, not models — 2,000 lines in 40 ms, not 130
_LINE = (OutboxEntry.id, Dossier.code, OutboxEntry.kind, OutboxEntry.state, OutboxEntry.attempts,
         OutboxEntry.next_attempt_at, OutboxEntry.last_error, OutboxEntry.updated_at, Dossier.id)


def _unsent_dossiers(ids: set[int]) -> set[int]:
    """Of these dossiers, those the province has no revision of yet (their steps are held back)."""
    if not ids:
        return set()
    # `kind || ''`: no index on the kind — SQLite otherwise walked all dossier entries by it (1.5 s at a million
    # dossiers) instead of looking these dossiers up by their own index (6 ms)
    unsent = ((OutboxEntry.kind.concat("") == "dossier") & OutboxEntry.dossier.in_(list(ids))
              & (OutboxEntry.sent_revision == 0))
    return {d for (d,) in tuples(OutboxEntry.select(OutboxEntry.dossier).where(unsent))}


@bound
def counts(ctx: AppContext) -> dict[str, int]:
    """Entries per state (every state present, 0 when none); the waiting ones are `outbox.waiting_counts`."""
    return {**waiting_counts(ctx), SYNCED: synced_count(ctx)}


@bound
def synced_count(ctx: AppContext) -> int:
    """How many entries the province confirmed: all of them but the unconfirmed (in their own index), in one
    statement; all of them is a count of millions at a large office (the Đồng bộ page asks on a worker thread)."""
    unconfirmed = OutboxEntry.select(fn.COUNT(SQL("*"))).where(UNCONFIRMED)
    return int(OutboxEntry.select(fn.COUNT(SQL("*")) - unconfirmed).scalar())


def counts_text(counts: dict[str, int]) -> str:
    """The Đồng bộ page's line: "Chờ đồng bộ: N" first, the sum the status bar shows, then each state (a state
    not counted yet, "…")."""
    waiting = sum(counts[state] for state in WAITING)
    return "  ·  ".join([f"{WAITING_LABEL}: {format_vnd(waiting)}",
                         *(f"{label}: {format_vnd(counts[state]) if state in counts else '…'}"
                           for state, label in STATE_LABELS.items())])


@bound
def oldest_waiting(ctx: AppContext) -> datetime | None:
    """When the oldest change the province has not confirmed was made (None if nothing waits): the first entry of
    the partial index by age (migration 0027), whose condition the query carries as written there."""
    first = (OutboxEntry.select(OutboxEntry.created_at).where(UNCONFIRMED)
             .order_by(OutboxEntry.created_at).first())
    return first.created_at if first else None


@bound
def conflict_of(ctx: AppContext, code: str) -> str | None:
    """The conflict message of a dossier parked for the clerk's decision, or None (one indexed look-up)."""
    entry = OutboxEntry.get_or_none((OutboxEntry.kind == "dossier") & (OutboxEntry.key == code))
    return entry.last_error if is_conflict(entry) else None


@bound
def retry(ctx: AppContext, entry_id: int) -> Changes:
    """Make one waiting or refused entry due now. A conflict must be resolved instead. The update itself checks
    the entry's state again: on PostgreSQL a sync that claims the entry, or parks it as a conflict, between the look
    and the write is waited for and then seen (its row as it stands), and the retry is refused rather than writing
    over it."""
    _retryable(OutboxEntry.get_or_none(OutboxEntry.id == entry_id))
    if not _make_due(ctx, (OutboxEntry.id == entry_id) & _RETRYABLE):
        _retryable(OutboxEntry.get_or_none(OutboxEntry.id == entry_id))
        raise ValidationError("Mục này vừa thay đổi: hãy xem lại danh sách.")  # not reached: said above
    return DUE_NOW


def _retryable(entry: OutboxEntry | None) -> None:
    if entry is None or entry.state in (SYNCED, SENDING):
        raise ValidationError("Mục này không còn chờ gửi lại (đã đồng bộ hoặc đang gửi).")
    if is_conflict(entry):
        raise ValidationError("Mục này đang xung đột với hệ thống tỉnh: hãy chọn giữ trạng thái bên nào.")


@bound
def retry_all(ctx: AppContext) -> tuple[int, Changes]:
    """Every waiting or refused entry (conflicts excepted) due now; returns how many (and what changed)."""
    count = _make_due(ctx, _RETRYABLE)
    return count, DUE_NOW if count else NOTHING


_RETRYABLE = (in_state(PENDING, ATTENTION)
              & ~((OutboxEntry.state == ATTENTION) & OutboxEntry.last_error.startswith(CONFLICT_PREFIX)))


def _make_due(ctx: AppContext, where: Expression) -> int:
    now = ctx.clock.now()
    with ctx.transaction():
        count: int = (OutboxEntry.update(state=PENDING, next_attempt_at=now, attempts=0, updated_at=now)
                      .where(where).execute())
        return count


@bound
def resolve_conflict(ctx: AppContext, code: str, keep: str) -> tuple[str, Changes]:
    """The clerk's choice on a conflict ('province' or 'local'), asked of the province with the configured
    account; returns the status label kept, and what changed. Network: run it off the GUI thread."""
    config = settings.require(ctx)
    with connect(config) as client:
        return resolve(ctx, client, code, keep=keep)
