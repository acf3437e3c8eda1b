"""SQLite online backups: taken before every migration and on demand."""

from __future__ import annotations

import hashlib
import os
import sqlite3
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
_CHUNK = 8 << 20
_HEADER_VERSIONS = slice(18, 20)  # the file format's write and read versions: 2, 2 in WAL mode, 1, 1 otherwise


def snapshot_hashed(source: Path, dest: Path) -> tuple[Path, str]:
    """A consistent, self-contained copy of a live database and its SHA-256, at the speed of a file copy.

    In WAL mode the database file itself is a consistent snapshot once the WAL is checkpointed empty and a
    reader holds a snapshot taken while it is still empty: that reader uses no WAL frame (read mark 0), and SQLite
    lets no checkpoint write into the file while such a reader holds it, however much others write meanwhile (to
    the WAL). So: checkpoint (TRUNCATE), open a read transaction, make sure no frame was committed in between, and
    copy the file's bytes, hashing them, with the header marked as a rollback-journal database (what
    `journal_mode=DELETE` writes): it opens read-only anywhere. When the WAL cannot be emptied (a long reader, a
    writer every instant) or the database is not in WAL mode, `snapshot_file` (SQLite's backup API) does it.
    """
    for _ in range(SNAPSHOT_TRIES):
        copied = _copy_empty_wal_snapshot(source, dest)
        if copied is not None:
            return dest, copied
    snapshot_file(source, dest)
    return dest, _sha256(dest)


def _copy_empty_wal_snapshot(source: Path, dest: Path) -> str | None:
    checkpointer = sqlite3.connect(str(source), timeout=1, isolation_level=None)  # a reader ends in a moment
    reader = sqlite3.connect(str(source), timeout=5, isolation_level=None)
    try:
        if checkpointer.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            return None
        busy, _, _ = checkpointer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            return None
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        _, frames, _ = checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if frames != 0:
            return None  # a commit between the two: the snapshot may use the WAL
        return _copy_file(source, dest)
    finally:
        reader.close()
        checkpointer.close()


def _copy_file(source: Path, dest: Path) -> str:
    digest = hashlib.sha256()
    os.close(open_private(dest))
    with open(source, "rb") as src, open(dest, "r+b") as out:
        first = True
        while chunk := src.read(_CHUNK):
            if first and len(chunk) >= 100:
                header = bytearray(chunk)
                header[_HEADER_VERSIONS] = b"\x01\x01"
                chunk, first = bytes(header), False
            digest.update(chunk)
            out.write(chunk)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


CHECK_CACHE_KIB = 1 << 20  # 1 GiB at most: a check reads every page, and with SQLite's default 2 MB it reads
# most of them many times over (quick_check of the 3.6 GB bench database: 52 s with the default, 10 s with this)


def check_cache_pragma(path: Path) -> str:
    """The `PRAGMA cache_size` that lets quick_check/integrity_check of `path` read each page once: the file's
    size, up to CHECK_CACHE_KIB (the memory is taken only as pages are read, and given back with the
    connection)."""
    try:
        kib = Path(path).stat().st_size // 1024 + 1
    except OSError:
        kib = 2000
    return f"PRAGMA cache_size = -{min(kib, CHECK_CACHE_KIB)}"


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (a backup being checked)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
