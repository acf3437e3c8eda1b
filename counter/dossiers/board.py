"""Today's board — what the desk must look at now — and the search box. Lists of DossierRow.

Each query is answered from an index, so it stays fast on a million dossiers: received_at for the
day's intake, (status, due_at) for open dossiers in due order (migration 0002), code for codes,
and the applicant's id number, phone and folded-name indexes for people.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from peewee import ModelSelect, fn

from counter import records
from counter.calendar import duedates
from counter.calendar.workdays import WorkCalendar
from counter.clock import local
from counter.context import AppContext, bound
from counter.dossiers import applicants
from counter.dossiers.lookup import list_lines
from counter.dossiers.transitions import CLOCK_RUNNING
from counter.errors import ValidationError
from counter.office.codes import is_dossier_code
from counter.office.profile import get_office
from counter.status import Status
from counter.text import nfc
from db.models import Applicant, Dossier, Procedure

LIMIT = 500
ON_TIME, DUE_SOON, OVERDUE = "on_time", "due_soon", "overdue"

SUFFIX_RE = re.compile(r"^(?:(\d{6})-)?(\d{1,4})$")  # "260213-0361" or "361": the end of a code
SUFFIX_DAYS = 400  # a bare sequence number is looked for in codes of the last 400 days
ID_NUMBER_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^\+?\d{9,11}$")


@bound
def received_today(ctx: AppContext, now: datetime, limit: int = LIMIT,
                   workstation: int | None = None) -> list[records.DossierRow]:
    """Dossiers received today (refusals are not receptions), newest first. Each list is the whole centre's, or
    one counter's (`workstation`, counter.dossiers.scope)."""
    start, end = _day(now)
    where = (Dossier.received_at >= start) & (Dossier.received_at < end) & (Dossier.status != Status.REFUSED)
    query = _select(workstation).where(where).order_by(Dossier.received_at.desc(), Dossier.id.desc())
    return list_lines(query.limit(limit))


@bound
def due_today(ctx: AppContext, now: datetime, limit: int = LIMIT,
              workstation: int | None = None) -> list[records.DossierRow]:
    """Dossiers whose clock runs and whose due time is later today; those already past are in `overdue`."""
    _, end = _day(now)
    where = Dossier.status.in_(CLOCK_RUNNING) & (Dossier.due_at >= local(now)) & (Dossier.due_at < end)
    return list_lines(_select(workstation).where(where).order_by(Dossier.due_at, Dossier.id).limit(limit))


@bound
def overdue(ctx: AppContext, now: datetime, limit: int = LIMIT,
            workstation: int | None = None) -> list[records.DossierRow]:
    """Open dossiers past their due time, most late first. A paused one (supplement) is not late."""
    where = Dossier.status.in_(CLOCK_RUNNING) & (Dossier.due_at < local(now))
    return list_lines(_select(workstation).where(where).order_by(Dossier.due_at, Dossier.id).limit(limit))


@bound
def ready_to_return(ctx: AppContext, limit: int = LIMIT, workstation: int | None = None) -> list[records.DossierRow]:
    """Results waiting for their applicant (rows carry the phone number to call), earliest due first."""
    return _by_status(Status.RESULT_READY, limit, workstation)


@bound
def waiting_supplement(ctx: AppContext, limit: int = LIMIT,
                       workstation: int | None = None) -> list[records.DossierRow]:
    return _by_status(Status.SUPPLEMENT, limit, workstation)


@bound
def find(ctx: AppContext, text: str, limit: int = 50) -> list[records.DossierRow]:
    """The search box: a dossier code or its end ("260213-0361", "361"), a 12-digit id number, a phone
    number, or a name typed with or without accents. Newest dossiers first."""
    text = nfc(text)
    if not text:
        return []
    if is_dossier_code(text.upper()):
        return list_lines(_select().where(Dossier.code == text.upper()))
    suffix = SUFFIX_RE.match(text)
    if suffix:
        return _by_codes(_codes_ending(ctx, suffix), limit)
    compact = re.sub(r"[\s.\-()]", "", text)
    # Applicants read from the database all have an id: the `is not None` checks below drop none of them.
    if ID_NUMBER_RE.match(compact):
        people = [a.id for a in Applicant.select(Applicant.id).where(Applicant.id_number == compact)]
    elif PHONE_RE.match(compact):
        people = [a.id for a in applicants.find_by_phone(ctx, compact) if a.id is not None]
    else:
        people = [a.id for a in applicants.search_by_name(ctx, text) if a.id is not None]
    return _by_applicants(people, limit)


def time_left(now: datetime, dossier: records.Dossier | records.DossierRow,
              cal: WorkCalendar) -> tuple[int | None, str]:
    """Working minutes until the due time (negative when late) and the list colour.

    None when no clock runs: no deadline, paused for a supplement, or finished. 'due_soon' is at
    most one working day left.
    """
    if dossier.due_at is None or dossier.status not in CLOCK_RUNNING:
        return None, ON_TIME
    minutes = duedates.working_minutes_left(now, dossier.due_at, cal)
    if dossier.due_at < now:
        return minutes, OVERDUE
    return minutes, DUE_SOON if minutes <= cal.day_minutes else ON_TIME


def _select(workstation: int | None = None) -> ModelSelect[Dossier]:
    """Dossiers with their procedure; one counter's only when `workstation` is a number."""
    query = Dossier.select(Dossier, Procedure).join(Procedure)
    return query if workstation is None else query.where(Dossier.workstation == workstation)


def _day(now: datetime) -> tuple[datetime, datetime]:
    start = local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def _by_status(status: Status, limit: int, workstation: int | None = None) -> list[records.DossierRow]:
    query = _select(workstation).where(Dossier.status == status).order_by(Dossier.due_at, Dossier.id)
    return list_lines(query.limit(limit))


def _by_codes(codes: list[str], limit: int) -> list[records.DossierRow]:
    if not codes:
        return []
    query = _select().where(Dossier.code.in_(codes)).order_by(Dossier.received_at.desc(), Dossier.id.desc())
    return list_lines(query.limit(limit))


def _by_applicants(ids: list[int], limit: int) -> list[records.DossierRow]:
    if not ids:
        return []
    query = _select().where(Dossier.applicant.in_(ids)).order_by(Dossier.received_at.desc(), Dossier.id.desc())
    return list_lines(query.limit(limit))


def _codes_ending(ctx: AppContext, suffix: re.Match[str]) -> list[str]:
    """The codes that end as SUFFIX_RE matched: exact ones, not a scan of every code (a LIKE '%…' would read
    them all)."""
    try:
        agency = get_office(ctx).agency_id
    except ValidationError:
        return []
    day, seq = suffix.groups()
    seq = seq.zfill(4)
    if day:
        return [f"{agency}-{day}-{seq}"]
    newest = Dossier.select(fn.MAX(Dossier.received_at)).scalar()
    if newest is None:
        return []
    last = local(newest).date()  # the newest reception, not the wall clock: the search needs no clock
    return [f"{agency}-{last - timedelta(days=k):%y%m%d}-{seq}" for k in range(SUFFIX_DAYS)]
