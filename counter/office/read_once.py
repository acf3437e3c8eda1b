"""What one intent reads from the database only once: the office row and the database's instance id, read the first
time a step asks for them inside `scope`, then given again for the rest of the block.

A reception asks for the office row six times (is the office set up, its set-up day, the hours of its due date, its
agency id and book, is it the demonstration, the code ledger's agency) and for the instance id twice (the code
ledger's check before the code is issued and its record after), each a round trip to the server in office mode.
Outside a scope every call reads, as before. A block that writes the office row or the instance id (saving the
office, a restore) opens no scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from peewee import Database

from counter.context import AppContext, bound
from db import migrate
from db.database import database_in_use
from db.models import Office

_held: ContextVar[dict[tuple[str, int], Any] | None] = ContextVar("read_once_held", default=None)
_T = TypeVar("_T")


def _once(name: str, database: Database | None, read: Callable[[], _T]) -> _T:
    held = _held.get()
    if held is None:
        return read()
    key = (name, id(database))  # one value per database: a block may reach two (a join's source and target)
    if key not in held:
        held[key] = read()
    return cast(_T, held[key])


@bound
def office_row(ctx: AppContext) -> Office | None:
    """The office row of the context's database (None before an office is configured)."""
    return _once("office", database_in_use(), Office.get_or_none)


def instance_id(database: Database) -> str:
    """The database's instance id (db.migrate.instance_id)."""
    return _once("instance_id", database, lambda: migrate.instance_id(database))


@contextmanager
def scope() -> Iterator[None]:
    """Inside the block each of these is read at most once."""
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)
