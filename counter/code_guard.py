"""Resuming a workstation's numbering on a database this PC does not trust to issue it (issue 18).

After a restore, on a new PC, or when a database was made afresh, the open database may not hold every code this
workstation number handed out (counter.office.code_ledger refuses to issue then). The administrator resumes the
numbering here, and the answer never comes from a file a restore brings back:

1. the province is asked (`TraCuuHoSo`) for this workstation's codes after the last one the database counts, on
   each day from the database's newest code to today, number after number until GAP in a row are unknown (a
   dossier received just before the PC died may never have reached the province, and the next one may have);
2. when the province cannot be asked (no settings, no network, an answer that is not the province's), the
   administrator types the code on the last receipt this workstation printed, or states that it issued none
   beyond what the database holds;
3. the codes this PC's ledger names for the number count too (they outlive the data folder).

The database's counters are set past every one of them (codes.continue_after), this PC's ledger names the
database as the one issuing the number, and the audit log records who resumed it, after which code and how.
The dossiers the province holds and the database lost are named, so the office can re-enter or pull them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from counter import audit
from counter.changes import Changes
from counter.clock import local
from counter.context import AppContext, bound
from counter.errors import CounterError, Field, ValidationError
from counter.office import code_ledger, codes
from counter.office.profile import get_office
from counter.office.roles import ADMINS, require_role
from db.models import CodeCounter

log = logging.getLogger(__name__)

GAP = 3  # unknown numbers in a row that end the search of a day
DAYS_ASKED = 62  # at most this many days back from today (the ledger keeps as many)


class ProvinceNotAsked(CounterError):
    """The province could not be asked and the administrator has not typed the last printed code."""


@dataclass(frozen=True)
class Resumed:
    continues_after: str | None  # the code the numbering continues after (None: the day's first code)
    asked_province: bool
    province_codes: tuple[str, ...] = ()  # codes the province holds that the database does not
    typed: str | None = None
    province_error: str = ""  # why the province could not be asked ("" when it was)


@bound
def resume_numbering(ctx: AppContext, typed: str | None = None, *, none_issued: bool = False,
                     ask_province: bool = True) -> tuple[Resumed, Changes]:
    """Resume this workstation's numbering after every code handed out that the province, the administrator or
    this PC's ledger knows of. Raises ProvinceNotAsked when the province cannot be asked and neither `typed` nor
    `none_issued` is given; ValidationError for a typed code that is not this workstation's."""
    require_role(ctx, ADMINS, "cấp mã tiếp sau khi khôi phục")
    office = get_office(ctx)
    workstation = office.workstation
    if typed:
        typed = _check_typed(typed.strip(), office.agency_id, workstation)
    newest = code_ledger.newest_code(ctx, workstation)
    found: list[str] = []
    error = "không hỏi hệ thống tỉnh" if not ask_province else ""
    if ask_province:
        try:
            found = _ask_province(ctx, office.agency_id, workstation, newest)
        except CounterError as exc:
            error = str(exc)
    if error and not typed and not none_issued:
        raise ProvinceNotAsked(
            f"Không hỏi được hệ thống tỉnh: {error} Hãy nhập mã hồ sơ in trên phiếu tiếp nhận cuối cùng của máy "
            f"số {workstation} (mã cuối trong cơ sở dữ liệu: {newest or 'chưa có'}), hoặc xác nhận máy chưa cấp "
            "mã nào khác.")
    known = [*found, *([typed] if typed else []), *code_ledger.codes_named(ctx, workstation)]
    with ctx.transaction():
        for code in known:
            codes.continue_after(ctx, code)
        code_ledger.mark_resumed(ctx, workstation)  # after a restore: this number may be registered again
    after = newest
    for code in known:
        after = codes.later_code(after, code)
    code_ledger.adopt(ctx, workstation, after, known)
    result = Resumed(continues_after=after or None, asked_province=not error, province_codes=tuple(found),
                     typed=typed, province_error=error)
    _record(ctx, workstation, result, none_issued)
    return result, Changes(settings=True)


def _check_typed(code: str, agency_id: str, workstation: int) -> str:
    if not codes.is_dossier_code(code):
        raise ValidationError(f"“{code}” không phải mã hồ sơ (dạng {agency_id}-yyMMdd-NNNN).", Field.DOSSIER_CODE)
    if not code.startswith(f"{agency_id}-"):
        raise ValidationError(f"Mã {code} không phải của cơ quan {agency_id}.", Field.DOSSIER_CODE)
    first, last = codes.block(workstation)
    if not first <= int(code[-4:]) <= last:
        raise ValidationError(f"Mã {code} không thuộc máy số {workstation} (số thứ tự từ {first:04d} đến {last:04d}).",
                              Field.DOSSIER_CODE)
    return code


def _ask_province(ctx: AppContext, agency_id: str, workstation: int, newest: str) -> list[str]:
    """The codes of this workstation the province holds after the database's counter, day by day."""
    from counter.sync import dialects, settings
    from counter.sync.errors import SyncError

    config = settings.require(ctx)  # SettingsMissing names what is not set
    found: list[str] = []
    try:
        with dialects.connect(config) as client:
            client.login()
            for day in _days(ctx, workstation, newest):
                found += _ask_day(ctx, client, agency_id, day, workstation)
    except SyncError as exc:
        raise CounterError(str(exc)) from exc
    return found


def _days(ctx: AppContext, workstation: int, newest: str) -> list[date]:
    """From the day of the database's newest code of this workstation (or of the ledger's) to today."""
    today = local(ctx.clock.now()).date()
    start = today
    for code in [newest, *code_ledger.codes_named(ctx, workstation)]:
        if codes.is_dossier_code(code):
            day = date(2000 + int(code[-11:-9]), int(code[-9:-7]), int(code[-7:-5]))
            start = min(start, day)
    start = max(start, today - timedelta(days=DAYS_ASKED))
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


def _ask_day(ctx: AppContext, client: object, agency_id: str, day: date, workstation: int) -> list[str]:
    from counter.sync.client import ProvinceClient
    assert isinstance(client, ProvinceClient)
    first, last = codes.block(workstation)
    row = CodeCounter.get_or_none((CodeCounter.agency_id == agency_id) & (CodeCounter.day == f"{day:%y%m%d}")
                                  & (CodeCounter.workstation == workstation))
    seq = (row.last_seq if row is not None else first - 1) + 1
    found, unknown = [], 0
    while seq <= last and unknown < GAP:
        code = f"{agency_id}-{day:%y%m%d}-{seq:04d}"
        if client.lookup(code) is None:
            unknown += 1
        else:
            found.append(code)
            unknown = 0
        seq += 1
    return found


def _record(ctx: AppContext, workstation: int, result: Resumed, none_issued: bool) -> None:
    if result.asked_province:
        how = (f"hệ thống tỉnh có {len(result.province_codes)} mã cơ sở dữ liệu không có"
               if result.province_codes else "hệ thống tỉnh không có mã nào sau mã cuối của cơ sở dữ liệu")
    elif result.typed:
        how = f"không hỏi được hệ thống tỉnh ({result.province_error}); quản trị viên nhập mã cuối {result.typed}"
    else:
        how = f"không hỏi được hệ thống tỉnh ({result.province_error}); quản trị viên xác nhận máy không cấp thêm mã"
    after = result.continues_after or "mã đầu tiên của ngày"
    log.warning("numbering of workstation %s resumed after %s (%s)", workstation, after, how)
    audit.record(ctx, "accept_database", f"Cấp tiếp mã hồ sơ của máy số {workstation} sau {after}: {how}.",
                 detail={"workstation": workstation, "last_code": result.continues_after,
                         "asked_province": result.asked_province, "province_codes": list(result.province_codes),
                         "typed": result.typed, "none_issued": none_issued, "province_error": result.province_error,
                         "path": str(ctx.db_path)})
