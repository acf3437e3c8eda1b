"""Read-only queries run side by side, each on a connection of its own, so a report uses every core.

SQLite runs one query on one core; Python's sqlite3 lets go of the interpreter lock while SQLite works, so queries
on separate connections in separate threads run at the same time. peewee keeps one connection per thread: a
worker thread's queries open its own, closed when the query is done. Each query then reads its own snapshot, as
consecutive queries on one connection outside a transaction already did; a caller that needs one snapshot, or is
inside a transaction whose writes the others would not see, gets the queries one after the other on its own
connection instead (as does a database in memory, which other connections cannot open).

The same holds on PostgreSQL (office mode): peewee's per-thread connections are the server's sessions, each query
its own snapshot; the SQL is written once with named parameters and translated there (db.portable).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from peewee import Database

from counter.context import AppContext
from db.portable import execute

# Two queries at once already halve a year's Biểu 06 on a counter PC's two cores; more would only queue.
WORKERS = max(2, min(4, os.cpu_count() or 2))

Query = tuple[str, Mapping[str, Any]]


def fetch_all(ctx: AppContext, queries: Sequence[Query]) -> list[list[tuple[Any, ...]]]:
    """Every row of each query, in the queries' order."""
    database = ctx.database
    if len(queries) < 2 or database.in_transaction() or _in_memory(database):
        return [execute(database, sql, params).fetchall() for sql, params in queries]
    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="report") as pool:
        return list(pool.map(lambda query: _on_own_connection(database, query), queries))


def _on_own_connection(database: Database, query: Query) -> list[tuple[Any, ...]]:
    sql, params = query
    try:
        return list(execute(database, sql, params).fetchall())
    finally:
        database.close()  # this worker thread's connection only


def _in_memory(database: Database) -> bool:
    name = str(database.database or "")
    return name in ("", ":memory:") or "mode=memory" in name
