"""Shared by the lifecycle tests: receive a dossier, walk it to any status, run any action on it."""

from __future__ import annotations

from counter import records
from counter.dossiers import lifecycle, reception
from counter.records import ApplicantInput, ComponentInput, DossierDraft, Fee, GuidanceItem
from counter.status import Status
from db.models import (
    Dossier,
    DossierApology,
    DossierFee,
    DossierHistory,
    DossierPause,
    DossierResult,
    DossierReturn,
    OutboxEntry,
    ServiceRating,
    User,
)
from tests.conftest import at

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")
UNIT = "Công chức Tư pháp - Hộ tịch"
OTHER_UNIT = "Công chức Văn hóa - Xã hội"
CERTIFIED_COPIES = (ComponentInput(name="Bản chính giấy tờ, văn bản làm cơ sở chứng thực"),  # 2.000815: 14.000 đ
                    ComponentInput(name="Bản sao cần chứng thực", form="bản sao", quantity=2, pages=5))
LATER = at("2026-02-27 10:00")  # a Friday after the 25/02 10:00 due date of a dossier received 13/02 10:00


def login(ctx, username: str) -> records.User:
    """Log `username` in without the password check (argon2 is slow, and log-in is tested elsewhere)."""
    row = User.get(User.username == username)
    ctx.user = records.User(id=row.id, username=row.username, full_name=row.full_name, title=row.title, role=row.role)
    return ctx.user


def receive(ctx, procedure: str = "1.004873", applicant: ApplicantInput = AN, **kw) -> records.Dossier:
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code=procedure, applicant=applicant, **kw))
    return dossier


# How each action is called in the table-driven tests: each returns (the dossier, its Changes).
CALLS = {
    "handover": lambda ctx, code: lifecycle.handover(ctx, code, OTHER_UNIT),
    "request_supplement": lambda ctx, code: lifecycle.request_supplement(
        ctx, code, [GuidanceItem("Tờ khai", "Chưa có chữ ký người yêu cầu")], "Tờ khai chưa ký"),
    "receive_supplement": lambda ctx, code: lifecycle.receive_supplement(ctx, code),
    "request_payment": lambda ctx, code: lifecycle.request_payment(ctx, code, [Fee("Lệ phí hộ tịch", 8_000)]),
    "record_payment": lambda ctx, code: lifecycle.record_payment(ctx, code),
    "record_result": lambda ctx, code: lifecycle.record_result(ctx, code, "15/2026/XNHN"),
    "return_result": lambda ctx, code: lifecycle.return_result(ctx, code),
    "rate_service": lambda ctx, code: lifecycle.rate_service(ctx, code, "satisfied"),
    "apologise": lambda ctx, code: lifecycle.apologise(ctx, code, "Cần xác minh thêm", LATER),
    "withdraw": lambda ctx, code: lifecycle.withdraw(ctx, code, "Công dân không còn nhu cầu"),
    "stop": lambda ctx, code: lifecycle.stop(ctx, code, "Hồ sơ giả mạo giấy tờ"),
}

# The shortest walk from reception to each status.
PATHS = {
    Status.RECEIVED: [],
    Status.IN_PROGRESS: ["handover"],
    Status.SUPPLEMENT: ["handover", "request_supplement"],
    Status.AWAITING_PAYMENT: ["handover", "request_payment"],
    Status.RESULT_READY: ["handover", "record_result"],
    Status.RETURNED: ["handover", "record_result", "return_result"],
    Status.WITHDRAWN: ["withdraw"],
    Status.STOPPED: ["stop"],
}


def walk(ctx, code: str, steps: list[str]) -> records.Dossier:
    """Run `steps` in order; a hand-over goes to UNIT, or on to OTHER_UNIT when already there."""
    from counter.dossiers.lookup import get_dossier

    dossier = get_dossier(ctx, code)
    for step in steps:
        if step == "handover":
            dossier, _ = lifecycle.handover(ctx, code, OTHER_UNIT if dossier.unit == UNIT else UNIT)
        else:
            dossier, _ = CALLS[step](ctx, code)
    return dossier


def dossier_in(ctx, status: Status) -> records.Dossier:
    """A dossier in `status`, reached through the real intents (status 1 is set directly: online only)."""
    from counter.dossiers.lookup import get_dossier

    if status == Status.REFUSED:
        refused, _ = reception.refuse_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN,
                                                                components=()), "Không thuộc thẩm quyền")
        return refused
    dossier = receive(ctx)
    if status == Status.NEW_ONLINE:
        Dossier.update(status=int(status)).where(Dossier.id == dossier.id).execute()
    elif status == Status.STOPPED:  # Mẫu 05 is signed for the head of the agency: stopped by a leader
        user = ctx.user
        login(ctx, "lanhdao")
        walk(ctx, dossier.code, PATHS[status])
        ctx.user = user
    else:
        walk(ctx, dossier.code, PATHS[status])
    return get_dossier(ctx, dossier.code)


LIFECYCLE_TABLES = (Dossier, DossierFee, DossierHistory, OutboxEntry, DossierPause, DossierResult, DossierReturn,
                    ServiceRating, DossierApology)


def snapshot() -> tuple:
    """Every row the lifecycle writes, to show that a failed intent left nothing behind."""
    return tuple(tuple(sorted(tuple(row.values()) for row in model.select().dicts())) for model in LIFECYCLE_TABLES)


def dossier_revision(code: str) -> int:
    return OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == code)).revision
