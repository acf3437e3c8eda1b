"""The last dossier code each workstation number issued here, in a small file beside the database
(`issued.json`: {"0": {"instance_id": …, "last_code": …, "days": {"260213": last code of that day, …}}}).

A database restored from an older backup, or a fresh one made after a disk fault, has lost the codes
issued since: it would issue them again, and the province would take the second citizen's dossier as
an update of the first's. The ledger survives a restore of the database file, so before a code is
issued the database must still hold the code the ledger names, and be the database (instance id)
that issued it. Otherwise receiving stops with a clear message until the workstation is given a new
number (a block with no code in the ledger), or an administrator confirms the
database after checking with the province (DESIGN.md). Accepting it sets the database's code counters
past every code the ledger names (the last code of each of the last DAYS_KEPT days it issued on), so numbering
continues after them, never at or before one already handed out.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from counter import audit
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import CounterError
from counter.office import codes
from counter.office.profile import get_office
from db.migrate import instance_id
from db.models import Dossier
from db.private import open_private

log = logging.getLogger(__name__)

FILE_NAME = "issued.json"
DAYS_KEPT = 62  # the last code of each of this many days (a restore older than that is refused anyway)


class DatabaseBehindCodes(CounterError):
    """The database does not hold the last code this workstation issued: issuing more could repeat one."""


def ledger_path(ctx: AppContext) -> Path:
    return ctx.data_dir / FILE_NAME


def read_ledger(ctx: AppContext) -> dict[str, Any] | None:
    """The ledger as the file holds it (JSON: workstation number → entry), None when missing or unreadable."""
    try:
        ledger = json.loads(ledger_path(ctx).read_text(encoding="utf-8"))
        if not isinstance(ledger, dict):
            raise ValueError("not an object")
        return ledger
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # a damaged ledger must not stop the counter: it is rewritten
        log.warning("unreadable code ledger %s: %s", ledger_path(ctx), exc)
        return None


@bound
def check_can_issue(ctx: AppContext, workstation: int) -> None:
    """Refuse to issue codes from a database that is behind this workstation's last issued code."""
    entry = (read_ledger(ctx) or {}).get(str(workstation))
    if not entry or not entry.get("last_code"):
        return
    code = entry["last_code"]
    same_database = entry.get("instance_id") == instance_id(ctx.database)
    if same_database and Dossier.select().where(Dossier.code == code).exists():
        return
    why = ("là bản khôi phục cũ hơn" if same_database
           else "không phải cơ sở dữ liệu đã cấp mã trên máy này (có thể vừa tạo lại hoặc chép từ máy khác)")
    raise DatabaseBehindCodes(
        f"Chưa tiếp nhận được: máy này đã cấp mã hồ sơ {code}, nhưng cơ sở dữ liệu đang mở không có hồ sơ đó — "
        f"cơ sở dữ liệu {why}. Cấp tiếp có thể trùng mã đã giao cho công dân. Quản trị viên hãy đổi số máy "
        "tiếp nhận (Quản trị, hoặc main.py settings set workstation N), hoặc đối chiếu với hệ thống tỉnh rồi "
        "xác nhận bằng main.py accept-database.")


@bound
def record_issued(ctx: AppContext, code: str, workstation: int) -> None:
    """After the commit: `code` is the newest this workstation issued. Best effort (the dossier stands)."""
    ledger = read_ledger(ctx) or {}
    before = ledger.get(str(workstation))
    days = dict(before.get("days") or {}) if isinstance(before, dict) else {}
    if codes.is_dossier_code(code):
        day = code[-11:-5]
        days[day] = codes.later_code(str(days.get(day) or ""), code)
    kept = dict(sorted(days.items())[-DAYS_KEPT:])
    ledger[str(workstation)] = {"instance_id": instance_id(ctx.database), "last_code": code, "days": kept}
    write_ledger(ctx, ledger)


def _codes_named(ledger: dict[str, Any]) -> list[str]:
    """Every code the ledger names as issued: each workstation's last one and each day's last one."""
    named = []
    for entry in ledger.values():
        if isinstance(entry, dict):
            named.append(str(entry.get("last_code") or ""))
            days = entry.get("days")
            named += [str(code) for code in days.values()] if isinstance(days, dict) else []
    return [code for code in named if codes.is_dossier_code(code)]


@bound
def accept_database(ctx: AppContext) -> tuple[str | None, Changes]:
    """The administrator confirms the open database (checked with the province): it issues codes again, each
    after every code the ledger names as handed out (those the database lost in a restore are never issued a
    second time). Returns the code this workstation's numbering continues after (None when none was issued),
    and the change: the ledger is part of how this machine is set up."""
    workstation = get_office(ctx).workstation
    ledger = read_ledger(ctx) or {}
    issued = _codes_named(ledger)
    with ctx.transaction():
        for code in issued:
            codes.continue_after(ctx, code)
        row = Dossier.select(Dossier.code).where(Dossier.workstation == workstation) \
            .order_by(Dossier.id.desc()).first()
    newest = row.code if row else ""
    entry = ledger.get(str(workstation))
    lost = str(entry.get("last_code") or "") if isinstance(entry, dict) else ""
    record_issued(ctx, newest, workstation)  # the database holds it: the check above passes again
    after = codes.later_code(newest, lost if codes.is_dossier_code(lost) else "")
    log.warning("database %s accepted; codes continue after %s", ctx.db_path, after or "none")
    audit.record(ctx, "accept_database",
                 f"Xác nhận cơ sở dữ liệu {ctx.db_path.name} để cấp tiếp mã hồ sơ của máy số {workstation} sau "
                 f"{after or 'mã đầu tiên của ngày'}.",
                 detail={"workstation": workstation, "last_code": after, "instance_id": instance_id(ctx.database),
                         "path": str(ctx.db_path)})
    return (after or None), Changes(settings=True)


STRAY_AFTER_SECONDS = 60.0  # writing the ledger takes milliseconds: a temporary file this old was left behind


def remove_stray_temp_files(data_dir: Path, now: float | None = None) -> list[Path]:
    """Remove the `issued.json.PID.tmp` files a process killed while writing the ledger left behind (those of a
    process that no longer runs, or older than a minute); the ledger itself is whole either way (`os.replace`)."""
    removed = []
    now = time.time() if now is None else now
    for tmp in data_dir.glob(f"{FILE_NAME}.*.tmp"):
        pid = tmp.name[len(FILE_NAME) + 1:-len(".tmp")]
        try:
            stale = now - tmp.stat().st_mtime > STRAY_AFTER_SECONDS or not _running(int(pid))
            if stale:
                tmp.unlink()
                removed.append(tmp)
        except (OSError, ValueError):
            continue
    if removed:
        log.info("removed %d temporary code-ledger file(s) left by an interrupted write", len(removed))
    return removed


def _running(pid: int) -> bool:
    """Whether process `pid` runs (POSIX; elsewhere assumed running, so only the age removes its file)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_ledger(ctx: AppContext, data: dict[str, Any]) -> None:
    path = ledger_path(ctx)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(open_private(tmp), "w", encoding="utf-8") as f:  # 0600: who was served when is private
            json.dump(data, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # whole or not at all, even when the power fails
    except OSError as exc:
        log.warning("could not write the code ledger %s: %s", path, exc)
        tmp.unlink(missing_ok=True)
