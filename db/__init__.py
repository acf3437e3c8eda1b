"""Persistence: peewee models, the connection, migrations and backups. No domain rules, no Qt."""

import sys

# peewee imports psycopg at its own import whenever it is installed: a fifth of a second of a counter's cold start
# (a second on a busy PC) that SQLite, the app's own engine, never needs. So peewee is imported here without it,
# and db.database hands psycopg to peewee when a PostgreSQL database is opened (`_psycopg_for_peewee`). The
# `counter` package imports this one first (cli/ and ui/ reach peewee only through it); anywhere peewee was imported
# before (a test), it already has psycopg.
if "peewee" not in sys.modules and "psycopg" not in sys.modules:
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # `import psycopg` raises ImportError: peewee skips it
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg"]
