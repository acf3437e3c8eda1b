"""The catalogue in the administrator's hands: import a catalogue file (ours or the national shape), enter a fee or
a time limit with the province's decision that sets it, and list the catalogue.

Every change is a new version with its effective date; the old versions stay, and a dossier keeps the version it
was received under. Only an administrator changes the catalogue (`_require_admin`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from counter import audit, records
from counter.catalogue import entries
from counter.catalogue.entries import national_form
from counter.catalogue.procedures import (
    ImportReport,
    get_procedure,
    import_entries,
    invalidate_cache,
    list_procedures,
)
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import NotFound, ValidationError
from counter.office.roles import ADMINS, require_role
from counter.text import fold, nfc
from db.models import Procedure, ProcedureComponent, ProcedureVersion

ADMIN = "admin"


def _require_admin(ctx: AppContext) -> None:
    """Only an administrator changes the catalogue (a typed PermissionDenied for anyone else)."""
    require_role(ctx, ADMINS, "thay đổi danh mục thủ tục")


# Import ---------------------------------------------------------------------------------------


@bound
def import_catalogue(ctx: AppContext, data: dict[str, Any] | list[Any] | str | Path, *,
                     effective_from: date | None = None, source: str = "", dry_run: bool = False,
                     cases: Mapping[str, int] | None = None) -> tuple[ImportReport, Changes]:
    """Import a catalogue file: new procedures added, a new version of each changed one from `effective_from`
    (default today), the rest reported unchanged or rejected with the reason; `dry_run` writes nothing.
    `source` defaults to the file's name; `cases` picks a national procedure's TRUONGHOP (1-based) by code."""
    _require_admin(ctx)
    day = effective_from or ctx.clock.now().date()
    where = nfc(source) or (f"tệp {Path(data).name}" if isinstance(data, (str, Path)) else "tệp nhập")
    with ctx.transaction():
        report = import_entries(ctx, data, effective_from=day, source=where, dry_run=dry_run, cases=cases)
        if not dry_run and (report.added or report.changed):
            audit.record(ctx, "catalogue", f"Nhập danh mục thủ tục ({where}), hiệu lực từ {day:%d/%m/%Y}: thêm "
                                           f"{len(report.added)}, thay đổi {len(report.changed)}.",
                         detail={"source": where, "effective_from": day.isoformat(), "added": list(report.added),
                                 "changed": list(report.changed)})
    return report, Changes(catalogue=not dry_run and bool(report.added or report.changed))


def report_lines(report: ImportReport, *, dry_run: bool) -> list[str]:
    """The import report as the CLI and the screen show it."""
    head = "Chạy thử (chưa ghi gì): " if dry_run else ""
    lines = [f"{head}thêm {len(report.added)}, thay đổi {len(report.changed)}, giữ nguyên {len(report.unchanged)}, "
             f"không nhận {len(report.rejected)}."]
    lines += [f"  Thêm: {code}" for code in report.added]
    lines += [f"  Thay đổi (phiên bản mới): {code}" for code in report.changed]
    lines += [f"  Không nhận {label}: {reason}" for label, reason in report.rejected]
    return lines


def report_json(report: ImportReport, *, dry_run: bool) -> dict[str, Any]:
    return {"dry_run": dry_run, "added": list(report.added), "changed": list(report.changed),
            "unchanged": list(report.unchanged),
            "rejected": [{"entry": label, "reason": reason} for label, reason in report.rejected]}


# The province's fees and time limits ------------------------------------------------------------


@bound
def set_fee(ctx: AppContext, code: str, amount: int, *, source: str, per: str | None = None,
            effective_from: date | None = None) -> tuple[records.Procedure, Changes]:
    """The fee the province set (amount in đồng per `per`, which stays as it is when not given), from the decision
    `source`, as a new version from `effective_from` (default today)."""
    return set_rules(ctx, code, source=source, amount=amount, per=per, effective_from=effective_from)


@bound
def set_time(ctx: AppContext, code: str, kind: str, days: int | None = None, *, source: str,
             effective_from: date | None = None) -> tuple[records.Procedure, Changes]:
    """The time limit the province set (kind as in the catalogue file: working_days, calendar_days with `days`;
    same_day; none), from the decision `source`, as a new version from `effective_from` (default today)."""
    return set_rules(ctx, code, source=source, kind=kind, days=days, effective_from=effective_from)


@bound
def set_rules(ctx: AppContext, code: str, *, source: str, amount: int | None = None, per: str | None = None,
              kind: str | None = None, days: int | None = None, effective_from: date | None = None
              ) -> tuple[records.Procedure, Changes]:
    """The fee (`amount`, `per`) and/or the time limit (`kind`, `days`) the province set by the decision `source`,
    together as one new version from `effective_from` (default today): both are checked before anything is
    written. The procedure becomes verified once both its fee (unless a per-page formula, which is national) and its
    time limit carry a decision."""
    _require_admin(ctx)
    if amount is None and kind is None:
        raise ValidationError("Hãy nhập mức lệ phí hoặc thời hạn giải quyết.")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount < 0):
        raise ValidationError(f"Mức lệ phí phải là số đồng không âm (đã nhập “{amount}”).")
    current, decision, day = _checked(ctx, code, source, effective_from)
    fee, fee_source = current.fee_rule, current.fee_source
    if amount is not None:
        if current.fee_rule.formula:
            raise ValidationError(f"Thủ tục {current.code} tính lệ phí theo số trang (công thức), không đặt một mức "
                                  "cố định được: hãy nhập lại danh mục của tỉnh.")
        unit = nfc(per) if per is not None else current.fee_rule.per
        fee = records.FeeRule(amount=amount, per=unit, note=_fee_note(amount, unit, decision))
        fee_source = decision
    time, time_source = current.time_rule, current.time_source
    if kind is not None:
        time, time_source = entries.time_rule({"kind": kind, "days": days}), decision
    same_fee = (fee.amount, fee.per, fee_source) == (current.fee_rule.amount, current.fee_rule.per, current.fee_source)
    if same_fee and (time, time_source) == (current.time_rule, current.time_source):
        raise ValidationError(f"Thủ tục {current.code} đã có mức này theo {decision}: không có gì thay đổi.")
    with ctx.transaction():
        done = _new_version(ctx, current, day, decision, fee_rule=fee, time_rule=time, fee_source=fee_source,
                            time_source=time_source)
        audit.record(ctx, "catalogue", f"Thủ tục {current.code}: " + "; ".join(
            part for part in (f"lệ phí {fee.amount} đồng" if amount is not None else "",
                              f"thời hạn {time.kind} {time.days or ''}".strip() if kind is not None else "") if part)
            + f", theo {decision}, từ {day:%d/%m/%Y}.", detail={"code": current.code, "source": decision})
    return done


def _checked(ctx: AppContext, code: str, source: str, effective_from: date | None
             ) -> tuple[records.Procedure, str, date]:
    decision = nfc(source)
    if not decision:
        raise ValidationError("Hãy ghi văn bản quyết định mức này (ví dụ “Nghị quyết 12/2025/NQ-HĐND”).")
    current = get_procedure(ctx, code)
    day = effective_from or ctx.clock.now().date()
    if day < current.effective_from:
        raise ValidationError(f"Ngày hiệu lực {day:%d/%m/%Y} sớm hơn phiên bản đang áp dụng "
                              f"(từ {current.effective_from:%d/%m/%Y}): không thể chen một phiên bản vào trước.")
    return current, decision, day


def _fee_note(amount: int, per: str, decision: str) -> str:
    money = "Miễn lệ phí" if amount == 0 else f"{amount:,}".replace(",", ".") + " đồng" + (f"/{per}" if per else "")
    return f"{money} (theo {decision})"


def _new_version(ctx: AppContext, current: records.Procedure, day: date, decision: str, *,
                 fee_source: str, time_source: str, fee_rule: records.FeeRule | None = None,
                 time_rule: records.TimeRule | None = None) -> tuple[records.Procedure, Changes]:
    """The current version again with the fee or the time limit the decision sets; verified once both the fee
    and the time limit carry a decision (a per-page fee is the national one, no province's), or if it was already."""
    fee = fee_rule or current.fee_rule
    time = time_rule or current.time_rule
    with ctx.transaction():
        version = ProcedureVersion.create(
            procedure=current.id, version=_latest_number(current.id) + 1, effective_from=day, name=current.name,
            time_rule_kind=time.kind, time_rule_days=time.days, fee_amount=fee.amount, fee_per=fee.per,
            fee_formula=fee.formula, fee_note=fee.note, result_name=current.result_name,
            result_code=current.result_code,
            verified=current.verified or bool((fee_source or fee.formula) and time_source),
            note=current.note, source=decision, fee_source=fee_source, time_source=time_source,
        )
        ProcedureComponent.bulk_create([
            ProcedureComponent(version=version, position=c.position, code=c.code, name=c.name, form=c.form,
                               optional=c.optional) for c in current.components
        ])
    invalidate_cache(ctx)
    return get_procedure(ctx, current.code, day), Changes(catalogue=True)


def _latest_number(procedure_id: int) -> int:
    latest = ProcedureVersion.select().where(ProcedureVersion.procedure == procedure_id).order_by(
        ProcedureVersion.version.desc()).get()
    return int(latest.version)


# Listing ----------------------------------------------------------------------------------------


def needs_province(procedure: records.Procedure) -> bool:
    """A fee the province has still to set (no amount, no formula), or a procedure not checked against the
    province's published catalogue: the administrator enters its fee and time limit with the decision."""
    return not procedure.verified or (procedure.fee_rule.amount is None and not procedure.fee_rule.formula)


@bound
def catalogue_list(ctx: AppContext, field: str = "", at: date | None = None) -> list[records.Procedure]:
    """Every procedure, active or not, at the version in force on `at` (default today), by name; `field` keeps
    those of one field, by its name (accents ignored) or its code."""
    chosen = list_procedures(ctx, active_only=False, at=at or ctx.clock.now().date())
    wanted = fold(field)
    if not wanted:
        return chosen
    return [p for p in chosen if fold(p.field) == wanted or (p.field_code and p.field_code == field.strip())]


@bound
def catalogue_fields(ctx: AppContext) -> list[str]:
    """The fields of the catalogue's procedures, A–Z (accents ignored)."""
    names = {row.field for row in Procedure.select(Procedure.field).distinct() if row.field}
    return sorted(names, key=fold)


@dataclass(frozen=True)
class VersionInfo:
    version: int
    effective_from: date
    source: str


@bound
def versions_of(ctx: AppContext, code: str) -> list[VersionInfo]:
    """A procedure's versions, newest first: its effective date and where it came from."""
    row = Procedure.get_or_none(Procedure.code == national_form(code))
    if row is None:
        raise NotFound(f"Không có thủ tục mã “{national_form(code)}” trong danh mục.")
    query = ProcedureVersion.select().where(ProcedureVersion.procedure == row.id).order_by(
        ProcedureVersion.version.desc())
    return [VersionInfo(v.version, v.effective_from, v.source) for v in query]


TIME_UNITS = {"working_days": "ngày làm việc", "calendar_days": "ngày", "same_day": "trong ngày", "none": "không hạn"}


def time_text(rule: records.TimeRule) -> str:
    """'3 ngày làm việc', '30 ngày', 'trong ngày', 'không hạn'."""
    unit = TIME_UNITS.get(rule.kind, rule.kind)
    return f"{rule.days} {unit}" if rule.kind in ("working_days", "calendar_days") else unit


def fee_text(rule: records.FeeRule) -> str:
    """'10.000 đ/trường hợp', 'miễn lệ phí', 'theo số trang', 'chưa nhập mức'."""
    if rule.formula:
        return "theo số trang"
    if rule.amount is None:
        return "chưa nhập mức"
    if rule.amount == 0:
        return "miễn lệ phí"
    return f"{rule.amount:,} đ".replace(",", ".") + (f"/{rule.per}" if rule.per else "")


def procedure_json(p: records.Procedure) -> dict[str, Any]:
    return {
        "code": p.code, "name": p.name, "field": p.field, "field_code": p.field_code, "active": p.active,
        "version": p.version, "effective_from": p.effective_from.isoformat(),
        "time_rule": {"kind": p.time_rule.kind, "days": p.time_rule.days},
        "fee": {"amount_vnd": p.fee_rule.amount, "per": p.fee_rule.per, "formula": p.fee_rule.formula,
                "note": p.fee_rule.note},
        "verified": p.verified, "needs_province": needs_province(p), "source": p.source,
        "fee_source": p.fee_source, "time_source": p.time_source,
    }
