"""Dossier records for a chunk of the outbox in a handful of queries, instead of seven per dossier.

The same records counter.dossiers.lookup.to_record builds (tests/sync/test_bulk.py holds them equal): the
end-of-day batch reads a thousand dossiers, and per-dossier queries would cost more than the network.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol, TypeVar

from counter import records
from counter.context import AppContext, bound
from counter.dossiers.lookup import build_record
from counter.sync.payload import Extras, Supplement
from counter.sync.rows import tuples
from db.models import Dossier, DossierComponent, DossierFee, DossierHistory, DossierPause, DossierReturn, User


class _ChildRow(Protocol):
    dossier_id: int


_Row = TypeVar("_Row", bound=_ChildRow)


def _by_dossier(query: Iterable[_Row]) -> defaultdict[int, list[_Row]]:
    """The rows per dossier id; a dossier without any reads as an empty list."""
    grouped: defaultdict[int, list[_Row]] = defaultdict(list)
    for row in query:
        grouped[row.dossier_id].append(row)
    return grouped


@bound
def dossier_records(ctx: AppContext, ids: list[int]) -> dict[int, records.Dossier]:
    rows = list(Dossier.select().where(Dossier.id.in_(ids)))
    clerks: dict[int, str] = dict(tuples(User.select(User.id, User.full_name)))
    components = _by_dossier(DossierComponent.select().where(DossierComponent.dossier.in_(ids))
                             .order_by(DossierComponent.position))
    fees = _by_dossier(DossierFee.select().where(DossierFee.dossier.in_(ids)).order_by(DossierFee.id))
    steps = _by_dossier(DossierHistory.select().where(DossierHistory.dossier.in_(ids))
                        .order_by(DossierHistory.at, DossierHistory.id))
    return {r.id: build_record(ctx, r, "" if r.received_by_id is None else clerks.get(r.received_by_id, ""),
                               components[r.id], fees[r.id], steps[r.id])
            for r in rows}


def _supplement(pause: DossierPause, names: dict[int, str]) -> Supplement:
    asked_by = names.get(pause.requested_by_id, "") if pause.requested_by_id is not None else ""
    try:
        items = json.loads(pause.items or "[]")
    except ValueError:  # the papers are a detail: a damaged list must not keep the dossier from the province
        items = []
    papers = tuple((str(i[0]), str(i[1]) if len(i) > 1 else "") for i in items if isinstance(i, list) and i)
    return Supplement(pause.paused_at, pause.reason, pause.due_before, pause.due_after, asked_by=asked_by or pause.unit,
                      brought_at=pause.resumed_at, papers=papers)


@bound
def dossier_extras(ctx: AppContext, ids: list[int]) -> dict[int, Extras]:
    """What the province is told beyond the record: the supplements asked and who collected the result."""
    pauses = _by_dossier(DossierPause.select().where(DossierPause.dossier.in_(ids)).order_by(DossierPause.id))
    returns = {r.dossier_id: r for r in DossierReturn.select().where(DossierReturn.dossier.in_(ids))}
    names: dict[int, str] = dict(tuples(User.select(User.id, User.full_name)))
    extras = {}
    for dossier_id in ids:
        supplements = tuple(_supplement(p, names) for p in pauses[dossier_id])
        ret = returns.get(dossier_id)
        collector = ""
        if ret is not None:
            collector = f"{ret.collector_name}, số định danh {ret.collector_id_number}" + (
                " (người được ủy quyền)" if ret.authorised else "")
        extras[dossier_id] = Extras(supplements, collector)
    return extras
