"""The few differences of SQL between the two engines that the migrations' frozen SQL meets, in one place.

The migrations were written for SQLite; on PostgreSQL (office mode) the same statements run through `execute`,
which makes three mechanical changes and no others:

- `"id" INTEGER NOT NULL PRIMARY KEY` (SQLite's rowid alias, numbered by the engine) becomes `"id" SERIAL PRIMARY
  KEY` (a sequence numbers it);
- `VARCHAR(255)` becomes `VARCHAR` (SQLite never enforced the length: a longer name must not fail on one engine
  only);
- `?` placeholders become psycopg's `%s`.

What is not mechanical (triggers, full-text tables, INSERT OR …) has its own PostgreSQL branch in the migration
that needs it. Datetimes stay ISO text and booleans 0/1 integers on both engines (db.database), so raw SQL
compares the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from peewee import Database

from db.database import is_postgres

_ROWID = re.compile(r'"id" INTEGER NOT NULL PRIMARY KEY')
_VARCHAR = re.compile(r"VARCHAR\(\d+\)")


def to_postgres(statement: str) -> str:
    """`statement` (SQLite's DDL/DML as the migrations wrote it) as PostgreSQL reads it."""
    statement = _ROWID.sub('"id" SERIAL PRIMARY KEY', statement)
    statement = _VARCHAR.sub("VARCHAR", statement)
    return _placeholders(statement)


def _placeholders(statement: str) -> str:
    """`?` → `%s` outside quoted text and names (and a literal % doubled, as psycopg's format needs)."""
    out: list[str] = []
    quote: str | None = None
    for char in statement:
        if quote:
            if char == quote:
                quote = None
            out.append("%%" if char == "%" else char)
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "?":
            out.append("%s")
        else:
            out.append("%%" if char == "%" else char)
    return "".join(out)


def execute(database: Database, statement: str, params: Sequence[Any] | None = None) -> Any:
    """Run one statement of a migration on either engine (translated on PostgreSQL); the cursor."""
    if is_postgres(database):
        statement = to_postgres(statement)  # peewee passes `params or ()`: psycopg always reads the %s
    return database.execute_sql(statement, params)


def pg_trigger(name: str, on: str, body: str, when: str | None = None) -> tuple[str, str]:
    """A SQLite trigger as PostgreSQL has it: a plpgsql function `name` running `body` (statements ending in ;)
    and the row trigger `name` that calls it `on` (e.g. 'AFTER INSERT ON "dossier"'), only `when` that holds.
    Both are created or replaced, as `IF NOT EXISTS` made a SQLite migration safe to run again."""
    function = (f'CREATE OR REPLACE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} '
                "RETURN NULL; END $$")
    condition = f" WHEN ({when})" if when else ""
    trigger = f'CREATE OR REPLACE TRIGGER "{name}" {on} FOR EACH ROW{condition} EXECUTE FUNCTION "{name}"()'
    return function, trigger
