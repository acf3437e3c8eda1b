"""The counter's three outcomes for a dossier handed in: receive it, refuse it, or guide (Mẫu 02).

Each intent runs in one transaction (IMMEDIATE on SQLite; on PostgreSQL the code's and the register's counter rows
locked by their upserts until the commit): the dossier, its components and fees, its first history row and its
outbox entries are all written, or none is. Nothing is printed before commit.
Each returns the stored record and what changed (counter.changes).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from peewee import ModelInsert, Select

from counter import audit, records
from counter.calendar import schedule
from counter.catalogue import fees, procedures
from counter.changes import Changes, dossier_changed
from counter.context import AppContext, bound
from counter.dossiers import applicants, history
from counter.dossiers.lookup import build_record
from counter.errors import Field, ValidationError
from counter.office import code_ledger, read_once
from counter.office.codes import allocate_code
from counter.office.first_run import require_set_up
from counter.office.profile import get_office
from counter.status import Status
from counter.sync import outbox
from counter.text import fold, format_vnd, nfc
from db.database import is_postgres
from db.models import Dossier, DossierComponent, DossierFee, Guidance, Procedure, RegisterCounter

# The portal keeps at most 1,000 characters of TrichYeuHoSo (docs/portal.md): a longer summary is refused here,
# where the clerk can shorten it, rather than cut by the sync later.
SUMMARY_MAX = 1000


def written(step: str) -> None:
    """Called after each write of an intent. Tests replace it to inject a failure at that point."""


@bound
def receive_dossier(ctx: AppContext, draft: records.DossierDraft) -> tuple[records.Dossier, Changes]:
    """Receive a complete dossier: code, due date, register number, history, outbox — atomically."""
    return _create(ctx, draft, Status.RECEIVED, action="receive", note="Tiếp nhận hồ sơ")


@bound
def refuse_dossier(ctx: AppContext, draft: records.DossierDraft, reason: str) -> tuple[records.Dossier, Changes]:
    """Record a refusal (status 3, Mẫu 03): it gets a code and is synced, but no due date."""
    return _create(ctx, draft, Status.REFUSED, action="refuse", note=refusal_reason(reason))


def refusal_reason(reason: str) -> str:
    """The reason printed on the Mẫu 03, in NFC; the refusal dialog asks this before it closes."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError("Phải ghi rõ lý do từ chối tiếp nhận hồ sơ.", Field.REASON)
    return reason


def dossier_summary(summary: str) -> str:
    """The summary (trích yếu) as stored and sent: NFC, spaces collapsed; refused when the portal would not
    take it whole. The reception screen asks this before F8's reason, as F9 and F8 do on commit."""
    text = nfc(summary)
    if len(text) > SUMMARY_MAX:
        raise ValidationError(f"Trích yếu hồ sơ dài {format_vnd(len(text))} ký tự, quá {format_vnd(SUMMARY_MAX)} "
                              "ký tự mà Cổng dịch vụ công nhận: hãy rút gọn.", Field.SUMMARY)
    return text


EARLIEST_RECEPTION = date(2016, 1, 1)  # no dossier of this counter predates the national code format
FUTURE_SLACK = timedelta(days=1)  # a clock a little ahead of the office PC's; anything later is a typing slip


@bound
def check_received_at(ctx: AppContext, received_at: datetime) -> datetime:
    """A reception time that can be true: not more than a day ahead of now, nor before the office was set up (a
    real office's set-up day in the audit log), nor before 2016. A code's date is its last two year digits, so
    1900 and 2000 would share codes; a date in 2099 would put the dossier's due date decades away."""
    latest = ctx.clock.now() + FUTURE_SLACK
    if received_at > latest:
        raise ValidationError(f"Thời điểm tiếp nhận {received_at:%d/%m/%Y %H:%M} ở tương lai (muộn nhất là "
                              f"{latest:%d/%m/%Y %H:%M}): hãy kiểm tra lại ngày giờ.")
    earliest, since = EARLIEST_RECEPTION, "năm 2016"
    set_up = _set_up_day(ctx)
    if set_up is not None and set_up > earliest:
        earliest, since = set_up, f"ngày thiết lập cơ quan {set_up:%d/%m/%Y}"
    if received_at.date() < earliest:
        raise ValidationError(f"Thời điểm tiếp nhận {received_at:%d/%m/%Y %H:%M} trước {since}: hãy kiểm tra lại "
                              "ngày giờ.")
    return received_at


def _set_up_day(ctx: AppContext) -> date | None:
    """The day a real office was set up, as the audit log keeps it (None for the demo, or when not kept)."""
    office = read_once.office_row(ctx)
    if office is None or office.demo:
        return None
    first = audit.entries(ctx, kind="setup", limit=None)
    return first[0].at.date() if first else None


def _create(ctx: AppContext, draft: records.DossierDraft, status: Status, *, action: str,
            note: str) -> tuple[records.Dossier, Changes]:
    with read_once.scope():  # the office row and the instance id, asked for by several steps below, read once
        return _write(ctx, draft, status, action=action, note=note)


def _write(ctx: AppContext, draft: records.DossierDraft, status: Status, *, action: str,
           note: str) -> tuple[records.Dossier, Changes]:
    require_set_up(ctx)  # first: no dossier code is issued before the office and its administrator exist
    received_at = check_received_at(ctx, draft.received_at or ctx.clock.now())
    procedure = procedures.get_procedure(ctx, draft.procedure_code, received_at.date())
    if not procedure.active:
        raise ValidationError(f"Thủ tục {procedure.code} đã ngừng áp dụng, không tiếp nhận được.", Field.PROCEDURE)
    applicants.clean(draft.applicant, received_at.date())  # fail on bad input before taking the write lock
    components = _components(procedure, draft.components, complete=status == Status.RECEIVED)
    summary = dossier_summary(draft.summary)
    if draft.sets < 1:
        raise ValidationError("Số bộ hồ sơ phải từ 1 trở lên.", Field.SETS)
    receiving = status == Status.RECEIVED
    exempt = nfc(draft.fee_exempt_reason)
    fee_lines = fees.compute_fees(procedure, components, draft.fee_units, exempt) if receiving else ()
    due_at = schedule.due_for(ctx, procedure.time_rule, received_at) if receiving else None
    calendar_version = schedule.calendar(ctx).version if due_at is not None else None
    office = get_office(ctx)
    code_ledger.check_can_issue(ctx, office.workstation)
    with ctx.transaction():
        applicant = applicants.upsert(ctx, draft.applicant, received_at)
        written("applicant")
        row = Dossier.create(
            code=allocate_code(ctx, office.agency_id, office.workstation, received_at),
            procedure=procedure.id, procedure_version=procedure.version_id, applicant=applicant,
            applicant_name=applicant.full_name, applicant_id_number=applicant.id_number,
            applicant_address=applicant.address, applicant_phone=applicant.phone, applicant_email=applicant.email,
            applicant_kind=draft.applicant_kind, channel=draft.channel, return_method=draft.return_method,
            summary=summary, sets=draft.sets, fee_total=fees.fee_total(fee_lines),
            fee_exempt_reason=nfc(draft.fee_exempt_reason), received_at=received_at, due_at=due_at,
            original_due_at=due_at, status=int(status), unit=office.office_name,
            register_book=office.register_book if receiving else "",
            received_by=ctx.user.id if ctx.user else None, workstation=office.workstation, updated_at=received_at,
            calendar_version=calendar_version,
        )
        written("dossier")
        papers = _write_components(row, components)
        fee_rows = [DossierFee(dossier=row, name=f.name, code=f.code, amount=f.amount, kind=f.kind) for f in fee_lines]
        DossierFee.bulk_create(fee_rows)
        written("components")
        step = history.write(ctx, row, action, status, at=received_at, actor=ctx.user, to_unit=office.office_name,
                             note=note, due_at=due_at)
        written("history")
        outbox.enqueue_received(ctx, row, step, received_at)  # the step's entry and the dossier's
        written("outbox")
        # Last, the two rows every counter of a centre writes: the procedure's use count and the book's running
        # number, each locked from here to the commit on PostgreSQL (taken earlier, the others waited the rest of
        # this transaction for them).
        if receiving:
            row.register_number = _number_and_count(ctx, row, office.register_book, procedure.id)
        else:
            procedures.increment_use(ctx, procedure.id)
    code_ledger.record_issued(ctx, row.code, office.workstation)
    # The record of what was just written, from the rows in hand rather than read back (the clerk is the one whose
    # name the history row carries).
    clerk = ctx.user.full_name if ctx.user else ""
    return build_record(ctx, row, clerk, papers, fee_rows, [step]), dossier_changed(row.code)


def _components(procedure: records.Procedure, given: Sequence[records.ComponentInput] | None, *,
                complete: bool) -> list[records.ComponentInput]:
    """The papers handed over; a complete dossier must include every required one."""
    if given is None:
        return [records.ComponentInput(name=c.name, form=c.form, code=c.code)
                for c in procedure.components if not c.optional]
    items = [c for c in given if nfc(c.name)]
    for c in items:
        if c.quantity < 1:
            raise ValidationError(f"Số lượng của “{c.name}” phải từ 1 trở lên.", Field.COMPONENTS)
        if c.pages < 0:
            raise ValidationError(f"Số trang của “{c.name}” không được âm (đã nhập {c.pages}).", Field.COMPONENTS)
    if complete:
        missing = missing_papers(procedure, items)
        if missing:
            raise ValidationError("Hồ sơ còn thiếu giấy tờ bắt buộc: " + "; ".join(s.name for s in missing)
                                  + ". Hãy hướng dẫn bổ sung (Mẫu 02) thay vì tiếp nhận.", Field.COMPONENTS)
    return items


def missing_papers(procedure: records.Procedure,
                   given: Sequence[records.ComponentInput]) -> list[records.ComponentSpec]:
    """The procedure's required papers not among those handed over (matched by name without accents, or by
    code). A dossier is received only without any; the screen marks them and lists them on the Mẫu 02."""
    items = [c for c in given if nfc(c.name) and c.handed_over]
    handed = {fold(c.name) for c in items} | {c.code for c in items if c.code}
    return [s for s in procedure.components if not s.optional and fold(s.name) not in handed and s.code not in handed]


def _write_components(row: Dossier, components: list[records.ComponentInput]) -> list[DossierComponent]:
    papers = [DossierComponent(dossier=row, position=i, code=c.code, name=nfc(c.name), form=c.form,
                               quantity=c.quantity, pages=c.pages, handed_over=c.handed_over)
              for i, c in enumerate(components, start=1)]
    DossierComponent.bulk_create(papers)
    return papers


def _next_register_number(book: str) -> ModelInsert:
    """The statement taking the book's next running number: the book's row moved on by one, or created at 1 for its
    first dossier, the number returned. On SQLite the caller's IMMEDIATE transaction holds the write lock already. On
    PostgreSQL every counter of the centre takes numbers from the book's one row: the upsert locks it until the
    commit (a counter creating it meanwhile is waited for, then its row updated). The unique index of migration 0019
    backs both up."""
    return (RegisterCounter.insert(book=book, last_number=1)
            .on_conflict(conflict_target=[RegisterCounter.book],
                         update={RegisterCounter.last_number: RegisterCounter.last_number + 1})
            .returning(RegisterCounter.last_number))


def _number_and_count(ctx: AppContext, row: Dossier, book: str, procedure_id: int) -> int:
    """The dossier's running number in its book, written on it, and its procedure's use counted: its reception's
    last writes. On PostgreSQL one statement (the two counters' upserts as WITH queries of the dossier's update),
    so that the rows every counter of the centre writes are locked one round trip before the commit, not three;
    SQLite runs no writing WITH query, nor needs to (its transaction holds the file)."""
    used, number = procedures.use_counted(ctx, procedure_id), _next_register_number(book)
    if is_postgres(ctx.database):
        taken = number.cte("taken")
        query = (Dossier.update(register_number=Select((taken,), (taken.c.last_number,)))
                 .where(Dossier.id == row.id).with_cte(used.returning(Procedure.id).cte("used"), taken)
                 .returning(Dossier.register_number))
        register_number = int(next(iter(query.execute())).register_number)
    else:
        used.execute()
        register_number = int(next(iter(number.execute())).last_number)
        Dossier.update(register_number=register_number).where(Dossier.id == row.id).execute()
    procedures.count_use(ctx, procedure_id)
    return register_number


@bound
def record_guidance(ctx: AppContext, procedure_code: str, applicant: records.ApplicantInput,
                    items: list[records.GuidanceItem], reason: str) -> tuple[records.Guidance, Changes]:
    """Remember the Mẫu 02 given for an incomplete dossier (not received): who, when, what was asked."""
    procedure = procedures.get_procedure(ctx, procedure_code)
    items, reason = guidance_items(items), guidance_reason(reason)
    name = applicants.require_name(applicant.full_name)
    now = ctx.clock.now()
    with ctx.transaction():
        person = applicants.upsert(ctx, applicant, now) if applicant.id_number.strip() else None
        row = Guidance.create(
            at=now, user=ctx.user.id if ctx.user else None, applicant=person, applicant_name=name,
            id_number=applicant.id_number.strip(), phone=applicant.phone, procedure=procedure.id,
            items=json.dumps([[i.name, i.problem] for i in items], ensure_ascii=False), reason=reason,
        )
    return guidance_record(ctx, row), Changes(guidance=frozenset((row.id,)))


def guidance_items(items: Sequence[records.GuidanceItem]) -> list[records.GuidanceItem]:
    """The papers a Mẫu 02 asks to supply or correct (at the desk, or during processing), in NFC, blank rows
    dropped; at least one. The Mẫu 02 dialogs ask this before they close."""
    items = [records.GuidanceItem(nfc(i.name), nfc(i.problem)) for i in items if nfc(i.name)]
    if not items:
        raise ValidationError("Hãy ghi ít nhất một giấy tờ cần bổ sung, hoàn thiện.", Field.SUPPLEMENT_ITEMS)
    return items


def guidance_reason(reason: str) -> str:
    """Why the dossier handed in at the desk is incomplete, printed on its Mẫu 02."""
    reason = nfc(reason)
    if not reason:
        raise ValidationError("Hãy ghi lý do yêu cầu bổ sung, hoàn thiện.", Field.REASON)
    return reason


@bound
def guidance_record(ctx: AppContext, row: Guidance) -> records.Guidance:
    procedure = procedures.get_procedure(ctx, row.procedure.code, row.at.date())
    stored = row.applicant if row.applicant_id else None  # guidance without an id number names no applicant row
    person = applicants.to_record(stored) if stored is not None else records.Applicant(
        id=None, id_number=row.id_number, full_name=row.applicant_name, phone=row.phone)
    clerk = row.user if row.user_id else None  # a script's guidance has no clerk
    return records.Guidance(
        id=row.id, at=row.at, applicant=person, procedure_code=procedure.code, procedure_name=procedure.name,
        items=tuple(records.GuidanceItem(n, p) for n, p in json.loads(row.items)), reason=row.reason,
        clerk_name=clerk.full_name if clerk is not None else "",
    )


@bound
def guidance_for(ctx: AppContext, id_number: str, limit: int = 10) -> list[records.Guidance]:
    """Earlier Mẫu 02 given to this person, newest first, so the next visit can see what was asked."""
    query = Guidance.select().where(Guidance.id_number == id_number.strip()).order_by(Guidance.at.desc()).limit(limit)
    return [guidance_record(ctx, g) for g in query]
