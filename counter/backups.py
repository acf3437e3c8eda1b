"""Verified backups of the office's records (issue 18): the database and the scans, with a manifest.

One backup is one folder in a destination (`<data_dir>/backups/` or one the administrator names: a USB drive, a
network share), named with the office's agency id, the workstation and the time:
`000.00.06.H56-may0-20260213-100000/` holding

- `manifest.json`: the database's pieces in order (below), every scan with its size and SHA-256, the database's
  instance id and schema version, the last dossier code of each workstation, the counts of dossiers, history
  rows, outbox entries, scans (stored files), attachments and audit lines, and the audit chain's head — all read
  from the snapshot stored, not from the live database as it is a moment later.

The database is a consistent snapshot while the app keeps writing: the live file read under an empty-WAL read
transaction (db.backup.file_snapshot; SQLite's online backup API into a spare file when the WAL cannot be
emptied). It is stored in content-addressed pieces in the destination's shared `db-chunks/` folder
(counter.backup_chunks): a backup writes only the pieces the previous one of its series does not have, so the
backup four hours after a full one writes megabytes, not gigabytes. A backup made by an earlier version holds the
database as one file `database.sqlite3` in its folder (format 1); it is still verified and restored.

The code ledger (counter.office.code_ledger) is this PC's, not the data's: it is never in a backup, so a restore
cannot bring back a ledger that agrees with an older database (counter.code_guard resumes the numbering instead).
The settings are rows of the database and come with it; the key that seals the province password stays on the PC
(a backup on a USB drive does not carry a readable password: after a restore on another PC it is typed again).

The scans are content-addressed (named by their SHA-256), so they are not copied into each backup: a destination
keeps one shared `scans/` folder (the data directory's `files/ab/cd/<sha256>.pdf` layout, thumbnails beside)
that every backup in it refers to, and a backup copies only the scans that folder does not hold yet. A shared
folder, not hard links: USB drives (FAT32/exFAT) and network shares have none. The scans listed are the
snapshot's `stored_file` rows, so a scan attached after the snapshot is not in it and every scan it names is.

A backup is written into `.tmp-<name>/` and verified there before it counts:
- the database: `PRAGMA integrity_check` — `quick_check` over FULL_CHECK_BYTES — run, while the pieces are
  written, on a second connection that sees exactly the snapshot whose bytes are stored, and the pieces it wrote
  read back from the destination and hashed (every piece it names, once a day: REHASH_EVERY);
- the manifest's counts and codes equal to the snapshot's, every scan's hash.
`verify_backup` (a restore, `restore --check-only`) checks a backup on its own: every piece and scan hashed, the
database put back together and checked as a file.
Only a verified one is renamed to `<name>/`; a failed one becomes `<name>-failed/`, is reported and is never
rotated in (nor deleted by rotation: it is evidence). A half-written backup therefore never looks like one.

Rotation (`rotate`) keeps, per office and workstation, the newest verified backup of each of the last 7 days,
4 ISO weeks and 12 months that have one (counter.backup_settings: settable), never the only verified one; then the
shared scans and pieces no remaining backup names are removed.

Scheduling (after the end-of-day batch, on close, every N hours), the second destination and the screens'
status are counter.backup_schedule's; it calls `make_backup`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from peewee import DatabaseError

from counter import audit, backup_chunks, backup_settings, processes
from counter.clock import VN_TZ
from counter.context import AppContext, bound
from counter.errors import CounterError, is_disk_full
from counter.scans import store
from db.backup import (
    check_cache_pragma_for,
    check_tables,
    file_snapshot,
    open_read_only,
    tables_largest_first,
)
from db.database import is_postgres
from db.models import Office
from db.private import open_private, private_dir, private_file

BACKUPS_DIR = "backups"
SCANS_DIR = "scans"  # the destination's shared, content-addressed scans
DATABASE_FILE = "database.sqlite3"
MANIFEST_FILE = "manifest.json"
SPARE_FILE = "snapshot.sqlite3"  # SQLite's backup API's copy, when the live file cannot be read as a snapshot
FAILED_SUFFIX = "-failed"
TMP_PREFIX = ".tmp-"
PG_FORMAT = "pg_dump"  # office mode: the centre's database as one pg_dump -Fc archive (counter.office.server_backups)
FORMAT = 2  # 1: the database as one file database.sqlite3 in the backup's folder (still verified and restored)
REHASH_EVERY = timedelta(hours=24)

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
# A copy up to this size is checked with PRAGMA integrity_check (seconds); a larger one with quick_check: every page
# read and every b-tree's structure checked, not each index entry against its row, which on the 3.6 GB bench
# database takes 50 s more than the copy itself — the live database's integrity_check is `check --full`'s.
FULL_CHECK_BYTES = 512 << 20
SCAN_GRACE_SECONDS = 24 * 3600  # a shared scan this recent may belong to a backup another PC is writing

NAME_RE = re.compile(r"^(?P<series>.+-may\d+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?$")
_CHUNK = 1 << 20
# POSIX: ten thousand scans are copied without an fsync each, then one os.sync() makes them durable before the
# backup is verified and counts (an fsync per small file cost more than the copying); Windows has no sync().
_SYNC_ONCE = hasattr(os, "sync")
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class BackupError(CounterError):
    """No backup could be written (destination missing or not writable, disk full): nothing was kept of it."""


@dataclass(frozen=True)
class BackupRecord:
    """One backup as made: where it is, whether it verified (and what did not hold), what it holds."""

    path: Path
    name: str
    destination: Path
    created_at: datetime
    verified: bool
    findings: tuple[str, ...] = ()
    size: int = 0  # bytes of the backup's own files and of the scans it names
    counts: dict[str, int] = field(default_factory=dict)
    scans_copied: int = 0  # scan files (documents and thumbnails) copied into the shared folder by this backup
    scans_reused: int = 0  # scan files the destination held already
    pieces_written: int = 0  # pieces of the database written into the destination's shared folder
    pieces_reused: int = 0  # pieces the destination held already (from an earlier backup)
    removed: tuple[Path, ...] = ()  # older backups rotation removed after this one


# Making ----------------------------------------------------------------------------------------------


def default_destination(ctx: AppContext) -> Path:
    return ctx.data_dir / BACKUPS_DIR


@bound
def series_name(ctx: AppContext) -> str:
    """The office's agency id and the workstation: the name's first part, and what rotation groups by."""
    row = Office.get_or_none()
    agency = row.agency_id if row is not None and row.agency_id else "chua-thiet-lap"
    workstation = row.workstation if row is not None else 0
    if ctx.workstation is not None:  # office mode: this PC's number, not the office row's
        workstation = ctx.workstation
    return f"{agency}-may{workstation}"


@dataclass(frozen=True)
class Written:
    """What one engine's writer stored in the backup's temporary folder: its manifest (written), what did not hold
    when it was checked, and the figures the record reports."""

    manifest: dict[str, Any]
    problems: list[Problem]
    scans_copied: int = 0
    scans_reused: int = 0
    pieces_written: int = 0
    pieces_reused: int = 0


@bound
def make_backup(ctx: AppContext, destination: Path | None = None) -> BackupRecord:
    """Back up the database and the scans into one new folder of `destination` (default
    `<data_dir>/backups/`), verify it, keep it (or set it apart as failed), rotate, and record it in the audit log.
    Raises BackupError (nothing kept) when the destination cannot be written.

    Office mode (PostgreSQL): the centre's database, its scans inside it, dumped by pg_dump and verified by
    pg_restore into a scratch database (counter.office.server_backups), one PC of the centre at a time
    (`BackupBusy` for the others); the folder, its name, the rotation and the audit line as here."""
    if is_postgres(ctx.database):
        from counter.office import server_backups

        with server_backups.centre_lock(ctx):
            return _make(ctx, destination, server_backups.write_and_check)
    return _make(ctx, destination, _write_sqlite)


Writer = Callable[[AppContext, Path, Path, str, datetime], Written]


def _make(ctx: AppContext, destination: Path | None, write: Writer) -> BackupRecord:
    dest = _destination(ctx, destination)
    now = ctx.clock.now().astimezone(VN_TZ)
    series = series_name(ctx)
    _remove_stale_tmp(dest, series)
    name = _free_name(dest, f"{series}-{now:%Y%m%d-%H%M%S}")
    tmp = dest / f"{TMP_PREFIX}{name}"
    try:
        written = write(ctx, tmp, dest, name, now)
    except (OSError, BackupError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        error = _write_error(exc, dest) if isinstance(exc, OSError) else exc
        with contextlib.suppress(OSError, DatabaseError):  # the database may sit on the disk that is full
            audit.record(ctx, "backup", f"Sao lưu vào “{dest}” thất bại: {error}", detail={"destination": str(dest)})
        if error is exc:
            raise
        raise error from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    manifest, problems = written.manifest, written.problems
    findings = tuple(problem.text for problem in problems)
    final = dest / (name if not findings else _free_name(dest, name + FAILED_SUFFIX))
    os.replace(tmp, final)
    store.fsync_folder(dest)
    for problem in problems:  # a damaged shared scan is not reused by the next backup: it is copied again
        if problem.bad_scan is not None:
            with contextlib.suppress(FileNotFoundError):
                problem.bad_scan.unlink()
    keep = backup_settings.load(ctx)  # the counts the administrator set (7 daily, 4 weekly, 12 monthly by default)
    removed = tuple(rotate(dest, series, keep.keep_daily, keep.keep_weekly, keep.keep_monthly)) if not findings else ()
    copied, reused = written.scans_copied, written.scans_reused
    record = BackupRecord(path=final, name=final.name, destination=dest, created_at=now, verified=not findings,
                          findings=findings, size=manifest_size(manifest), counts=dict(manifest["counts"]),
                          scans_copied=copied, scans_reused=reused, pieces_written=written.pieces_written,
                          pieces_reused=written.pieces_reused, removed=removed)
    if findings:
        summary = (f"Sao lưu {final.name} vào “{dest}” KHÔNG đạt kiểm tra ({len(findings)} lỗi), đã để riêng: "
                   f"{findings[0]}")
    else:
        summary = (f"Sao lưu {final.name} vào “{dest}”: đã kiểm tra, nguyên vẹn "
                   f"({record.counts['dossiers']} hồ sơ, {record.counts['scans']} bản số hóa).")
    audit.record(ctx, "backup", summary,
                 detail={"path": str(final), "verified": record.verified, "findings": list(findings),
                         "counts": record.counts, "scans_copied": copied, "scans_reused": reused,
                         "pieces_written": record.pieces_written, "pieces_reused": record.pieces_reused,
                         "removed": [p.name for p in removed]})
    return record


def _write_sqlite(ctx: AppContext, tmp: Path, dest: Path, name: str, now: datetime) -> Written:
    try:
        manifest, copied, reused, known, problems = _write_and_check(ctx, tmp, dest, name, now)
    except (sqlite3.Error, DatabaseError) as exc:  # the copy of the database, written by SQLite itself
        if is_disk_full(exc):
            raise OSError(errno.ENOSPC, str(exc)) from exc
        raise
    return Written(manifest, problems, copied, reused, len(known.written.new), known.written.reused)


def _destination(ctx: AppContext, destination: Path | None) -> Path:
    if destination is None:
        return private_dir(default_destination(ctx))
    dest = Path(destination).expanduser()
    if not dest.exists():
        raise BackupError(f"Không có thư mục sao lưu “{dest}” (ổ USB chưa cắm hoặc ổ mạng chưa kết nối?); "
                          "chưa sao lưu.")
    if not dest.is_dir():
        raise BackupError(f"“{dest}” là một tệp, không phải thư mục: chưa sao lưu.")
    if not os.access(dest, os.W_OK | os.X_OK):
        raise BackupError(f"Không ghi được vào thư mục sao lưu “{dest}” (không có quyền ghi); chưa sao lưu.")
    return dest


def _write_error(exc: OSError, dest: Path) -> BackupError:
    if exc.errno in _FULL:
        return BackupError(f"Ổ đĩa đã đầy: không ghi được bản sao lưu vào “{dest}”. Hãy giải phóng dung lượng "
                           "rồi sao lưu lại; bản sao lưu dở đã được xóa.")
    return BackupError(f"Không ghi được bản sao lưu vào “{dest}” ({exc.strerror or exc}); bản sao lưu dở đã được "
                       "xóa.")


def _free_name(dest: Path, name: str) -> str:
    candidate, n = name, 1
    while (dest / candidate).exists() or (dest / f"{TMP_PREFIX}{candidate}").exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _remove_stale_tmp(dest: Path, series: str) -> None:
    """A backup of this workstation killed half-way (only this PC writes its series), and a check killed while
    its database was put together (named with its process, which no longer runs)."""
    for path in dest.glob(f"{TMP_PREFIX}{series}-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in dest.glob(f"{TMP_PREFIX}kiem-tra-*.sqlite3"):
        pid = path.stem.rsplit("-", 1)[-1]
        if pid.isdigit() and not processes.running(int(pid)):
            path.unlink(missing_ok=True)


def _write_and_check(ctx: AppContext, tmp: Path, dest: Path, name: str,
                     now: datetime) -> tuple[dict[str, Any], int, int, _Known, list[Problem]]:
    """Store the snapshot (its pieces, the scans it names, the manifest) and check what was stored, while a second
    connection on the same snapshot runs SQLite's own check on a worker thread (SQLite leaves Python's lock while
    it works: the check and the copying share the two cores, and the backup takes about as long as the longer)."""
    private_dir(tmp)
    series = series_name(ctx)
    previous = _previous_manifest(dest, series)
    rehash_all = _rehash_due(previous, now)
    with file_snapshot(ctx.db_path, tmp / SPARE_FILE, readers=3) as snapshot, \
            ThreadPoolExecutor(max_workers=2) as pool:
        checkers = snapshot.connections[1:]
        checking = pool.submit(_integrity, checkers, snapshot.size, pool if not rehash_all else None)
        try:
            facts = read_facts(snapshot.connections[0])
            written = backup_chunks.write(snapshot, dest, backup_chunks.previous_pieces(previous),
                                          durable=not _SYNC_ONCE)
            try:
                manifest, copied, reused = _write_rest(ctx, tmp, dest, (name, series), now, facts, written,
                                                       previous if not rehash_all else None)
            except BaseException:
                backup_chunks.remove(dest, written.new)  # a full disk: gigabytes of pieces no backup names
                raise
            known = _Known(facts, checking, written, rehash_all, tuple(copied))
            return manifest, len(copied), reused, known, _check(tmp, known=known)
        except BaseException:
            for checker in checkers:
                checker.interrupt()
            wait([checking])
            raise


def _write_rest(ctx: AppContext, tmp: Path, dest: Path, names: tuple[str, str], now: datetime, facts: dict[str, Any],
                written: backup_chunks.Written,
                previous: dict[str, Any] | None) -> tuple[dict[str, Any], list[str], int]:
    """The scans the destination lacks and the manifest, made durable. `previous`: the backup whose every piece
    was last read back (None: this one reads them all)."""
    known = {str(e["path"]): (int(e["size"]), str(e["sha256"])) for e in (previous or {}).get("scans", [])}
    scans, copied = _copy_scans(ctx.data_dir, dest / SCANS_DIR, facts["stored_files"], known)
    described = {key: value for key, value in facts.items() if key != "stored_files"}
    stamp = now.isoformat(timespec="seconds")
    name, series = names
    manifest = {"format": FORMAT, "name": name, "created_at": stamp, "series": series, **described,
                "files": [], "database": written.entry, "scans": scans,
                "pieces_rehashed_at": previous.get("pieces_rehashed_at") if previous else stamp}
    _write_json(tmp / MANIFEST_FILE, manifest)
    if (copied or written.new) and _SYNC_ONCE:
        os.sync()  # the scans and pieces written without an fsync each reach the disk before the backup counts
    store.fsync_folder(tmp)
    return manifest, copied, len(scans) - len(copied)


def _integrity(checkers: tuple[sqlite3.Connection, ...], size: int, pool: ThreadPoolExecutor | None) -> list[str]:
    """`PRAGMA integrity_check` (`quick_check` over FULL_CHECK_BYTES) of what the checkers see: "ok" or findings.

    With a `pool` (a backup within a day of one that checked the whole file), one check per table and its indexes,
    shared by two connections on two threads, largest tables first: every b-tree is checked, in half the time on
    two cores, but not the file's page accounting (a page used twice or never), which a check of the whole file
    does — the day's first backup's (`_rehash_due`), the start's and `check --full`'s."""
    first = checkers[0]
    try:
        first.execute(check_cache_pragma_for(size))
        if pool is None or len(checkers) < 2:
            return [str(row[0]) for row in first.execute(f"PRAGMA {_pragma(size)}")]
        checkers[1].execute(check_cache_pragma_for(size))
        tables = tables_largest_first(first)
        other = pool.submit(check_tables, checkers[1], tables, _pragma(size))
        found = check_tables(first, tables, _pragma(size))
        return [text for text in [*found, *other.result()] if text != "ok"] or ["ok"]
    except sqlite3.Error as exc:
        return [f"không đọc được ({exc})"]


def _pragma(size: int) -> str:
    return "integrity_check" if size <= FULL_CHECK_BYTES else "quick_check"


def _previous_manifest(dest: Path, series: str) -> dict[str, Any] | None:
    """The newest verified backup of the series in this destination: its pieces need not be written again."""
    for path in reversed(backups_in(dest, series)):
        try:
            manifest: dict[str, Any] = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
            return manifest
        except (OSError, ValueError):
            continue
    return None


def _rehash_due(previous: dict[str, Any] | None, now: datetime) -> bool:
    """Whether this backup reads back every piece it names (not only those it wrote): once a day, so a piece
    damaged on the destination since is found — and written again by the next backup."""
    try:
        last = datetime.fromisoformat(str((previous or {})["pieces_rehashed_at"]))
    except (KeyError, TypeError, ValueError):
        return True
    return not timedelta(0) <= now - last < REHASH_EVERY


def _facts(database: Path) -> dict[str, Any]:
    """What the manifest says about the copy, read from the copy."""
    connection = open_read_only(database)
    try:
        return read_facts(connection)
    finally:
        connection.close()


def read_facts(connection: Any) -> dict[str, Any]:
    """The manifest's facts, read on `connection`: sqlite3's, or psycopg's in office mode (the same SQL on both)."""

    def one(sql: str) -> Any:
        row = connection.execute(sql).fetchone()
        return row[0] if row else None

    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    last_codes = {str(w): code for w, code in connection.execute(
        "SELECT workstation, code FROM dossier WHERE id IN (SELECT MAX(id) FROM dossier GROUP BY workstation) "
        "ORDER BY workstation")}
    counts = {"dossiers": one("SELECT COUNT(*) FROM dossier"),
              "history": one("SELECT COUNT(*) FROM dossier_history"),
              "outbox": one("SELECT COUNT(*) FROM outbox_entry"),
              "scans": one("SELECT COUNT(*) FROM stored_file"),
              "attachments": one("SELECT COUNT(*) FROM attachment"),
              "audit": one("SELECT COUNT(*) FROM audit_entry")}
    stored = [(sha, size) for sha, size in connection.execute("SELECT sha256, size FROM stored_file ORDER BY id")]
    return {"instance_id": meta.get("instance_id"), "schema_version": int(meta.get("schema_version") or 0),
            "last_codes": last_codes, "counts": counts, "audit_head": meta.get(audit.HEAD_KEY),
            "stored_files": stored}


def _copy_scans(data_dir: Path, shared: Path, stored: list[tuple[str, int]],
                known: dict[str, tuple[int, str]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Each stored file of the copy (and its thumbnail) into the shared folder unless it holds it already: the
    manifest's entries and the files copied. `known`: path → (size, SHA-256) of the previous verified backup's
    scans (a thumbnail's hash is not in its name: read from there rather than hashed again)."""
    entries: list[dict[str, Any]] = []
    copied: list[str] = []
    made: set[str] = set()  # folders known to exist: a document and its thumbnail share one (10,000 mkdirs fewer)
    for sha, size in stored:
        for relative in (store.relative_path(sha), store.relative_thumbnail(sha)):
            source, target = os.path.join(data_dir, relative), os.path.join(shared, relative)
            held = _size_of(target)
            if held is None and not os.path.isfile(source):
                continue  # a thumbnail is a convenience; a document lost from the data folder is a finding
            document = relative.endswith(".pdf")
            if held is not None and held == (size if document else _size_of(source)):
                previous = known.get(relative)
                digest = sha if document else previous[1] if previous and previous[0] == held else None
                entries.append({"path": relative, "size": held,
                                "sha256": digest or store.file_sha256(Path(target))})
                continue
            if (folder := os.path.dirname(target)) not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            entries.append(copy_file(Path(source), Path(target), relative, durable=not _SYNC_ONCE))
            copied.append(relative)
    return entries, copied


def _size_of(path: str) -> int | None:
    try:  # os.path on strings: twenty thousand pathlib joins and stats cost seconds
        return os.stat(path).st_size
    except OSError:
        return None


def copy_file(source: Path, target: Path, relative: str, *, shared: bool = False,
              durable: bool = True) -> dict[str, Any]:
    """Copy through a temporary file and a rename (a scan in the shared folder is whole or absent), hashing as it
    goes; the manifest's entry. `durable=False`: no fsync of its own (the caller syncs once for thousands)."""
    if shared:
        target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{TMP_PREFIX}{target.name}")
    digest = hashlib.sha256()
    size = 0
    fd = open_private(temporary)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return {"path": relative, "size": size, "sha256": digest.hexdigest()}


def copy_entry(path: Path, relative: str) -> dict[str, Any]:
    """The manifest's entry of a file written in place (its size and SHA-256)."""
    return {"path": relative, "size": path.stat().st_size, "sha256": store.file_sha256(path)}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Without indentation: a manifest names tens of thousands of pieces and scans, and indenting them doubled the
    time to write it."""
    fd = open_private(path)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        out.flush()
        os.fsync(out.fileno())
    private_file(path)


def manifest_size(manifest: dict[str, Any]) -> int:
    """Bytes of what a backup names: its database, its own files and the scans (shared ones too)."""
    database = manifest.get("database") or {}
    return int(database.get("size", 0)) + sum(int(entry["size"]) for entry in [*manifest["files"], *manifest["scans"]])


# Verifying -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    text: str
    bad_scan: Path | None = None  # a shared scan or piece whose bytes are not what its name says


@dataclass(frozen=True)
class _Known:
    """What make_backup learnt of the snapshot it stored: its facts, its integrity check (run on a connection
    that saw exactly the bytes stored), and the pieces it wrote (None: read every piece back)."""

    facts: dict[str, Any]
    integrity: Future[list[str]]  # SQLite's check of the snapshot, running meanwhile: waited for last
    written: backup_chunks.Written
    rehash_all: bool
    scans_copied: tuple[str, ...] = ()

    @property
    def rehash(self) -> tuple[str, ...] | None:
        return None if self.rehash_all else self.written.new

    @property
    def reread_scans(self) -> set[str] | None:
        return None if self.rehash_all else set(self.scans_copied)


def verify_backup(path: Path, assemble_to: Path | None = None) -> list[str]:
    """Reopen a backup folder and check it: the manifest readable, every piece of the database and every scan there
    with its size and SHA-256, the database put back together and `PRAGMA integrity_check` on it (`quick_check`
    over FULL_CHECK_BYTES), the manifest's counts, codes, instance id and audit head equal to the copy's, every scan
    the copy stores listed. The findings, in Vietnamese; none when it holds.

    The database is put together in `assemble_to` (left there when the backup holds: a restore's temporary file),
    else in a temporary file beside the destination's folders, removed afterwards."""
    return [problem.text for problem in _check(Path(path), assemble_to=assemble_to)]


def _check(folder: Path, *, known: _Known | None = None, assemble_to: Path | None = None) -> list[Problem]:
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        files, scans = list(manifest["files"]), list(manifest["scans"])
    except FileNotFoundError:
        return [Problem(f"Không có tệp kê khai {MANIFEST_FILE} trong “{folder}”: không phải bản sao lưu đầy đủ.")]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [Problem(f"Tệp kê khai {MANIFEST_FILE} hỏng, không đọc được ({exc}).")]
    if manifest.get("format") == PG_FORMAT:
        return [Problem(f"“{folder.name}” là bản sao lưu cơ sở dữ liệu chung của trung tâm (pg_dump): kiểm tra và "
                        "khôi phục bằng main.py --database ĐỊA_CHỈ restore …, không vào thư mục dữ liệu của một máy.")]
    problems = [Problem(text) for entry in files for text in file_findings(folder, entry, entry.get("path", ""))]
    pieces = manifest.get("database")
    if isinstance(pieces, dict):
        # on its own, presence and sizes here: the database is put together below, every piece's SHA-256 checked
        reread = known.rehash if known is not None else ()
        problems += [Problem(text, bad) for text, bad in backup_chunks.findings(folder.parent, pieces, reread)]
    elif not any(entry.get("path") == DATABASE_FILE for entry in files):
        problems.append(Problem(f"Kê khai không liệt kê {DATABASE_FILE}."))
    problems += _scan_problems(folder.parent / SCANS_DIR, scans, known.reread_scans if known is not None else None)
    if problems:
        return problems
    if known is not None:
        return [Problem(text) for text in _integrity_findings(known.integrity.result(), _pragma(pieces["size"]))
                or facts_findings(manifest, known.facts)]
    return [Problem(text) for text in _database_check(folder, manifest, assemble_to)]


def _scan_problems(shared: Path, scans: list[dict[str, Any]], reread: set[str] | None) -> list[Problem]:
    """Every scan present with its size; those in `reread` (all when None) read back and hashed."""
    problems = []
    for entry in scans:
        hashed = reread is None or entry.get("path") in reread
        texts = file_findings(shared, entry, f"bản số hóa {entry.get('path', '')}", hashed=hashed)
        relative = str(entry.get("path", ""))
        if relative.endswith(".pdf") and Path(relative).stem != entry.get("sha256"):
            texts.append(f"Bản số hóa {relative}: mã băm ghi trong kê khai không khớp tên tệp.")
        damaged = shared / relative if texts and (shared / relative).is_file() else None
        problems += [Problem(text, damaged) for text in texts]
    return problems


def file_findings(root: Path, entry: dict[str, Any], label: str, *, hashed: bool = True) -> list[str]:
    path = os.path.join(root, str(entry.get("path", "")))
    size = _size_of(path) if os.path.isfile(path) else None
    if size is None:
        return [f"Thiếu tệp {label}."]
    if size != entry.get("size"):
        return [f"Tệp {label}: kích thước {size} byte, kê khai ghi {entry.get('size')} byte."]
    if hashed and store.file_sha256(Path(path)) != entry.get("sha256"):
        return [f"Tệp {label}: mã băm SHA-256 không khớp kê khai (tệp đã bị thay đổi hoặc hỏng)."]
    return []


def _database_check(folder: Path, manifest: dict[str, Any], assemble_to: Path | None) -> list[str]:
    """The backup's database, as one file (format 1) or put together from its pieces, checked against the
    manifest; an assembled file is kept at `assemble_to` only when it holds."""
    pieces = manifest.get("database")
    if not isinstance(pieces, dict):
        return _database_findings(folder / DATABASE_FILE, manifest)
    target = assemble_to or _scratch(folder)
    try:
        backup_chunks.assemble(folder.parent, pieces, target)
    except backup_chunks.ChunkError as exc:
        return [str(exc)]
    except OSError as exc:
        return [f"Không ghép lại được cơ sở dữ liệu của bản sao lưu ({exc.strerror or exc})."]
    findings = _database_findings(target, manifest)
    if findings or assemble_to is None:
        target.unlink(missing_ok=True)
    return findings


def _scratch(folder: Path) -> Path:
    """Where a backup's database is put together to be checked: beside it when the destination can be written
    (the same disk has room for it), else the system's temporary folder."""
    name = f"{TMP_PREFIX}kiem-tra-{folder.name}-{os.getpid()}.sqlite3"
    if os.access(folder.parent, os.W_OK):
        return folder.parent / name
    return Path(tempfile.gettempdir()) / name


@contextlib.contextmanager
def database_of(backup: Path, work_dir: Path) -> Iterator[Path]:
    """A readable file of the backup's database (format 1: its own; else put together in `work_dir`, removed
    afterwards). Raises OSError or backup_chunks.ChunkError when it cannot be had."""
    manifest = json.loads((Path(backup) / MANIFEST_FILE).read_text(encoding="utf-8"))
    pieces = manifest.get("database")
    if not isinstance(pieces, dict):
        yield Path(backup) / DATABASE_FILE
        return
    target = Path(work_dir) / f"{TMP_PREFIX}doc-{Path(backup).name}-{os.getpid()}.sqlite3"
    backup_chunks.assemble(Path(backup).parent, pieces, target)
    try:
        yield target
    finally:
        target.unlink(missing_ok=True)


def _database_findings(database: Path, manifest: dict[str, Any]) -> list[str]:
    try:
        connection = open_read_only(database)
    except sqlite3.Error as exc:
        return [f"Không mở được cơ sở dữ liệu sao lưu ({exc})."]
    size = database.stat().st_size
    try:
        connection.execute(check_cache_pragma_for(size))  # not mapped: it may sit on a USB drive
        integrity = [str(row[0]) for row in connection.execute(f"PRAGMA {_pragma(size)}")]
        if integrity != ["ok"]:
            return _integrity_findings(integrity, _pragma(size))
        facts = read_facts(connection)
    except sqlite3.Error as exc:
        return [f"Không đọc được cơ sở dữ liệu sao lưu ({exc})."]
    finally:
        connection.close()
    return facts_findings(manifest, facts)


def _integrity_findings(integrity: list[str], pragma: str) -> list[str]:
    if integrity == ["ok"]:
        return []
    return [f"Cơ sở dữ liệu sao lưu không nguyên vẹn ({pragma}): " + "; ".join(integrity[:5])]


def facts_findings(manifest: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    findings = []
    labels = {"dossiers": "hồ sơ", "history": "dòng lịch sử", "outbox": "mục chờ gửi", "scans": "bản số hóa",
              "attachments": "tệp đính kèm", "audit": "dòng nhật ký"}
    counts = manifest.get("counts") or {}
    for key, label in labels.items():
        if counts.get(key) != facts["counts"][key]:
            findings.append(f"Số {label}: kê khai ghi {counts.get(key)}, bản sao có {facts['counts'][key]}.")
    for key, label in (("instance_id", "mã cơ sở dữ liệu"), ("last_codes", "mã hồ sơ cuối của mỗi máy"),
                       ("audit_head", "dòng cuối nhật ký thao tác")):
        if manifest.get(key) != facts[key]:
            findings.append(f"{label.capitalize()} trong kê khai khác bản sao.")
    listed = {Path(str(entry.get("path", ""))).stem for entry in manifest.get("scans", [])
              if str(entry.get("path", "")).endswith(".pdf")}
    missing = [sha for sha, _ in facts.get("stored_files", []) if sha not in listed]  # office mode: none beside
    if missing:
        findings.append(f"{len(missing)} bản số hóa có trong cơ sở dữ liệu sao lưu nhưng không có trong kê khai "
                        f"(đầu tiên: {missing[0]}).")
    return findings


# Rotation ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dated:
    path: Path
    at: datetime


def backups_in(destination: Path, series: str | None = None) -> list[Path]:
    """The verified backups of a destination (of one series when given), oldest first: folders with the name
    and the manifest of one, neither in progress nor failed."""
    return [item.path for item in _dated(Path(destination), series)]


def _dated(destination: Path, series: str | None) -> list[_Dated]:
    found = []
    if not destination.is_dir():
        return []
    for path in destination.iterdir():
        match = NAME_RE.match(path.name)
        if not match or not path.is_dir() or not (path / MANIFEST_FILE).is_file():
            continue
        if series is not None and match["series"] != series:
            continue
        try:
            at = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(_Dated(path, at + _tiebreak(match["n"])))
    return sorted(found, key=lambda item: item.at)


def _tiebreak(n: str | None) -> timedelta:
    return timedelta(microseconds=int(n or 1))  # two backups in one second: `-2` after the first


def to_keep(dated: list[tuple[Path, datetime]], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY,
            monthly: int = KEEP_MONTHLY) -> set[Path]:
    """The newest backup of each of the last `daily` days, `weekly` ISO weeks and `monthly` months that have one;
    the newest one whatever the numbers (never the only verified one)."""
    newest_first = sorted(dated, key=lambda item: item[1], reverse=True)
    keep: set[Path] = set()
    periods: list[tuple[int, Any]] = [(daily, lambda d: d.date()), (weekly, lambda d: date.isocalendar(d)[:2]),
                                      (monthly, lambda d: (d.year, d.month))]
    for limit, period in periods:
        seen: list[Any] = []
        for path, at in newest_first:
            key = period(at)
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(key)
            keep.add(path)
    if newest_first:
        keep.add(newest_first[0][0])
    return keep


def rotate(destination: Path, series: str, daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY,
           monthly: int = KEEP_MONTHLY) -> list[Path]:
    """Remove the verified backups of `series` that `to_keep` does not keep (failed ones are never touched), then
    the shared scans no backup left in the destination names. Returns the backups removed."""
    destination = Path(destination)
    dated = [(item.path, item.at) for item in _dated(destination, series)]
    keep = to_keep(dated, daily, weekly, monthly)
    removed = []
    for path, _ in dated:
        if path not in keep:
            shutil.rmtree(path)
            removed.append(path)
    # What a removed backup alone named is removed after the grace (a day): only a backup a day older than the
    # newest can leave such files — the one of the same morning, rotated away every four hours, leaves none yet,
    # and reading every manifest and listing every shared file for nothing cost two seconds of each backup.
    newest = max((at for _, at in dated), default=None)
    if newest is not None and any(newest - at >= timedelta(seconds=SCAN_GRACE_SECONDS)
                                  for path, at in dated if path in removed):
        _collect_scans(destination)
        backup_chunks.collect(destination, _manifests(destination))
    return removed


def _manifests(destination: Path) -> list[Path]:
    return [folder / MANIFEST_FILE for folder in destination.iterdir()
            if folder.is_dir() and (folder / MANIFEST_FILE).is_file()]


def _collect_scans(destination: Path) -> None:
    """Shared scans that no backup folder of the destination (failed ones too) names, older than the grace."""
    shared = destination / SCANS_DIR
    if not shared.is_dir():
        return
    named: set[str] = set()
    for folder in destination.iterdir():
        manifest = folder / MANIFEST_FILE
        if folder.is_dir() and manifest.is_file():
            try:
                named |= {str(entry["path"]) for entry in json.loads(manifest.read_text(encoding="utf-8"))["scans"]}
            except (OSError, ValueError, KeyError, TypeError):
                return  # a manifest that cannot be read might name anything: remove nothing
    cutoff = time.time() - SCAN_GRACE_SECONDS
    for path in shared.rglob("*"):
        if path.is_file() and path.relative_to(shared).as_posix() not in named and path.stat().st_mtime < cutoff:
            path.unlink()
            for parent in (path.parent, path.parent.parent):
                with contextlib.suppress(OSError):
                    parent.rmdir()


# Helpers ---------------------------------------------------------------------------------------------




write_json = _write_json  # the manifest as counter.office.server_backups writes it too
