"""Dossier codes `{agency id}-{yyMMdd}-{NNNN}` with one block of 1,000 numbers per workstation.

Workstation w owns w000–w999 (workstation 0 starts at 0001), so counters that never talk to each
other never issue the same code. Allocation runs inside the caller's transaction: on SQLite an IMMEDIATE one (the
file's write lock), on PostgreSQL with the day's counter row locked FOR UPDATE; the unique index on dossier.code
backs both up.
"""

from __future__ import annotations

import re
from datetime import datetime

from counter.clock import local
from counter.context import AppContext, bound
from counter.errors import CodeBlockExhausted, Field, ValidationError
from counter.text import ascii_digits
from db.models import CodeCounter, Dossier

CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}\Z", re.ASCII)
AGENCY_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}\Z", re.ASCII)
CODE_IN_TEXT = re.compile(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}", re.ASCII)


def is_dossier_code(text: str) -> bool:
    """The national shape, with a reception date that exists (a misread digit often makes month 13)."""
    text = text.strip()
    if not CODE_RE.match(text):
        return False
    try:
        datetime.strptime(text[-11:-5], "%y%m%d")
    except ValueError:
        return False
    return True


def code_in_lookup_address(text: str) -> str | None:
    """The dossier code inside a scanned look-up address (the QR beside Mẫu 01's barcode holds the office's
    look-up URL with the code in it), or None."""
    text = text.strip()
    if "://" not in text:
        return None
    found = CODE_IN_TEXT.search(text.upper())
    return found.group(0) if found and is_dossier_code(found.group(0)) else None


def has_impossible_date(text: str) -> bool:
    """The code's shape, but a reception date no calendar has."""
    return bool(CODE_RE.match(text.strip())) and not is_dossier_code(text)


def validate_agency_id(agency_id: str) -> str:
    """The agency id as the codes, the barcode and the province carry it: ASCII digits and one capital letter."""
    ascii_digits(agency_id, "Mã định danh cơ quan", Field.AGENCY_ID)
    if not AGENCY_RE.match(agency_id):
        raise ValidationError(f"Mã định danh cơ quan “{agency_id}” không đúng dạng 000.00.00.H00.")
    return agency_id


def validate_workstation(number: int) -> int:
    if not 0 <= number <= 9:
        raise ValidationError(f"Số máy tiếp nhận phải từ 0 đến 9 (đã nhập {number}).")
    return number


def block(workstation: int) -> tuple[int, int]:
    """First and last sequence number a workstation may issue in a day."""
    return max(1, workstation * 1000), workstation * 1000 + 999


@bound
def allocate_code(ctx: AppContext, agency_id: str, workstation: int, received_at: datetime) -> str:
    """Next free code for the day; call inside a write transaction."""
    day = local(received_at).strftime("%y%m%d")
    first, last = block(workstation)
    # The day's counter moved on by one in a single statement, created at the block's first number when missing
    # (the unique index on agency, day and workstation is the conflict). On PostgreSQL the upsert locks the row
    # until this transaction ends (another window creating it meanwhile is waited for, then updated): a second
    # window of this workstation waits here and gets the number after this one's. SQLite's IMMEDIATE transaction
    # already holds the whole file.
    taken = (CodeCounter.insert(agency_id=agency_id, day=day, workstation=workstation, last_seq=first)
             .on_conflict(conflict_target=[CodeCounter.agency_id, CodeCounter.day, CodeCounter.workstation],
                          update={CodeCounter.last_seq: CodeCounter.last_seq + 1})
             .returning(CodeCounter.last_seq).execute())
    seq = next(iter(taken)).last_seq
    moved = seq
    prefix = f"{agency_id}-{day}-"
    # A counter row lost to a restored backup must not re-issue a code this file still holds.
    while seq <= last and Dossier.select().where(Dossier.code == f"{prefix}{seq:04d}").exists():
        seq += 1
    if seq > last:
        raise CodeBlockExhausted(
            f"Máy tiếp nhận số {workstation} đã dùng hết {last - first + 1} mã hồ sơ của ngày "
            f"{local(received_at):%d/%m/%Y} (từ {first:04d} đến {last:04d}). "
            "Hãy tiếp nhận trên máy khác hoặc nhờ quản trị cấp số máy khác."
        )
    if seq != moved:
        key = (CodeCounter.agency_id == agency_id) & (CodeCounter.day == day) & (CodeCounter.workstation == workstation)
        CodeCounter.update(last_seq=seq).where(key).execute()
    return f"{prefix}{seq:04d}"


def _order(code: str) -> tuple[str, int]:
    """A code's place in time on its workstation: (day yyMMdd, sequence number)."""
    return code[-11:-5], int(code[-4:])


def later_code(first: str, second: str) -> str:
    """Of two codes, the one issued later (by day, then number); an empty one counts as none."""
    if not first or not second:
        return first or second
    return max(first, second, key=_order)


@bound
def continue_after(ctx: AppContext, code: str) -> None:
    """The counter of `code`'s agency, day and workstation block stands at least at `code`'s number, so the next
    code of that day is issued after it (a database accepted after a restore: its counter is older than the
    codes handed out). Call inside a write transaction; a text that is not a dossier code is ignored."""
    if not is_dossier_code(code):
        return
    agency_id, day, seq = code[:-12], code[-11:-5], int(code[-4:])
    workstation = seq // 1000  # block w holds w000–w999
    counter = CodeCounter.get_or_none(
        (CodeCounter.agency_id == agency_id) & (CodeCounter.day == day) & (CodeCounter.workstation == workstation)
    )
    if counter is None:
        CodeCounter.create(agency_id=agency_id, day=day, workstation=workstation, last_seq=seq)
    elif counter.last_seq < seq:  # checked again in the update: on PostgreSQL a code issued meanwhile is seen
        CodeCounter.update(last_seq=seq).where((CodeCounter.id == counter.id) & (CodeCounter.last_seq < seq)).execute()


@bound
def counted(ctx: AppContext, code: str) -> bool:
    """Whether the database's counter of `code`'s day and workstation block stands at or past it: the code was
    issued from this database, or numbering was resumed after it (`continue_after`). A restored older database
    has a lower counter, or none."""
    if not is_dossier_code(code):
        return False
    agency_id, day, seq = code[:-12], code[-11:-5], int(code[-4:])
    counter = CodeCounter.get_or_none(
        (CodeCounter.agency_id == agency_id) & (CodeCounter.day == day) & (CodeCounter.workstation == seq // 1000)
    )
    return counter is not None and counter.last_seq >= seq
