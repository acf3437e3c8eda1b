"""The sync outbox: every change enqueues its sync work in the same transaction as the change.

A dossier has one 'dossier' entry (an upsert keyed by its code) whose revision goes up on every
change, so an acknowledgement of an older revision leaves it pending. Each history row is a
'step' entry keyed by its UUID, sent once, after its dossier.
"""

from __future__ import annotations

from datetime import datetime

from peewee import SQL, Case, Expression, fn

from counter.context import AppContext, bound
from counter.sync.rows import tuples
from db.models import Dossier, DossierHistory, OutboxEntry

PENDING, SENDING, SYNCED, ATTENTION = "pending", "sending", "synced", "attention"

# The entries the province has not confirmed, spelled as the partial index `outbox_entry_waiting` is (migration
# 0023): SQLite uses a partial index only for a query that carries the index's condition itself, its literal
# included (a bound parameter is not matched). Every query for such entries ANDs it in, through `in_state`.
_state = OutboxEntry.state  # the column conditions are built on (building one runs no query: no context needed)
UNCONFIRMED = _state != SQL(f"'{SYNCED}'")


def in_state(*states: str) -> Expression:
    """Entries in one of `states` (not SYNCED: those are millions, read along the table), by the index of the
    unconfirmed ones."""
    if SYNCED in states:
        raise ValueError("the synced entries are not in the index of the unconfirmed ones")
    return UNCONFIRMED & (_state == states[0] if len(states) == 1 else _state.in_(states))


def entry_dossier_id(entry: OutboxEntry) -> int:
    """The dossier an entry belongs to. Every entry has one (enqueue_dossier, enqueue_step; deleting the dossier
    deletes its entries): the column is nullable in the schema only."""
    if entry.dossier_id is None:
        raise ValueError(f"outbox entry {entry.id} ({entry.kind} {entry.key}) has no dossier")
    return entry.dossier_id


def entry_dossier(entry: OutboxEntry) -> Dossier:
    """The entry's dossier row (the joined one, when the query joined it): see entry_dossier_id."""
    if entry.dossier is None:
        raise ValueError(f"outbox entry {entry.id} ({entry.kind} {entry.key}) has no dossier")
    return entry.dossier


@bound
def enqueue_dossier(ctx: AppContext, dossier: Dossier, now: datetime) -> OutboxEntry:
    entry = OutboxEntry.get_or_none((OutboxEntry.kind == "dossier") & (OutboxEntry.key == dossier.code))
    if entry is None:
        return OutboxEntry.create(kind="dossier", key=dossier.code, dossier=dossier, state=PENDING,
                                  next_attempt_at=now, created_at=now, updated_at=now)
    # A change while sending stays 'sending' with a newer revision: the sync sees the ack is stale. Decided by the
    # UPDATE itself, on the row as it stands when the UPDATE gets it: on PostgreSQL a sync may claim the entry (and
    # commit) between the read above and this write, which then waits for the claim's row lock and must keep it
    # 'sending'; 'pending' there would drop the acknowledgement of the revision the sync sent.
    in_flight = OutboxEntry.state == SENDING
    OutboxEntry.update(revision=OutboxEntry.revision + 1, state=Case(None, ((in_flight, SENDING),), PENDING),
                       attempts=Case(None, ((in_flight, OutboxEntry.attempts),), 0),
                       next_attempt_at=now, updated_at=now).where(OutboxEntry.id == entry.id).execute()
    return OutboxEntry.get_by_id(entry.id)


@bound
def enqueue_step(ctx: AppContext, step: DossierHistory, now: datetime) -> OutboxEntry:
    return OutboxEntry.create(kind="step", key=step.step_uuid, dossier=step.dossier_id, state=PENDING,
                              next_attempt_at=now, created_at=now, updated_at=now)


@bound
def enqueue_received(ctx: AppContext, dossier: Dossier, step: DossierHistory, now: datetime) -> None:
    """A dossier just given its code: its first step's entry and its own, written as enqueue_step and
    enqueue_dossier write them, in that order, by one statement (a round trip fewer each, in office mode). A new
    code has no entry to update: its code was free in the dossier table, and a dossier's entries go with it."""
    OutboxEntry.insert_many([
        {"kind": kind, "key": key, "dossier": dossier.id, "state": PENDING, "next_attempt_at": now,
         "created_at": now, "updated_at": now}
        for kind, key in (("step", step.step_uuid), ("dossier", dossier.code))
    ]).execute()


WAITING = (PENDING, SENDING, ATTENTION)  # what the province has not confirmed yet


@bound
def waiting_counts(ctx: AppContext) -> dict[str, int]:
    """The entries the province has not confirmed yet, per state (each of WAITING, 0 when none): the one
    definition of "Chờ đồng bộ" that the status bar and the Đồng bộ page both show, counted in the index of the
    unconfirmed entries (the millions already synced are not in it)."""
    found: dict[str, int] = dict(tuples(OutboxEntry.select(OutboxEntry.state, fn.COUNT(OutboxEntry.id))
                                        .where(in_state(*WAITING)).group_by(OutboxEntry.state)))
    return {state: int(found.get(state, 0)) for state in WAITING}


@bound
def waiting_count(ctx: AppContext) -> int:
    """How many entries wait for the province's confirmation (pending, sending or needing attention): the
    dossier upserts and steps the Đồng bộ page lists, counted as it counts them."""
    return sum(waiting_counts(ctx).values())
