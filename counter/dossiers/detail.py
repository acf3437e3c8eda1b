"""The dossier page's data: the dossier with its pauses, result, return, rating and apology.

The page paints the dossier itself first (`get_dossier`: its row, papers, fees and history, enough for the
header, the facts and the actions offered) and reads what happened after reception (`detail_of`) a moment later.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import TypeVar, cast

from peewee import Field, Model, ModelSelect

from counter import records
from counter.context import AppContext, bound
from counter.dossiers import transitions
from counter.dossiers.lookup import get_dossier
from counter.records import Apology, DossierDetail, Pause, Rating, Result, Returned, Stopped
from db import prepared
from db.models import DossierApology, DossierPause, DossierResult, DossierReturn, DossierStop, ServiceRating, User

M = TypeVar("M", bound=Model)


@bound
def load_detail(ctx: AppContext, code: str, user: records.User | None = None) -> DossierDetail:
    """Everything about one dossier; `allowed_actions` checks roles only when `user` is given."""
    return detail_of(ctx, get_dossier(ctx, code), user)


@bound
def detail_of(ctx: AppContext, dossier: records.Dossier, user: records.User | None = None) -> DossierDetail:
    """Everything about a dossier already read: its pauses, result, return, rating, apology and stop (each an
    indexed look-up by the dossier's id) with the actions it allows."""
    pauses = prepared.fetch(_pauses, dossier.id)
    result = _first(prepared.fetch(_of_dossier(DossierResult), dossier.id))
    returned = _first(prepared.fetch(_of_dossier(DossierReturn), dossier.id))
    rating = _first(prepared.fetch(_of_dossier(ServiceRating), dossier.id))
    apology = _first(prepared.fetch(_of_dossier(DossierApology), dossier.id))
    stopped = _first(prepared.fetch(_of_dossier(DossierStop), dossier.id))
    return DossierDetail(
        dossier=dossier,
        pauses=tuple(_pause(p) for p in pauses),
        result=_result(result) if result else None,
        returned=_returned(returned) if returned else None,
        rating=Rating(rated_at=rating.rated_at, level=rating.level, reason=rating.reason) if rating else None,
        apology=_apology(apology) if apology else None,
        allowed_actions=tuple(transitions.allowed_actions(dossier, user)),
        stopped=Stopped(stopped.stopped_at, stopped.reason, stopped.signer_name, stopped.signer_title)
        if stopped else None,
    )


# Each a probe of an index on the dossier's id, its SQL built once (db.prepared): the page reads them on every scan.

def _pauses(dossier_id: int) -> ModelSelect[DossierPause]:
    return DossierPause.select().where(DossierPause.dossier == dossier_id).order_by(DossierPause.id)


@cache
def _of_dossier(model: type[M]) -> Callable[[int], ModelSelect[M]]:
    """The query of `model`'s row of one dossier (a result, a return, a rating, an apology, a stop): one builder per
    model, since db.prepared keeps each builder's SQL."""
    column = cast(Field, model._meta.fields["dossier"])

    def rows(dossier_id: int) -> ModelSelect[M]:
        return model.select().where(column == dossier_id)
    return rows


def _user(user_id: int) -> ModelSelect[User]:
    return User.select().where(User.id == user_id)


def _first(rows: list[M]) -> M | None:
    return rows[0] if rows else None


def _name(user_id: int | None) -> str:
    user = _first(prepared.fetch(_user, user_id)) if user_id else None
    return user.full_name if user else ""


def _pause(row: DossierPause) -> Pause:
    return Pause(
        unit=row.unit, paused_at=row.paused_at, reason=row.reason,
        items=tuple(records.GuidanceItem(name, problem) for name, problem in json.loads(row.items)),
        due_before=row.due_before, remaining_minutes=row.remaining_minutes, resumed_at=row.resumed_at,
        due_after=row.due_after, requested_by=_name(row.requested_by_id),
    )


def _result(row: DossierResult) -> Result:
    return Result(recorded_at=row.recorded_at, number=row.number, result_code=row.result_code,
                  result_name=row.result_name, note=row.note, recorded_by=_name(row.recorded_by_id))


def _returned(row: DossierReturn) -> Returned:
    return Returned(returned_at=row.returned_at, collector_name=row.collector_name,
                    collector_id_number=row.collector_id_number, authorised=row.authorised,
                    returned_by=_name(row.returned_by_id))


def _apology(row: DossierApology) -> Apology:
    return Apology(issued_at=row.issued_at, reason=row.reason, due_before=row.due_before, new_due=row.new_due,
                   signer_name=row.signer_name, signer_title=row.signer_title)
