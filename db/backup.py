"""SQLite online backups: taken before every migration and on demand."""

from __future__ import annotations

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


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (a backup being checked)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
