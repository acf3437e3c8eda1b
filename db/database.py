"""The models' database handle, the connection settings, and the field types the models share.

Every model is bound to `db`, one proxy for the process. It routes to the database *in use* in the running
thread or task (`in_use()`, a context variable), and otherwise to the process default that `bind()`
sets at start-up. So one process can hold several databases over the same models (tests, office mode), while
a script or a thread that binds nothing keeps the default, as a single-database app always did.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast, overload
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from peewee import AutoField, Database, DatabaseProxy, Field, Model, PostgresqlDatabase, SqliteDatabase

from db.timezone import VN_TZ, local

_in_use: ContextVar[Database | None] = ContextVar("database_in_use", default=None)


class RoutingProxy(DatabaseProxy):
    """A peewee DatabaseProxy whose target is the database in use in this context, else the default."""

    __slots__ = ("_default",)

    @property  # peewee's `obj` slot becomes a routed read
    def obj(self) -> Database | None:
        database = _in_use.get()
        return self._default if database is None else database

    @obj.setter
    def obj(self, value: Database | None) -> None:  # peewee's initialize(): the process default
        self._default = value

    def __setattr__(self, attr: str, value: Any) -> None:
        object.__setattr__(self, attr, value)  # peewee's Proxy checks names against its own slots


db = RoutingProxy()

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


def refuse_sqlite_writes(database: Database) -> None:
    """Every later write to this SQLite file from this process fails (SQLITE_READONLY): `query_only` on this
    thread's connection and, kept among the database's pragmas, on every connection opened after (peewee keeps
    one a thread). Reads go on. Nothing on PostgreSQL."""
    if isinstance(database, SqliteDatabase):
        database.pragma("query_only", 1, permanent=True)


# PostgreSQL (office mode): a statement running longer than this is cancelled, a lock waited for longer than this
# fails (the caller retries or says so) instead of a counter hanging; an idle transaction left open is ended.
PG_STATEMENT_TIMEOUT_MS = 30_000
PG_LOCK_TIMEOUT_MS = 10_000
PG_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000
# No JIT compilation for the app's sessions: its queries are a counter's (an index probe, a page of a list) or a
# report's over a period, whose estimated cost crosses jit_above_cost while the query runs in a few hundred
# milliseconds. On the million-dossier bench database each part of a year's Biểu 06 compiled for 3.4 s of its
# processes' time (optimisation 2,058 ms, emission 1,017 ms) for 0.2 s of work: 2.2–4.2 s a part → 0.65–0.8 s.
PG_JIT = "off"
SQLITE_SCHEME = "sqlite://"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class UnsupportedDatabaseUrl(ValueError):
    """A database URL this app cannot open; the message is one Vietnamese sentence for the clerk."""


def redact_url(url: str) -> str:
    """`url` with its password (in the user part or as a `password=` parameter) replaced by ***: for logs and
    messages."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            netloc = userinfo.split(":", 1)[0] + ":***@" + host
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in pairs], safe="/:*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class OfficeDatabase(PostgresqlDatabase):
    """peewee's PostgreSQL database (psycopg 3) as office mode opens it; its repr never shows the password.

    Booleans are written as 0/1: the schema is the same on both engines (a BooleanField is an INTEGER column, as
    SQLite made it), so raw SQL comparing `= 1` reads the same."""

    def __repr__(self) -> str:
        return f"<OfficeDatabase {redact_url(str(self.database))}>"

    def rename(self, application: str) -> None:
        """Show this database's connections as `application` in pg_stat_activity from now on: the ones to come,
        and this thread's own, when it has one outside a transaction (another thread's keeps its name until it
        reconnects)."""
        self.connect_params["application_name"] = application
        if not self.is_closed() and not self.in_transaction():
            cast(Database, self).execute_sql("SELECT set_config('application_name', %s, false)", (application,))

    def _connect(self) -> Any:
        conn = super()._connect()  # type: ignore[misc]  # peewee-stubs leave out the hook peewee calls
        from psycopg.types.numeric import Int2Dumper

        conn.adapters.register_dumper(bool, Int2Dumper)
        return conn


def _psycopg_for_peewee() -> None:
    """peewee's psycopg 3 support, for a peewee imported without psycopg (db/__init__.py): the driver and the names
    peewee reads from it, set as its own import would have set them."""
    import peewee

    if peewee.psycopg is not None:  # type: ignore[attr-defined]
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg, peewee.TransactionStatus = psycopg, TransactionStatus  # type: ignore[attr-defined]
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb  # type: ignore[attr-defined]
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


APPLICATION = "quay-mot-cua"  # pg_stat_activity's application_name of a counter (`application_name`)
APPLICATION_WORKSTATION = re.compile(r"^quay-mot-cua may(\d)(?: (.+))?$")
_APPLICATION_MAX = 63  # PostgreSQL keeps NAMEDATALEN - 1 bytes of it


def application_name(workstation: int | None, machine_name: str = "") -> str:
    """How a counter's connections name themselves to the server: "quay-mot-cua may3 QUAY-3" (workstation 3 on the
    PC named QUAY-3), so that who is still connected can be said by counter (`APPLICATION_WORKSTATION` reads it
    back). ASCII only: PostgreSQL escapes anything else in application_name."""
    if workstation is None:
        return APPLICATION
    base = f"{APPLICATION} may{workstation}"
    host = re.sub(r"[^A-Za-z0-9._-]+", "-", unicodedata.normalize("NFKD", machine_name.replace("đ", "d")
                                                                  .replace("Đ", "D"))
                  .encode("ascii", "ignore").decode("ascii")).strip("-")
    return f"{base} {host}"[:_APPLICATION_MAX].rstrip() if host else base


CONNECT_TIMEOUT_S = 10  # a server that does not answer: said after this many seconds


def make_database_from_url(url: str, password: str | None = None, application: str = APPLICATION) -> Database:
    """The database a URL names: `sqlite:///relative/path` or `sqlite:////absolute/path` → the embedded SQLite
    file with its PRAGMAS (`make_database`); `postgresql://…` (any libpq URI, e.g.
    `postgresql://user@/db?host=/run/postgresql` for a Unix socket) → PostgreSQL through psycopg 3, connecting
    when first used, one connection per thread, with statement, lock and idle-transaction timeouts; `password`
    (never in the URL: it would reach logs and the process list) is given to libpq apart; `application` is the
    connections' application_name (`application_name`: the PC's workstation)."""
    if url.startswith(SQLITE_SCHEME):
        path = unquote(urlsplit(url).path)
        if not path or path == "/" or urlsplit(url).netloc:
            raise UnsupportedDatabaseUrl(f"Địa chỉ cơ sở dữ liệu “{redact_url(url)}” thiếu đường dẫn tệp: "
                                         "hãy viết sqlite:///đường/dẫn/tệp.sqlite3.")
        return make_database(path[1:])
    if url.startswith(POSTGRES_SCHEMES):
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        _psycopg_for_peewee()
        options = (f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS} -c lock_timeout={PG_LOCK_TIMEOUT_MS} "
                   f"-c idle_in_transaction_session_timeout={PG_IDLE_IN_TRANSACTION_TIMEOUT_MS} -c jit={PG_JIT}")
        secret: dict[str, Any] = {"password": password} if password else {}
        return OfficeDatabase(url, autoconnect=True, thread_safe=True, prefer_psycopg3=True, options=options,
                              application_name=application, connect_timeout=CONNECT_TIMEOUT_S, **secret)
    raise UnsupportedDatabaseUrl(f"Không mở được cơ sở dữ liệu “{redact_url(url)}”: địa chỉ phải bắt đầu bằng "
                                 "sqlite:/// hoặc postgresql://.")


def is_postgres(database: Database | None) -> bool:
    """True for a PostgreSQL database (office mode), False for the embedded SQLite file."""
    if isinstance(database, DatabaseProxy):
        database = cast(Database | None, database.obj)
    return isinstance(database, PostgresqlDatabase)


def write_lock(database: Database) -> str | None:
    """How a transaction that writes begins, as `database.atomic(write_lock(database))` takes it: on SQLite
    IMMEDIATE (the write lock taken at BEGIN, so two writers queue instead of one failing at its first write); on
    PostgreSQL None, a plain BEGIN (row locks are taken as rows are written)."""
    return "IMMEDIATE" if isinstance(database, SqliteDatabase) else None


_D = TypeVar("_D", bound=Database)


def bind(database: _D) -> _D:
    """Make `database` the process default: what the models use wherever no other is in use."""
    db.initialize(database)
    return database


def unbind() -> None:
    """No process default: the models reach a database only where one is in use (a strict test's set-up)."""
    db.initialize(None)


@contextmanager
def in_use(database: Database) -> Iterator[Database]:
    """Route the models to `database` in this thread or task for the block."""
    token = _in_use.set(database)
    try:
        yield database
    finally:
        _in_use.reset(token)


def database_in_use() -> Database | None:
    """The database the models reach here and now (None if neither one is in use nor a default is bound)."""
    return db.obj


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


# PostgreSQL's SQLSTATEs of a failure that says nothing about the work itself: another transaction was in the way
# (serialization failure, deadlock, a lock not granted within lock_timeout), or the server went away (class 08,
# the server shutting down or starting: 57P01–57P03). Running the whole transaction again is the cure.
BUSY_STATES = frozenset({"40001", "40P01", "55P03"})
LOST_STATES = frozenset({"57P01", "57P02", "57P03"})
DUPLICATE_STATE = "23505"  # unique_violation: two transactions inserted the same new row (read, then insert)

FailureKind = Literal["busy", "lost", "duplicate"]


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, what it wraps (peewee re-raises the driver's error with it as its first argument) and the errors
    it was raised from or while handling."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        todo.extend(a for a in current.args[:1] if isinstance(a, BaseException))


def failure_kind(error: BaseException) -> FailureKind | None:
    """What a PostgreSQL failure was, when running the transaction again may cure it: "busy" (serialization
    failure, deadlock, lock timeout), "lost" (the connection to the server broken or refused), "duplicate" (a unique
    row inserted meanwhile by another transaction); None for anything else (a real error, or not PostgreSQL's)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover  (psycopg is a dependency; without it there is no PostgreSQL)
        return None
    for cause in _causes(error):
        if not isinstance(cause, psycopg.Error):
            continue
        state = cause.sqlstate or ""
        if state in BUSY_STATES:
            return "busy"
        if state == DUPLICATE_STATE:
            return "duplicate"
        if state in LOST_STATES or state.startswith("08"):
            return "lost"
        if not state and isinstance(cause, (psycopg.OperationalError, psycopg.InterfaceError)):
            return "lost"  # the client's own "server closed the connection", "connection failed", "is closed"
    return None


def drop_connection(database: Database) -> None:
    """Forget this thread's connection after the server broke it, so the next statement connects anew."""
    if database.in_transaction():
        return
    with suppress(Exception):  # closing a broken connection may fail: peewee forgets it either way
        database.close()


def try_advisory_lock(database: Database, key: int) -> bool:
    """PostgreSQL: take the session-level advisory lock `key` on this thread's connection, at once or not at all
    (released by `advisory_unlock`, or by the server when the connection ends, however it ends)."""
    row = database.execute_sql("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
    return bool(row and row[0])


def advisory_unlock(database: Database, key: int) -> None:
    database.execute_sql("SELECT pg_advisory_unlock(%s)", (key,))


@contextmanager
def advisory_lock_or(database: Database, key: int, busy: Exception) -> Iterator[None]:
    """PostgreSQL: the advisory lock `key` held for the block (this thread's connection), or `busy` raised at once
    when another connection holds it. Released after, unless the connection was lost (which released it)."""
    if not try_advisory_lock(database, key):
        raise busy
    try:
        yield
    finally:
        with suppress(Exception):
            advisory_unlock(database, key)


def advisory_xact_lock(database: Database, key: int) -> None:
    """PostgreSQL: wait for the advisory lock `key` until the current transaction ends (then it is released)."""
    database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,))
