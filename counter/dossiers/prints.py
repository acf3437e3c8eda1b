"""The print log: every form printed or saved as PDF, numbered original (0) then copy 1, 2…

Printing comes after the commit (DESIGN.md): a form can only be logged for a dossier or a Mẫu 02
guidance that this database already holds, and never from inside an open transaction.
"""

from __future__ import annotations

from peewee import ModelSelect

from counter import audit
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import NotFound, ValidationError
from db.database import is_postgres
from db.models import Dossier, Guidance, PrintLog

FORMS = {
    "mau01": "Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "mau02": "Mẫu 02 - Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "mau03": "Mẫu 03 - Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "scorecard": "Báo cáo của bộ phận một cửa",
}


@bound
def ensure_committed(ctx: AppContext, *, dossier_code: str | None = None,
                     guidance_id: int | None = None) -> tuple[int | None, int | None]:
    """The (dossier id, guidance id) of a stored record, or an error: a form of an uncommitted record
    must never leave the machine (a rollback would leave a citizen holding a slip for nothing)."""
    if ctx.database.in_transaction():
        raise ValidationError("Chỉ in được phiếu sau khi hồ sơ đã được lưu xong.")
    return _dossier_id(dossier_code), _guidance_id(guidance_id)


@bound
def log_print(ctx: AppContext, form: str, *, dossier_code: str | None = None, guidance_id: int | None = None,
              copy_no: int = 0, target: str = "") -> tuple[int, Changes]:
    """Log one output of `form` (printer name or PDF path in `target`); returns its copy number (and the change).

    The number is counted, not trusted: the first output of a form for a record is the original (0),
    the next copy 1, and so on. `copy_no` is only a floor, for a caller that knows of earlier copies
    made elsewhere.
    """
    form = form.strip()
    if not form:
        raise ValidationError("Chưa rõ mẫu phiếu được in.")
    dossier_id, guidance = ensure_committed(ctx, dossier_code=dossier_code, guidance_id=guidance_id)
    with ctx.transaction():
        _lock_record(ctx, dossier_id, guidance)
        earlier = _logged(form, dossier_id, guidance).count()
        number = max(earlier, copy_no)
        row = PrintLog.create(at=ctx.clock.now(), user=ctx.user.id if ctx.user else None, dossier=dossier_id,
                              guidance=guidance, form=form, copy_no=number, target=target)
        what = (f" của hồ sơ {dossier_code.strip()}" if dossier_code
                else f" của phiếu hướng dẫn số {guidance_id}" if guidance_id is not None else "")
        copy = "bản gốc" if number == 0 else f"bản sao {number}"
        audit.record(ctx, "print", f"In {FORMS.get(form, form)}{what} ({copy})" + (f" → {target}." if target else "."),
                     detail={"print_log_id": row.id, "form": form, "dossier_code": (dossier_code or "").strip(),
                             "guidance_id": guidance_id, "copy_no": number, "target": target})
    return number, Changes(print_log=True)


@bound
def print_count(ctx: AppContext, form: str, dossier_code: str) -> int:
    """How many times `form` was printed or saved for this dossier (0: never)."""
    return _logged(form.strip(), _dossier_id(dossier_code), None).count()


@bound
def guidance_print_count(ctx: AppContext, form: str, guidance_id: int) -> int:
    return _logged(form.strip(), None, _guidance_id(guidance_id)).count()


def _lock_record(ctx: AppContext, dossier_id: int | None, guidance_id: int | None) -> None:
    """On PostgreSQL the printed record's row locked FOR UPDATE until the commit, so two counters printing its form
    at once count each other's copy (one original, then copy 1); on SQLite the IMMEDIATE transaction holds the file."""
    if not is_postgres(ctx.database):
        return
    if dossier_id is not None:
        list(Dossier.select(Dossier.id).where(Dossier.id == dossier_id).for_update())
    elif guidance_id is not None:
        list(Guidance.select(Guidance.id).where(Guidance.id == guidance_id).for_update())


def _logged(form: str, dossier_id: int | None, guidance_id: int | None) -> ModelSelect[PrintLog]:
    query = PrintLog.select().where(PrintLog.form == form)
    query = query.where(PrintLog.dossier.is_null() if dossier_id is None else PrintLog.dossier == dossier_id)
    return query.where(PrintLog.guidance.is_null() if guidance_id is None else PrintLog.guidance == guidance_id)


def _dossier_id(code: str | None) -> int | None:
    if code is None:
        return None
    row = Dossier.select(Dossier.id).where(Dossier.code == code.strip()).get_or_none()
    if row is None:
        raise NotFound(f"Không có hồ sơ mã {code.strip()} đã lưu trên máy này: không in được phiếu.")
    return row.id


def _guidance_id(guidance_id: int | None) -> int | None:
    if guidance_id is None:
        return None
    if not Guidance.select().where(Guidance.id == guidance_id).exists():
        raise NotFound(f"Không có phiếu hướng dẫn số {guidance_id} đã lưu trên máy này: không in được phiếu.")
    return guidance_id
