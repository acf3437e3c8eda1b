"""The AppContext: everything an intent needs, built once in main.py (or a test) and passed down."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from peewee import Database, DatabaseError

from counter.clock import Clock
from counter.errors import DiskFull, is_disk_full
from counter.records import User
from db.database import in_use, write_lock

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
        DiskFull, one Vietnamese sentence, instead of SQLite's error and peewee's failed ROLLBACK after it."""
        outermost = not self.database.in_transaction()
        try:
            with in_use(self.database), self.database.atomic(write_lock(self.database)) as transaction:
                yield transaction
        except DatabaseError as e:
            if outermost and is_disk_full(e):
                raise DiskFull(f"Ổ đĩa đã đầy: không ghi được vào cơ sở dữ liệu “{self.db_path}”. Hãy giải phóng "
                               "dung lượng ổ đĩa rồi thử lại; chưa có gì thay đổi.") from e
            raise


def bound(function: Callable[Concatenate[AppContext, P], R]) -> Callable[Concatenate[AppContext, P], R]:
    """Decorate a counter function taking the context first: it runs with the models bound to ctx's database."""

    @functools.wraps(function)
    def run(ctx: AppContext, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with in_use(ctx.database):
            return function(ctx, *args, **kwargs)

    return run
