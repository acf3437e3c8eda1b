"""The one database handle, initialised at start-up, and the field types the models share."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from peewee import AutoField, DatabaseProxy, Field, Model, SqliteDatabase

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


_V = TypeVar("_V", datetime, datetime | None)

if TYPE_CHECKING:
    _Field = Field  # generic in peewee's stubs: Field[V] reads V from a row
else:
    class _Field(Field, Generic[_V]):
        """peewee's Field, subscriptable at run time as its stubs are for the type checker."""


class AwareDateTimeField(_Field[_V]):
    """An aware datetime stored as ISO text in Vietnam time ('2026-02-13T10:00:00+07:00').

    All values share one offset, so text order is time order and indexes work.
    """

    field_type = "TEXT"

    # null=True makes a row's attribute `datetime | None`, else `datetime`, as peewee's stubs say for DateTimeField.
    # Seen by the type checker only: at run time the field is built by object.__new__ as before.
    if TYPE_CHECKING:
        @overload
        def __new__(cls, *args: Any, null: Literal[True], **kwargs: Any) -> AwareDateTimeField[datetime | None]: ...
        @overload
        def __new__(cls, *args: Any, null: Literal[False] = ..., **kwargs: Any) -> AwareDateTimeField[datetime]: ...
        def __new__(cls, *args: Any, **kwargs: Any) -> AwareDateTimeField[Any]:
            return super().__new__(cls)

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
    # peewee adds `id = AutoField()` to every model that names no primary key of its own (all but Meta, Setting
    # and RegisterCounter); a bare annotation declares it for the type checker and creates no column.
    id: AutoField[int]

    class Meta:
        database = db
        legacy_table_names = False
