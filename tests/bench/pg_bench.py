"""The PostgreSQL bench database (issue 20): the million-dossier SQLite bench database copied once into a
persistent throwaway cluster, cached in bench-results/pg-cluster/.

- The cluster: `initdb` once into bench-results/pg-cluster/data, started for each bench session that needs it
  (as tests/pg.py starts its own: as the unprivileged `qmc-pg` when we are root, listening only on a Unix socket
  in a new temporary folder) and stopped at the session's end.
- The database `bench1m`: made empty and migrated by the app's own migrations, then every table the SQLite
  database shares with it is copied with COPY … FROM STDIN (psycopg's `write_row`), parent tables first, in one
  transaction that first truncates them, so the COPY is `FREEZE` (rows written frozen and all-visible: no
  VACUUM owed afterwards) and, with `wal_level=minimal`, writes no WAL. The indexes that back no constraint
  (the secondary ones, GIN trigram indexes among them) are dropped before the copy and recreated after it (one
  sort each instead of a million insertions each); the triggers are off meanwhile (session_replication_role =
  replica): the derived tables (conclusions, digests, the months' counts) are copied as SQLite's triggers kept
  them, and `dossier_search` (PostgreSQL's own table) is filled as migration 0015 fills it. Then the id sequences
  are moved past the copied ids (db.portable.reserve_ids), and ANALYZE.
- bench-results/pg-cluster/build.json: how long it took, the source's counts and the copy's. A later session
  reuses the database when the source's counts still match and the database is there at the schema it was
  built at; otherwise it is built again.

The benchmarks write into `bench1m` (receptions add a few hundred dossiers a run: not removed, the audit log
refuses deletion); the reuse check compares the SQLite source's counts, which never change.

The build runs with fsync off (a crash midway leaves no build.json: the next session builds again); the
benchmarks run with PostgreSQL's durable defaults (fsync, synchronous_commit on), as an office server would.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.pg import PG_USER, SUPERUSER, PostgresUnavailable, _as_server_user, server_bin

DBNAME = "bench1m"
# Counted in the source to tell whether the cached copy is of it (the big tables and the parents).
COUNTED = ("dossier", "dossier_history", "outbox_entry", "applicant", "dossier_component", "audit_entry")
SKIPPED = {"meta"}  # copied below, but for PostgreSQL's own keys
OWN_META = ("schema_version", "instance_id")  # the database's own, not the SQLite file's
SERVER = ("-c listen_addresses='' -c unix_socket_directories='{socket}' -c max_connections=60 "
          "-c shared_buffers=1GB -c effective_cache_size=8GB -c work_mem=32MB -c maintenance_work_mem=1GB "
          "-c max_wal_size=8GB -c checkpoint_timeout=30min")
BUILD_SERVER = " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal " \
               "-c max_wal_senders=0 -c autovacuum=off"


@dataclass
class BenchCluster:
    folder: Path  # bench-results/pg-cluster: data/, server.log, build.json
    socket: Path
    prefix: tuple[str, ...]

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, dbname: str = DBNAME) -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.socket}"

    def pg_ctl(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, server_bin("pg_ctl"), "-D", str(self.data), *args],
                              capture_output=True, text=True, check=False, timeout=timeout)

    def start(self, build: bool = False) -> None:
        options = SERVER.format(socket=self.socket) + (BUILD_SERVER if build else "")
        done = self.pg_ctl("-l", str(self.folder / "server.log"), "-o", options, "-w", "-t", "120", "start")
        if done.returncode != 0:
            log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise PostgresUnavailable(f"pg_ctl could not start the bench cluster: {log or done.stderr}")

    def stop(self) -> None:
        """A clean shutdown (a checkpoint): what the build wrote with fsync off is on disk after it."""
        self.pg_ctl("-m", "fast", "-w", "-t", "600", "stop", timeout=700)

    def execute(self, sql: str, dbname: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(dbname), autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []


def open_cluster(folder: Path) -> BenchCluster:
    """The cluster of `folder` (initdb the first time), not started; its socket in a new temporary folder."""
    prefix = tuple(_as_server_user())
    folder.mkdir(parents=True, exist_ok=True)
    socket = Path(tempfile.mkdtemp(prefix="qmc-pgb-"))
    if prefix:
        shutil.chown(folder, PG_USER, PG_USER)
        shutil.chown(socket, PG_USER, PG_USER)
    cluster = BenchCluster(folder, socket, prefix)
    if not (cluster.data / "PG_VERSION").exists():
        shutil.rmtree(cluster.data, ignore_errors=True)
        run = subprocess.run([*prefix, server_bin("initdb"), "-D", str(cluster.data), "-U", SUPERUSER, "-A", "trust",
                              "-E", "UTF8", "--locale=C.UTF-8"], capture_output=True, text=True, check=False,
                             timeout=300)
        if run.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {run.stderr.strip() or run.stdout.strip()}")
    return cluster


def source_counts(sqlite_path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) as src:
        return {t: src.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in COUNTED}


def built_info(cluster: BenchCluster, counts: dict[str, int]) -> dict | None:
    """build.json when the cached database is a copy of a source with `counts` and is still there."""
    from db.migrate import latest_version

    info_file = cluster.folder / "build.json"
    try:
        info = json.loads(info_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if info.get("source_counts") != counts:
        return None
    try:
        version = cluster.execute("SELECT value FROM meta WHERE key = 'schema_version'", DBNAME)
    except Exception:
        return None
    return info if version and int(version[0][0]) == latest_version() == info.get("schema_version") else None


def _parents_first(conn, tables: list[str]) -> list[str]:
    """`tables` ordered so that each comes after the tables its foreign keys name."""
    refs: dict[str, set[str]] = {t: set() for t in tables}
    for child, parent in conn.execute(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace"):
        child, parent = child.strip('"'), parent.strip('"')
        if child in refs and parent in refs and parent != child:
            refs[child].add(parent)
    ordered: list[str] = []
    while refs:
        ready = sorted(t for t, parents in refs.items() if not parents - set(ordered))
        if not ready:  # a cycle: the rest in name order (the triggers and checks are off during the copy)
            ready = sorted(refs)
        for t in ready:
            ordered.append(t)
            del refs[t]
    return ordered


def build(cluster: BenchCluster, sqlite_path: Path, counts: dict[str, int]) -> dict:
    """Make `bench1m` from the SQLite file: migrate an empty database, copy the rows, reserve ids, ANALYZE."""
    import psycopg

    from db.database import make_database_from_url
    from db.migrate import latest_version, migrate
    from db.migrations import m0015_lookup_indexes
    from db.portable import reserve_ids

    started = time.perf_counter()
    cluster.execute(f'DROP DATABASE IF EXISTS "{DBNAME}" WITH (FORCE)')
    cluster.execute(f'CREATE DATABASE "{DBNAME}"')
    database = make_database_from_url(cluster.url())
    try:
        migrate(database)  # the app's own schema
    finally:
        database.close()
    migrated_at = time.perf_counter()

    src = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    copied: dict[str, int] = {}
    seconds: dict[str, float] = {}
    with psycopg.connect(cluster.url()) as conn:
        pg_tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE'")]
        sqlite_tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = [t for t in _parents_first(conn, pg_tables) if t in sqlite_tables and t not in SKIPPED
                  and t != "dossier_search"]  # SQLite's is an FTS5 table; PostgreSQL's is filled below
        conn.execute("SET session_replication_role = replica")  # no triggers, no foreign-key checks
        conn.execute("SET maintenance_work_mem = '1GB'")
        indexes = conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)").fetchall()
        conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in [*tables, "dossier_search"]))  # FREEZE needs it
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        for table in tables:
            t0 = time.perf_counter()
            pg_columns = [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND table_name = %s ORDER BY ordinal_position", (table,))]
            src_columns = {r[1] for r in src.execute(f'PRAGMA table_info("{table}")')}
            columns = [c for c in pg_columns if c in src_columns]
            names = ", ".join(f'"{c}"' for c in columns)
            n = 0
            with conn.cursor().copy(f'COPY "{table}" ({names}) FROM STDIN (FREEZE)') as copy:
                for row in src.execute(f'SELECT {names} FROM "{table}"'):
                    copy.write_row(row)
                    n += 1
            copied[table] = n
            seconds[table] = round(time.perf_counter() - t0, 1)
        copied_at = time.perf_counter()
        conn.execute(m0015_lookup_indexes._FILL)  # as the migration fills it (the triggers are off)
        for _, definition in indexes:  # after every row is in: one sort each
            conn.execute(definition)
        conn.execute('DELETE FROM "workstation_claim"')  # no PC of the centre holds a number yet
        meta = src.execute("SELECT key, value FROM meta WHERE key NOT IN (?, ?)", OWN_META).fetchall()
        conn.cursor().executemany('INSERT INTO "meta" ("key", "value") VALUES (%s, %s) '
                                  'ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value"', meta)
        conn.commit()
        indexed_at = time.perf_counter()
        with_ids = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' "
            "AND pg_get_serial_sequence(quote_ident(table_name), 'id') IS NOT NULL")]
        next_ids = {t: (conn.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{t}"').fetchone() or (1,))[0]
                    for t in with_ids}
        conn.commit()
    src.close()
    database = make_database_from_url(cluster.url())
    try:
        reserve_ids(database, next_ids)
    finally:
        database.close()
    cluster.execute("ANALYZE", DBNAME)
    finished = time.perf_counter()
    size = cluster.execute(f"SELECT pg_database_size('{DBNAME}')")[0][0]
    info = {"source_counts": counts, "copied": copied, "copy_seconds": seconds, "schema_version": latest_version(),
            "seconds": round(finished - started, 1), "migrate_s": round(migrated_at - started, 1),
            "copy_s": round(copied_at - migrated_at, 1), "indexes_s": round(indexed_at - copied_at, 1),
            "analyze_s": round(finished - indexed_at, 1), "size_mb": round(size / 2**20),
            "built_at": datetime.now().isoformat(timespec="seconds")}
    return info


@dataclass
class PgBench:
    url: str
    info: dict  # build.json, with "cached"


@contextmanager
def bench_cluster(folder: Path, sqlite_path: Path) -> Iterator[PgBench]:
    """Start the cached cluster (building `bench1m` first when needed), yield it, stop it. One bench session at a
    time uses it (a second one's `pg_ctl start` fails: the data directory is in use)."""
    counts = source_counts(sqlite_path)
    cluster = open_cluster(folder)
    try:
        cluster.start()
        info = built_info(cluster, counts)
        if info is None:
            cluster.stop()
            cluster.start(build=True)
            info = build(cluster, sqlite_path, counts)
            cluster.stop()  # a checkpoint: the fsync-less build is on disk
            (folder / "build.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
            cluster.start()
            info = {**info, "cached": False}
        else:
            info = {**info, "cached": True}
        yield PgBench(cluster.url(), info)
    finally:
        cluster.stop()
        shutil.rmtree(cluster.socket, ignore_errors=True)
