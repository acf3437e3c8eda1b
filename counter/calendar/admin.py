"""The calendar in the administrator's hands: add or remove a holiday, rest day or make-up working day on the
authority of a document ("Công văn …"), each change a new calendar version; then the open dossiers whose legal due
date the change moves, and the one action that moves the later ones (a history row each, queued for the province).
An earlier date is only ever shown as a warning: an appointment given to a citizen is never brought forward here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from counter import audit, records
from counter.calendar import duedates, schedule, versions
from counter.calendar.workdays import (
    CONFIRMED_KEY,
    HOLIDAY,
    KIND_LABELS,
    REST_DAY,
    WORKDAY,
    WorkCalendar,
    check_kind,
    confirmed_years,
    remove_calendar_day,
    set_calendar_day,
)
from counter.changes import Changes
from counter.clock import local
from counter.context import AppContext, bound
from counter.dossiers import history
from counter.errors import NotFound, ValidationError
from counter.office.roles import ADMINS, require_role
from counter.status import Status
from counter.sync import outbox
from counter.text import nfc
from db.database import is_postgres
from db.models import CalendarDay, Dossier, DossierApology, DossierPause, ProcedureVersion, Setting

# The command line's names for the kinds (main.py calendar add --kind …).
KIND_NAMES = {"holiday": HOLIDAY, "rest": REST_DAY, "working": WORKDAY}
MOVE_ACTION = "calendar_move"
# The clock runs in these (counter.dossiers.transitions.CLOCK_RUNNING): a paused dossier gets its due date again,
# from the calendar then in force, when the supplement comes back.
CLOCK_RUNNING = (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_PAYMENT)


def _require_admin(ctx: AppContext) -> records.User:
    """Only an administrator changes the working calendar (a typed PermissionDenied for anyone else)."""
    return require_role(ctx, ADMINS, "sửa lịch làm việc")


def parse_kind(kind: str) -> str:
    """holiday | rest | working (the command line's words), or the stored kind itself."""
    return check_kind(KIND_NAMES.get(kind.strip().lower(), kind.strip().lower()))


def _source(source: str) -> str:
    source = nfc(source)
    if not source:
        raise ValidationError("Phải ghi văn bản căn cứ của thay đổi (ví dụ: Công văn số 123/UBND-VP ngày 02/01/2027).")
    return source


@bound
def add_day(ctx: AppContext, day: date, kind: str, source: str, note: str = "",
            name: str = "") -> tuple[versions.VersionInfo, Changes]:
    """Make `day` a holiday, a rest day or a make-up working day (replacing what the table said of it)."""
    user = _require_admin(ctx)
    kind, source, note = parse_kind(kind), _source(source), nfc(note)
    if kind == WORKDAY and day.weekday() < 5 and CalendarDay.get_or_none(CalendarDay.date == day) is None:
        raise ValidationError(f"Ngày {day:%d/%m/%Y} là ngày thường trong tuần, vốn đã là ngày làm việc.")
    name = nfc(name) or KIND_LABELS[kind].capitalize()
    with ctx.transaction():
        set_calendar_day(ctx, day, kind, name, source)
        version = versions.record(ctx, "add", at=ctx.clock.now(), actor=user, day=day, kind=kind, source=source,
                                  note=note)
    schedule.invalidate(ctx)
    return version, Changes(calendar=True)


@bound
def confirm_year(ctx: AppContext, year: int, source: str, note: str = "") -> tuple[versions.VersionInfo, Changes]:
    """The administrator declares `year`'s calendar entered in full from its official announcement (`source`, e.g.
    the province's Tết plan): the year stops being named as one with no calendar, and due dates in it are no
    longer warned about. A new calendar version records who and on what authority."""
    user = _require_admin(ctx)
    source, note = _source(source), nfc(note)
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Năm không hợp lệ: {year}.")
    if year in schedule.calendar(ctx).covered_years:
        raise ValidationError(f"Lịch làm việc năm {year} đã có đủ.")
    with ctx.transaction():
        years = sorted(confirmed_years(ctx) | {year})
        Setting.put(CONFIRMED_KEY, ",".join(str(y) for y in years))
        version = versions.record(ctx, "confirm_year", at=ctx.clock.now(), actor=user, day=date(year, 1, 1),
                                  kind="year", source=source, note=note)
    schedule.invalidate(ctx)
    return version, Changes(calendar=True)


@bound
def remove_day(ctx: AppContext, day: date, source: str, note: str = "") -> tuple[versions.VersionInfo, Changes]:
    """Make `day` an ordinary day again (working on a weekday, off at the weekend)."""
    user = _require_admin(ctx)
    source, note = _source(source), nfc(note)
    row = CalendarDay.get_or_none(CalendarDay.date == day)
    if row is None:
        raise NotFound(f"Ngày {day:%d/%m/%Y} không có trong bảng lịch.")
    with ctx.transaction():
        remove_calendar_day(ctx, day)
        version = versions.record(ctx, "remove", at=ctx.clock.now(), actor=user, day=day, kind=row.kind,
                                  source=source, note=note)
    schedule.invalidate(ctx)
    return version, Changes(calendar=True)


# Which appointments a change moves ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DueMove:
    """An open dossier whose legal due date, under the calendar in force, is not the one it was given."""

    code: str
    applicant_name: str
    procedure_name: str
    status: Status
    old_due: datetime
    new_due: datetime

    @property
    def later(self) -> bool:
        return self.new_due > self.old_due


@bound
def impact(ctx: AppContext) -> tuple[DueMove, ...]:
    """The open dossiers whose legal due date differs from the one they were given, in order of the old date.

    The legal due date is computed again from the calendar in force: from reception, or from the last resume after a
    supplement with the working time then left. Not counted: a dossier waiting for a supplement (its due date is
    computed when the clock restarts), one without a deadline, and one with an apology (Mẫu 04: the leader set the
    date by hand)."""
    cal = schedule.calendar(ctx)
    query = (Dossier.select(Dossier, ProcedureVersion).join(ProcedureVersion)
             .where(Dossier.status.in_([int(s) for s in CLOCK_RUNNING]) & Dossier.due_at.is_null(False))
             .order_by(Dossier.due_at, Dossier.id))
    rows = list(query)
    ids = [row.id for row in rows]
    apologised = _apologised(ids)
    resumed = _last_resumes(ids)
    moves = []
    for row in rows:
        if row.id in apologised or row.due_at is None:
            continue
        new_due = _legal_due(row, resumed.get(row.id), cal)
        if new_due is not None and new_due != row.due_at:
            moves.append(DueMove(code=row.code, applicant_name=row.applicant_name,
                                 procedure_name=row.procedure_version.name, status=Status(row.status),
                                 old_due=local(row.due_at), new_due=new_due))
    return tuple(moves)


def _legal_due(row: Dossier, resume: DossierPause | None, cal: WorkCalendar) -> datetime | None:
    if resume is not None and resume.resumed_at is not None and resume.remaining_minutes is not None:
        return duedates.resume_due(resume.resumed_at, resume.remaining_minutes, cal)
    version = row.procedure_version
    return duedates.compute_due(row.received_at, records.TimeRule(version.time_rule_kind, version.time_rule_days),
                                cal)


def _apologised(ids: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(a.dossier_id for a in DossierApology.select(DossierApology.dossier).where(
            DossierApology.dossier.in_(chunk)))
    return found


def _last_resumes(ids: list[int]) -> dict[int, DossierPause]:
    last: dict[int, DossierPause] = {}
    for chunk in _chunks(ids):
        query = (DossierPause.select().where(DossierPause.dossier.in_(chunk) & DossierPause.resumed_at.is_null(False))
                 .order_by(DossierPause.resumed_at, DossierPause.id))
        for pause in query:
            last[pause.dossier_id] = pause  # the latest wins
    return last


def _locked_moves(ctx: AppContext) -> tuple[DueMove, ...]:
    """`impact`'s later moves, read once every dossier they name is locked (FOR UPDATE on PostgreSQL, in id order):
    a counter's change to one of them made meanwhile (a supplement asked, an apology's date, a withdrawal) is waited
    for, then seen, so its dossier is moved from its current state or not at all. Locking can reveal dossiers the
    first reading did not move: they are locked in turn and the moves read again. On SQLite the IMMEDIATE
    transaction holds the whole file already."""
    moves = tuple(m for m in impact(ctx) if m.later)
    if not is_postgres(ctx.database):
        return moves
    locked: set[str] = set()
    while wanted := {m.code for m in moves} - locked:
        codes = sorted(wanted)
        for start in range(0, len(codes), 500):
            list(Dossier.select(Dossier.id).where(Dossier.code.in_(codes[start:start + 500])).order_by(Dossier.id)
                 .for_update())
        locked |= wanted
        moves = tuple(m for m in impact(ctx) if m.later)
    return moves


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


@bound
def move_later(ctx: AppContext, source: str, note: str = "") -> tuple[tuple[DueMove, ...], Changes]:
    """Give every open dossier whose legal due date is now later that later date: a history row each (with the
    document), its update and step queued for the province, the calendar version recorded on it. Earlier dates
    are left as they are (the impact list keeps showing them as a warning)."""
    user = _require_admin(ctx)
    source, note = _source(source), nfc(note)
    now = ctx.clock.now()
    with ctx.transaction():
        moves = _locked_moves(ctx)
        version = schedule.calendar(ctx).version
        for move in moves:
            row = Dossier.get(Dossier.code == move.code)
            Dossier.update(due_at=move.new_due, original_due_at=row.original_due_at or row.due_at,
                           calendar_version=version, updated_at=now).where(Dossier.id == row.id).execute()
            status = Status(row.status)
            text = (f"Dời ngày hẹn trả từ {_when(move.old_due)} sang {_when(move.new_due)} do thay đổi lịch làm "
                    f"việc ({source})" + (f". {note}" if note else ""))
            history.record(ctx, row, MOVE_ACTION, status, at=now, actor=user, from_status=status,
                           from_unit=row.unit, to_unit=row.unit, note=text, due_at=move.new_due)
            outbox.enqueue_dossier(ctx, row, now)
        if moves:
            audit.record(ctx, "calendar", f"Dời lịch hẹn của {len(moves)} hồ sơ theo lịch làm việc mới ({source}).",
                         detail={"codes": [m.code for m in moves], "source": source, "note": note})
    if not moves:
        return moves, Changes()
    return moves, Changes(dossiers=frozenset(m.code for m in moves), sync_queue=True, to_send=True)


def _when(dt: datetime) -> str:
    return f"{local(dt):%H:%M} ngày {local(dt):%d/%m/%Y}"


# Years without a calendar ----------------------------------------------------------------------------------


@bound
def years_without_calendar(ctx: AppContext, years: Iterable[int]) -> list[int]:
    """Those of `years` for which no whole calendar was loaded (their holidays are the package's estimates)."""
    covered = schedule.calendar(ctx).covered_years
    return sorted({y for y in years if y not in covered})


@bound
def missing_calendar_notice(ctx: AppContext, today: date) -> str:
    """"Chưa có lịch làm việc năm 2027" for this year and the next, or "" when both are loaded."""
    missing = years_without_calendar(ctx, (today.year, today.year + 1))
    return "; ".join(f"Chưa có lịch làm việc năm {y}" for y in missing)


@bound
def due_date_warning(ctx: AppContext, received_at: datetime, due_at: datetime | None) -> str:
    """What to tell the clerk when a due date falls in (or runs through) a year with no loaded calendar."""
    if due_at is None:
        return ""
    missing = years_without_calendar(ctx, range(local(received_at).year, local(due_at).year + 1))
    if not missing:
        return ""
    years = ", ".join(str(y) for y in missing)
    return (f"Chưa có lịch làm việc năm {years}: ngày hẹn trả tính theo ngày lễ dự kiến, có thể thay đổi. "
            "Hãy báo quản trị viên nạp lịch làm việc.")
