"""Realistic synthetic dossiers, by the thousand or the million (main.py demo-data, demo-init).

Receiving a million dossiers one by one through `receive_dossier` would take hours, so the demo
builds the rows those intents would have written — applicant, dossier, components, fees, history
and outbox, pauses, results, returns, ratings, apologies — and writes them with `executemany`,
10,000 dossiers per transaction, with ids it assigns, while it builds the next 10,000. Each
transaction also moves the code, register and use counters past what it used, so the database is
consistent after every chunk and a later `receive_dossier` never collides with a demo code.

Pieces: demo_people (citizens), demo_timeline (a dossier's life up to now), demo_rows (its rows),
demo_writer (ids, counters, inserts).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import multiprocessing
import random
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

import resources
from counter.calendar import schedule
from counter.calendar.workdays import WorkCalendar
from counter.catalogue import procedures
from counter.clock import VN_TZ, local
from counter.context import AppContext, bound
from counter.office.profile import get_office
from counter.setup import seed_demo
from counter.status import Status
from db.database import is_postgres
from db.models import User
from devtools.demo.people import People, nfc_data
from devtools.demo.rows import DossierRows, Staff
from devtools.demo.writer import close_writer, start_writer, write_batch

CHUNK = 10_000  # dossiers per transaction (and per progress report)
PARALLEL_ABOVE = 3 * CHUNK  # more dossiers than this: the writer gets a process of its own
FIRST_DAY = date(2022, 1, 1)  # the demo's history starts here
RECENT_DAYS = 30
SHOWCASE_DAYS = 10  # the showcase's deadlines, in working days, so it fits in the last month

# Dossiers a demo must show, whatever their number: (status, when it was received).
SHOWCASE = (
    (Status.RECEIVED, "today"), (Status.IN_PROGRESS, "today"), (Status.IN_PROGRESS, "due_today"),
    (Status.IN_PROGRESS, "overdue"), (Status.SUPPLEMENT, "recent"), (Status.RESULT_READY, "recent"),
    (Status.AWAITING_PAYMENT, "recent"), (Status.RETURNED, "recent"), (Status.REFUSED, "recent"),
    (Status.WITHDRAWN, "recent"), (Status.STOPPED, "recent"),
)


@dataclass(frozen=True, slots=True)
class Planned:
    """One dossier of the reception schedule, before it is built."""

    received_at: datetime
    procedure_code: str | None = None  # None: drawn from the usual mix
    target: Status | None = None  # None: wherever its life has got to by now
    overdue: bool = False


@bound  # it reads the catalogue and the staff of the context's database
def add_demo_dossiers(ctx: AppContext, n: int, *, seed: int = 1, recent: bool = False,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """Add `n` synthetic dossiers received from 2022 up to now (or, `recent`, in the last 30 days), into the demo
    office (`seed_demo` makes an empty database the demo first, and refuses a real office's database)."""
    seed_demo(ctx)
    if n <= 0:
        return 0
    rng = random.Random(seed)
    now = local(ctx.clock.now())
    cal = _memoised(schedule.calendar(ctx))
    data = nfc_data(json.loads(resources.path("data", "demo_data.json").read_text(encoding="utf-8")))
    taken = {row[0] for row in ctx.database.execute_sql('SELECT id_number FROM "applicant"')}
    rows = DossierRows(ctx, rng, cal, now, get_office(ctx), data["dossiers"], People(rng, data["people"], taken),
                       _staff())
    chunks = _batched(_reception_schedule(rng, cal, now, n, recent, rows.showcase_candidates()), CHUNK)
    with writing(ctx, n) as pool:
        try:
            done = _write_all(pool, (rows.batch_of(chunk) for chunk in chunks), n, progress)
        finally:
            _close(pool)
    procedures.invalidate_cache(ctx)  # use counts changed
    return done


def writing(ctx: AppContext, n: int) -> Executor:
    """Where the batches are written: a thread for a small demo, a second process for a big one.

    Building rows is Python and inserting them is mostly SQLite; on two cores they overlap only in
    two processes, because a thread must take the GIL back after every row it inserts. The process
    is spawned (no SQLite connection crosses a fork) and opens the file itself. On PostgreSQL the inserting is
    the server's process's work: a thread overlaps with it already.
    """
    if n > PARALLEL_ABOVE and not getattr(sys, "frozen", False) and not is_postgres(ctx.database):
        # a frozen build cannot spawn a worker
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=start_writer, initargs=(str(ctx.db_path),))
    return ThreadPoolExecutor(1, thread_name_prefix="demo-writer", initializer=start_writer,
                              initargs=(ctx.database,))


def _memoised(cal: WorkCalendar) -> WorkCalendar:
    """A private copy of the (immutable) calendar that remembers its answer per day: a million
    dossiers ask it twenty million times about the same thousand days."""
    fast = copy.copy(cal)
    fast.is_working_day = functools.cache(fast.is_working_day)
    return fast


def _write_all(pool: Executor, batches: Iterator, n: int, progress) -> int:
    """Hand each batch to the writer, building the next one meanwhile; report after each commit."""
    done, pending = 0, None
    for batch in batches:
        if pending:
            done += pending.result()
            if progress:
                progress(done, n)
        pending = pool.submit(write_batch, batch)
    if pending:
        done += pending.result()
        if progress:
            progress(done, n)
    return done


def _close(pool: Executor) -> None:
    with contextlib.suppress(BrokenExecutor):  # the writer died (its error is already on its way up): nothing to close
        pool.submit(close_writer).result()


def _batched(items: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(items, size)):
        yield chunk


def _staff() -> Staff:
    """The desk's users: clerks receive and record (or any user when there is no clerk), a leader signs."""
    users = list(User.select().where(User.active == True).order_by(User.id))  # noqa: E712 (peewee builds SQL from ==)
    clerks = [(u.id, u.full_name) for u in users if u.role == "clerk"] or [(u.id, u.full_name) for u in users]
    leader = next(((u.id, u.full_name, u.title) for u in users if u.role == "leader"), (None, "", ""))
    return Staff(clerks, leader)


# The reception schedule -----------------------------------------------------------------------


def _reception_schedule(rng: random.Random, cal: WorkCalendar, now: datetime, n: int, recent: bool,
                        candidates: dict[str, list[tuple[str, int]]]) -> Iterator[Planned]:
    """Every dossier's reception time, in time order, day by day (so codes follow the clock)."""
    last_month = now.date() - timedelta(days=RECENT_DAYS)
    first = FIRST_DAY if not recent and last_month > FIRST_DAY else last_month
    rounds = max(1, n // 30) if recent else 1  # a small demo is mostly showcase, a big one hardly
    today = _last_open_day(cal, now)
    showcase = [p for _ in range(rounds) for p in _showcase(rng, cal, now, today, candidates)][:n]
    days = _open_days(cal, min([first] + [p.received_at.date() for p in showcase]), now)
    counts = _counts_per_day(rng, [d for d in days if d >= first], now, n - len(showcase))
    by_day: dict[date, list[Planned]] = {}
    for p in showcase:
        by_day.setdefault(p.received_at.date(), []).append(p)
    for day in days:
        planned = by_day.get(day, []) + [Planned(_office_time(rng, cal, day, now)) for _ in range(counts.get(day, 0))]
        yield from sorted(planned, key=lambda p: p.received_at)


def _open_days(cal: WorkCalendar, first: date, now: datetime) -> list[date]:
    """Working days from `first` to today; today only once the office has opened."""
    days = [first + timedelta(days=i) for i in range((now.date() - first).days)]
    days = [d for d in days if cal.is_working_day(d)]
    return [*days, now.date()] if _open_today(cal, now) else days


def _open_today(cal: WorkCalendar, now: datetime) -> bool:
    return cal.is_working_day(now.date()) and now.time() > cal.hours.morning_start


def _last_open_day(cal: WorkCalendar, now: datetime) -> date:
    """Today once the office has opened, else the last working day before."""
    return now.date() if _open_today(cal, now) else _working_days_before(cal, now.date(), 1)


def _counts_per_day(rng: random.Random, days: list[date], now: datetime, n: int) -> dict[date, int]:
    """Spread `n` dossiers over the days: Mondays and the weeks around Tết are busier, the office
    grows busier over the years, and today only counts its hours so far."""
    if n <= 0 or not days:
        return {}
    span = max(1, (days[-1] - days[0]).days)
    cumulative, total = [], 0.0
    for day in days:
        w = (1.3, 1.05, 1.0, 1.0, 0.9, 0.6, 0.6)[day.weekday()] * (1.25 if day.month in (1, 12) else 1.0)
        w *= 0.8 + 0.4 * (day - days[0]).days / span
        if day == now.date():
            w *= min(1.0, max(0.05, (now.hour - 7) / 10))
        total += w
        cumulative.append(total)
    counts: dict[date, int] = {}
    for day in rng.choices(days, cum_weights=cumulative, k=n):
        counts[day] = counts.get(day, 0) + 1
    return counts


def _office_time(rng: random.Random, cal: WorkCalendar, day: date, now: datetime) -> datetime:
    """A reception moment on `day`: office hours, mornings busier, never after now."""
    h = cal.hours
    periods = [(_seconds(h.morning_start), _seconds(h.morning_end) - 60),
               (_seconds(h.afternoon_start), _seconds(h.afternoon_end) - 60)]
    if day == now.date():
        limit = _seconds(now.time())
        periods = [(start, min(end, limit)) for start, end in periods if start < limit] or [(limit, limit + 1)]
    start, end = periods[0] if len(periods) == 1 or rng.random() < 0.6 else periods[1]
    return _at(day, time()) + timedelta(seconds=rng.randrange(start, max(start + 1, end)))


def _showcase(rng: random.Random, cal: WorkCalendar, now: datetime, today: date,
              candidates: dict[str, list[tuple[str, int]]]) -> list[Planned]:
    """The dossiers a demo must show, each received when its status makes sense (see SHOWCASE)."""
    planned = []
    for target, when in SHOWCASE:
        if when == "today":
            planned.append(Planned(_office_time(rng, cal, today, now), target=target))
            continue
        pool = candidates["payable" if target == Status.AWAITING_PAYMENT else "working_days"]
        pool = [c for c in pool if c[1] <= SHOWCASE_DAYS] or pool  # keep them within the last month
        if not pool:
            continue
        code, n_days = rng.choice(pool)
        back = {"due_today": n_days, "overdue": n_days + rng.randint(1, 4)}.get(when) or rng.randint(2, 12)
        needs_deadline = when != "recent" or target in (Status.SUPPLEMENT, Status.AWAITING_PAYMENT)
        planned.append(Planned(_office_time(rng, cal, _working_days_before(cal, today, back), now),
                               code if needs_deadline else None, target, overdue=when == "overdue"))
    return planned


def _working_days_before(cal: WorkCalendar, day: date, k: int) -> date:
    while k > 0:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            k -= 1
    return day


def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _at(day: date, t: time) -> datetime:
    return datetime(day.year, day.month, day.day, t.hour, t.minute, t.second, tzinfo=VN_TZ)
