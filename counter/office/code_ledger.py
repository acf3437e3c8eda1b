"""The last dossier code each workstation number issued on this PC, kept outside the data folder.

A database restored from an older backup, or a fresh one made after a disk fault, has lost the codes issued
since: it would issue them again, and the province would hold two citizens' dossiers under one code. So this
PC notes every code it hands out in a small file of its own (`issued-codes.json` in the machine folder,
`machine_dir()`: the user's state folder, not the data folder), keyed by agency id and workstation number:
{"000.00.06.H56": {"0": {"instance_id": …, "last_code": …, "days": {"260213": last code of that day, …}}}}.

The file is never in a backup and a restore never brings it back (copying a whole data folder back does not
either), which is the point: before a code is issued, this PC's file must name the open database (instance id)
as the one issuing for that number, and the database's counter must stand at or past the last code the file
names (codes.counted: it issued that code, or its numbering was resumed after it). Otherwise
receiving stops with a clear message until an administrator resumes the numbering (counter.code_guard: the
province is asked which codes of this number exist, or the administrator types the last printed one).

A number is registered for a database when the office is set up or its number or agency id changes
(counter.office.profile.save_office), or in office mode when this PC claims it, and this PC has no entry for it. A
database this PC never registered — restored on a new PC, copied in from another one — is not trusted until the
numbering is resumed. The demonstration database is never refused: its codes are made up and reach no citizen.

A restore marks the database it puts in place (`mark_restored`, a Meta row): until a number's numbering is resumed
(counter.code_guard → `mark_resumed`), no PC without an entry for that database registers it for that number. In
office mode the PC that issued a number's codes after the backup may be gone (a new PC takes its released number) or
have lost its ledger (reinstalled): the centre's database alone does not know those codes, so the new holder is
refused until the province or the administrator says where the numbering stands — as a restored file on a new PC is.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import platformdirs

from counter import APP_ID, processes
from counter.context import AppContext, bound
from counter.errors import CounterError
from counter.office import codes
from counter.office.read_once import instance_id, office_row
from db.models import Dossier, Meta
from db.private import open_private, private_dir

log = logging.getLogger(__name__)

FILE_NAME = "issued-codes.json"
LEGACY_FILE_NAME = "issued.json"  # before issue 18 the ledger sat in the data folder, where a restore brings it back
MACHINE_DIR_ENV = "QMC_MACHINE_DIR"  # tests and portable installs point the machine folder elsewhere
DAYS_KEPT = 62  # the last code of each of this many days (a restore older than that is refused anyway)


class DatabaseBehindCodes(CounterError):
    """The database is not known to issue this workstation's codes here: issuing more could repeat one."""


def machine_dir() -> Path:
    """This PC's own folder for what must outlive the data folder: on Linux the user's state folder
    (~/.local/state/quay-mot-cua), on Windows the roaming application-data folder (the data folder is the local
    one, so the two never coincide)."""
    override = os.environ.get(MACHINE_DIR_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(platformdirs.user_config_dir(APP_ID, appauthor=False, roaming=True))
    return Path(platformdirs.user_state_dir(APP_ID, appauthor=False))


def ledger_path() -> Path:
    return machine_dir() / FILE_NAME


def _read_all() -> dict[str, Any]:
    try:
        ledger = json.loads(ledger_path().read_text(encoding="utf-8"))
        if not isinstance(ledger, dict):
            raise ValueError("not an object")
        return ledger
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:  # a damaged ledger must not crash the counter; the guard then asks
        log.warning("unreadable code ledger %s: %s", ledger_path(), exc)
        return {}


def _office(ctx: AppContext) -> tuple[str, int]:
    row = office_row(ctx)
    return (row.agency_id or "", row.workstation) if row is not None else ("", 0)


def _is_demo(ctx: AppContext) -> bool:
    row = office_row(ctx)
    return row is not None and bool(row.demo)


@bound
def read_ledger(ctx: AppContext) -> dict[str, Any] | None:
    """This office's entries (workstation number → entry) as the file holds them, None when it has none."""
    agency, _ = _office(ctx)
    entries = _read_all().get(agency)
    return entries if isinstance(entries, dict) and entries else None


def _entry(ctx: AppContext, workstation: int) -> dict[str, Any] | None:
    entry = (read_ledger(ctx) or {}).get(str(workstation))
    return entry if isinstance(entry, dict) else None


@bound
def check_can_issue(ctx: AppContext, workstation: int) -> None:
    """Refuse to issue codes from a database this PC does not know to be the one issuing them for this number.
    The demonstration's codes are made up and reach no citizen: it is not refused. In office mode this PC must
    hold its workstation number first (counter.office.workstations.require_number)."""
    from counter.office import workstations  # it imports this module

    workstations.require_number(ctx)
    if _is_demo(ctx):
        return
    entry = _entry(ctx, workstation)
    this = instance_id(ctx.database)
    if entry is not None and entry.get("instance_id") == this:
        code = str(entry.get("last_code") or "")
        if not code or codes.counted(ctx, code):
            return
        raise DatabaseBehindCodes(_refusal(workstation, f"máy này đã cấp mã hồ sơ {code}, nhưng cơ sở dữ liệu "
                                                        "đang mở không có hồ sơ đó — đây là bản khôi phục cũ hơn"))
    if entry is not None and entry.get("last_code"):
        why = (f"máy này đã cấp mã hồ sơ {entry['last_code']}, nhưng cơ sở dữ liệu đang mở không phải cơ sở dữ "
               "liệu đã cấp mã trên máy này (có thể vừa tạo lại, khôi phục hoặc chép từ máy khác)")
    else:
        why = ("cơ sở dữ liệu đang mở chưa từng cấp mã trên máy này (vừa khôi phục, chép từ máy khác hoặc "
               "tạo lại)")
    raise DatabaseBehindCodes(_refusal(workstation, why))


def _refusal(workstation: int, why: str) -> str:
    return (f"Chưa tiếp nhận được: {why}. Cấp tiếp mã của máy số {workstation} có thể trùng mã đã giao cho công "
            "dân. Hãy báo quản trị viên: Quản trị → “Cấp mã tiếp…” (hoặc main.py accept-database) sẽ hỏi hệ thống "
            "tỉnh các mã đã có, hoặc nhập mã trên phiếu tiếp nhận cuối cùng đã in.")


@bound
def record_issued(ctx: AppContext, code: str, workstation: int) -> None:
    """After the commit: `code` is the newest this workstation issued. Best effort (the dossier stands)."""
    entry = _entry(ctx, workstation) or {}
    days = dict(entry.get("days") or {}) if isinstance(entry.get("days"), dict) else {}
    if codes.is_dossier_code(code):
        day = code[-11:-5]
        days[day] = codes.later_code(str(days.get(day) or ""), code)
    _put(ctx, workstation, {"instance_id": instance_id(ctx.database), "last_code": code,
                            "days": dict(sorted(days.items())[-DAYS_KEPT:])})


@bound
def register(ctx: AppContext) -> bool:
    """The open database issues the office's current number on this PC, when this PC has no entry for that
    number. True when it was registered."""
    agency, workstation = _office(ctx)
    workstation = workstation if ctx.workstation is None else ctx.workstation  # office mode: this PC's number
    if not agency or _entry(ctx, workstation) is not None:
        return False
    if not resumed_since_restore(ctx, workstation):
        log.warning("workstation %s not registered on this PC: the database was restored and its numbering not "
                    "resumed yet", workstation)
        return False
    newest = newest_code(ctx, workstation)
    _put(ctx, workstation, {"instance_id": instance_id(ctx.database), "last_code": newest,
                            "days": {newest[-11:-5]: newest} if newest else {}})
    return True


RESTORED_KEY = "numbering_after_restore"  # Meta row: {"restored_at": ISO time, "resumed": [numbers resumed since]}


@bound
def mark_restored(ctx: AppContext) -> None:
    """A restore put the open database in place: no number is registered on a PC without an entry for it until that
    number's numbering is resumed (the module's docstring). Inside the caller's transaction when there is one."""
    value = json.dumps({"restored_at": ctx.clock.now().isoformat(timespec="seconds"), "resumed": []})
    Meta.insert(key=RESTORED_KEY, value=value).on_conflict(conflict_target=[Meta.key],
                                                           update={Meta.value: value}).execute()


@bound
def mark_resumed(ctx: AppContext, workstation: int) -> None:
    """`workstation`'s numbering was resumed on the open database (counter.code_guard): it may be registered again."""
    row = Meta.get_or_none(Meta.key == RESTORED_KEY)
    if row is None:
        return
    mark = _restore_mark(row.value)
    mark["resumed"] = sorted({*mark["resumed"], workstation})
    Meta.update(value=json.dumps(mark)).where(Meta.key == RESTORED_KEY).execute()


@bound
def resumed_since_restore(ctx: AppContext, workstation: int) -> bool:
    """False when a restore put the open database in place and `workstation`'s numbering has not been resumed since."""
    row = Meta.get_or_none(Meta.key == RESTORED_KEY)
    return row is None or workstation in _restore_mark(row.value)["resumed"]


def _restore_mark(value: str) -> dict[str, Any]:
    try:
        mark = json.loads(value)
        resumed = [int(n) for n in mark.get("resumed") or []]
        return {**mark, "resumed": resumed}
    except (ValueError, TypeError, AttributeError):  # damaged by hand: no number counts as resumed
        return {"resumed": []}


@bound
def adopt(ctx: AppContext, workstation: int, last_code: str, issued: list[str]) -> None:
    """The open database issues this number on this PC from now on, its numbering resumed after `last_code`
    (counter.code_guard; the database's counters stand past it and past every code of `issued`)."""
    entry = _entry(ctx, workstation) or {}
    days = dict(entry.get("days") or {}) if isinstance(entry.get("days"), dict) else {}
    for code in [*issued, last_code]:
        if codes.is_dossier_code(code):
            days[code[-11:-5]] = codes.later_code(str(days.get(code[-11:-5]) or ""), code)
    _put(ctx, workstation, {"instance_id": instance_id(ctx.database), "last_code": last_code,
                            "days": dict(sorted(days.items())[-DAYS_KEPT:])})


@bound
def hand_over(ctx: AppContext, source: AppContext, workstation: int) -> bool:
    """`office join`: where this PC's entry for `workstation` names the database of `source` (the counter's file
    just moved into the centre's), it names the open database from now on, its codes kept. True when it did."""
    entry = _entry(source, workstation)
    if entry is None or entry.get("instance_id") != instance_id(source.database):
        return False
    _put(ctx, workstation, {**entry, "instance_id": instance_id(ctx.database)})
    return True


@bound
def newest_code(ctx: AppContext, workstation: int) -> str:
    """The latest code the open database holds for this workstation ("" when none): within one agency id the
    codes sort by day, then number."""
    agency, _ = _office(ctx)
    row = (Dossier.select(Dossier.code)
           .where((Dossier.workstation == workstation) & Dossier.code.startswith(f"{agency}-"))
           .order_by(Dossier.code.desc()).first())
    return row.code if row is not None else ""


@bound
def codes_named(ctx: AppContext, workstation: int) -> list[str]:
    """Every code this PC's file names as issued for this workstation: the last one and each day's last one."""
    entry = _entry(ctx, workstation) or {}
    named = [str(entry.get("last_code") or "")]
    days = entry.get("days")
    named += [str(code) for code in days.values()] if isinstance(days, dict) else []
    return [code for code in named if codes.is_dossier_code(code)]


def _put(ctx: AppContext, workstation: int, entry: dict[str, Any]) -> None:
    agency, _ = _office(ctx)
    ledger = _read_all()
    office = ledger.get(agency)
    ledger[agency] = {**(office if isinstance(office, dict) else {}), str(workstation): entry}
    write_ledger(ledger)


STRAY_AFTER_SECONDS = 60.0  # writing the ledger takes milliseconds: a temporary file this old was left behind


def remove_stray_temp_files(folder: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the ledger's temporary files (`NAME.PID.tmp`) a process killed while writing left behind (those of a
    process that no longer runs, or older than a minute), in the machine folder or `folder`; the ledger itself is
    whole either way (`os.replace`)."""
    folder = machine_dir() if folder is None else folder
    removed = []
    now = time.time() if now is None else now
    for name in (FILE_NAME, LEGACY_FILE_NAME):
        for tmp in folder.glob(f"{name}.*.tmp"):
            pid = tmp.name[len(name) + 1:-len(".tmp")]
            try:
                stale = now - tmp.stat().st_mtime > STRAY_AFTER_SECONDS or not processes.running(int(pid))
                if stale:
                    tmp.unlink()
                    removed.append(tmp)
            except (OSError, ValueError):
                continue
    if removed:
        log.info("removed %d temporary code-ledger file(s) left by an interrupted write", len(removed))
    return removed


def write_ledger(data: dict[str, Any]) -> None:
    path = ledger_path()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        private_dir(path.parent)
        with open(open_private(tmp), "w", encoding="utf-8") as f:  # 0600: who was served when is private
            json.dump(data, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # whole or not at all, even when the power fails
    except OSError as exc:
        log.warning("could not write the code ledger %s: %s", path, exc)
        tmp.unlink(missing_ok=True)
