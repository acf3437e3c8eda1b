"""A throwaway PostgreSQL cluster for the tests: `initdb` + `pg_ctl` in a temporary folder, listening only on a Unix
socket in that folder (no TCP port, so no clash with a server on the machine or another test worker), stopped at
the end of the session.

PostgreSQL refuses to run as root (CI runs as root): then the cluster runs as the unprivileged system user
`qmc-pg` (created with `useradd --system` when missing), through `runuser -u qmc-pg --`; the tests connect to it
as its superuser `postgres` over the socket (trust authentication, only that folder can reach it).

If the cluster cannot be started the tests that need it FAIL, saying why; only QMC_NO_POSTGRES=1, set on purpose,
skips them (with that reason).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_USER = "qmc-pg"  # the system user the cluster runs as when the tests run as root
SUPERUSER = "postgres"
DEBIAN_BIN = Path("/usr/lib/postgresql")


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be started here: the message says why and what to do."""


def server_bin(name: str) -> str:
    """A PostgreSQL server program: in $QMC_PG_BINDIR when set, else on PATH, else in Debian's
    /usr/lib/postgresql/<newest>/bin."""
    bindir = os.environ.get("QMC_PG_BINDIR")
    if bindir:
        if (Path(bindir) / name).exists():
            return str(Path(bindir) / name)
        raise PostgresUnavailable(f"PostgreSQL's {name} is not in QMC_PG_BINDIR={bindir}")
    found = shutil.which(name)
    if found:
        return found
    if DEBIAN_BIN.is_dir():
        versions = sorted((p for p in DEBIAN_BIN.iterdir() if (p / "bin" / name).exists()),
                          key=lambda p: int(p.name) if p.name.isdigit() else 0)
        if versions:
            return str(versions[-1] / "bin" / name)
    raise PostgresUnavailable(f"PostgreSQL's {name} is not installed: run `bash scripts/install-system-deps.sh` "
                              "(or set QMC_NO_POSTGRES=1 to skip the PostgreSQL tests on purpose)")


def _as_server_user() -> list[str]:
    """The command prefix that runs a server program as a user PostgreSQL accepts (not root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        done = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0 and "already exists" not in done.stderr:
            raise PostgresUnavailable(f"could not create the system user {PG_USER} to run PostgreSQL as "
                                      f"(it refuses root): {done.stderr.strip()}") from None
    return ["runuser", "-u", PG_USER, "--"]


@dataclass
class Cluster:
    folder: Path  # holds the data directory and the socket
    start_command: tuple[str, ...] = ()  # pg_ctl start, as the session started it (as the server's user)
    pg_ctl_prefix: tuple[str, ...] = ()  # [runuser …] pg_ctl -D data

    def stop_server(self) -> None:
        """Stop the server as a clean shutdown does (`pg_ctl stop -m fast`: open connections are ended, their
        transactions rolled back): a test of the server going away under a counter. Start it again with
        `start_server`, in the same test."""
        subprocess.run([*self.pg_ctl_prefix, "-m", "fast", "-w", "-t", "60", "stop"], capture_output=True,
                       check=True, timeout=90)

    def start_server(self) -> None:
        subprocess.run(self.start_command, capture_output=True, check=True, timeout=90)

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, dbname: str = "postgres") -> str:
        """The libpq URI of database `dbname` over the socket."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socket_dir}"

    def execute(self, sql: str) -> None:
        """One statement on the maintenance database, outside any transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        """A new empty database; its URL."""
        name = "t_" + uuid.uuid4().hex[:16]
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_cluster() -> tuple[Cluster, list[str]]:
    """initdb + pg_ctl start in a new temporary folder; the cluster and the command to stop it."""
    initdb, pg_ctl = server_bin("initdb"), server_bin("pg_ctl")
    prefix = _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="qmc-pg-"))  # /tmp/qmc-pg-<random>: short, within the socket path limit
    if prefix:
        shutil.chown(folder, PG_USER, PG_USER)
    data = folder / "data"
    run = subprocess.run(
        [*prefix, initdb, "-D", str(data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
         "--no-sync"], capture_output=True, text=True, check=False, timeout=120)
    if run.returncode != 0:
        raise PostgresUnavailable(f"initdb failed: {run.stderr.strip() or run.stdout.strip()}")
    options = (f"-c listen_addresses='' -c unix_socket_directories='{folder}' -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
    log = folder / "server.log"
    start_command = (*prefix, pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
    start = subprocess.run(start_command, capture_output=True, text=True, check=False, timeout=90)
    stop = [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]
    if start.returncode != 0:
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else start.stderr
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"pg_ctl could not start PostgreSQL: {detail.strip()}")
    return Cluster(folder, start_command, (*prefix, pg_ctl, "-D", str(data))), stop


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """This worker's own PostgreSQL cluster, started once per session (about 2 s) and stopped at its end."""
    if os.environ.get("QMC_NO_POSTGRES") == "1":
        pytest.skip("QMC_NO_POSTGRES=1: the PostgreSQL tests are skipped on purpose")
    try:
        cluster, stop = start_cluster()
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as e:
        pytest.fail(f"PostgreSQL could not be started for the tests: {e}", pytrace=False)
    try:
        yield cluster
    finally:
        subprocess.run(stop, capture_output=True, check=False, timeout=60)
        shutil.rmtree(cluster.folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """The URL of a new empty database of this test's own, dropped after it."""
    url = pg_cluster.create_database()
    yield url
    pg_cluster.drop_database(url)


def all_rows_as_bytes(database) -> bytes:
    """Every row of every table of a PostgreSQL database as text (UTF-8): what a copy of the database holds, for a
    test that a secret is not in it (on SQLite the test reads the file's bytes)."""
    tables = [r[0] for r in database.execute_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")]
    return "\n".join(str(r[0]) for table in tables
                     for r in database.execute_sql(f'SELECT row_to_json(t)::text FROM "{table}" t')).encode()
