"""Reaching into a backup's database from the tests: its pieces in the destination's shared folder
(counter.backup_chunks), one to damage, and its rows."""

import json
import sqlite3
from pathlib import Path

from counter import backup_chunks, backups


def manifest(backup: Path) -> dict:
    return json.loads((Path(backup) / "manifest.json").read_text(encoding="utf-8"))


def pieces(backup: Path) -> list[Path]:
    """The files of the backup's database, in order."""
    return [Path(backup).parent / backup_chunks.relative(sha) for sha, _ in manifest(backup)["database"]["chunks"]]


def own_piece(backup: Path) -> Path:
    """A piece this backup names and no other backup of its destination does (the first one when all are shared)."""
    folders = [f for f in Path(backup).parent.iterdir() if f != Path(backup) and (f / "manifest.json").is_file()]
    others = {sha for folder in folders for sha, _ in manifest(folder).get("database", {}).get("chunks", [])}
    mine = pieces(backup)
    return next((path for path in mine if path.name not in others), mine[0])


def damage(path: Path) -> None:
    """The same size, other bytes: a backup that trusts the size alone would not see it."""
    data = bytearray(path.read_bytes())
    data[: min(len(data), 4096)] = b"\xff" * min(len(data), 4096)
    path.write_bytes(bytes(data))


def copy_rows(backup: Path, sql: str, work: Path) -> list:
    """`sql` on the backup's database, put together in `work`."""
    with backups.database_of(backup, work) as database:
        connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()
