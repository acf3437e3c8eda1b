"""Is the data whole? The database file, the rows that must go together, and the scans store, each finding named
in plain Vietnamese (`main.py check [--full] [--json]`), and the quick check before the app writes anything.

`check(ctx, full)` reads only (it takes no lock: a reception may go on meanwhile). What it looks at:

- the file: `PRAGMA quick_check`, or the slower `PRAGMA integrity_check` with `full`; `PRAGMA foreign_key_check`
  (on PostgreSQL, office mode, none of these: the server keeps its files and enforces foreign keys; the report
  says so, `Report.on_server`, and every check below runs there as on SQLite);
- every dossier has its history (at least its first row) and its dossier entry in the sync outbox;
- every outbox entry belongs to a dossier (and a step entry to one of its history rows, a dossier entry to its
  code); a step the province has confirmed while its dossier's entry was never sent is a finding (steps follow
  their dossier; the other way round — a dossier sent, its later steps not yet — is how the outbox works);
- every stored scan is in the store at its path with its size (with `full`: its SHA-256 computed again); no file
  in the store that no row holds, and no half-written temporary file;
- dossier codes: unique, in the national shape, and numbered in the block of the dossier's workstation
  (workstation w issues w000–w999, counter.office.codes.block).

The store's folder is listed before its rows are read, so a scan attached while the check runs is not taken for
an orphan; nor is a file no row names that is young enough to be an attach in flight in another process, nor the
temporary file of a writer still running (counter.scans.store says when they count as left behind; the next start
of the app removes those, counter.scans.leftovers).
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.request import pathname2url

from peewee import DatabaseError

from counter.context import AppContext, bound
from counter.errors import CounterError
from counter.scans import blobs, store
from db import portable
from db.backup import check_cache_pragma, check_tables, open_read_only, tables_largest_first
from db.database import is_postgres, refuse_sqlite_writes

MAX_LISTED = 50  # findings named one by one per kind; beyond that one line counts the rest
_CODE_GLOB = ("[0-9][0-9][0-9].[0-9][0-9].[0-9][0-9].[A-Z][0-9][0-9]-"
              "[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]")
_READ_ERRORS = (DatabaseError, sqlite3.DatabaseError)  # peewee wraps execute's, not fetchall's
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB: the file itself is damaged (not merely locked or unreadable)

# The kinds of finding: stable names (the JSON's `kind`), in the order the check looks.
INTEGRITY = "integrity"  # PRAGMA quick_check / integrity_check
FOREIGN_KEY = "foreign_key"
UNREADABLE = "unreadable"  # a query of the check itself failed on the damaged file
HISTORY_MISSING = "history_missing"
OUTBOX_MISSING = "outbox_missing"
OUTBOX_ORPHAN = "outbox_orphan"
OUTBOX_MISMATCH = "outbox_mismatch"
STEP_BEFORE_DOSSIER = "step_before_dossier"
CODE_DUPLICATE = "code_duplicate"
CODE_SHAPE = "code_shape"
CODE_BLOCK = "code_block"
SCAN_MISSING = "scan_missing"
SCAN_SIZE = "scan_size"
SCAN_HASH = "scan_hash"
SCAN_ORPHAN = "scan_orphan"
SCAN_PARTIAL = "scan_partial"
# On PostgreSQL (office mode) the file checks are the server's: what `check` says it leaves to it.
NOT_ON_SERVER = ["PRAGMA quick_check / integrity_check", "PRAGMA foreign_key_check"]
SERVER_NOTE = ("Cơ sở dữ liệu PostgreSQL của trung tâm: tệp dữ liệu và khóa ngoại do máy chủ PostgreSQL tự bảo đảm "
               "(không chạy PRAGMA quick_check, foreign_key_check); đã kiểm tra lịch sử, hàng chờ đồng bộ, mã hồ sơ "
               "và bản số hóa như trên SQLite.")
KINDS = (INTEGRITY, FOREIGN_KEY, UNREADABLE, HISTORY_MISSING, OUTBOX_MISSING, OUTBOX_ORPHAN, OUTBOX_MISMATCH,
         STEP_BEFORE_DOSSIER, CODE_DUPLICATE, CODE_SHAPE, CODE_BLOCK, SCAN_MISSING, SCAN_SIZE, SCAN_HASH,
         SCAN_ORPHAN, SCAN_PARTIAL)


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    message: str  # one Vietnamese sentence naming what does not hold and where

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class Report:
    full: bool
    findings: tuple[Finding, ...]
    checked: dict[str, int] = field(default_factory=dict)  # what was looked at: dossiers, history rows, …
    on_server: bool = False  # PostgreSQL (office mode): no file of ours to check, the server keeps foreign keys

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        how = "kiểm tra đầy đủ" if self.full else "kiểm tra nhanh"
        counts = (f"{self.checked.get('dossiers', 0)} hồ sơ, {self.checked.get('history', 0)} dòng lịch sử, "
                  f"{self.checked.get('outbox', 0)} mục chờ đồng bộ, {self.checked.get('scans', 0)} bản số hóa")
        note = f" {SERVER_NOTE}" if self.on_server else ""
        if self.ok:
            return f"Dữ liệu nguyên vẹn ({how}): {counts}.{note}"
        return f"Phát hiện {len(self.findings)} vấn đề ({how}; đã xem {counts}).{note}"

    def to_json(self) -> dict[str, Any]:
        found = {"ok": self.ok, "full": self.full, "checked": dict(self.checked),
                 "findings": [f.to_json() for f in self.findings]}
        return {**found, "engine": "postgresql", "not_checked": NOT_ON_SERVER} if self.on_server else found


class DatabaseDamaged(CounterError):
    """The database file failed SQLite's own check at start: nothing was written to it."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


@bound
def check(ctx: AppContext, full: bool = False, *, after_start: bool = False) -> Report:
    """Every check above; a query the damaged file cannot answer is itself a finding, and the others still run.
    `after_start`: the process opened the database just now (`main.py check`), and the whole-file quick_check its
    start ran (`check_at_start`) is not run again (14 s at a million dossiers; only the opening's own writes came in
    between). Not for a check asked for later: the file may have been damaged since."""
    trusted = after_start and _passed_quick_check(Path(ctx.db_path))
    begun = _begun.pop(Path(ctx.db_path).resolve(), None) if trusted and full else None
    found: list[Finding] = []
    checked: dict[str, int] = {}
    listing = store.list_store(ctx.data_dir)  # before the rows (see the module's note)
    if is_postgres(ctx.database):  # the rows, codes and scans as below; the server keeps its files and keys
        found += _run_steps(ctx, full, listing, checked, on_server=True)
        return Report(full=full, findings=tuple(found), checked=checked, on_server=True)
    # SQLite's own check runs on connections of their own beside the other checks (on the bench database
    # integrity_check alone took longer than all the rest together): `--full`'s in parts on two threads.
    if full and begun is None:
        read_ahead(Path(ctx.db_path))
    tables = (begun or _TableChecks(Path(ctx.db_path))) if full else None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="integrity") as pool:
        file_check = (pool.submit(_full_file_problems, Path(ctx.db_path), tables, trusted) if tables
                      else pool.submit(_file_problems, Path(ctx.db_path), "quick_check", trusted))
        with _cache_for_check(ctx):
            # the tables still waiting, on this thread too once its own checks are done
            others = _run_steps(ctx, full, listing, checked, meanwhile=tables.help if tables else None)
        pragma, problems = file_check.result()
    found += _capped(INTEGRITY, problems, lambda p: f"Tệp cơ sở dữ liệu bị hỏng (PRAGMA {pragma}): {p}.", "lỗi")
    found += others
    return Report(full=full, findings=tuple(found), checked=checked)


@contextmanager
def _cache_for_check(ctx: AppContext) -> Iterator[None]:
    """The app's connection with a page cache that holds the file while the checks read it (as SQLite's own checks
    beside them have, db.backup.check_cache_pragma): with the app's 32 MB, the foreign keys and the sync queue's
    checks read most pages again from the disk (20.9 s → 11.7 s at a million dossiers; with 64 MiB or
    1 GiB as with the 256 MiB it has now). Given back after."""
    before = ctx.database.execute_sql("PRAGMA cache_size").fetchone()[0]
    ctx.database.execute_sql(check_cache_pragma(Path(ctx.db_path)))
    try:
        yield
    finally:
        ctx.database.execute_sql(f"PRAGMA cache_size = {int(before)}")


def _run_steps(ctx: AppContext, full: bool, listing: store.Listing, checked: dict[str, int],
               on_server: bool = False, meanwhile: Callable[[], None] | None = None) -> list[Finding]:
    """The checks of the rows, in this order in the report; `meanwhile`: more work for this thread once its own
    steps are done, before it waits for the one beside them."""
    steps: list[tuple[str, Callable[[], Iterable[Finding]]]] = [
        *([] if on_server else [("foreign_key_check", lambda: _foreign_keys(ctx))]),
        ("counts", lambda: _count(ctx, checked)),
        ("history", lambda: _history(ctx)),
        ("outbox", lambda: _outbox(ctx)),
        ("codes", lambda: _codes(ctx)),
        ("scans", lambda: _scans(ctx, full, listing, checked)),
    ]
    if on_server:
        return [finding for name, run in steps for finding in _step(name, run)]
    # The sync queue's pass, the longest (14 s of CPU at a million dossiers), on a connection and thread of its
    # own beside the others: on one thread after them it was the last thing `check --full` waited for, 6 s after
    # SQLite's own checks had left a core idle. Its findings keep their place in the report.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="integrity-outbox") as pool:
        beside = {name: pool.submit(_on_thread_connection, ctx, name, run) for name, run in steps if name == "outbox"}
        done = {name: list(_step(name, run)) for name, run in steps if name not in beside}
        if meanwhile is not None:
            meanwhile()
        done.update({name: future.result() for name, future in beside.items()})
    return [finding for name, _ in steps for finding in done[name]]


def _step(name: str, run: Callable[[], Iterable[Finding]]) -> list[Finding]:
    """A step's findings; a query the damaged file cannot answer is itself the finding."""
    try:
        return list(run())
    except _READ_ERRORS as e:
        return [_unreadable(name, e)]


def _unreadable(name: str, error: Exception) -> Finding:
    return Finding(UNREADABLE, f"Không đọc được cơ sở dữ liệu khi kiểm tra “{name}”: {error}.")


def _on_thread_connection(ctx: AppContext, name: str, run: Callable[[], Iterable[Finding]]) -> list[Finding]:
    """`_step` on this thread's own connection to the database (peewee keeps one per thread), with the checks'
    page cache, closed after."""
    try:
        with _cache_for_check(ctx):
            return _step(name, run)
    except _READ_ERRORS as e:  # this thread's connection could not be opened
        return [_unreadable(name, e)]
    finally:
        ctx.database.close()


def _rows(ctx: AppContext, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return list(portable.execute(ctx.database, sql, params).fetchall())


def _capped(kind: str, rows: Iterable[Any], message: Callable[[Any], str], more: str) -> Iterator[Finding]:
    """A finding per row up to MAX_LISTED, then one that counts the rest (`more` is what they are)."""
    left = 0
    for i, row in enumerate(rows):
        if i < MAX_LISTED:
            yield Finding(kind, message(row))
        else:
            left += 1
    if left:
        yield Finding(kind, f"… và {left} {more} khác cùng loại (không liệt kê hết).")


# The file --------------------------------------------------------------------------------------------------


def _file_problems(path: Path, pragma: str, passed: bool = False) -> tuple[str, list[str]]:
    """`PRAGMA quick_check` or `integrity_check` on a read-only connection of its own, with a cache that holds the
    file (db.backup.check_cache_pragma): what it reports, or the error of a page so damaged that SQLite stops. A
    quick_check the start just passed (`passed`) is not run again."""
    if pragma == "quick_check" and passed:
        return pragma, []
    return pragma, _on_own_connection(path, lambda c: [row[0] for row in c.execute(f"PRAGMA {pragma}")
                                                       if row[0] != "ok"])


def _full_file_problems(path: Path, tables: _TableChecks, start_passed: bool = False) -> tuple[str, list[str]]:
    """What `PRAGMA integrity_check` checks, in parts the threads share: `quick_check` of the whole file (every
    page accounted for, every b-tree's structure) on this thread while `tables` (begun on a thread of its own)
    runs `integrity_check(table)` for each table (its rows against its indexes, its constraints), largest first;
    this thread takes tables too once its quick_check is done, and so does the main thread after the other
    checks. On the million-dossier database `check --full` took 83 s with one integrity_check beside the other
    checks, 64 s with the tables' checks waiting for the quick_check. `start_passed`: the quick_check the process's
    start ran on this file moments ago stands for the whole-file one (check's `after_start`); the tables' checks
    may have begun beside it (check_tables_with_opening)."""
    pragma = "integrity_check"
    whole = [] if start_passed else _on_own_connection(
        path, lambda c: [row[0] for row in c.execute("PRAGMA quick_check") if row[0] != "ok"])
    if whole:
        tables.stop()  # a damaged file: its tables' checks would only repeat what quick_check says
        return pragma, whole
    tables.help()
    return pragma, tables.result()


class _TableChecks:
    """`PRAGMA integrity_check(table)` of each table of a file, largest first (db.backup.tables_largest_first), on a
    thread of its own from the moment it is made and on any thread that `help`s, each on a read-only connection of
    its own taking the next table from one queue. `connection`: one already open on the file to list the tables
    with (check_at_start's), else one is opened for it."""

    def __init__(self, path: Path, connection: sqlite3.Connection | None = None) -> None:
        self.path = path
        self._found: list[str] = []
        self._working: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.help, name="integrity-tables", daemon=True)
        try:
            self.tables = tables_largest_first(connection) if connection else _listed(path)
        except sqlite3.Error as e:  # the file cannot be opened or read: that is the finding
            self.tables = queue.SimpleQueue()
            self._found.append(str(e))
        self._thread.start()

    def help(self) -> None:
        """Check tables on this thread until none is left."""
        if self.tables.empty():
            return
        found = _on_own_connection(self.path, self._check)
        with self._lock:
            self._found += found

    def _check(self, connection: sqlite3.Connection) -> list[str]:
        with self._lock:
            self._working.append(connection)
        try:
            return check_tables(connection, self.tables, "integrity_check")
        finally:
            with self._lock:
                self._working.remove(connection)

    def result(self) -> list[str]:
        """What the tables' checks found, once every one is done."""
        self._thread.join()
        return self._found

    def stop(self) -> None:
        """No more tables; the ones being checked are interrupted. Returns once its thread is done."""
        _drain(self.tables)
        with self._lock:
            for connection in self._working:
                connection.interrupt()
        self._thread.join()


def read_ahead(path: Path) -> None:
    """Ask the OS to read the whole file into its cache, in order, on a thread of its own: a check then finds its
    pages there instead of reading each from the disk where its b-tree walk leads (`check --full` of the bench
    database from a cold cache: 109 s → 78 s). Nothing where the OS cannot be asked (Windows)."""
    if not hasattr(os, "posix_fadvise"):
        return

    def ask() -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)
    threading.Thread(target=ask, name="read-ahead", daemon=True).start()


def _listed(path: Path) -> queue.SimpleQueue[str]:
    connection = open_read_only(path)
    try:
        return tables_largest_first(connection)
    finally:
        connection.close()


def _drain(tables: queue.SimpleQueue[str]) -> None:
    while True:
        try:
            tables.get_nowait()
        except queue.Empty:
            return


def _on_own_connection(path: Path, check: Callable[[sqlite3.Connection], list[str]]) -> list[str]:
    """`check` on a read-only connection of its own with a cache that holds the file; a file SQLite cannot open or
    read ("database disk image is malformed") is the finding."""
    try:
        connection = open_read_only(path)
    except sqlite3.Error as e:
        return [str(e)]
    try:
        connection.execute(check_cache_pragma(path))
        return check(connection)
    except sqlite3.DatabaseError as e:
        return [str(e)]
    finally:
        connection.close()


def _foreign_keys(ctx: AppContext) -> Iterator[Finding]:
    # The sync queue's one key, its dossier, is checked by _outbox's pass over the entries, which names what each
    # entry was (its millions of look-ups here were 1.2 s of `check --full` at a million dossiers).
    rows = [row for table in ctx.database.get_tables() if table != "outbox_entry"
            for row in _rows(ctx, f'PRAGMA foreign_key_check("{table}")')]
    yield from _capped(FOREIGN_KEY, rows, lambda r: f"Bảng {r[0]}, dòng {r[1]}: trỏ tới một dòng của bảng {r[2]} "
                                                    "không còn tồn tại.", "dòng")


def _count(ctx: AppContext, checked: dict[str, int]) -> Iterator[Finding]:
    for key, table in (("dossiers", "dossier"), ("history", "dossier_history"), ("outbox", "outbox_entry"),
                       ("scans", "stored_file")):
        checked[key] = int(_rows(ctx, f"SELECT COUNT(*) FROM {table}")[0][0])
    return iter(())


# Rows that go together -------------------------------------------------------------------------------------


def _history(ctx: AppContext) -> Iterator[Finding]:
    rows = _rows(ctx, "SELECT d.code FROM dossier d WHERE NOT EXISTS "
                      "(SELECT 1 FROM dossier_history h WHERE h.dossier_id = d.id) ORDER BY d.id")
    yield from _capped(HISTORY_MISSING, rows, lambda r: f"Hồ sơ {r[0]} không có dòng lịch sử nào "
                                                        "(thiếu cả bước tiếp nhận).", "hồ sơ")


def _outbox(ctx: AppContext) -> Iterator[Finding]:
    # One pass over the entries finds both those pointing nowhere (no dossier: code NULL) and those that do not
    # match their dossier (two passes cost 1.8 s more at a million dossiers). A step's history row is looked for
    # among its dossier's few rows, not by its random uuid: the entries are read in the order they were written,
    # and a dossier's history rows were written about then too, so each lookup lands near the last one (the
    # mismatch search of `check --full` at a million dossiers: 13.6 s → 8.4 s).
    rows = _rows(
        ctx, "SELECT o.id, o.kind, o.key, o.dossier_id, d.code FROM outbox_entry o "
             "LEFT JOIN dossier d ON d.id = o.dossier_id "
             "WHERE d.id IS NULL OR (o.kind = 'dossier' AND o.key != d.code) "
             "OR (o.kind = 'step' AND NOT EXISTS (SELECT 1 FROM dossier_history h "
             "INDEXED BY dossier_history_dossier_id WHERE h.dossier_id = o.dossier_id AND h.step_uuid = o.key)) "
             "OR o.kind NOT IN ('dossier', 'step', 'attachment') ORDER BY o.id")
    orphans = [row[:4] for row in rows if row[4] is None]
    mismatched = [(entry_id, kind, key, code) for entry_id, kind, key, _, code in rows if code is not None]
    missing = [] if _every_dossier_has_its_entry(ctx, orphans, mismatched) else _rows(
        ctx, "SELECT d.code FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM outbox_entry o "
             "WHERE o.kind = 'dossier' AND o.dossier_id = d.id) ORDER BY d.id")
    yield from _capped(OUTBOX_MISSING, missing, lambda r: f"Hồ sơ {r[0]} không có mục hồ sơ trong hàng chờ đồng "
                                                          "bộ: tỉnh sẽ không bao giờ nhận được hồ sơ này.", "hồ sơ")
    yield from _capped(OUTBOX_ORPHAN, orphans, _orphan_entry, "mục")
    yield from _capped(OUTBOX_MISMATCH, mismatched, _mismatched_entry, "mục")
    # From the few dossiers never sent to their synced steps (CROSS JOIN keeps that order): SQLite started from the
    # millions of synced steps, 7 s of `check --full` at a million dossiers for what takes 0.8 s this way.
    early = _rows(ctx, "SELECT s.key, d.code FROM outbox_entry p "
                       "CROSS JOIN outbox_entry s ON s.dossier_id = p.dossier_id "
                       "CROSS JOIN dossier d ON d.id = s.dossier_id "
                       "WHERE p.kind = 'dossier' AND p.sent_revision = 0 AND s.kind = 'step' AND s.state = 'synced' "
                       "ORDER BY s.id")
    yield from _capped(STEP_BEFORE_DOSSIER, early, lambda r: f"Bước xử lý {r[0]} của hồ sơ {r[1]} được ghi là đã "
                                                             "gửi lên tỉnh, nhưng chính hồ sơ chưa từng được gửi.",
                       "bước")


def _every_dossier_has_its_entry(ctx: AppContext, orphans: list[tuple[Any, ...]],
                                 mismatched: list[tuple[Any, ...]]) -> bool:
    """Whether the search for dossiers without their entry (a lookup per dossier: 4.7 s of `check --full` at a
    million dossiers) can be skipped: when no entry points nowhere and every dossier entry carries its dossier's
    code, entries with distinct codes belong to distinct dossiers, so as many distinct codes as dossiers means
    each dossier has one. Both counts read the dossier entries' own index, not the table."""
    if orphans or any(kind == "dossier" for _, kind, _, _ in mismatched):
        return False
    entries, distinct = _rows(ctx, "SELECT COUNT(*), COUNT(DISTINCT key) FROM outbox_entry WHERE kind = 'dossier'")[0]
    dossiers = _rows(ctx, "SELECT COUNT(*) FROM dossier")[0][0]
    return bool(entries == distinct == dossiers)


def _orphan_entry(row: tuple[Any, ...]) -> str:
    entry_id, kind, key, dossier_id = row
    where = "không thuộc hồ sơ nào" if dossier_id is None else f"trỏ tới hồ sơ số {dossier_id} không còn tồn tại"
    return f"Mục chờ đồng bộ #{entry_id} ({kind} {key}) {where}."


def _mismatched_entry(row: tuple[Any, ...]) -> str:
    entry_id, kind, key, code = row
    if kind == "dossier":
        return f"Mục chờ đồng bộ #{entry_id} mang mã {key} nhưng thuộc hồ sơ {code}."
    if kind == "step":
        return f"Mục chờ đồng bộ #{entry_id}: bước xử lý {key} không có trong lịch sử của hồ sơ {code}."
    return f"Mục chờ đồng bộ #{entry_id} của hồ sơ {code} có loại “{kind}” không rõ."


def _codes(ctx: AppContext) -> Iterator[Finding]:
    twice = _rows(ctx, "SELECT code, COUNT(*) FROM dossier GROUP BY code HAVING COUNT(*) > 1 ORDER BY code")
    yield from _capped(CODE_DUPLICATE, twice, lambda r: f"Mã hồ sơ {r[0]} được dùng cho {r[1]} hồ sơ.", "mã")
    # Out of shape, or shaped but outside its workstation's block (w issues w000–w999, workstation 0 from 0001: the
    # number's thousands are the workstation), in one pass over the dossiers (two cost 1 s more at a million).
    shaped, pattern = portable.glob(ctx.database, "code", _CODE_GLOB)
    number = "CAST(substr(code, length(code) - 3) AS INTEGER)"
    rows = _rows(ctx, f"SELECT code, workstation, CASE WHEN {shaped} THEN 1 ELSE 0 END FROM dossier "
                      f"WHERE CASE WHEN {shaped} THEN ({number} / 1000 != workstation OR {number} = 0) ELSE 1 = 1 END "
                      "ORDER BY id", (pattern, pattern))
    yield from _capped(CODE_SHAPE, [r for r in rows if not r[2]],
                       lambda r: f"Mã hồ sơ “{r[0]}” không đúng dạng 000.00.00.H00-yyMMdd-NNNN.", "mã")
    yield from _capped(CODE_BLOCK, [r[:2] for r in rows if r[2]], _outside_block, "mã")


def _outside_block(row: tuple[Any, ...]) -> str:
    code, workstation = row
    first, last = max(1, workstation * 1000), workstation * 1000 + 999
    return (f"Mã hồ sơ {code} nằm ngoài dải số của máy tiếp nhận số {workstation} "
            f"({first:04d}–{last:04d}) đã tiếp nhận hồ sơ.")


# The scans store -------------------------------------------------------------------------------------------


def _scans(ctx: AppContext, full: bool, listing: store.Listing, checked: dict[str, int]) -> Iterator[Finding]:
    if blobs.shared(ctx):
        yield from _scan_blobs(ctx, full, checked)
        return
    data_dir = Path(ctx.data_dir)
    rows = _rows(ctx, "SELECT f.sha256, f.size, (SELECT MIN(d.code) FROM attachment a JOIN dossier d "
                      "ON d.id = a.dossier_id WHERE a.file_id = f.id) FROM stored_file f ORDER BY f.id")
    missing: list[tuple[Any, ...]] = []
    wrong_size: list[tuple[Any, ...]] = []
    wrong_hash: list[tuple[Any, ...]] = []
    for sha256, size, code in rows:
        path = store.file_path(data_dir, sha256)
        try:
            actual = path.stat().st_size if path.is_file() else None
        except OSError:
            actual = None
        if actual is None:
            missing.append((sha256, code))
        elif actual != size:
            wrong_size.append((sha256, code, size, actual))
        elif full and _sha256(path) != sha256:
            wrong_hash.append((sha256, code))
    checked["store_files"] = sum(len(paths) for paths in listing.stored.values()) + len(listing.stray)
    yield from _capped(SCAN_MISSING, missing, lambda r: f"Bản số hóa{_of(r[1])} không có trong kho: "
                                                        f"{store.relative_path(r[0])}.", "bản số hóa")
    yield from _capped(SCAN_SIZE, wrong_size, lambda r: f"Bản số hóa{_of(r[1])} trong kho có {r[3]} byte, "
                                                        f"đúng ra {r[2]} byte: {store.relative_path(r[0])}.",
                       "bản số hóa")
    yield from _capped(SCAN_HASH, wrong_hash, lambda r: f"Bản số hóa{_of(r[1])} đã bị thay đổi (mã SHA-256 không "
                                                        f"khớp): {store.relative_path(r[0])}.", "bản số hóa")
    known = {row[0] for row in rows}
    now = time.time()  # a file no row names yet may be an attach in flight elsewhere (store.IN_FLIGHT_SECONDS)
    orphans = [p for sha256, paths in listing.stored.items() if sha256 not in known for p in paths
               if not store.is_in_flight(p, now)]
    orphans = sorted(orphans + listing.stray)
    partial = [p for p in listing.partial if store.is_stray_temp(p, now)]  # a live writer's is no finding
    yield from _capped(SCAN_ORPHAN, orphans, lambda p: f"Tệp {p.relative_to(data_dir).as_posix()} trong kho bản "
                                                       "số hóa không thuộc bản số hóa nào.", "tệp")
    yield from _capped(SCAN_PARTIAL, partial, lambda p: f"Tệp tạm {p.relative_to(data_dir).as_posix()} "
                                                                "là một lần ghi bản số hóa bị bỏ dở.", "tệp")


def _scan_blobs(ctx: AppContext, full: bool, checked: dict[str, int]) -> Iterator[Finding]:
    """Office mode: the scans are the centre's database's blobs (counter.scans.blobs), each checked against its
    stored file; this PC's folder is only a cache, checked by SHA-256 whenever a scan is opened."""
    found = blobs.problems(ctx, full)
    checked["store_files"] = found.blobs
    yield from _capped(SCAN_MISSING, found.missing, lambda r: f"Bản số hóa{_of(r[1])} không có trên máy chủ "
                                                              f"(mã {r[0][:12]}…).", "bản số hóa")
    yield from _capped(SCAN_SIZE, found.wrong_size, lambda r: f"Bản số hóa{_of(r[1])} trên máy chủ có {r[3]} "
                                                              f"byte, đúng ra {r[2]} byte (mã {r[0][:12]}…).",
                       "bản số hóa")
    yield from _capped(SCAN_HASH, found.wrong_hash, lambda r: f"Bản số hóa{_of(r[1])} trên máy chủ đã bị thay "
                                                              f"đổi (mã SHA-256 {r[0][:12]}… không khớp).",
                       "bản số hóa")
    yield from _capped(SCAN_ORPHAN, found.orphans, lambda sha: f"Tệp {sha[:12]}… trên máy chủ không thuộc bản "
                                                               "số hóa nào.", "tệp")


def _of(code: str | None) -> str:
    return f" của hồ sơ {code}" if code else ""


def _sha256(path: Path) -> str:
    """The file's hash, "" when it cannot be read (a finding, not a crash)."""
    try:
        return store.file_sha256(path)
    except OSError:
        return ""


# At start --------------------------------------------------------------------------------------------------


def check_at_start(path: Path, *, later_if_current: bool = False) -> None:
    """`PRAGMA quick_check` on the database file before the app opens it for writing, through a read-only
    connection: a damaged file raises DatabaseDamaged and is left exactly as it was. A missing or empty file (a new
    database) passes; a file SQLite cannot open for another reason (permissions, a lock) is left to the opening
    itself to report.

    `later_if_current`: the desktop app's start (main.py without a command). The whole file's quick_check takes
    10–14 s at a million dossiers; a file at the current schema (the opening migrates nothing) is then not checked
    here but owed (`owed`): the app checks it on a thread once its log-in window shows (ui/start_check.py, with
    this same function) and stops writing when it is damaged (`refuse_writes`). A file the opening will migrate is
    checked here first, as always: a migration rewrites tables and copies the file before it."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return
    # Read-only; without a write-ahead log beside it, also "immutable" so that not even an empty -wal and -shm are
    # left beside a damaged file (the tables' checks begun beside it take theirs away, _forget). A log left by a
    # power cut is read with the file (it holds committed work).
    wal_there = path.with_name(path.name + "-wal").exists()
    how = "mode=ro" if wal_there else "mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(f"file:{pathname2url(str(path.resolve()))}?{how}", uri=True)
    except sqlite3.Error:
        return
    if later_if_current and _at_current_schema(connection):
        connection.close()
        _owed.add(path.resolve())
        return
    begun: _TableChecks | None = None
    if _with_opening:
        read_ahead(path)
    try:
        connection.execute(check_cache_pragma(path))
        begun = _begin_tables(path, connection) if _with_opening else None
        problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall() if row[0] != "ok"]
    except sqlite3.DatabaseError as e:
        if e.sqlite_errorcode & 0xFF not in _CORRUPT:
            _forget(begun, path, wal_was_there=wal_there)
            return
        problems = [str(e)]
    finally:
        connection.close()
    if problems:
        _forget(begun, path, wal_was_there=wal_there)
        raise DatabaseDamaged(damaged_message(path, problems[0]), path)
    _owed.discard(path.resolve())
    _passed_at_start[path.resolve()] = time.monotonic()
    if begun is not None:
        _begun[path.resolve()] = begun


# The files whose quick_check at start was left for later (`check_at_start(later_if_current=True)`).
_owed: set[Path] = set()


def owed(path: Path | str) -> bool:
    """Whether the opening left this file's quick_check for later (the desktop app runs it in the background)."""
    return Path(path).resolve() in _owed


def _at_current_schema(connection: sqlite3.Connection) -> bool:
    """The file holds the latest schema: opening it migrates nothing."""
    from db.migrate import latest_version
    try:
        version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:  # damaged, or no database yet: checked now
        return False
    return version is not None and int(version[0]) == latest_version()


@bound
def refuse_writes(ctx: AppContext) -> None:
    """The background check found the file damaged: from now on SQLite refuses every write to it from this
    process (`PRAGMA query_only`, on the connection open now and on any opened later), so that nothing the app
    still does — a log-out, a timer's work — writes to the damaged file."""
    refuse_sqlite_writes(ctx.database)


# `main.py check --full` ------------------------------------------------------------------------------------
# The tables' integrity_check begins with the opening's quick_check (check_at_start), not after it: both only read
# the file, and the quick_check (14 s at a million dossiers) no longer comes first. `check(after_start=True)` takes
# them over from `_begun`; check_tables_with_opening(False) stops any it did not.
_with_opening = False
_begun: dict[Path, _TableChecks] = {}


def check_tables_with_opening(on: bool = True) -> None:
    """`main.py check --full` before it opens the database (on), and when it ends (off: the tables' checks begun
    and not taken over are stopped)."""
    global _with_opening
    _with_opening = on
    if not on:
        while _begun:
            path, begun = _begun.popitem()
            _forget(begun, path, wal_was_there=True)


def _begin_tables(path: Path, connection: sqlite3.Connection) -> _TableChecks | None:
    """The tables' checks of the file `connection` reads, begun on a thread; None when the opening will migrate
    it (a table its migration drops or rebuilds would be reported missing)."""
    if not _at_current_schema(connection):
        return None
    return _TableChecks(path, connection)


def _forget(begun: _TableChecks | None, path: Path, *, wal_was_there: bool) -> None:
    """Stop tables' checks begun at start that will not be used, and take away the empty write-ahead log and
    shared-memory files their read-only connections made beside a file that had none (a damaged file is left as it
    was found)."""
    if begun is None:
        return
    begun.stop()
    wal = path.with_name(path.name + "-wal")
    if not wal_was_there and wal.is_file() and wal.stat().st_size == 0:
        wal.unlink(missing_ok=True)
        path.with_name(path.name + "-shm").unlink(missing_ok=True)


# The files whose whole-file quick_check passed at this process's start, and when (`check(after_start=True)`).
_passed_at_start: dict[Path, float] = {}
START_CHECK_HOLDS_S = 600.0


def _passed_quick_check(path: Path) -> bool:
    at = _passed_at_start.get(Path(path).resolve())
    return at is not None and time.monotonic() - at < START_CHECK_HOLDS_S


def damaged_report(error: DatabaseDamaged, full: bool) -> Report:
    """`check`'s answer about a file the quick check at start refused: its one finding."""
    return Report(full=full, findings=(Finding(INTEGRITY, str(error)),))


def damaged_message(path: Path, problem: str, latest_backup: Path | None = None) -> str:
    """What the person at the counter reads when the database is damaged: in plain words, what to do. The latest
    verified backup is named when one is known (counter.backups, issue 18's backup part)."""
    restore = (f"Hãy khôi phục từ bản sao lưu đã kiểm tra gần nhất: main.py restore “{latest_backup}”."
               if latest_backup else
               "Hãy khôi phục từ bản sao lưu đã kiểm tra gần nhất (thư mục backups trong thư mục dữ liệu, hoặc ổ "
               "sao lưu thứ hai) bằng main.py restore BẢN_SAO_LƯU.")
    return (f"Cơ sở dữ liệu “{path}” bị hỏng ({problem}); ứng dụng không ghi gì vào tệp này. {restore} "
            "Nếu chưa có bản sao lưu, hãy liên hệ quản trị viên trước khi làm gì khác.")
