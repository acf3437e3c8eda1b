"""Backups and restore in office mode (issue 20): the centre's PostgreSQL database through pg_dump and pg_restore.

The scans are rows of the database (`scan_blob`, counter.scans.blobs), so one `pg_dump -Fc` is one consistent
snapshot of everything; the data folder's scans are only this PC's cache. A backup is a folder of the same kind and
name as on SQLite (`<agency>-may<N>-<time>/`, N this PC's workstation number), made, named, rotated and recorded by
counter.backups.make_backup; this module writes and checks what is in it:

- `database.dump`: pg_dump's custom-format archive, taken on a snapshot exported by a read-only REPEATABLE READ
  transaction that also reads the manifest's facts — the facts are those of exactly the rows dumped, while the
  counters keep writing;
- `manifest.json`: the format marker `"pg_dump"`, the archive's size and SHA-256, the server's and pg_dump's
  versions, the counts of dossiers, history rows, outbox entries, scans (stored files), attachments, audit lines,
  the scan blobs (count, bytes and a digest of their hashes), the audit chain's head and each workstation's last
  code.

Verified means: the archive restored by pg_restore (one transaction, stopping at the first error) into a scratch
database of the same server, `<db>_kiemtra_<pid>`, created and dropped by the check, and the manifest's facts equal
to the scratch copy's. A role that may not create databases gets its backup kept apart as not verified, with the
reason in words. One PC of the centre backs up at a time (`centre_lock`, an advisory lock): another one asking
meanwhile is told the other is at it (`BackupBusy`) — its copy would be the same snapshot a minute later.

Restore (`restore_centre`): the archive restored into a new database `<db>_khoi_phuc_<pid>` and checked against its
manifest while the current database stays untouched and in use; only then, with nobody connected, two renames in
one transaction: the current database becomes `<db>_truoc_khoi_phuc_<time>` (kept, never overwritten or dropped)
and the restored one takes its name. Restoring into a new database rather than renaming the current one first:
a restore that fails half-way (a damaged archive, a full disk on the server, a lost connection) leaves the centre
exactly as it was, and the counters are locked out only for the instant of the renames. The restored database
issues no code until each workstation's numbering is resumed where its PC's ledger says it is behind
(counter.code_guard, as on SQLite: the restored rows keep the database's instance id, the ledgers their last codes).

The databases restores set aside are listed, and an administrator drops one he no longer needs
(`replaced_databases`, `drop_replaced`: `main.py replaced-database list|drop`): only a name of exactly that pattern
for the database in use, never that database itself nor one anybody is connected to, and the drop is audited.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from counter import audit, backups
from counter.backup_schedule import size_text
from counter.backups import MANIFEST_FILE, PG_FORMAT, BackupError, Problem, Written
from counter.clock import VN_TZ
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.office import code_ledger
from counter.office.roles import ADMINS, require_role
from counter.restore import BackupSummary, RestoreError
from counter.scans import store
from db import pg_dump
from db.database import APPLICATION, APPLICATION_WORKSTATION, advisory_lock_or
from db.pg_dump import NotPermitted, PgToolError, Server
from db.private import private_dir

BACKUP_LOCK_KEY = 0x514D4303  # the centre's advisory lock: one backup at a time across all its counters
DUMP_FILE = "database.dump"
SCRATCH_INFIX = "_kiemtra_"  # a backup's check: <db>_kiemtra_<pid>
RESTORE_INFIX = "_khoi_phuc_"  # a restore's new database before it takes the name: <db>_khoi_phuc_<pid>
ASIDE_INFIX = "_truoc_khoi_phuc_"  # the database a restore replaced: <db>_truoc_khoi_phuc_<YYYYmmdd_HHMMSS>


class BackupBusy(BackupError):
    """Another PC of the centre is backing up the shared database right now."""


@contextmanager
def centre_lock(ctx: AppContext) -> Iterator[None]:
    """Hold the centre's backup lock for the block (on this thread's connection), or raise BackupBusy at once."""
    busy = BackupBusy("Một máy khác của trung tâm đang sao lưu cơ sở dữ liệu chung ngay lúc này: máy này bỏ qua "
                      "lần sao lưu này (bản của máy kia chứa cùng dữ liệu).")
    with ctx.bound(), advisory_lock_or(ctx.database, BACKUP_LOCK_KEY, busy):
        yield


# Facts -----------------------------------------------------------------------------------------------


def read_facts(connection: Any) -> dict[str, Any]:
    """What a manifest says of the centre's database, read on a psycopg connection (its snapshot)."""
    facts = backups.read_facts(connection)
    facts.pop("stored_files")  # their bytes are rows of the archive, not files beside it
    row = connection.execute(
        "SELECT COUNT(*), COALESCE(SUM(octet_length(data) + octet_length(thumbnail)), 0), "
        "md5(COALESCE(string_agg(sha256, ',' ORDER BY sha256), '')) FROM scan_blob").fetchone()
    facts["scan_blobs"] = {"count": int(row[0]), "bytes": int(row[1]), "digest": str(row[2])}
    return facts


def facts_findings(manifest: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    findings = backups.facts_findings(manifest, facts)
    if manifest.get("schema_version") != facts["schema_version"]:
        findings.append(f"Phiên bản cấu trúc: kê khai ghi {manifest.get('schema_version')}, bản sao có "
                        f"{facts['schema_version']}.")
    blobs, held = manifest.get("scan_blobs") or {}, facts["scan_blobs"]
    if blobs != held:
        findings.append(f"Nội dung bản số hóa trong cơ sở dữ liệu: kê khai ghi {blobs.get('count')} bản "
                        f"({blobs.get('bytes')} byte), bản sao có {held['count']} bản ({held['bytes']} byte) hoặc "
                        "khác mã băm.")
    return findings


# Making ----------------------------------------------------------------------------------------------


def write_and_check(ctx: AppContext, tmp: Path, dest: Path, name: str, now: datetime) -> Written:
    """counter.backups' writer for PostgreSQL: the archive and the manifest in `tmp`, then the check. Raises
    BackupError (nothing kept) when no archive could be made: pg_dump missing or of another version, the server
    unreachable."""
    import psycopg

    private_dir(tmp)
    server = Server.of(ctx.database)
    archive = tmp / DUMP_FILE
    try:
        major, version = pg_dump.server_major(server)
        tool = pg_dump.find_tool("pg_dump", major)
        pg_dump.find_tool("pg_restore", major)  # the check needs it: said before minutes of dumping
        with pg_dump.exported_snapshot(server) as (snapshot, connection):
            facts = read_facts(connection)
            pg_dump.dump(server, archive, major=major, snapshot=snapshot)
    except PgToolError as exc:
        raise BackupError(f"Chưa sao lưu được cơ sở dữ liệu của trung tâm: {exc}") from exc
    except psycopg.OperationalError as exc:
        raise BackupError("Chưa sao lưu được: không kết nối được máy chủ cơ sở dữ liệu của trung tâm "
                          f"({pg_dump.strip_password(server.url)}): {str(exc).strip()}") from exc
    entry = backups.copy_entry(archive, DUMP_FILE)
    manifest = {"format": PG_FORMAT, "name": name, "created_at": now.isoformat(timespec="seconds"),
                "series": backups.series_name(ctx), "engine": "postgresql", "server_version": version,
                "pg_dump": f"{tool} ({major})", "database_name": server.dbname, **facts, "files": [entry], "scans": []}
    backups.write_json(tmp / MANIFEST_FILE, manifest)
    store.fsync_folder(tmp)
    _drop_stale_scratch(server)  # a check killed half-way; only one backup of the centre runs (centre_lock)
    return Written(manifest, [Problem(text) for text in check_archive(server, tmp, manifest, major)])


def _drop_stale_scratch(server: Server) -> None:
    """The scratch databases of checks killed half-way (any PC's): every check holds the centre's lock, as the
    caller does, so none of them is in use."""
    head = server.dbname.encode()[:20].decode(errors="ignore")
    with suppress(Exception):
        for name in pg_dump.databases_like(server, head):
            tail = name.rsplit(SCRATCH_INFIX, 1)
            if len(tail) == 2 and tail[1].isdigit() and server.dbname.startswith(tail[0]) and name != server.dbname:
                pg_dump.drop_database(server, name)


@contextmanager
def _checking_alone(server: Server) -> Iterator[None]:
    """The centre's backup lock on a connection of its own (`restore --check-only`, which has no context): a
    check does not run while a backup of the centre does (that one drops scratch databases it finds)."""
    connection = server.connect()
    try:
        if not connection.execute("SELECT pg_try_advisory_lock(%s)", (BACKUP_LOCK_KEY,)).fetchone()[0]:
            raise BackupBusy("Một máy của trung tâm đang sao lưu cơ sở dữ liệu chung: hãy kiểm tra lại sau khi "
                             "máy đó sao lưu xong.")
        yield
    finally:
        connection.close()  # the lock goes with it


def check_archive(server: Server, folder: Path, manifest: dict[str, Any], major: int | None = None) -> list[str]:
    """The backup in `folder` checked on `server`: the archive's size and SHA-256, then restored into a scratch
    database (created here, dropped afterwards) whose facts must equal the manifest's. The findings in Vietnamese;
    none when it holds."""
    problems = _file_findings(folder, manifest)
    if problems:
        return problems
    try:
        major = major if major is not None else pg_dump.server_major(server)[0]
        scratch = pg_dump.derived_name(server.dbname, f"{SCRATCH_INFIX}{os.getpid()}")
        pg_dump.drop_database(server, scratch)
        copy = pg_dump.create_database(server, scratch)
    except NotPermitted:
        return [f"Chưa kiểm tra được bản sao lưu: tài khoản cơ sở dữ liệu “{_role(server)}” không được tạo cơ sở dữ "
                "liệu tạm để khôi phục thử (cần quyền CREATEDB: ALTER ROLE … CREATEDB). Bản sao lưu được giữ "
                "nhưng chưa tính là đã kiểm tra."]
    except PgToolError as exc:
        return [f"Chưa kiểm tra được bản sao lưu: {exc}"]
    except Exception as exc:  # psycopg's: the server unreachable meanwhile
        return [f"Chưa kiểm tra được bản sao lưu: không kết nối được máy chủ ({str(exc).strip()})."]
    try:
        return _restored_findings(copy, folder / DUMP_FILE, manifest, major)
    finally:
        with suppress(Exception):
            pg_dump.drop_database(server, scratch)


def _file_findings(folder: Path, manifest: dict[str, Any]) -> list[str]:
    if manifest.get("format") != PG_FORMAT:
        return [f"“{folder.name}” không phải bản sao lưu cơ sở dữ liệu chung của trung tâm (pg_dump) mà là bản của "
                "một máy (SQLite): khôi phục vào thư mục dữ liệu của máy đó, không có --database."]
    entry = next((e for e in manifest.get("files", []) if e.get("path") == DUMP_FILE), None)
    if entry is None:
        return [f"Kê khai không liệt kê {DUMP_FILE}."]
    return backups.file_findings(folder, entry, DUMP_FILE)


def _restored_findings(copy: Server, archive: Path, manifest: dict[str, Any], major: int) -> list[str]:
    try:
        pg_dump.restore_into(copy, archive, major=major)
        with copy.connect() as connection:
            facts = read_facts(connection)
    except PgToolError as exc:
        return [f"Bản sao lưu không khôi phục được: {exc}"]
    except Exception as exc:  # the archive restored something that is not the app's database
        return [f"Bản sao lưu khôi phục được nhưng không đọc được dữ liệu ({str(exc).strip()})."]
    return facts_findings(manifest, facts)


def _role(server: Server) -> str:
    from psycopg.conninfo import conninfo_to_dict

    return str(conninfo_to_dict(server.url).get("user") or "")


def read_manifest(backup: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((Path(backup) / MANIFEST_FILE).read_text(encoding="utf-8"))
        return manifest
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {"format": "?"}


def inspect(server: Server, backup: Path) -> BackupSummary:
    """`restore --check-only` in office mode: the backup verified on the centre's server (a scratch restore)."""
    backup = Path(backup).expanduser()
    if not (backup / MANIFEST_FILE).is_file():
        return BackupSummary(backup, backup.name, "", {}, {}, (f"“{backup}” không phải thư mục sao lưu (không có "
                                                               f"{MANIFEST_FILE}).",))
    manifest = read_manifest(backup)
    try:
        with _checking_alone(server):
            findings = tuple(check_archive(server, backup, manifest))
    except BackupBusy as exc:
        findings = (str(exc),)
    except Exception as exc:  # psycopg's: the centre's database unreachable
        findings = (f"Chưa kiểm tra được bản sao lưu: không kết nối được cơ sở dữ liệu của trung tâm "
                    f"({str(exc).strip()}).",)
    return _summary(backup, manifest, findings)


def _summary(backup: Path, manifest: dict[str, Any], findings: tuple[str, ...]) -> BackupSummary:
    return BackupSummary(backup, backup.name, str(manifest.get("created_at", "")), dict(manifest.get("counts") or {}),
                         dict(manifest.get("last_codes") or {}), findings)


# Restoring -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CentreRestored:
    backup: BackupSummary
    database: str  # the centre's database's name (now the restored copy)
    aside: str | None  # the database it replaced, renamed (None: there was none)


def connected_text(sessions: list[pg_dump.Session]) -> str:
    described = [f"{_who(s.application)} ({s.user}, từ {s.client or 'chính máy chủ'}, kết nối lúc {s.since})"
                 for s in sessions]
    return "; ".join(described)


def _who(application: str) -> str:
    """A connection as a person names it: the counter (its workstation and PC, db.database.application_name), a
    counter without a number, or the program's own name."""
    counter = APPLICATION_WORKSTATION.match(application)
    if counter:
        number, machine = counter.groups()
        return f"quầy số {number}" + (f" trên máy {machine}" if machine else "")
    if application == APPLICATION:
        return "một quầy chưa có số máy tiếp nhận"
    return application or "chương trình khác"


def _refuse_if_connected(server: Server) -> None:
    others = pg_dump.sessions(server, server.dbname)
    if others:
        raise RestoreError(f"Chưa khôi phục: còn {len(others)} kết nối tới cơ sở dữ liệu “{server.dbname}” của trung "
                           f"tâm — {connected_text(others)}. Hãy đóng chương trình ở các quầy đó (và các lệnh đang "
                           "chạy) rồi khôi phục lại.")


def admin_row(server: Server, username: str) -> tuple[Any, ...] | None:
    """(role, active) of `username` in the database `server` names; (None, None) when it names nobody; None when the
    database cannot be read."""
    try:
        with server.connect() as connection:
            row = connection.execute('SELECT role, active FROM "user" WHERE lower(username) = lower(%s)',
                                     (username.strip(),)).fetchone()
    except Exception:  # missing, damaged, unreachable: the restored copy is asked instead
        return None
    return tuple(row) if row is not None else (None, None)


def _is_admin(row: tuple[Any, ...] | None) -> bool:
    return row is not None and row[0] in ADMINS and bool(row[1])


def not_admin(username: str) -> str:
    return f"“{username}” không phải quản trị viên đang hoạt động: chỉ quản trị viên được khôi phục bản sao lưu."


def restore_centre(server: Server, backup: Path, now: datetime, by: str) -> CentreRestored:
    """Restore `backup` as the centre's database (the module's docstring): checked first, restored into a new
    database and checked again, then swapped in by name; the database it replaces renamed and kept. RestoreError,
    nothing changed, when anything fails or someone is connected."""
    backup = Path(backup).expanduser()
    manifest = read_manifest(backup)
    summary = _summary(backup, manifest, tuple(_file_findings(backup, manifest)) if manifest else
                       (f"“{backup}” không phải thư mục sao lưu (không có {MANIFEST_FILE}).",))
    if summary.findings:
        raise RestoreError(f"Bản sao lưu {summary.name} không đạt kiểm tra nên chưa khôi phục gì: "
                           f"{summary.findings[0]}")
    current = server.dbname
    admin = admin_row(server, by)
    if admin is not None and not _is_admin(admin):
        raise RestoreError(not_admin(by))
    _refuse_if_connected(server)
    try:
        major = pg_dump.server_major(server)[0] if admin is not None else \
            pg_dump.server_major(server.on(pg_dump.MAINTENANCE_DATABASES[0]))[0]
        target = pg_dump.derived_name(current, f"{RESTORE_INFIX}{os.getpid()}")
        pg_dump.drop_database(server, target)
        copy = pg_dump.create_database(server, target)
    except NotPermitted as exc:
        raise RestoreError(f"Chưa khôi phục: tài khoản “{_role(server)}” không được tạo cơ sở dữ liệu mới trên máy "
                           "chủ (cần quyền CREATEDB) để khôi phục vào đó trước khi đổi tên.") from exc
    except PgToolError as exc:
        raise RestoreError(f"Chưa khôi phục: {exc}") from exc
    try:
        findings = _restored_findings(copy, backup / DUMP_FILE, manifest, major)
        if findings:
            raise RestoreError(f"Bản sao lưu {summary.name} không đạt kiểm tra nên chưa khôi phục gì: {findings[0]}")
        if admin is None and not _is_admin(admin_row(copy, by)):  # the current database could not be read
            raise RestoreError(not_admin(by))
        _refuse_if_connected(server)
        aside = pg_dump.derived_name(current, f"{ASIDE_INFIX}{now:%Y%m%d_%H%M%S}")
        existed = pg_dump.exists(server, current)
        pg_dump.swap_in(server, current, aside, target)
    except NotPermitted as exc:
        _drop_quietly(server, target)
        raise RestoreError(f"Chưa khôi phục: tài khoản “{_role(server)}” không được đổi tên cơ sở dữ liệu (cần là "
                           "chủ sở hữu và có quyền CREATEDB).") from exc
    except PgToolError as exc:
        _drop_quietly(server, target)
        raise RestoreError(f"Chưa khôi phục: {exc}. Cơ sở dữ liệu đang dùng chưa bị thay đổi.") from exc
    except BaseException:
        _drop_quietly(server, target)
        raise
    return CentreRestored(summary, current, aside if existed else None)


def _drop_quietly(server: Server, name: str) -> None:
    with suppress(Exception):
        pg_dump.drop_database(server, name)


def server_for(url: str, password: str | None) -> Server:
    """The centre's database as the programs reach it (the command line's restore, before anything is opened)."""
    return Server(pg_dump.strip_password(url), password)


def check_reachable(server: Server) -> None:
    """Connect to the server's maintenance database and leave (a restore's target may be missing or damaged):
    CentreUnreachable, in one Vietnamese sentence with its kind, when the server refuses or is not there."""
    import psycopg

    from counter.office import connection

    for name in pg_dump.MAINTENANCE_DATABASES:
        try:
            server.on(name).connect().close()
            return
        except psycopg.Error as e:
            reason = connection.explain(e, server.url)
            if reason.kind != connection.NO_DATABASE:
                raise reason from e


@bound
def record(ctx: AppContext, restored: CentreRestored) -> None:
    """The restore in the restored database's audit log (the replaced database's log stays in it, renamed)."""
    backup = restored.backup
    with ctx.transaction():  # the mark and the audit row together
        code_ledger.mark_restored(ctx)  # no number trusted on a PC without its entry until resumed
        audit.record(ctx, "restore",
                     f"Khôi phục bản sao lưu {backup.name} ({backup.counts.get('dossiers', 0)} hồ sơ, lập "
                     f"{backup.created_at}) vào cơ sở dữ liệu chung “{restored.database}”; cơ sở dữ liệu trước đó giữ "
                     f"với tên “{restored.aside or 'không có'}”.",
                     detail={"backup": str(backup.path), "created_at": backup.created_at, "counts": backup.counts,
                             "last_codes": backup.last_codes, "aside": restored.aside or ""})


# Databases set aside by restores ---------------------------------------------------------------------


ASIDE_STAMP = re.compile(r"\d{8}_\d{6}", re.ASCII)


@dataclass(frozen=True)
class ReplacedDatabase:
    """A database a restore of the centre set aside (`<db>_truoc_khoi_phuc_<YYYYmmdd_HHMMSS>`)."""

    name: str
    replaced_at: datetime  # the restore's time (Vietnam), read from the name
    size: int  # bytes on the server
    dossiers: int | None  # None when it cannot be read
    connections: int  # sessions connected to it now


def replaced_at(current: str, name: str) -> datetime | None:
    """When the restore that set `name` aside ran, if `name` is exactly what `restore_centre` names the database
    `current` it replaces (the same cut of a long name); None for any other name, `current` itself included."""
    _, infix, stamp = name.rpartition(ASIDE_INFIX)
    if not infix or name == current or not ASIDE_STAMP.fullmatch(stamp):
        return None
    if pg_dump.derived_name(current, f"{ASIDE_INFIX}{stamp}") != name:
        return None
    try:
        return datetime.strptime(stamp, "%Y%m%d_%H%M%S").replace(tzinfo=VN_TZ)
    except ValueError:  # a date no calendar has
        return None


def replaced_databases(ctx: AppContext) -> list[ReplacedDatabase]:
    """The databases restores set aside for the centre's database in use, oldest first."""
    server = Server.of(ctx.database)
    found = []
    for name, size in pg_dump.database_sizes(server).items():
        when = replaced_at(server.dbname, name)
        if when is not None:
            connections = len(pg_dump.sessions(server, name))  # before this reads it: its own connection not counted
            found.append(ReplacedDatabase(name, when, size, _dossiers(server.on(name)), connections))
    return sorted(found, key=lambda d: (d.replaced_at, d.name))


def _dossiers(server: Server) -> int | None:
    try:
        with server.connect() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM dossier").fetchone()[0])
    except Exception:  # psycopg's: damaged, not the app's, or not ours to read; listed all the same
        return None


def _holds(database: ReplacedDatabase) -> str:
    held = f"{database.dossiers} hồ sơ" if database.dossiers is not None else "không đọc được số hồ sơ"
    return f"{size_text(database.size)}, {held}"


def describe_replaced(database: ReplacedDatabase) -> str:
    """One line for the administrator: the name, when it was set aside, what it holds."""
    line = (f"{database.name}: để riêng khi khôi phục lúc {database.replaced_at:%H:%M:%S ngày %d/%m/%Y}, "
            f"{_holds(database)}")
    return line + (f", đang có {database.connections} kết nối" if database.connections else "")


@bound
def drop_replaced(ctx: AppContext, name: str) -> ReplacedDatabase:
    """Drop the database `name` a restore set aside (administrators): ValidationError, nothing dropped, for a name
    that is not one (`replaced_at`) or that the server does not hold; RestoreError while anyone is connected to it
    or when the role may not drop it. Recorded in the audit log of the database in use."""
    server = Server.of(ctx.database)
    _refuse_if_in_use(server, _checked_name(ctx, name))  # at once: the server's own check waits 5 s first
    found = find_replaced(ctx, name)
    try:
        pg_dump.drop_unused_database(server, found.name)  # a connection made meanwhile still refuses it
    except NotPermitted as exc:
        raise RestoreError(f"Chưa xóa: tài khoản “{_role(server)}” không được xóa cơ sở dữ liệu “{found.name}” (cần "
                           "là chủ sở hữu của nó).") from exc
    except PgToolError as exc:
        _refuse_if_in_use(server, found.name)
        raise RestoreError(f"Chưa xóa cơ sở dữ liệu “{found.name}”: {exc}.") from exc
    audit.record(ctx, "restore", f"Xóa cơ sở dữ liệu “{found.name}” để riêng khi khôi phục lúc "
                 f"{found.replaced_at:%H:%M:%S ngày %d/%m/%Y} ({_holds(found)}).",
                 detail={"dropped": found.name, "replaced_at": found.replaced_at.isoformat(), "size": found.size,
                         "dossiers": found.dossiers})
    return found


def find_replaced(ctx: AppContext, name: str) -> ReplacedDatabase:
    """The database `name` a restore set aside, for an administrator about to drop it: ValidationError for a name
    that is not one (`replaced_at`: never the database in use) or that the server does not hold."""
    name = _checked_name(ctx, name)
    found = next((d for d in replaced_databases(ctx) if d.name == name), None)
    if found is None:
        raise ValidationError(f"Máy chủ không có cơ sở dữ liệu “{name}” (hoặc tài khoản này không được kết nối tới "
                              "nó). Danh sách: main.py replaced-database list.")
    return found


def _checked_name(ctx: AppContext, name: str) -> str:
    """`name`, when an administrator acts and it is of the pattern (`replaced_at`); else the error that says so."""
    require_role(ctx, ADMINS, "xóa cơ sở dữ liệu để riêng khi khôi phục")
    current = Server.of(ctx.database).dbname
    name = name.strip()
    if replaced_at(current, name) is None:
        raise ValidationError(f"“{name}” không phải cơ sở dữ liệu để riêng khi khôi phục “{current}” (tên dạng "
                              f"{current}{ASIDE_INFIX}NămThángNgày_GiờPhútGiây): không xóa. Danh sách: main.py "
                              "replaced-database list.")
    return name


def _refuse_if_in_use(server: Server, name: str) -> None:
    others = pg_dump.sessions(server, name)
    if others:
        raise RestoreError(f"Chưa xóa: còn {len(others)} kết nối tới cơ sở dữ liệu “{name}” — "
                           f"{connected_text(others)}. Hãy đóng các kết nối đó rồi xóa lại.")
