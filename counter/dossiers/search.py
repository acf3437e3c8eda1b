"""Tra cứu (F3): every dossier on this machine, newest first, narrowed by what the clerk typed (a code or its end,
a name with or without accents, a 12-digit id number, a phone number) and by procedure, status and the days it was
received; a page at a time.

Pages follow each other by keyset, not OFFSET: a page starts after the (received_at, id) where the last one ended,
so page 500 costs what page 1 does (OFFSET 900,000 read and threw away 900,000 rows). Every list is read in that
order from an index ending with the id: received_at alone, (status, received_at), (procedure_id, received_at)
(migration 0015), the people's own dossiers (a few each, sorted). No COUNT: the list says whether there are more.

A name that matches few people (MANY_PEOPLE or fewer) lists their dossiers; one that matches more ("nguyen",
"van", two letters) walks the dossiers newest first and keeps those of a matching person, which is fast precisely
because so many match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peewee import Expression, ModelSelect

from counter import records
from counter.clock import VN_TZ
from counter.context import AppContext, bound
from counter.dossiers import applicants
from counter.dossiers.board import ID_NUMBER_RE, PHONE_RE, SUFFIX_RE, _codes_ending
from counter.dossiers.lookup import _rows
from counter.errors import ValidationError
from counter.office.codes import is_dossier_code
from counter.status import Status
from counter.text import nfc
from db.models import Applicant, Dossier, Procedure

PAGE = 100  # rows a page: a screenful several times over, read in a few milliseconds
MANY_PEOPLE = 2000  # more people than this match a name: walk the dossiers instead of listing theirs


@dataclass(frozen=True)
class Criteria:
    """What the clerk asked for; every part empty: every dossier."""

    text: str = ""
    procedure_code: str = ""
    status: Status | None = None
    received_from: date | None = None  # the first day, included
    received_to: date | None = None  # the last day, included

    def is_empty(self) -> bool:
        return not (nfc(self.text) or self.procedure_code or self.status is not None or self.received_from
                    or self.received_to)


@dataclass(frozen=True)
class Position:
    """Where a page ended: its last row's reception time and id. The next page starts after it."""

    received_at: datetime
    id: int


@dataclass(frozen=True)
class Page:
    rows: tuple[records.DossierRow, ...]
    next: Position | None  # None: this was the last page


@bound
def search(ctx: AppContext, criteria: Criteria, after: Position | None = None, limit: int = PAGE) -> Page:
    """The dossiers matching `criteria`, newest first: `limit` of them after `after` (None: from the newest)."""
    query = _matching(ctx, criteria)
    if query is None:
        return Page((), None)
    if after is not None:
        # Written so that SQLite reads the index from the position on (a range on received_at), not from the top.
        query = query.where((Dossier.received_at <= after.received_at)
                            & ((Dossier.received_at < after.received_at) | (Dossier.id < after.id)))
    rows = _rows(query.order_by(Dossier.received_at.desc(), Dossier.id.desc()).limit(limit + 1))
    if len(rows) <= limit:
        return Page(tuple(rows), None)
    last = rows[limit - 1]
    return Page(tuple(rows[:limit]), Position(last.received_at, last.id))


@bound
def newer(ctx: AppContext, criteria: Criteria, than: Position, limit: int = PAGE) -> list[records.DossierRow]:
    """The matching dossiers received after `than` (a list's first row), newest first: those a list shown earlier
    lacks. At most `limit`."""
    query = _matching(ctx, criteria)
    if query is None:
        return []
    query = query.where((Dossier.received_at >= than.received_at)
                        & ((Dossier.received_at > than.received_at) | (Dossier.id > than.id)))
    return _rows(query.order_by(Dossier.received_at.desc(), Dossier.id.desc()).limit(limit))


@bound
def rows_by_code(ctx: AppContext, codes: frozenset[str] | set[str]) -> dict[str, records.DossierRow]:
    """The list lines of these dossiers as they are now (a list shown earlier updates its rows in place)."""
    if not codes:
        return {}
    query = Dossier.select(Dossier, Procedure).join(Procedure).where(Dossier.code.in_(sorted(codes)))
    return {r.code: r for r in _rows(query)}


@bound
def _matching(ctx: AppContext, criteria: Criteria) -> ModelSelect[Dossier] | None:
    """The query of the dossiers `criteria` asks for, in no order yet; None when nothing can match (an unknown
    person or code). A ValidationError for a range whose first day is after its last."""
    if criteria.received_from and criteria.received_to and criteria.received_from > criteria.received_to:
        raise ValidationError(f"Từ ngày {criteria.received_from:%d/%m/%Y} sau đến ngày "
                              f"{criteria.received_to:%d/%m/%Y}: hãy đổi lại khoảng ngày.")
    query = Dossier.select(Dossier, Procedure).join(Procedure)
    conditions: list[Expression] = []
    if criteria.procedure_code:
        conditions.append(Procedure.code == criteria.procedure_code)
    if criteria.status is not None:
        conditions.append(Dossier.status == int(criteria.status))
    if criteria.received_from:
        conditions.append(Dossier.received_at >= _midnight(criteria.received_from))
    if criteria.received_to:
        conditions.append(Dossier.received_at < _midnight(criteria.received_to + timedelta(days=1)))
    for condition in conditions:
        query = query.where(condition)
    text = nfc(criteria.text)
    return _by_text(ctx, query, text) if text else query


def _by_text(ctx: AppContext, query: ModelSelect[Dossier], text: str) -> ModelSelect[Dossier] | None:
    """`query` narrowed to what the search box asks for, read as the board reads it (board.find); None when
    nothing can match."""
    if is_dossier_code(text.upper()):
        return query.where(Dossier.code == text.upper())
    suffix = SUFFIX_RE.match(text)
    if suffix:
        codes = _codes_ending(ctx, suffix)
        return query.where(Dossier.code.in_(codes)) if codes else None
    compact = re.sub(r"[\s.\-()]", "", text)
    if ID_NUMBER_RE.match(compact):
        people = [a.id for a in Applicant.select(Applicant.id).where(Applicant.id_number == compact)]
    elif PHONE_RE.match(compact):
        people = [a.id for a in applicants.find_by_phone(ctx, compact, limit=MANY_PEOPLE) if a.id is not None]
    else:
        people = applicants.name_ids(ctx, text, MANY_PEOPLE + 1)
        if len(people) > MANY_PEOPLE:
            return (query.switch(Dossier).join(Applicant, on=(Applicant.id == Dossier.applicant))
                    .where(applicants.name_condition(text)))
    return query.where(Dossier.applicant.in_(people)) if people else None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), VN_TZ)
