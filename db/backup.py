"""SQLite online backups: taken before every migration and on demand."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_file(source: Path, dest: Path) -> Path:
    """Copy a live database with SQLite's backup API (consistent even while others write)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    src = sqlite3.connect(str(source))
    try:
        out = sqlite3.connect(str(tmp))
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    tmp.replace(dest)
    return dest


def backup_path(db_path: Path, reason: str, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    return db_path.parent / "backups" / f"{db_path.stem}-{stamp}-{reason}{db_path.suffix}"
