"""The register — Sổ theo dõi hồ sơ (Mẫu 07): one line per dossier received, in reception order, with the running
number Mẫu 01 printed, for a book or a reception date range, optionally one field (lĩnh vực) or procedure.

Read-only. Two queries whatever the number of lines: the dossiers (with their procedure, their return and who
handed it over), then the history rows the hand-over and note columns come from (no query per dossier)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import JOIN

from counter.clock import VN_TZ, local
from counter.context import AppContext, bound
from counter.dossiers import scope
from counter.errors import ValidationError
from counter.office.codes import validate_workstation
from counter.office.profile import get_office
from counter.reports.records import Register, RegisterLine
from counter.status import Status
from counter.sync.rows import tuples
from counter.text import fold, nfc
from db.models import Dossier, DossierHistory, DossierReturn, Procedure, ProcedureVersion, RegisterCounter, User

# Dossiers the desk did not receive have no line: registered online and not yet received, or refused (Mẫu 03).
NOT_RECEIVED = (int(Status.NEW_ONLINE), int(Status.REFUSED))
# The history rows the register reads: hand-overs, the result coming back, and what the note column tells.
HISTORY_ACTIONS = ("handover", "record_result", "request_supplement", "apologise", "withdraw", "stop",
                   "province_update")
CHANNELS = {2: "Nộp trực tuyến", 3: "Nộp qua dịch vụ bưu chính"}


@dataclass
class _Steps:
    """What one dossier's history gives its line."""

    sent_at: datetime | None = None
    sent_to: str = ""
    result_at: datetime | None = None
    notes: list[str] = field(default_factory=list)


@bound
def known_fields(ctx: AppContext) -> list[tuple[str, str]]:
    """The fields (lĩnh vực) of the catalogue as (code, name), by name."""
    rows = tuples(Procedure.select(Procedure.field_code, Procedure.field).where(Procedure.field != "").distinct())
    pairs: set[tuple[str, str]] = {(code, name) for code, name in rows}
    return sorted(pairs, key=lambda pair: fold(pair[1]))


@bound
def known_books(ctx: AppContext) -> list[str]:
    """The register books this database has numbered dossiers in (and the office's current one)."""
    books: set[str] = {row for (row,) in tuples(RegisterCounter.select(RegisterCounter.book))}
    books |= {row for (row,) in tuples(Dossier.select(Dossier.register_book).where(Dossier.register_book != "")
                                       .distinct())}
    books.add(get_office(ctx).register_book)
    return sorted(books)


@bound
def build_register(ctx: AppContext, *, book: str = "", start: date | None = None, end: date | None = None,
                   field_name: str = "", procedure: str = "", workstation: int | None = None) -> Register:
    """The register of `book` (all its dossiers) or of the dossiers received from `start` to `end` (both days
    included; with a book, within it). `field_name`: a field's name or code; `procedure`: a procedure's code;
    `workstation`: one counter's dossiers (Quầy của tôi), None for the whole centre; in office mode the register
    says which (`scope`), and a centre's has a column naming each line's receiving counter and clerk.
    Bad input is a ValidationError with one Vietnamese sentence; an empty range is an empty register."""
    office = get_office(ctx)
    book = nfc(book)
    if not book and (start is None or end is None):
        raise ValidationError("Hãy chọn quyển sổ, hoặc cả ngày bắt đầu và ngày kết thúc của kỳ.")
    if start is not None and end is not None and end < start:
        raise ValidationError(f"Ngày kết thúc {end:%d/%m/%Y} ở trước ngày bắt đầu {start:%d/%m/%Y}: "
                              "hãy chọn lại kỳ.")
    if workstation is not None:
        validate_workstation(workstation)
    where: list[Any] = [Dossier.status.not_in(NOT_RECEIVED)]
    if workstation is not None:
        where.append(Dossier.workstation == workstation)
    if book:
        known = known_books(ctx)
        if book not in known:
            raise ValidationError(f"Không có quyển sổ “{book}”: các quyển đã có là {', '.join(known)}.")
        where.append(Dossier.register_book == book)
    if start is not None:
        where.append(Dossier.received_at >= datetime.combine(start, time(), VN_TZ))
    if end is not None:
        where.append(Dossier.received_at < datetime.combine(end + timedelta(days=1), time(), VN_TZ))
    field_label = ""
    if field_name:
        code, field_label = _field(ctx, field_name)
        where.append((Procedure.field == field_label) & (Procedure.field_code == code))
    procedure_label = ""
    if procedure:
        row = Procedure.get_or_none(Procedure.code == procedure.strip())
        if row is None:
            raise ValidationError(f"Không có thủ tục mã “{procedure.strip()}” trong danh mục.")
        where.append(Procedure.id == row.id)
        procedure_label = f"{row.code} — {row.name}"
    condition = _all(where)
    lines = _lines(condition)
    if book and start is None and end is None:
        start, end = (local(lines[0].received_at).date(), local(lines[-1].received_at).date()) if lines else (None,
                                                                                                             None)
    books = tuple(sorted({line.book for line in lines if line.book}))
    said = scope.report_scope(ctx, workstation)  # office mode: "Quầy số 3" or "Cả trung tâm"
    return Register(office=office, book=book, books=books, start=start, end=end, field=field_label,
                    procedure=procedure_label, made_at=ctx.clock.now(), lines=tuple(lines), workstation=workstation,
                    scope=said, counter_column=bool(said) and workstation is None)


def _all(conditions: list[Any]) -> Any:
    result = conditions[0]
    for condition in conditions[1:]:
        result &= condition
    return result


def _field(ctx: AppContext, text: str) -> tuple[str, str]:
    """(code, name) of the field `text` names (its name, any case or accents typed, or its code)."""
    wanted = fold(text)
    fields = known_fields(ctx)
    for code, name in fields:
        if wanted in (fold(name), fold(code)) and wanted:
            return code, name
    names = ", ".join(name for _, name in fields[:8]) + (", …" if len(fields) > 8 else "")
    raise ValidationError(f"Không có lĩnh vực “{nfc(text)}” trong danh mục: các lĩnh vực có là {names}.")


def _lines(condition: Any) -> list[RegisterLine]:
    clerk, receiver = User.alias(), User.alias()
    query = (Dossier
             .select(Dossier.id, Dossier.register_book, Dossier.register_number, Dossier.code, Procedure.code,
                     ProcedureVersion.name, Procedure.field, Dossier.sets, Dossier.applicant_name,
                     Dossier.applicant_address, Dossier.applicant_phone, Dossier.received_at, Dossier.due_at,
                     Dossier.status, Dossier.channel, DossierReturn.returned_at, DossierReturn.collector_name,
                     DossierReturn.authorised, clerk.full_name, Dossier.workstation, receiver.full_name)
             .join(Procedure, on=(Dossier.procedure == Procedure.id))
             .switch(Dossier).join(ProcedureVersion, on=(Dossier.procedure_version == ProcedureVersion.id))
             .switch(Dossier).join(DossierReturn, JOIN.LEFT_OUTER, on=(DossierReturn.dossier == Dossier.id))
             .join(clerk, JOIN.LEFT_OUTER, on=(DossierReturn.returned_by == clerk.id))
             .switch(Dossier).join(receiver, JOIN.LEFT_OUTER, on=(Dossier.received_by == receiver.id))
             .where(condition)
             .order_by(Dossier.received_at, Dossier.register_number, Dossier.id))
    rows = list(tuples(query))
    steps = _steps(condition)
    lines = []
    for (pk, book, number, code, procedure_code, procedure_name, field_name, sets, name, address, phone, received,
         due, status, channel, returned_at, collector, authorised, clerk_name, workstation, received_by) in rows:
        step = steps.get(pk) or _Steps()
        notes = ([CHANNELS[channel]] if channel in CHANNELS else []) + step.notes
        state = Status(status)
        if authorised:
            notes.append("Người được ủy quyền nhận thay")
        if state not in (Status.RETURNED, Status.WITHDRAWN, Status.STOPPED):
            notes.append(f"Trạng thái: {state.label}")
        lines.append(RegisterLine(
            book=book, number=number, code=code, procedure_code=procedure_code, procedure_name=procedure_name,
            field=field_name, sets=sets, applicant_name=name, address=address, phone=phone,
            lead_unit=step.sent_to, received_at=received, due_at=due, sent_at=step.sent_at,
            result_at=step.result_at, returned_at=returned_at, returned_by=clerk_name or "",
            collected_by=collector or "", status=state, note="; ".join(notes), workstation=workstation or 0,
            received_by=received_by or ""))
    return lines


def _steps(condition: Any) -> dict[int, _Steps]:
    """Each dossier's hand-over and note columns, from one query over the history rows of the same dossiers."""
    ids = Dossier.select(Dossier.id).join(Procedure, on=(Dossier.procedure == Procedure.id)).where(condition)
    query = (DossierHistory
             .select(DossierHistory.dossier_id, DossierHistory.at, DossierHistory.action, DossierHistory.to_status,
                     DossierHistory.to_unit, DossierHistory.due_at)
             .where(DossierHistory.dossier.in_(ids) & DossierHistory.action.in_(HISTORY_ACTIONS))
             .order_by(DossierHistory.dossier, DossierHistory.at, DossierHistory.id))
    steps: dict[int, _Steps] = defaultdict(_Steps)
    for pk, at, action, to_status, to_unit, due in tuples(query):
        step = steps[pk]
        if action == "handover" and step.sent_at is None:
            step.sent_at, step.sent_to = at, to_unit
        elif to_status == Status.RESULT_READY and step.result_at is None:
            step.result_at = at
        if action == "request_supplement":
            step.notes.append(f"Yêu cầu bổ sung ngày {at:%d/%m/%Y}")
        elif action == "apologise" and due is not None:
            step.notes.append(f"Xin lỗi, hẹn lại ngày trả {local(due):%H:%M %d/%m/%Y} (Mẫu 04)")
        elif action == "withdraw":
            step.notes.append(f"Rút hồ sơ ngày {at:%d/%m/%Y}")
        elif action == "stop":
            step.notes.append(f"Dừng giải quyết ngày {at:%d/%m/%Y} (Mẫu 05)")
    return steps
