"""The AppContext: everything an intent needs, built once in main.py (or a test) and passed down."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from peewee import Database, DatabaseError

from counter.clock import Clock
from counter.errors import DatabaseBusy, DatabaseUnreachable, DiskFull, is_disk_full
from counter.records import User
from db.database import FailureKind, drop_connection, failure_kind, in_use, is_postgres, redact_url, write_lock

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class AppContext:
    """One open database and what goes with it: its data folder, the clock, the logged-in clerk, and the
    derived data cached for that database (`cache`: the work calendar, the catalogue behind the picker…).

    The peewee models (db/) are bound to one routing proxy; a context makes them reach *its* database while a
    counter function runs, so one process can hold several contexts (two databases in tests; several counters
    of an office later), each thread or task routing on its own:

    - every counter/ function that reads or writes the database takes the context first and is decorated with
      `@bound` (its body, and whatever it calls, reaches this context's database);
    - an intent opens its transaction with `with ctx.transaction():`, which binds first, so a transaction is
      never open on one database while the models point at another (a nested one is a savepoint);
    - `with ctx.bound():` binds a block (a tool, a test reading rows).

    Code that binds nothing reaches the process default (`db.database.bind`, set by `counter.setup.open_app`).
    """

    database: Database  # SQLite (a one-counter office) or PostgreSQL (office mode): db.database.make_database_from_url
    data_dir: Path
    clock: Clock = field(default_factory=Clock)
    user: User | None = None  # the logged-in clerk; None for scripts
    cache: dict[str, Any] = field(default_factory=dict)  # derived data of this database, rebuilt when stale
    # Office mode: this PC's workstation number, from its local configuration (counter.office.local_config) and
    # registered to it in the centre's database (counter.office.workstations); None on SQLite (the office row's).
    workstation: int | None = None

    @property
    def db_path(self) -> Path:
        return Path(self.database.database)

    def bound(self) -> AbstractContextManager[Database]:
        """The models reach this context's database inside the block."""
        return in_use(self.database)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One writing transaction on this context's database (on SQLite IMMEDIATE, the write lock taken at BEGIN:
        db.database.write_lock), with the models bound to it; inside another, a savepoint. Yields peewee's
        transaction (for `rollback()`).

        A full disk (SQLite cannot grow the database or its log) rolls the whole transaction back and raises
        DiskFull, one Vietnamese sentence, instead of SQLite's error and peewee's failed ROLLBACK after it.

        On PostgreSQL the outermost transaction tells the intent's retry (`bound`) how it ended: committed (the
        intent may not run again), or broken off while committing (whether it was saved is unknown)."""
        outermost = not self.database.in_transaction()
        attempt = _attempt.get()
        body_done = False
        try:
            with in_use(self.database), self.database.atomic(write_lock(self.database)) as transaction:
                yield transaction
                body_done = True
        except Exception as e:
            if outermost and isinstance(e, DatabaseError) and is_disk_full(e):
                raise DiskFull(f"Ổ đĩa đã đầy: không ghi được vào cơ sở dữ liệu “{self.db_path}”. Hãy giải phóng "
                               "dung lượng ổ đĩa rồi thử lại; chưa có gì thay đổi.") from e
            if outermost and body_done and attempt is not None and failure_kind(e) == "lost":
                attempt.commit_unknown = True  # COMMIT sent, no answer: the server may have kept it
            raise
        if outermost and attempt is not None:
            attempt.committed = True


# PostgreSQL (office mode): an intent whose transaction failed for a reason outside the work itself (another
# counter's transaction in the way, the connection lost) is run again whole, at most RETRIES more times, after these
# pauses (seconds; "busy" jittered), then reported in Vietnamese (DatabaseBusy, DatabaseUnreachable).
RETRIES = 3
RETRY_PAUSES: dict[FailureKind, tuple[float, ...]] = {
    "busy": (0.05, 0.2, 0.5),
    "duplicate": (0.0, 0.05, 0.1),
    "lost": (0.5, 1.0, 2.0),
}


@dataclass
class _Attempt:
    """One run of an intent under retry: whether one of its outermost transactions committed, or broke off while
    committing. Either way running it again could do its work twice, so it is not run again."""

    committed: bool = False
    commit_unknown: bool = False


_attempt: ContextVar[_Attempt | None] = ContextVar("intent_attempt", default=None)


def _given_up(ctx: AppContext, kind: FailureKind, attempt: _Attempt, tries: int) -> Exception:
    kept = ("Phần việc đã lưu trước đó vẫn được giữ; phần còn lại chưa lưu." if attempt.committed
            else "Chưa có gì thay đổi.")
    if kind == "busy":
        return DatabaseBusy(f"Cơ sở dữ liệu của trung tâm đang bận (các quầy khác đang ghi cùng lúc) nên chưa lưu "
                            f"được sau {tries} lần thử. {kept} Hãy thử lại sau giây lát.")
    server = redact_url(str(ctx.database.database))
    if attempt.commit_unknown:
        return DatabaseUnreachable(
            f"Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm ({server}) đúng lúc đang lưu: chưa biết việc vừa "
            "làm đã được lưu hay chưa. Khi kết nối lại, hãy mở lại hồ sơ để kiểm tra trước khi làm lại.",
            saved_unknown=True)
    return DatabaseUnreachable(f"Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm ({server}) sau {tries} lần "
                               f"thử. {kept} Hãy kiểm tra mạng và máy chủ rồi thử lại.")


def _retrying(ctx: AppContext, function: Callable[..., R], args: Any, kwargs: Any) -> R:
    """Run `function` (an intent, or a query) and, on PostgreSQL, run it again whole after a failure that running
    again may cure, as long as nothing of it was committed (its transactions rolled back wholly)."""
    for retry in range(RETRIES + 1):
        attempt = _Attempt()
        token = _attempt.set(attempt)
        try:
            return function(ctx, *args, **kwargs)
        except Exception as e:
            kind = failure_kind(e)
            if kind is None:
                raise
            if kind == "lost":
                drop_connection(ctx.database)  # the next statement connects anew
            if attempt.committed or attempt.commit_unknown or retry == RETRIES:
                if kind == "duplicate":
                    raise  # the same row again and again: not a race but a real error
                raise _given_up(ctx, kind, attempt, retry + 1) from e
            pause = RETRY_PAUSES[kind][retry]
            if kind == "busy":
                pause *= random.uniform(0.5, 1.5)
            log.warning("%s: %s on the database (%s); running it again in %.2f s (retry %d of %d)",
                        getattr(function, "__qualname__", function), kind, type(e).__name__, pause, retry + 1, RETRIES)
            time.sleep(pause)
        finally:
            _attempt.reset(token)
    raise AssertionError("unreachable")  # the loop returns or raises


def bound(function: Callable[Concatenate[AppContext, P], R]) -> Callable[Concatenate[AppContext, P], R]:
    """Decorate a counter function taking the context first: it runs with the models bound to ctx's database.

    On PostgreSQL the outermost such call is the unit of retry: a serialization failure, deadlock, lock timeout,
    a unique row inserted meanwhile, or the connection lost, while nothing of it was committed, runs it again whole
    (`RETRIES`), then raises DatabaseBusy or DatabaseUnreachable. Work outside the database done before the failing
    transaction must bear running twice (the code ledger is written after the commit; scans are stored by hash)."""

    @functools.wraps(function)
    def run(ctx: AppContext, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with in_use(ctx.database):
            if _attempt.get() is not None or not is_postgres(ctx.database) or ctx.database.in_transaction():
                return function(ctx, *args, **kwargs)
            return _retrying(ctx, function, args, kwargs)  # the outermost call on PostgreSQL

    return run
