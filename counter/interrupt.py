"""Stopping a query another thread runs, on either engine: SQLite's `interrupt()`, PostgreSQL's cancel request
(psycopg's `cancel()`, which asks the server over a connection of its own and is safe from any thread). The
interrupted query raises in its own thread, where the caller that asked for the stop expects it."""

from __future__ import annotations

from typing import Any


def interrupt(connection: Any) -> None:
    """Stop what `connection` (a sqlite3 or psycopg connection) is running now; nothing if it runs nothing."""
    stop = getattr(connection, "interrupt", None) or getattr(connection, "cancel", None)
    if stop is not None:
        stop()
