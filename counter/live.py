"""The live board (issue 20): what other counters, the command line or a sync changed, seen within a second or two.

Every insert or update of a dossier adds a row to the change feed `live_change` by trigger, in the writer's own
transaction (migration 0022), so it works the same for several processes on one SQLite file and for the counters of
a centre on PostgreSQL. A running app keeps a `Feed` and calls `poll` once a second: one read of the feed's largest
id (the last entry of its primary key, well under a millisecond); only when it moved, or a row is still missing,
one range read of the new rows. `poll` answers with the `Changes` the app announces as it would its own intent's,
so every view refreshes only what it shows.

A missing id: on PostgreSQL ids are taken from a sequence when a transaction writes, not when it commits, so a
later id may be seen before an earlier one commits (and a rolled-back transaction leaves its id unused). The feed
keeps reading from the lowest id it has not seen for up to GAP_WAIT seconds, then gives that id up. On SQLite
writers take turns and ids follow the commits: no gap lasts.

The app's own changes come back through the feed too: `note_local` (after the app announced its own intent's
Changes, and its views reloaded from the database as it stands) makes `poll` skip the rows of those dossiers that
were already there, so a reception at this counter is not refreshed a second time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from peewee import ModelSelect, fn

from counter.changes import NOTHING, Changes
from counter.context import AppContext, bound, single_attempt
from db.migrations.m0022_live_change import KEEP
from db.models import LiveChange

POLL_MS = 1000  # how often the app looks (ui/live/poller.py)
BACK_OFF_MS = (2_000, 5_000, 15_000, 30_000)  # after 1, 2, 3, 4+ failed polls in a row: the server gone a while
GAP_WAIT = 30.0  # seconds an id missing below newer ones is waited for (a transaction still running on PostgreSQL)


@dataclass
class Feed:
    """Where this app is in the feed: every id up to `floor` seen (or given up), and those above it seen."""

    floor: int
    seen: set[int] = field(default_factory=set)
    missing_since: dict[int, float] = field(default_factory=dict)  # an id not seen yet below a seen one: since when
    local: dict[str, int] = field(default_factory=dict)  # a dossier this app changed: the feed's top when it did
    monotonic: Callable[[], float] = time.monotonic

    @property
    def top(self) -> int:
        return max(self.seen, default=self.floor)


@bound
def latest(ctx: AppContext) -> int:
    """The feed's largest id (0 when empty): the last entry of its primary key."""
    return int(LiveChange.select(fn.MAX(LiveChange.id)).scalar() or 0)


def _after(floor: int) -> ModelSelect[LiveChange]:
    """The feed's rows after id `floor`, in order (a search of the primary key)."""
    return LiveChange.select(LiveChange.id, LiveChange.code).where(LiveChange.id > floor).order_by(LiveChange.id)


@bound
def follow(ctx: AppContext) -> Feed:
    """A feed starting now: what is already in the database the app reads when it shows it."""
    return Feed(floor=latest(ctx))


@bound
def note_local(ctx: AppContext, feed: Feed, changes: Changes) -> None:
    """This app announced `changes` (its own intent's) and its views reload now: the feed's rows for those dossiers
    up to its current top need no second refresh."""
    if not changes.dossiers:
        return
    top = latest(ctx)
    for code in changes.dossiers:
        feed.local[code] = top


@bound
def poll(ctx: AppContext, feed: Feed) -> Changes:
    """What changed since the last poll, as the app announces it (NOTHING most of the time: one indexed read)."""
    top = latest(ctx)
    if top <= feed.top and not feed.missing_since:
        return NOTHING
    if feed.floor < top - KEEP:  # asleep for more than the feed keeps: those rows are gone (the views reload on show)
        feed.floor = top - KEEP
        feed.seen = {i for i in feed.seen if i > feed.floor}
        feed.missing_since = {i: t for i, t in feed.missing_since.items() if i > feed.floor}
    rows = [(row.id, row.code) for row in _after(feed.floor)]
    codes: set[str] = set()
    for id_, code in rows:
        if id_ in feed.seen:
            continue
        feed.seen.add(id_)
        feed.missing_since.pop(id_, None)
        if feed.local.get(code, 0) < id_:
            codes.add(code)  # not this app's own change, already shown
    _advance(feed, feed.monotonic())
    feed.local = {code: mark for code, mark in feed.local.items() if mark > feed.floor}
    return Changes(dossiers=frozenset(codes)) if codes else NOTHING


def poll_once(ctx: AppContext, feed: Feed) -> Changes:
    """`poll` for the GUI thread's timer: on PostgreSQL one try, never the intents' retries with their pauses (a
    server gone would hold the screen for seconds every second); the caller waits longer before the next."""
    with single_attempt(ctx):
        return poll(ctx, feed)


def _advance(feed: Feed, now: float) -> None:
    """Move `floor` over the ids seen in a row; note since when the ids below a seen one are missing, and give up
    those missing for longer than GAP_WAIT."""
    while True:
        nxt = feed.floor + 1
        if nxt in feed.seen:
            feed.seen.discard(nxt)
            feed.floor = nxt
        elif feed.seen and nxt < max(feed.seen):
            since = feed.missing_since.setdefault(nxt, now)
            if now - since < GAP_WAIT:
                break
            del feed.missing_since[nxt]
            feed.floor = nxt  # given up: rolled back, or pruned
        else:
            break
    for id_ in range(feed.floor + 1, feed.top):
        if id_ not in feed.seen:
            feed.missing_since.setdefault(id_, now)
