"""Restoring a verified backup into a data folder (issue 18): `main.py restore BACKUP [--check-only]`, the Quản
trị page's "Khôi phục…", and the start's offer when the database is damaged.

A restore works on the data folder, not on an open context: the database it replaces may be the damaged one.

1. The backup is verified first (counter.backups.verify_backup: integrity, counts, every file's and scan's hash);
   one that does not hold restores nothing.
2. The backup's database is copied (hashed against the manifest) into a temporary file of the data folder, and
   every scan it names that the data folder lacks, or holds damaged, is copied in from the destination's shared
   scans folder (content-addressed: a scan present and whole is left as it is).
3. The current database and SQLite's files beside it are moved aside, into `truoc-khoi-phuc/<time>/` — never
   overwritten in place, never deleted — and the copy takes the database's name: a rename, so a power cut leaves
   either the old database or the restored one, and the moved-aside one is always there to go back to.
4. The settings are rows of the database and come with it. This PC's code ledger is not in the backup and is not
   touched (counter.office.code_ledger): the restored database issues no code until its numbering is resumed
   (counter.code_guard asks the province, or the administrator types the last printed code).

Nothing in the data folder is changed when any check fails or a copy cannot be written (a full disk): the
temporary files are removed and a RestoreError says why in one sentence.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from counter import audit
from counter.backup_chunks import ChunkError
from counter.backups import (
    BACKUPS_DIR,
    DATABASE_FILE,
    MANIFEST_FILE,
    SCANS_DIR,
    backups_in,
    copy_file,
    database_of,
    verify_backup,
)
from counter.context import AppContext
from counter.errors import CounterError
from counter.office import code_ledger
from counter.office.roles import ADMINS
from counter.office.users import verify_password
from counter.scans import store
from db.backup import open_read_only
from db.private import private_dir, sqlite_files

ASIDE_DIR = "truoc-khoi-phuc"  # "before the restore": the databases a restore moved aside
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class RestoreError(CounterError):
    """Nothing was restored: the backup did not verify, the database is in use, or a copy could not be written."""


@dataclass(frozen=True)
class BackupSummary:
    """A backup as the administrator chooses it: when, what it holds, and whether it verified."""

    path: Path
    name: str
    created_at: str
    counts: dict[str, int]
    last_codes: dict[str, str]
    findings: tuple[str, ...]

    @property
    def verified(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class Restored:
    backup: BackupSummary
    database: Path
    aside: Path | None  # where the database it replaced now is (None: there was none)
    scans_copied: int
    scans_kept: int


def inspect(backup: Path, assemble_to: Path | None = None) -> BackupSummary:
    """Verify a backup folder and read what it holds; a folder that is not one has a finding that says so.
    `assemble_to`: where the database of a backup in pieces is put together (verify_backup)."""
    backup = Path(backup).expanduser()
    if not backup.is_dir():
        return BackupSummary(backup, backup.name, "", {}, {}, (f"“{backup}” không phải thư mục sao lưu.",))
    findings = tuple(verify_backup(backup, assemble_to=assemble_to))
    try:
        manifest = json.loads((backup / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    return BackupSummary(backup, backup.name, str(manifest.get("created_at", "")), dict(manifest.get("counts") or {}),
                         dict(manifest.get("last_codes") or {}), findings)


def latest_verified(destinations: list[Path]) -> Path | None:
    """The newest backup of the given destinations that verifies now (the start's offer when the database is
    damaged); None when there is none."""
    candidates = [path for destination in destinations for path in backups_in(destination)]
    for path in sorted(candidates, key=lambda p: p.name.rsplit("-may", 1)[-1], reverse=True):
        if not verify_backup(path):
            return path
    return None


def default_destinations(data_dir: Path) -> list[Path]:
    return [data_dir / BACKUPS_DIR]


def may_restore(data_dir: Path, db_file: str, backup: Path, username: str, password: str | None = None) -> bool:
    """Whether `username` is an active administrator — of the current database when it can be read, else of the
    backup's (a damaged database names nobody) — and, when `password` is given (the app's start, where nobody is
    logged in), that it is his password."""
    row = _admin(data_dir / db_file, username)
    if row is None:
        try:
            with database_of(Path(backup), data_dir) as database:
                row = _admin(database, username)
        except (OSError, ValueError, ChunkError):
            row = None
    if row is None or row[0] not in ADMINS or not row[1]:
        return False
    return password is None or verify_password(str(row[2]), password)


def _admin(database: Path, username: str) -> tuple[Any, ...] | None:
    """The user's (role, active, password hash) in a database that can be read, or None when it cannot (a user
    it does not name: a row of Nones)."""
    try:
        connection = open_read_only(database)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("SELECT role, active, password_hash FROM user WHERE lower(username) = lower(?)",
                                 (username.strip(),)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    return tuple(row) if row is not None else (None, None, None)


def restore(data_dir: Path, db_file: str, backup: Path, now: datetime) -> Restored:
    """Restore `backup` into `data_dir` (the steps of the module's docstring). The database must not be open."""
    backup = Path(backup).expanduser()
    database = data_dir / db_file
    _require_not_in_use(database)
    temporary = data_dir / f".khoi-phuc-{now:%Y%m%d-%H%M%S}-{os.getpid()}.sqlite3"
    written: list[Path] = []  # the scans copied in: removed again when the restore does not happen
    try:
        summary = inspect(backup, assemble_to=temporary)  # a backup in pieces is put together right there
        if summary.findings:
            raise RestoreError(f"Bản sao lưu {summary.name} không đạt kiểm tra nên chưa khôi phục gì: "
                               f"{summary.findings[0]}" + (f" (và {len(summary.findings) - 1} lỗi khác)"
                                                           if len(summary.findings) > 1 else ""))
        manifest = json.loads((summary.path / MANIFEST_FILE).read_text(encoding="utf-8"))
        if not isinstance(manifest.get("database"), dict):  # format 1: the database as one file, copied
            copied = copy_file(summary.path / DATABASE_FILE, temporary, DATABASE_FILE)
            if copied["sha256"] != _entry(manifest, DATABASE_FILE).get("sha256"):
                raise RestoreError(f"Cơ sở dữ liệu trong bản sao lưu {summary.name} vừa thay đổi khi đang chép: "
                                   "chưa khôi phục gì.")
        scans_kept = _restore_scans(data_dir, summary.path.parent / SCANS_DIR, manifest["scans"], written)
    except BaseException as exc:
        for path in [temporary, *written]:
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, OSError):
            raise _write_error(exc, data_dir) from exc
        raise
    aside = _move_aside(database, data_dir / ASIDE_DIR / f"{now:%Y%m%d-%H%M%S}")
    os.replace(temporary, database)
    store.fsync_folder(data_dir)
    return Restored(summary, database, aside, len(written), scans_kept)


def _entry(manifest: dict[str, Any], path: str) -> dict[str, Any]:
    return next((entry for entry in manifest["files"] if entry.get("path") == path), {})


def _require_not_in_use(database: Path) -> None:
    """Another window or process writing the database would lose its work to the restore: refuse then."""
    if not database.exists():
        return
    try:
        connection = sqlite3.connect(str(database), timeout=0.5)
    except sqlite3.Error:
        return  # damaged beyond opening: nobody is using it
    try:
        connection.execute("BEGIN EXCLUSIVE")
        connection.rollback()
    except sqlite3.DatabaseError as exc:  # a file no longer a database has nothing to protect: it is replaced
        if isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            raise RestoreError("Cơ sở dữ liệu đang được dùng (ứng dụng đang mở ở cửa sổ hoặc máy khác): hãy đóng "
                               "ứng dụng rồi khôi phục lại.") from exc
    finally:
        connection.close()


def _restore_scans(data_dir: Path, shared: Path, scans: list[dict[str, Any]], written: list[Path]) -> int:
    """Every scan the backup names into the data folder unless it is there whole (each copied one is added to
    `written`); the number of those already there."""
    kept = 0
    for entry in scans:
        relative = str(entry["path"])
        target = data_dir / relative
        if target.is_file() and target.stat().st_size == entry["size"] and store.file_sha256(target) == entry["sha256"]:
            kept += 1
            continue
        data = (shared / relative).read_bytes()  # a scan is a few megabytes at most (counter.scans.files)
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise RestoreError(f"Bản số hóa {relative} trong thư mục sao lưu vừa thay đổi khi đang chép: chưa khôi "
                               "phục gì.")
        store.write_atomic(target, data)  # the store's own temporary names: a killed restore's are cleaned up
        written.append(target)
    return kept


def _move_aside(database: Path, aside: Path) -> Path | None:
    present = [path for path in sqlite_files(database) if path.exists()]
    if not present:
        return None
    private_dir(aside)
    for path in present:
        os.replace(path, aside / path.name)
    store.fsync_folder(aside)
    return aside / database.name


def _write_error(exc: OSError, data_dir: Path) -> RestoreError:
    if exc.errno in _FULL:
        return RestoreError(f"Ổ đĩa đã đầy: không chép được bản sao lưu vào “{data_dir}”. Hãy giải phóng dung lượng "
                            "rồi khôi phục lại; cơ sở dữ liệu đang dùng chưa bị thay đổi.")
    return RestoreError(f"Không chép được bản sao lưu vào “{data_dir}” ({exc.strerror or exc}); cơ sở dữ liệu đang "
                        "dùng chưa bị thay đổi.")


def record(ctx: AppContext, restored: Restored) -> None:
    """The restore in the restored database's audit log (the log of the database it replaced is kept aside)."""
    backup = restored.backup
    with ctx.transaction():  # the mark and the audit row together
        code_ledger.mark_restored(ctx)  # no number trusted on a PC without its entry until resumed
        audit.record(ctx, "restore",
                     f"Khôi phục bản sao lưu {backup.name} ({backup.counts.get('dossiers', 0)} hồ sơ, lập "
                     f"{backup.created_at}); cơ sở dữ liệu trước đó để ở “{restored.aside or 'không có'}”.",
                     detail={"backup": str(backup.path), "created_at": backup.created_at, "counts": backup.counts,
                             "last_codes": backup.last_codes, "aside": str(restored.aside or ""),
                             "scans_copied": restored.scans_copied, "scans_kept": restored.scans_kept})


def discard_temporary(data_dir: Path) -> None:
    """A restore killed while copying leaves its temporary database (and a backup's database put together to read
    its administrators, its own): removed at the next start."""
    for path in [*data_dir.glob(".khoi-phuc-*.sqlite3"), *data_dir.glob(".tmp-doc-*.sqlite3")]:
        with contextlib.suppress(OSError):
            path.unlink()

