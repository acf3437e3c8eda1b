"""What happens to a received dossier: hand-overs, supplements, payment, result, return, rating,
apology, withdrawal and stop. One function per user intent.

Each intent runs in one IMMEDIATE transaction that re-reads the dossier, checks the transition
table (counter.dossiers.transitions), writes its own rows (pause, result, return…), the dossier's new
state, one history row with its progress-step outbox entry, and bumps the dossier's outbox
revision — all or nothing. The acting user is ctx.user; the time is ctx.clock.now(). Each returns the
dossier as stored and what changed (the dossier, and its update queued for the province).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from counter import records
from counter.calendar import schedule
from counter.changes import Changes, dossier_changed
from counter.clock import local
from counter.context import AppContext, bound
from counter.dossiers import history, pauses, transitions
from counter.dossiers.applicants import ID_RE
from counter.dossiers.lookup import get_dossier, lock_dossier, to_record
from counter.dossiers.reception import guidance_items
from counter.errors import Field, ValidationError
from counter.office.profile import get_office
from counter.records import RATING_LEVELS, REASON_REQUIRED, STOP_NOTE
from counter.status import Status
from counter.sync import outbox
from counter.text import format_vnd, nfc
from db.models import (
    Dossier,
    DossierApology,
    DossierFee,
    DossierResult,
    DossierReturn,
    DossierStop,
    ProcedureVersion,
    ServiceRating,
    User,
)

# A step's own writes return the dossier's changes: columns (each with its column's value), plus "status"
# where the table offers several targets and "note" when the history note depends on what was written.
Write = Callable[[Dossier, records.Dossier, datetime], dict[str, Any]]
Done = tuple[records.Dossier, Changes]  # what every intent returns: the dossier as stored, and what changed


def written(step: str) -> None:
    """Called after each write of an intent. Tests replace it to inject a failure at that point."""


@bound
def handover(ctx: AppContext, code: str, to_unit: str, note: str = "") -> Done:
    """Hand the paper file to a processing unit or officer, to another unit, or back to the desk."""
    to_unit = _required(to_unit, "Hãy ghi đơn vị hoặc người nhận hồ sơ.", Field.UNIT)

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        if to_unit == dossier.unit:
            raise ValidationError(f"Hồ sơ đang ở “{to_unit}”: hãy chọn nơi nhận khác.", Field.UNIT)
        return {"unit": to_unit}

    return _transition(ctx, code, "handover", write, note=nfc(note) or f"Chuyển hồ sơ đến {to_unit}")


@bound
def request_supplement(ctx: AppContext, code: str, items: Sequence[records.GuidanceItem],
                       reason: str) -> Done:
    """Mẫu 02 during processing: the clock pauses with the working time left; once per processing unit."""
    items = guidance_items(items)
    reason = _required(reason, "Hãy ghi lý do yêu cầu bổ sung hồ sơ.", Field.REASON)

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        pauses.pause_clock(ctx, row, now, reason=reason, requested_by=_user_id(ctx),
                           items=json.dumps([[i.name, i.problem] for i in items], ensure_ascii=False))
        return {}

    return _transition(ctx, code, "request_supplement", write, note=f"Yêu cầu bổ sung hồ sơ: {reason}")


@bound
def receive_supplement(ctx: AppContext, code: str, note: str = "") -> Done:
    """The supplement arrived: the clock resumes with the time that was left (new due = resume + remaining)."""

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        due = pauses.resume_clock(ctx, row, now)
        text = "Nhận hồ sơ bổ sung" + (f", hẹn trả mới {_when(due)}" if due else "")
        return {"due_at": due, "note": _join(text, nfc(note))}

    return _transition(ctx, code, "receive_supplement", write)


@bound
def request_payment(ctx: AppContext, code: str, fees: Sequence[records.Fee] | None = None) -> Done:
    """Ask for the financial obligation: the dossier's unpaid fees, plus any new lines given."""
    lines = [_fee(f) for f in fees or ()]

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        if lines:
            DossierFee.bulk_create([DossierFee(dossier=row, name=f.name, code=f.code, amount=f.amount, kind=f.kind)
                                    for f in lines])
        unpaid = _unpaid(row)
        if not unpaid:
            raise ValidationError("Hồ sơ không có khoản phí, lệ phí nào chưa nộp: hãy nhập khoản cần thu.",
                                  Field.FEE_NAME)
        return {"fee_total": row.fee_total + sum(f.amount for f in lines),
                "note": f"Yêu cầu thực hiện nghĩa vụ tài chính: {format_vnd(unpaid)} đồng"}

    return _transition(ctx, code, "request_payment", write)


@bound
def record_payment(ctx: AppContext, code: str) -> Done:
    """The fees were paid: back to processing, or ready to return if the result was already issued."""

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        paid = _unpaid(row)
        DossierFee.update(paid_at=now).where((DossierFee.dossier == row.id) & DossierFee.paid_at.is_null()).execute()
        ready = DossierResult.select().where(DossierResult.dossier == row.id).exists()
        return {"status": Status.RESULT_READY if ready else Status.IN_PROGRESS,
                "note": f"Đã nộp phí, lệ phí: {format_vnd(paid)} đồng"}

    return _transition(ctx, code, "record_payment", write)


@bound
def record_result(ctx: AppContext, code: str, number: str, result_code: str | None = None,
                  note: str = "", result_name: str | None = None) -> Done:
    """The processing unit's result reached the desk: its number/symbol, name and type code (by default the
    procedure's; most catalogue entries name none, so the desk writes what the paper says)."""
    number = _required(number, "Hãy nhập số, ký hiệu của kết quả giải quyết.", Field.RESULT_NUMBER)
    note, result_name = nfc(note), nfc(result_name or "")

    # One result only: transitions._one_result.
    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        version = ProcedureVersion.get_by_id(row.procedure_version_id)
        name = result_name or version.result_name
        DossierResult.create(dossier=row, recorded_at=now, number=number,
                             result_code=nfc(result_code) or version.result_code, result_name=name,
                             note=note, recorded_by=_user_id(ctx))
        text = f"Nhận kết quả giải quyết: {name or 'kết quả'} số {number}"
        return {"unit": get_office(ctx).office_name, "note": _join(text, note)}

    return _transition(ctx, code, "record_result", write)


@bound
def return_result(ctx: AppContext, code: str, collector_name: str | None = None,
                  collector_id: str | None = None) -> Done:
    """Hand the result over, to the applicant (no collector given) or to an authorised person."""
    collector = _collector(collector_name, collector_id)

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        name, id_number = collector or (row.applicant_name, row.applicant_id_number)
        authorised = id_number != row.applicant_id_number
        DossierReturn.create(dossier=row, returned_at=now, collector_name=name, collector_id_number=id_number,
                             authorised=authorised, returned_by=_user_id(ctx))
        whom = f"người được ủy quyền {name}" if authorised else f"người nộp hồ sơ {name}"
        return {"note": f"Trả kết quả cho {whom}"}

    return _transition(ctx, code, "return_result", write)


@bound
def rate_service(ctx: AppContext, code: str, level: str, reason: str = "") -> Done:
    """The citizen's satisfaction, once, after the return; a reason is mandatory for KHÔNG HÀI LÒNG."""
    if not level:
        raise ValidationError("Hãy chọn một mức đánh giá: rất hài lòng, hài lòng hoặc không hài lòng.", Field.RATING)
    if level not in RATING_LEVELS:
        choices = ", ".join(f"{label} ({key})" for key, label in RATING_LEVELS.items())
        raise ValidationError(f"Mức đánh giá “{level}” không hợp lệ. Chọn một trong: {choices}.", Field.RATING)
    reason = nfc(reason)
    if level == REASON_REQUIRED and not reason:
        raise ValidationError("Đánh giá KHÔNG HÀI LÒNG phải ghi rõ lý do.", Field.REASON)

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        ServiceRating.create(dossier=row, rated_at=now, level=level, reason=reason)
        return {}

    return _transition(ctx, code, "rate_service", write, note=_join(f"Đánh giá: {RATING_LEVELS[level]}", reason))


@bound
def apologise(ctx: AppContext, code: str, reason: str, new_due: datetime) -> Done:
    """Mẫu 04, signed by a leader: the reason for the delay and a later date, which becomes the due date."""
    reason = _required(reason, "Hãy ghi lý do chậm trả kết quả.", Field.REASON)
    new_due = local(new_due)

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        due_at, signer = row.due_at, ctx.user
        # transitions._apology_rules refused a dossier without a due date, and anyone but a signed-in leader.
        assert due_at is not None and signer is not None, "apologise passed transitions._apology_rules"
        if new_due <= now:
            raise ValidationError(f"Ngày hẹn mới ({_when(new_due)}) phải sau thời điểm hiện tại.", Field.NEW_DUE)
        if new_due <= due_at:
            raise ValidationError(f"Ngày hẹn mới ({_when(new_due)}) phải sau ngày hẹn trả hiện tại "
                                  f"({_when(due_at)}).", Field.NEW_DUE)
        calendar = schedule.calendar(ctx)
        if not calendar.is_working_day(new_due.date()):
            raise ValidationError(f"Ngày hẹn mới {new_due:%d/%m/%Y} không phải ngày làm việc.", Field.NEW_DUE)
        if not calendar.is_appointment_time(new_due):
            hours = calendar.hours
            raise ValidationError(f"Giờ hẹn mới {new_due:%H:%M} ngoài giờ làm việc ({hours.morning_start:%H:%M}–"
                                  f"{hours.morning_end:%H:%M} và {hours.afternoon_start:%H:%M}–"
                                  f"{hours.afternoon_end:%H:%M}).", Field.NEW_DUE)
        DossierApology.create(dossier=row, issued_at=now, reason=reason, due_before=due_at, new_due=new_due,
                              signed_by=signer.id, signer_name=signer.full_name, signer_title=signer.title)
        return {"due_at": new_due, "original_due_at": row.original_due_at or due_at}

    return _transition(ctx, code, "apologise", write,
                       note=f"Xin lỗi và hẹn lại ngày trả kết quả: {_when(new_due)}. Lý do: {reason}")


@bound
def withdraw(ctx: AppContext, code: str, reason: str) -> Done:
    """The citizen withdraws the dossier (status 7)."""
    reason = _required(reason, "Hãy ghi lý do công dân rút hồ sơ.", Field.REASON)
    return _transition(ctx, code, "withdraw", _nothing, note=f"Công dân yêu cầu rút hồ sơ: {reason}")


@bound
def stop(ctx: AppContext, code: str, reason: str, signer_name: str = "", signer_title: str = "") -> Done:
    """The agency stops processing (status 8, Mẫu 05): a leader's (or an administrator's) action, refused to a
    clerk (transitions.SIGNED_BY_HEAD). The notice is signed by the head of the agency: the one named, else the
    logged-in leader, else the office's first leader; stored so it can be printed again."""
    reason = _required(reason, "Hãy ghi lý do dừng xử lý hồ sơ.", Field.REASON)
    name, title = (nfc(signer_name), nfc(signer_title)) if nfc(signer_name) else _leader(ctx)

    def write(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
        DossierStop.create(dossier=row, stopped_at=now, reason=reason, signer_name=name, signer_title=title,
                           recorded_by=_user_id(ctx))
        return {}

    return _transition(ctx, code, "stop", write, note=STOP_NOTE + reason)


def _leader(ctx: AppContext) -> tuple[str, str]:
    """(name, title) of who signs for the agency: the logged-in leader, else the office's first leader."""
    if ctx.user is not None and ctx.user.role == "leader":
        return ctx.user.full_name, ctx.user.title
    row = User.select().where(User.role == "leader").order_by(User.id).first()
    return (row.full_name, row.title) if row else ("", "")


# The one transaction every intent runs ----------------------------------------------------------


def _transition(ctx: AppContext, code: str, action: str, write: Write, *, note: str = "") -> Done:
    now = ctx.clock.now()
    with ctx.transaction():
        lock_dossier(ctx, code)  # on PostgreSQL: another counter's change to it is waited for, then seen
        dossier = get_dossier(ctx, code)  # re-read under the write lock: the check sees the latest state
        transitions.require(action, dossier, ctx.user)
        row = Dossier.get_by_id(dossier.id)
        changes = write(row, dossier, now)
        written("rows")
        note = changes.pop("note", note)
        to = transitions.check(action, dossier.status, changes.pop("status", None))
        unit = changes.get("unit", row.unit)
        Dossier.update(status=int(to), updated_at=now, **changes).where(Dossier.id == row.id).execute()
        written("dossier")
        history.record(ctx, row, action, to, at=now, actor=ctx.user, from_status=dossier.status,
                       from_unit=row.unit, to_unit=unit, note=note, due_at=changes.get("due_at", row.due_at))
        written("history")
        outbox.enqueue_dossier(ctx, row, now)
        written("outbox")
    return to_record(ctx, Dossier.get_by_id(dossier.id)), dossier_changed(dossier.code)


def _nothing(row: Dossier, dossier: records.Dossier, now: datetime) -> dict[str, Any]:
    return {}


def _unpaid(row: Dossier) -> int:
    query = DossierFee.select().where((DossierFee.dossier == row.id) & DossierFee.paid_at.is_null())
    return sum(f.amount for f in query)


def _fee(fee: records.Fee) -> records.Fee:
    name = nfc(fee.name)
    if not name:
        raise ValidationError("Hãy ghi tên khoản phí, lệ phí.", Field.FEE_NAME)
    if not isinstance(fee.amount, int) or fee.amount <= 0:
        raise ValidationError(f"Số tiền của “{name}” phải là số đồng lớn hơn 0.", Field.FEE_AMOUNT)
    return records.Fee(name=name, amount=fee.amount, code=fee.code.strip(), kind=fee.kind)


def _collector(name: str | None, id_number: str | None) -> tuple[str, str] | None:
    if name is None and id_number is None:
        return None
    name, id_number = nfc(name), (id_number or "").strip()
    if not name:
        raise ValidationError("Hãy ghi họ tên người nhận kết quả.", Field.COLLECTOR_NAME)
    if not ID_RE.match(id_number):
        raise ValidationError(f"Số định danh của người nhận kết quả phải gồm đúng 12 chữ số (đã nhập “{id_number}”).",
                              Field.COLLECTOR_ID)
    return name, id_number


def _required(text: str, message: str, field: Field) -> str:
    text = nfc(text)
    if not text:
        raise ValidationError(message, field)
    return text


def _user_id(ctx: AppContext) -> int | None:
    return ctx.user.id if ctx.user else None


def _when(dt: datetime) -> str:
    return f"{local(dt):%H:%M} ngày {local(dt):%d/%m/%Y}"


def _join(text: str, extra: str) -> str:
    return f"{text}. {extra}" if extra else text
