"""The one database handle, initialised at start-up, and the field types the models share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from peewee import DatabaseProxy, Field, Model, SqliteDatabase

from db.timezone import VN_TZ, local

db = DatabaseProxy()

# DESIGN.md: WAL for readers beside the writer, FULL sync so a committed dossier survives a
# power cut, foreign keys on, and a busy timeout so two processes queue instead of failing.
PRAGMAS = (
    ("journal_mode", "wal"),
    ("synchronous", "full"),
    ("foreign_keys", 1),
    ("busy_timeout", 10_000),
    ("cache_size", -32_000),
)


def make_database(path: Path | str) -> SqliteDatabase:
    return SqliteDatabase(str(path), pragmas=PRAGMAS, autoconnect=True, check_same_thread=False)


def bind(database: SqliteDatabase) -> SqliteDatabase:
    db.initialize(database)
    return database


class AwareDateTimeField(Field):
    """An aware datetime stored as ISO text in Vietnam time ('2026-02-13T10:00:00+07:00').

    All values share one offset, so text order is time order and indexes work.
    """

    field_type = "TEXT"

    def db_value(self, value: datetime | str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return local(value).isoformat(timespec="seconds")

    def python_value(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        return datetime.fromisoformat(value).astimezone(VN_TZ)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False
