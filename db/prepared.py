"""Queries of a fixed shape, built into SQL once per database and then run with new parameters.

Peewee builds a query's SQL again each time it runs it. For an index probe that costs several times what the
database spends answering: a dossier's row by its code took 0.8 ms of Python against 0.15 ms once built (measured on
the scan → dossier page path, the one a clerk waits for). So the queries on that path are built once — by peewee,
for the engine of the database in use, so the SQL stays that engine's (`?` on SQLite, `%s` on PostgreSQL) — and run
again as `Model.raw`: the rows come back as the same models, their columns converted as a select converts them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast
from weakref import WeakKeyDictionary

from peewee import Database, Model, ModelSelect

from db.database import database_in_use

M = TypeVar("M", bound=Model)

# database → the query's builder → (its model, its SQL)
_BUILT: WeakKeyDictionary[Database, dict[Callable[..., Any], tuple[type[Model], str]]] = WeakKeyDictionary()


def fetch(build: Callable[..., ModelSelect[M]], *params: Any) -> list[M]:
    """The rows of `build(*params)`, from its SQL built the first time in the database in use.

    `build` must put each of `params` into the query once, in their order, and no other value, whatever the values
    (the SQL is kept whole, so a value must never change its shape: no `None` turned into IS NULL). The first build
    checks that its parameters are `params`. A parameter is passed as given: a value a field would convert (a date)
    must be given converted.
    """
    database = database_in_use()
    if database is None:
        raise RuntimeError("no database in use: call from a @bound function")
    built = _BUILT.setdefault(database, {})
    found = built.get(build)
    if found is None:
        query = build(*params)
        sql, bound = query.sql()
        if list(bound) != list(params):
            raise ValueError(f"{build.__qualname__}: its query's parameters {bound!r} are not {list(params)!r}")
        found = built[build] = (query.model, sql)
    model, sql = found
    return cast(list[M], list(model.raw(sql, *params)))
