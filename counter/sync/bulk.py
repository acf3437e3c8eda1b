"""Dossier records for a chunk of the outbox in a handful of queries, instead of seven per dossier.

The same records counter.dossiers.to_record builds (tests/sync/test_bulk.py holds them equal): the
end-of-day batch reads a thousand dossiers, and per-dossier queries would cost more than the network.
"""

from __future__ import annotations

from collections import defaultdict

from counter import records
from counter.dossiers import build_record
from db.models import Dossier, DossierComponent, DossierFee, DossierHistory, User


def _by_dossier(query) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in query:
        grouped[row.dossier_id].append(row)
    return grouped


def dossier_records(ids: list[int]) -> dict[int, records.Dossier]:
    rows = list(Dossier.select().where(Dossier.id.in_(ids)))
    clerks = dict(User.select(User.id, User.full_name).tuples())
    components = _by_dossier(DossierComponent.select().where(DossierComponent.dossier.in_(ids))
                             .order_by(DossierComponent.position))
    fees = _by_dossier(DossierFee.select().where(DossierFee.dossier.in_(ids)).order_by(DossierFee.id))
    steps = _by_dossier(DossierHistory.select().where(DossierHistory.dossier.in_(ids))
                        .order_by(DossierHistory.at, DossierHistory.id))
    return {r.id: build_record(r, clerks.get(r.received_by_id, ""), components[r.id], fees[r.id], steps[r.id])
            for r in rows}
