"""SQLite online backups: taken before every migration and on demand."""

from __future__ import annotations

import os
import queue
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db.private import open_private, private_dir, private_file


def backup_file(source: Path, dest: Path) -> Path:
    """Copy a live database with SQLite's backup API (consistent even while others write); the copy is readable
    by its owner only (0600; its folder 0700 when created here)."""
    if not dest.parent.exists():
        private_dir(dest.parent)
    tmp = dest.with_suffix(dest.suffix + ".part")
    os.close(open_private(tmp))  # created 0600 before SQLite writes into it
    src = sqlite3.connect(str(source))
    try:
        out = sqlite3.connect(str(tmp))
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    private_file(tmp)
    tmp.replace(dest)
    return dest


def backup_path(db_path: Path, reason: str, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return db_path.parent / "backups" / f"{db_path.stem}-{stamp}-{reason}{db_path.suffix}"


def snapshot_file(source: Path, dest: Path) -> Path:
    """`backup_file`, then the copy turned into a self-contained file (rollback journal, not WAL): it opens read-only
    anywhere, and reading it leaves no -wal/-shm beside it (counter.backups hashes and verifies it)."""
    backup_file(source, dest)
    out = sqlite3.connect(str(dest))
    try:
        out.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        out.close()
    return dest


SNAPSHOT_TRIES = 3  # a writer committing between the checkpoint and the snapshot: try again, then the backup API
_HEADER_VERSIONS = slice(18, 20)  # the file format's write and read versions: 2, 2 in WAL mode, 1, 1 otherwise


@dataclass(frozen=True)
class FileSnapshot:
    """A consistent snapshot of a database as a file's bytes, and read-only connections that see exactly it.

    `path` is the live database itself (`live`: its bytes do not change while the connections are open, see
    `file_snapshot`; the header's bytes 18-19 say WAL, HEADER_VERSIONS is what a self-contained copy has there)
    or a copy SQLite's backup API made when the WAL could not be emptied. Read `size` bytes: the live file may
    grow past them meanwhile (pages beyond the snapshot's end are not part of it)."""

    path: Path
    size: int
    live: bool
    connections: tuple[sqlite3.Connection, ...]

    def header(self, first: bytes) -> bytes:
        """The file's first bytes as a self-contained (rollback-journal) copy has them."""
        if not self.live or len(first) < _HEADER_VERSIONS.stop:
            return first
        patched = bytearray(first)
        patched[_HEADER_VERSIONS] = HEADER_VERSIONS
        return bytes(patched)


HEADER_VERSIONS = b"\x01\x01"


@contextmanager
def file_snapshot(source: Path, spare: Path, readers: int = 1) -> Iterator[FileSnapshot]:
    """`readers` connections (usable from any thread) on one consistent snapshot of the live database `source`,
    and the file whose bytes are that snapshot: the live file under an empty-WAL read snapshot when it can be had
    (no copy at all: a backup reads it once, and checks it on the connections meanwhile), else a copy made by
    SQLite's backup API at `spare` (removed afterwards).

    Why the live file is a snapshot: once the WAL is checkpointed empty, a reader that begins while it is still
    empty uses no WAL frame (read mark 0), and SQLite lets no checkpoint write into the database file while such
    a reader holds it, however much others commit meanwhile (to the WAL). So: checkpoint (TRUNCATE), begin the
    readers, and make sure no frame was committed in between; the file's bytes up to its size then are exactly
    what every reader sees. When the WAL cannot be emptied (a long reader, a writer every instant) or the database
    is not in WAL mode, `snapshot_file` does it."""
    for _ in range(SNAPSHOT_TRIES):
        with ExitStack() as stack:
            connections = _empty_wal_readers(source, readers, stack)
            if connections is not None:
                yield FileSnapshot(source, source.stat().st_size, True, connections)
                return
    snapshot_file(source, spare)
    try:
        with ExitStack() as stack:
            connections = tuple(_closing(stack, sqlite3.connect(f"{spare.resolve().as_uri()}?mode=ro", uri=True,
                                                                check_same_thread=False)) for _ in range(readers))
            yield FileSnapshot(spare, spare.stat().st_size, False, connections)
    finally:
        spare.unlink(missing_ok=True)


def _closing(stack: ExitStack, connection: sqlite3.Connection) -> sqlite3.Connection:
    stack.callback(connection.close)
    return connection


def _empty_wal_readers(source: Path, readers: int, stack: ExitStack) -> tuple[sqlite3.Connection, ...] | None:
    """Read transactions that all began while the WAL was empty (see snapshot_hashed), or None."""
    checkpointer = _closing(stack, sqlite3.connect(str(source), timeout=1, isolation_level=None))
    if checkpointer.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        return None
    busy, _, _ = checkpointer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        return None
    connections = []
    for _ in range(readers):
        reader = _closing(stack, sqlite3.connect(str(source), timeout=5, isolation_level=None,
                                                 check_same_thread=False))
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # its snapshot starts here
        connections.append(reader)
    _, frames, _ = checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    if frames != 0:
        return None  # a commit in between: some reader may use the WAL
    return tuple(connections)


CHECK_CACHE_KIB = 256 << 10  # 256 MiB at most. A check reads every page; when the file is not in the OS's cache
# (a PC just started) a cache too small reads pages again from the disk: quick_check of the 4.8 GB bench database
# from a cold cache 42 s with 64 MiB, 29 s with 256 MiB, 31 s with 1 GiB. A larger one costs more than it saves
# when the file is in the OS's cache: the memory is touched page by page (two per-table quick_checks side by side
# 11.1 s with 1 GiB each, 6.5 s with 256 MiB). Not memory-mapped: with this cache reading was as fast as mapping
# (6.1 s against 6.0 s), and an I/O error in a mapped page (a dying disk) ends the process instead of raising one.


def check_cache_pragma(path: Path) -> str:
    """The `PRAGMA cache_size` for quick_check/integrity_check of `path`: the file's size, up to CHECK_CACHE_KIB
    (the memory is taken only as pages are read, and given back with the connection)."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 2000 << 10
    return check_cache_pragma_for(size)


def check_cache_pragma_for(size: int) -> str:
    """check_cache_pragma for a database of `size` bytes."""
    return f"PRAGMA cache_size = -{min(size // 1024 + 1, CHECK_CACHE_KIB)}"


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (a backup being checked)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


_ROWID_NOT_A_COUNT = 1 << 31  # an FTS5 shadow table numbers its segments' blocks far beyond its few rows


def tables_largest_first(connection: sqlite3.Connection) -> queue.SimpleQueue[str]:
    """The database's ordinary tables (a virtual table's data is in its shadow tables), the costliest to check
    first, as a queue to take from (two threads share it: the longest checks start first, so neither thread is
    left alone with a long one at the end). A table's check reads each row and looks it up in each index: its
    cost is about rows × (1 + indexes), rows being its highest rowid (one index probe), or its count where the
    rowid is no count of rows."""
    names = [str(row[0]) for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    indexes = dict(connection.execute(
        "SELECT tbl_name, COUNT(*) FROM sqlite_master WHERE type = 'index' GROUP BY tbl_name").fetchall())

    def cost(name: str) -> int:
        try:
            rows = int(connection.execute(f'SELECT MAX(rowid) FROM "{name}"').fetchone()[0] or 0)
            if rows > _ROWID_NOT_A_COUNT:
                rows = int(connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
        except sqlite3.Error:  # WITHOUT ROWID
            rows = 0
        return rows * (1 + int(indexes.get(name, 0)))
    tables = queue.SimpleQueue[str]()
    for name in sorted(names, key=cost, reverse=True):
        tables.put(name)
    return tables


def check_tables(connection: sqlite3.Connection, tables: queue.SimpleQueue[str], pragma: str) -> list[str]:
    """`PRAGMA <pragma>(table)` for each table taken from `tables` until none is left (another connection on
    another thread may take from it too): what they report but "ok". Each covers the table and its indexes, not
    the file's page accounting (a page used twice or never), which only the pragma without a table checks."""
    found: list[str] = []
    while True:
        try:
            name = tables.get_nowait()
        except queue.Empty:
            return found
        found += [str(row[0]) for row in connection.execute(f'PRAGMA {pragma}("{name}")') if row[0] != "ok"]
