"""PostgreSQL's own backup programs for office mode (issue 20): `pg_dump -Fc` of the centre's database and
`pg_restore` into another database of the same server, and the server-side steps around them (a snapshot shared
with pg_dump, scratch databases created and dropped, two databases swapping names, who is connected).

The programs are external, found at run time (never in the frozen bundle): the pg_dump and pg_restore whose major
version is the server's — $QMC_PG_BINDIR when set, else Debian's /usr/lib/postgresql/<major>/bin, Windows'
Program Files\\PostgreSQL\\<major>\\bin, else the PATH's. A missing or mismatched program is a `PgToolError`, one
Vietnamese sentence.

The password never reaches a command line or a log: the programs get the connection as a URI without it
(`--dbname`), and the password through a private PGPASSFILE (0600, in a 0700 temporary folder, removed when they
end); PGPASSWORD is taken out of their environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from peewee import Database

from db.private import open_private, private_dir

BINDIR_ENV = "QMC_PG_BINDIR"
DEBIAN_BIN = Path("/usr/lib/postgresql")
MAINTENANCE_DATABASES = ("postgres", "template1")
TOOL_TIMEOUT_S = 6 * 3600  # a dump of a centre's years of scans is long, never endless
_VERSION_RE = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")
IDENTIFIER_BYTES = 63  # PostgreSQL cuts longer names


class PgToolError(Exception):
    """pg_dump or pg_restore is missing, of another major version, or failed: one Vietnamese sentence."""


@dataclass(frozen=True)
class Server:
    """How to reach one database of the centre's server: its libpq URI (no password) and the password apart."""

    url: str
    password: str | None = None

    @classmethod
    def of(cls, database: Database) -> Server:
        """The server and database an open OfficeDatabase reaches (its password from its connect parameters)."""
        params: dict[str, Any] = dict(getattr(database, "connect_params", {}) or {})
        return cls(strip_password(str(database.database)), params.get("password") or None)

    @property
    def dbname(self) -> str:
        from psycopg.conninfo import conninfo_to_dict

        return str(conninfo_to_dict(self.url).get("dbname") or "")

    def on(self, dbname: str) -> Server:
        """The same server and role, another database."""
        parts = urlsplit(self.url)
        return Server(urlunsplit((parts.scheme, parts.netloc, "/" + _quote_path(dbname), parts.query, "")),
                      self.password)

    def connect(self, *, autocommit: bool = True) -> Any:
        import psycopg

        secret: dict[str, Any] = {"password": self.password} if self.password else {}
        return psycopg.connect(self.url, autocommit=autocommit, connect_timeout=10,
                               application_name="quay-mot-cua-sao-luu", **secret)

    def maintenance(self, *, autocommit: bool = True) -> Any:
        """A connection to the server's maintenance database (for CREATE, DROP, RENAME of the others)."""
        import psycopg

        last: Exception | None = None
        for name in MAINTENANCE_DATABASES:
            if name == self.dbname:
                continue
            try:
                return self.on(name).connect(autocommit=autocommit)
            except psycopg.OperationalError as exc:
                last = exc
        raise PgToolError(f"Không kết nối được cơ sở dữ liệu quản trị của máy chủ (postgres, template1): {last}")


def _quote_path(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def strip_password(url: str) -> str:
    """The URI without a password in its user part or its parameters."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = userinfo.split(":", 1)[0] + "@" + host
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "password"],
                      safe="/:")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def derived_name(dbname: str, suffix: str) -> str:
    """`<dbname><suffix>` within PostgreSQL's 63 bytes (the database's name cut, the suffix kept)."""
    room = IDENTIFIER_BYTES - len(suffix.encode())
    head = dbname.encode()[:room].decode(errors="ignore")
    return head + suffix


# The programs -----------------------------------------------------------------------------------------


def server_major(server: Server) -> tuple[int, str]:
    """The server's major version and its version text ('15.18')."""
    with server.connect() as conn:
        number = int(conn.execute("SHOW server_version_num").fetchone()[0])
        text = str(conn.execute("SHOW server_version").fetchone()[0]).split()[0]
    return number // 10000, text


def _candidates(name: str, major: int) -> list[Path]:
    exe = name + (".exe" if sys.platform == "win32" else "")
    bindir = os.environ.get(BINDIR_ENV)
    if bindir:
        return [Path(bindir) / exe]
    found = [DEBIAN_BIN / str(major) / "bin" / exe]
    for root in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMW6432")):  # Windows: case-blind
        if root:
            found.append(Path(root) / "PostgreSQL" / str(major) / "bin" / exe)
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    return found


def tool_version(path: Path) -> int | None:
    """The major version `path --version` says, None when it says none."""
    try:
        done = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return None
    match = _VERSION_RE.search(done.stdout)
    return int(match.group(1)) if match else None


def find_tool(name: str, major: int) -> Path:
    """The `name` program (pg_dump, pg_restore) of PostgreSQL `major`; PgToolError when none is."""
    seen: list[str] = []
    for path in _candidates(name, major):
        if not path.is_file():
            continue
        version = tool_version(path)
        if version == major:
            return path
        seen.append(f"{path} (phiên bản {version if version is not None else 'không rõ'})")
    if seen:
        raise PgToolError(f"Chương trình {name} không cùng phiên bản với máy chủ PostgreSQL {major}: đã thấy "
                          f"{', '.join(seen)}. Hãy cài {name} của PostgreSQL {major} (gói postgresql-client-{major}) "
                          "trên máy này.")
    raise PgToolError(f"Không tìm thấy chương trình {name} của PostgreSQL {major} trên máy này: hãy cài gói "
                      f"postgresql-client-{major} (Windows: bộ cài PostgreSQL {major}, phần Command Line Tools).")


@contextmanager
def _passfile(password: str | None) -> Iterator[dict[str, str]]:
    """The programs' environment: PGPASSFILE naming a private file with the password (when there is one),
    PGPASSWORD never."""
    env = {k: v for k, v in os.environ.items() if k not in ("PGPASSWORD", "PGPASSFILE")}
    if not password:
        yield env
        return
    folder = private_dir(Path(tempfile.mkdtemp(prefix="qmc-pgpass-")))
    path = folder / "pgpass"
    try:
        escaped = password.replace("\\", "\\\\").replace(":", "\\:")
        with os.fdopen(open_private(path), "w", encoding="utf-8") as out:
            out.write(f"*:*:*:*:{escaped}\n")
        yield {**env, "PGPASSFILE": str(path)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_tool(argv: list[str], password: str | None) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program (its argv never holds the password); its outcome."""
    with _passfile(password) as env:
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=TOOL_TIMEOUT_S, check=False)


def _failure(done: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
    return "; ".join(lines[:3]) or f"mã thoát {done.returncode}"


def dump(server: Server, target: Path, *, major: int, snapshot: str | None = None) -> None:
    """`pg_dump -Fc` of the server's database into `target` (0600), as of `snapshot` when given (one exported
    with `exported_snapshot`). PgToolError when it fails."""
    tool = find_tool("pg_dump", major)
    os.close(open_private(target))
    argv = [str(tool), "--format=custom", "--no-password", f"--file={target}", f"--dbname={server.url}"]
    if snapshot:
        argv.insert(2, f"--snapshot={snapshot}")
    done = run_tool(argv, server.password)
    if done.returncode != 0:
        raise PgToolError(f"pg_dump không sao được cơ sở dữ liệu của trung tâm: {_failure(done)}")


def restore_into(server: Server, archive: Path, *, major: int) -> None:
    """`pg_restore` of `archive` into the (new, empty) database `server` names, in one transaction, stopping at
    the first error; objects owned by the role restoring. PgToolError when it fails."""
    tool = find_tool("pg_restore", major)
    argv = [str(tool), "--no-password", "--exit-on-error", "--single-transaction", "--no-owner",
            f"--dbname={server.url}", str(archive)]
    done = run_tool(argv, server.password)
    if done.returncode != 0:
        raise PgToolError(f"pg_restore không khôi phục được bản sao: {_failure(done)}")


@contextmanager
def exported_snapshot(server: Server) -> Iterator[tuple[str, Any]]:
    """A read-only REPEATABLE READ transaction on the database and its exported snapshot's id: pg_dump given the id
    dumps exactly what this connection reads, while the counters keep writing."""
    conn = server.connect(autocommit=False)
    try:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = str(conn.execute("SELECT pg_export_snapshot()").fetchone()[0])
        yield snapshot, conn
    finally:
        conn.rollback()
        conn.close()


# Databases of the server ----------------------------------------------------------------------------


class NotPermitted(PgToolError):
    """The role may not create (or rename, drop) a database."""


def create_database(server: Server, name: str) -> Server:
    """A new empty database `name` on the server; the Server reaching it. NotPermitted without the right."""
    import psycopg

    with server.maintenance() as conn:
        try:
            conn.execute(f"CREATE DATABASE {quote_ident(name)}")
        except psycopg.errors.InsufficientPrivilege as exc:
            raise NotPermitted(str(exc).strip()) from exc
    return server.on(name)


def drop_database(server: Server, name: str) -> None:
    with server.maintenance() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {quote_ident(name)} WITH (FORCE)")


def drop_unused_database(server: Server, name: str) -> None:
    """DROP DATABASE `name` — never by force: PgToolError while anyone is connected to it, NotPermitted when the
    role does not own it."""
    import psycopg

    with server.maintenance() as conn:
        try:
            conn.execute(f"DROP DATABASE {quote_ident(name)}")
        except psycopg.errors.InsufficientPrivilege as exc:
            raise NotPermitted(str(exc).strip()) from exc
        except psycopg.errors.ObjectInUse as exc:
            raise PgToolError(f"đang có người kết nối ({str(exc).strip()})") from exc


def database_sizes(server: Server) -> dict[str, int]:
    """Every database of the server this role may connect to, with its size in bytes."""
    with server.maintenance() as conn:
        rows = conn.execute("SELECT datname, pg_database_size(oid) FROM pg_database WHERE NOT datistemplate "
                            "AND has_database_privilege(oid, 'CONNECT')").fetchall()
    return {str(row[0]): int(row[1]) for row in rows}


def databases_like(server: Server, prefix: str) -> list[str]:
    with server.maintenance() as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)).fetchall()
    return [str(row[0]) for row in rows]


def exists(server: Server, name: str) -> bool:
    with server.maintenance() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


@dataclass(frozen=True)
class Session:
    """Another connection to a database: what pg_stat_activity says of it."""

    pid: int
    application: str
    user: str
    client: str  # address, or '' for a Unix socket
    since: str  # when it connected, HH:MM:SS


def sessions(server: Server, name: str) -> list[Session]:
    """The connections to database `name` other than this one (and the server's own workers)."""
    with server.maintenance() as conn:
        rows = conn.execute(
            "SELECT pid, coalesce(application_name, ''), coalesce(usename, ''), coalesce(host(client_addr), ''), "
            "to_char(backend_start, 'HH24:MI:SS') FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY pid",
            (name,)).fetchall()
    return [Session(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]


def swap_in(server: Server, current: str, aside: str, restored: str) -> None:
    """In one transaction: `current` renamed `aside`, `restored` renamed `current`. Fails whole (nothing renamed)
    when anyone is connected to either; NotPermitted without the right to rename."""
    import psycopg

    conn = server.maintenance(autocommit=False)  # the two renames in the one transaction it begins
    try:
        if exists(server, current):
            conn.execute(f"ALTER DATABASE {quote_ident(current)} RENAME TO {quote_ident(aside)}")
        conn.execute(f"ALTER DATABASE {quote_ident(restored)} RENAME TO {quote_ident(current)}")
        conn.commit()
    except psycopg.errors.InsufficientPrivilege as exc:
        raise NotPermitted(str(exc).strip()) from exc
    except psycopg.errors.ObjectInUse as exc:
        raise PgToolError(f"Cơ sở dữ liệu đang có người kết nối nên chưa đổi tên được ({str(exc).strip()})") from exc
    finally:
        conn.close()
