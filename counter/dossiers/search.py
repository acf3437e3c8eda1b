"""Tra cứu (F3): every dossier on this machine, newest first, narrowed by what the clerk typed (a code or its end,
a name with or without accents, a 12-digit id number, a phone number) and by procedure, status and the days it was
received; a page at a time.

Pages follow each other by keyset, not OFFSET: a page starts after the row where the last one ended, so page 500
costs what page 1 does (OFFSET 900,000 read and threw away 900,000 rows). No COUNT: the list says whether there
are more. Every list is read in order from an index, never sorted whole:

- a name: the dossier_search trigram index (migration 0015), in rowid order: newest recorded first (on one machine
  the order of reception), stopping at the page's end however many dossiers match. Three letters or more match
  inside the name; two letters the start of a word (applicants.WORD_START_BELOW says why); one letter the start
  of the name, walking the dossiers newest first (so many match that a page comes quickly);
- otherwise newest received first, (received_at, id), from received_at's index, (status, received_at) or
  (procedure_id, received_at) (migration 0015), or the few dossiers of one code, person or phone, sorted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peewee import Column, ColumnBase, ModelSelect, Ordering, Table

from counter import records
from counter.clock import VN_TZ
from counter.context import AppContext, bound
from counter.dossiers import applicants
from counter.dossiers.board import ID_NUMBER_RE, PHONE_RE, SUFFIX_RE, _codes_ending
from counter.dossiers.lookup import ROW_FIELDS, list_lines
from counter.errors import ValidationError
from counter.office.codes import is_dossier_code
from counter.status import Status
from counter.text import fold, nfc
from db.models import Applicant, Dossier, Procedure
from db.portable import contains

PAGE = 50  # rows a page: two screenfuls; a rare name's page costs about in proportion (its matches are sparse)
PEOPLE = 200  # at most this many applicants share an id number or a phone
NAMES = Table("dossier_search")  # FTS5, trigram: " " + the applicant's folded name, by dossier id
NAME_ROWID = Column(NAMES, "rowid")


@dataclass(frozen=True)
class Criteria:
    """What the clerk asked for; every part empty: every dossier."""

    text: str = ""
    procedure_code: str = ""
    status: Status | None = None
    received_from: date | None = None  # the first day, included
    received_to: date | None = None  # the last day, included
    workstation: int | None = None  # one counter's dossiers; None: the whole centre (counter.dossiers.scope)

    def is_empty(self) -> bool:
        return not (nfc(self.text) or self.procedure_code or self.status is not None or self.received_from
                    or self.received_to or self.workstation is not None)


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
    found = _matching(ctx, criteria)
    if found is None:
        return Page((), None)
    query, by_id = found
    if after is not None and by_id:
        query = query.where(_id(by_id) < after.id)
    elif after is not None:
        # Written so that SQLite reads the index from the position on (a range on received_at), not from the top.
        query = query.where((Dossier.received_at <= after.received_at)
                            & ((Dossier.received_at < after.received_at) | (Dossier.id < after.id)))
    rows = list_lines(query.order_by(*_newest_first(by_id)).limit(limit + 1))
    if len(rows) <= limit:
        return Page(tuple(rows), None)
    last = rows[limit - 1]
    return Page(tuple(rows[:limit]), Position(last.received_at, last.id))


@bound
def newer(ctx: AppContext, criteria: Criteria, than: Position, limit: int = PAGE) -> list[records.DossierRow]:
    """The matching dossiers a list whose first row is `than` lacks (received, or recorded, since), newest first.
    At most `limit`."""
    found = _matching(ctx, criteria)
    if found is None:
        return []
    query, by_id = found
    if by_id:
        query = query.where(_id(by_id) > than.id)
    else:
        query = query.where((Dossier.received_at >= than.received_at)
                            & ((Dossier.received_at > than.received_at) | (Dossier.id > than.id)))
    return list_lines(query.order_by(*_newest_first(by_id)).limit(limit))


def _id(by_id: str) -> ColumnBase:
    """The id a list in id order is paged by: the FTS index's rowid when it drives the query (SQLite hands the
    range to it), else the dossier's."""
    return NAME_ROWID if by_id == _BY_NAME else Dossier.id


def _newest_first(by_id: str) -> tuple[Ordering, ...]:
    if by_id:
        return (_id(by_id).desc(),)
    return Dossier.received_at.desc(), Dossier.id.desc()


@bound
def rows_by_code(ctx: AppContext, codes: frozenset[str] | set[str]) -> dict[str, records.DossierRow]:
    """The list lines of these dossiers as they are now (a list shown earlier updates its rows in place)."""
    if not codes:
        return {}
    query = Dossier.select(*ROW_FIELDS).join(Procedure).where(Dossier.code.in_(sorted(codes)))
    return {r.code: r for r in list_lines(query)}


_BY_NAME, _BY_ID = "name", "id"  # lists in id order: driven by the names' index, or walking the dossiers


@bound
def _matching(ctx: AppContext, criteria: Criteria) -> tuple[ModelSelect[Dossier], str] | None:
    """The query of the dossiers `criteria` asks for, in no order yet, and the order its list is read in ("" for
    (received_at, id), else by id: _BY_NAME or _BY_ID); None when nothing can match (an unknown person or code).
    A ValidationError for a range whose first day is after its last."""
    if criteria.received_from and criteria.received_to and criteria.received_from > criteria.received_to:
        raise ValidationError(f"Từ ngày {criteria.received_from:%d/%m/%Y} sau đến ngày "
                              f"{criteria.received_to:%d/%m/%Y}: hãy đổi lại khoảng ngày.")
    query = Dossier.select(*ROW_FIELDS).join(Procedure)
    if criteria.procedure_code:
        query = query.where(Procedure.code == criteria.procedure_code)
    if criteria.status is not None:
        query = query.where(Dossier.status == int(criteria.status))
    if criteria.workstation is not None:
        query = query.where(Dossier.workstation == criteria.workstation)
    if criteria.received_from:
        query = query.where(Dossier.received_at >= _midnight(criteria.received_from))
    if criteria.received_to:
        query = query.where(Dossier.received_at < _midnight(criteria.received_to + timedelta(days=1)))
    text = nfc(criteria.text)
    return _by_text(ctx, query, text) if text else (query, "")


def _by_text(ctx: AppContext, query: ModelSelect[Dossier], text: str) -> tuple[ModelSelect[Dossier], str] | None:
    """`query` narrowed to what the search box asks for, read as the board reads it (board.find)."""
    if is_dossier_code(text.upper()):
        return query.where(Dossier.code == text.upper()), ""
    suffix = SUFFIX_RE.match(text)
    if suffix:
        codes = _codes_ending(ctx, suffix)
        return (query.where(Dossier.code.in_(codes)), "") if codes else None
    compact = re.sub(r"[\s.\-()]", "", text)
    if ID_NUMBER_RE.match(compact):
        people = [a.id for a in Applicant.select(Applicant.id).where(Applicant.id_number == compact)]
    elif PHONE_RE.match(compact):
        people = [a.id for a in applicants.find_by_phone(ctx, compact, limit=PEOPLE) if a.id is not None]
    else:
        return _by_name(ctx, query, text)
    return (query.where(Dossier.applicant.in_(people)), "") if people else None


def _by_name(ctx: AppContext, query: ModelSelect[Dossier], text: str) -> tuple[ModelSelect[Dossier], str] | None:
    needle = fold(text)
    if not needle:
        return None
    if len(needle) < applicants.WORD_START_BELOW - 1:
        # One letter: the start of the name, walking the dossiers newest first with their applicant.
        return (query.switch(Dossier).join(Applicant, on=(Applicant.id == Dossier.applicant))
                .where(applicants.name_condition(ctx, needle)), _BY_ID)
    phrase = needle if len(needle) >= applicants.WORD_START_BELOW else " " + needle  # " vu": a word's start
    return (query.switch(Dossier).join(NAMES, on=(Dossier.id == NAME_ROWID))
            .where(contains(ctx.database, NAMES, "name", phrase)), _BY_NAME)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), VN_TZ)
