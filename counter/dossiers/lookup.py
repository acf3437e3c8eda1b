"""Reading dossiers: by code, by applicant, in lists. Returns frozen records, never rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from peewee import JOIN, ModelSelect

from counter import records
from counter.catalogue import procedures
from counter.context import AppContext, bound
from counter.dossiers import history
from counter.errors import Field, NotFound, ValidationError
from counter.office.codes import is_dossier_code
from counter.status import Status
from db import prepared
from db.database import is_postgres
from db.models import (
    Applicant,
    Dossier,
    DossierComponent,
    DossierFee,
    DossierHistory,
    Procedure,
    ProcedureVersion,
    User,
)

# Procedure versions are never edited (a changed rule is a new version): cache what a record needs
# of them in the context (one database's), so opening a dossier costs only its own rows. The field and its
# code belong to the procedure, which an import may change without a new version: the import drops this cache.
VERSIONS = procedures.VERSION_FACTS


@dataclass(frozen=True)
class _VersionFacts:
    procedure_code: str
    name: str
    version: int
    time_rule: records.TimeRule
    field: str  # lĩnh vực (TenLinhVuc)
    field_code: str  # mã lĩnh vực (MaLinhVuc)


@bound
def version_facts(ctx: AppContext, version_id: int) -> _VersionFacts:
    cache: dict[int, _VersionFacts] = ctx.cache.setdefault(VERSIONS, {})
    facts = cache.get(version_id)
    if facts is None:
        version = ProcedureVersion.select(ProcedureVersion, Procedure).join(Procedure).where(
            ProcedureVersion.id == version_id).get()
        facts = cache[version_id] = _VersionFacts(
            version.procedure.code, version.name, version.version,
            records.TimeRule(version.time_rule_kind, version.time_rule_days), version.procedure.field,
            version.procedure.field_code)
    return facts


@bound
def to_record(ctx: AppContext, row: Dossier, *, with_history: bool = True,
              clerk_name: str | None = None) -> records.Dossier:
    """The record of a dossier row with its child rows; `clerk_name`: the receiving clerk's, when read with the row."""
    if clerk_name is None:
        clerk = User.get_or_none(User.id == row.received_by_id) if row.received_by_id else None
        clerk_name = clerk.full_name if clerk else ""
    # Each an index range by the dossier's id, its SQL built once (db.prepared: building it cost more than running it).
    components = prepared.fetch(_components, row.id)
    fees = prepared.fetch(_fees, row.id)
    steps = prepared.fetch(_steps, row.id) if with_history else []
    return build_record(ctx, row, clerk_name, components, fees, steps)


def _components(dossier_id: int) -> ModelSelect[DossierComponent]:
    return DossierComponent.select().where(DossierComponent.dossier == dossier_id).order_by(DossierComponent.position)


def _fees(dossier_id: int) -> ModelSelect[DossierFee]:
    return DossierFee.select().where(DossierFee.dossier == dossier_id).order_by(DossierFee.id)


def _steps(dossier_id: int) -> ModelSelect[DossierHistory]:
    return (DossierHistory.select().where(DossierHistory.dossier == dossier_id)
            .order_by(DossierHistory.at, DossierHistory.id))


def _by_code(code: str) -> ModelSelect[Dossier]:
    """A dossier's row by its code, with the receiving clerk's name as `clerk_name` (one probe of the code's index,
    not a second look-up for the clerk)."""
    return (Dossier.select(Dossier, User.full_name.alias("clerk_name"))
            .join(User, JOIN.LEFT_OUTER, on=(Dossier.received_by == User.id)).where(Dossier.code == code))


@bound
def build_record(ctx: AppContext, row: Dossier, clerk_name: str, components: Iterable[DossierComponent],
                 fees: Iterable[DossierFee], steps: Iterable[DossierHistory]) -> records.Dossier:
    """The record of a dossier row and its child rows, however they were fetched (one or a batch)."""
    version = version_facts(ctx, row.procedure_version_id)
    return records.Dossier(
        id=row.id, code=row.code, status=Status(row.status),
        procedure_code=version.procedure_code, procedure_name=version.name,
        procedure_version=version.version, time_rule=version.time_rule, procedure_field=version.field,
        procedure_field_code=version.field_code,
        applicant_id=row.applicant_id,
        applicant=records.Applicant(
            id=row.applicant_id, id_number=row.applicant_id_number, full_name=row.applicant_name,
            address=row.applicant_address, phone=row.applicant_phone, email=row.applicant_email,
        ),
        applicant_kind=row.applicant_kind, channel=row.channel, return_method=row.return_method,
        summary=row.summary, sets=row.sets,
        components=tuple(records.DossierComponent(
            position=c.position, name=c.name, form=c.form, quantity=c.quantity, code=c.code,
            pages=c.pages, handed_over=c.handed_over) for c in components),
        fees=tuple(records.Fee(name=f.name, amount=f.amount, code=f.code, kind=f.kind, paid_at=f.paid_at)
                   for f in fees),
        fee_total=row.fee_total, fee_exempt_reason=row.fee_exempt_reason,
        received_at=row.received_at, due_at=row.due_at, original_due_at=row.original_due_at,
        unit=row.unit, register_book=row.register_book, register_number=row.register_number,
        received_by=clerk_name, workstation=row.workstation,
        has_digitised=row.has_digitised, updated_at=row.updated_at,
        history=tuple(history.to_record(h) for h in steps), calendar_version=row.calendar_version,
    )


@bound
def lock_dossier(ctx: AppContext, code: str) -> None:
    """Inside a writing transaction, before reading a dossier to change it: on PostgreSQL its row is locked FOR UPDATE
    until the commit, so another counter's change to it is waited for and then read (READ COMMITTED: each statement
    sees what was committed before it), and no other change starts meanwhile. On SQLite the IMMEDIATE transaction
    holds the whole file already. An unknown code locks nothing: the read after it says so."""
    if is_postgres(ctx.database):
        list(Dossier.select(Dossier.id).where(Dossier.code == code.strip().upper()).for_update())


@bound
def get_dossier(ctx: AppContext, code: str) -> records.Dossier:
    code = code.strip().upper()  # the province letter, as a keyboard-mode scanner or a hand may send it
    if not is_dossier_code(code):
        raise ValidationError(f"“{code}” không phải mã hồ sơ (dạng 000.00.00.H00-yyMMdd-NNNN).", Field.DOSSIER_CODE)
    rows = prepared.fetch(_by_code, code)
    if not rows:
        raise NotFound(f"Không có hồ sơ mã {code} trên máy này.")
    clerk_name: str | None = rows[0].clerk_name  # type: ignore[attr-defined]  # _by_code's joined column
    return to_record(ctx, rows[0], clerk_name=clerk_name or "")


# What a list line shows, and nothing else: a list of a thousand lines builds no model objects (a whole Dossier
# row read and set attribute by attribute cost ten times the query).
ROW_FIELDS = (Dossier.id, Dossier.code, Dossier.applicant_name, Procedure.name, Dossier.received_at, Dossier.due_at,
              Dossier.status, Dossier.applicant_phone, Dossier.workstation, Dossier.received_by)


def list_lines(query: ModelSelect[Dossier]) -> list[records.DossierRow]:
    """List lines of a query over dossiers joined with their procedure (its columns replaced by ROW_FIELDS)."""
    lines = list(cast(Iterable[tuple[Any, ...]], query.select(*ROW_FIELDS).tuples()))
    clerks = _clerk_names({line[-1] for line in lines if line[-1] is not None})
    return [records.DossierRow(id=i, code=code, applicant_name=name, procedure_name=procedure, received_at=received,
                               due_at=due, status=Status(status), applicant_phone=phone, workstation=workstation or 0,
                               clerk_name=clerks.get(clerk, "") if clerk is not None else "")
            for i, code, name, procedure, received, due, status, phone, workstation, clerk in lines]


def _clerk_names(ids: set[int]) -> dict[int, str]:
    """The receiving clerks' names of a list's lines: one look-up of the few users among them."""
    if not ids:
        return {}
    return dict(cast(Iterable[tuple[int, str]],
                     User.select(User.id, User.full_name).where(User.id.in_(sorted(ids))).tuples()))


@bound
def recent_dossiers(ctx: AppContext, limit: int = 200, offset: int = 0) -> list[records.DossierRow]:
    """The newest dossiers first: the main list."""
    query = (Dossier.select(Dossier, Procedure).join(Procedure)
             .order_by(Dossier.received_at.desc(), Dossier.id.desc()).limit(limit).offset(offset))
    return list_lines(query)


@bound
def dossiers_of_applicant(ctx: AppContext, id_number: str, limit: int = 50) -> list[records.DossierRow]:
    query = (Dossier.select(Dossier, Procedure).join(Procedure).switch(Dossier).join(Applicant)
             .where(Applicant.id_number == id_number.strip())
             .order_by(Dossier.received_at.desc()).limit(limit))
    return list_lines(query)


@bound
def count_dossiers(ctx: AppContext) -> int:
    return Dossier.select().count()
