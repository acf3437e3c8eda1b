"""Dossier records for a chunk of the outbox in a handful of queries, instead of seven per dossier.

The same records counter.dossiers.to_record builds (tests/sync/test_bulk.py holds them equal): the
end-of-day batch reads a thousand dossiers, and per-dossier queries would cost more than the network.
"""

from __future__ import annotations

from collections import defaultdict

from counter import history, records
from counter.status import Status
from db.models import Dossier, DossierComponent, DossierFee, DossierHistory, Procedure, ProcedureVersion, User


def _by_dossier(query) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in query:
        grouped[row.dossier_id].append(row)
    return grouped


def dossier_records(ids: list[int]) -> dict[int, records.Dossier]:
    rows = list(Dossier.select().where(Dossier.id.in_(ids)))
    versions = {v.id: v for v in ProcedureVersion.select().where(
        ProcedureVersion.id.in_({r.procedure_version_id for r in rows}))}
    procedures = dict(Procedure.select(Procedure.id, Procedure.code).where(
        Procedure.id.in_({r.procedure_id for r in rows})).tuples())
    clerks = dict(User.select(User.id, User.full_name).tuples())
    components = _by_dossier(DossierComponent.select().where(DossierComponent.dossier.in_(ids))
                             .order_by(DossierComponent.position))
    fees = _by_dossier(DossierFee.select().where(DossierFee.dossier.in_(ids)).order_by(DossierFee.id))
    steps = _by_dossier(DossierHistory.select().where(DossierHistory.dossier.in_(ids))
                        .order_by(DossierHistory.at, DossierHistory.id))
    return {r.id: _record(r, versions[r.procedure_version_id], procedures[r.procedure_id], clerks,
                          components[r.id], fees[r.id], steps[r.id]) for r in rows}


def _record(row: Dossier, version, procedure_code: str, clerks: dict, components, fees, steps) -> records.Dossier:
    return records.Dossier(
        id=row.id, code=row.code, status=Status(row.status),
        procedure_code=procedure_code, procedure_name=version.name, procedure_version=version.version,
        time_rule=records.TimeRule(version.time_rule_kind, version.time_rule_days),
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
        fees=tuple(records.Fee(name=f.name, amount=f.amount, code=f.code, kind=f.kind, paid_at=f.paid_at) for f in fees),
        fee_total=row.fee_total, fee_exempt_reason=row.fee_exempt_reason,
        received_at=row.received_at, due_at=row.due_at, original_due_at=row.original_due_at,
        unit=row.unit, register_book=row.register_book, register_number=row.register_number,
        received_by=clerks.get(row.received_by_id, "") if row.received_by_id else "", workstation=row.workstation,
        has_digitised=row.has_digitised, updated_at=row.updated_at,
        history=tuple(history.to_record(h) for h in steps),
    )
