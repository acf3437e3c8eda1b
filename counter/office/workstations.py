"""Which PC holds each workstation number (issue 20): the number is the PC's, the codes it issues the database's.

In office mode (PostgreSQL, several counters on one database) a PC's number is in its local configuration
(counter.office.local_config) and registered in the centre's database (`workstation_claim`, migration 0020) to the
PC's machine id: a second PC claiming a number another holds is refused in Vietnamese (`WorkstationTaken`), even
when both claim at the same moment (the primary key refuses the second insert). An administrator releases a number
explicitly (`release`, audited: a PC replaced or reinstalled). A PC that changes its number gives its previous one
back. On SQLite (one PC, one file) the office row keeps the number as it always did; it is registered here too,
harmlessly, and a claim there takes the number over (the file may have been copied from a PC now gone).

Before a code is issued in office mode (counter.office.code_ledger.check_can_issue → `require_number`) this PC
must have a number and no other PC may hold it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from peewee import IntegrityError

from counter import audit
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import Field, ValidationError
from counter.office import local_config
from counter.office.codes import validate_workstation
from counter.office.roles import require_role
from db.database import OfficeDatabase, application_name, is_postgres
from db.models import WorkstationClaim

log = logging.getLogger(__name__)

RELEASE_HOW = "main.py settings release-workstation {n} --by QUẢN_TRỊ_VIÊN"


class WorkstationTaken(ValidationError):
    """The number is held by another PC of the centre."""


class NoWorkstation(ValidationError):
    """Office mode: this PC has no workstation number (or lost it to another PC): it cannot issue codes."""


@dataclass(frozen=True)
class Holder:
    number: int
    machine_id: str
    machine_name: str
    claimed_at: datetime


def _holder(row: WorkstationClaim) -> Holder:
    return Holder(row.number, row.machine_id, row.machine_name, row.claimed_at)


def office_mode(ctx: AppContext) -> bool:
    return is_postgres(ctx.database)


@bound
def holders(ctx: AppContext) -> list[Holder]:
    """Every number claimed, in order."""
    return [_holder(row) for row in WorkstationClaim.select().order_by(WorkstationClaim.number)]


@bound
def holder(ctx: AppContext, number: int) -> Holder | None:
    row = WorkstationClaim.get_or_none(WorkstationClaim.number == number)
    return _holder(row) if row is not None else None


def _taken(held: Holder) -> WorkstationTaken:
    return WorkstationTaken(
        f"Số máy tiếp nhận {held.number} đang thuộc máy “{held.machine_name}” (nhận từ "
        f"{held.claimed_at:%H:%M ngày %d/%m/%Y}): hai máy cùng một số sẽ cấp trùng mã hồ sơ. Chọn số khác, hoặc nếu "
        f"máy đó không còn dùng, quản trị viên giải phóng số này trước ({RELEASE_HOW.format(n=held.number)}).",
        Field.WORKSTATION)


@bound
def claim(ctx: AppContext, number: int) -> Changes:
    """Register `number` to this PC (its machine id, made the first time) and, in office mode, keep it in the PC's
    configuration and in `ctx.workstation`, giving back the number it held before. WorkstationTaken when another PC
    holds it in office mode; on SQLite the claim takes it over."""
    validate_workstation(number)
    config = local_config.with_machine_id(local_config.load())
    shared = office_mode(ctx)
    previous = config.workstation if shared and config.workstation != number else None
    try:
        with ctx.transaction():
            query = WorkstationClaim.select().where(WorkstationClaim.number == number)
            row = (query.for_update() if shared else query).first()
            if row is not None and row.machine_id != config.machine_id and shared:
                raise _taken(_holder(row))
            now = ctx.clock.now()
            if row is None:
                WorkstationClaim.create(number=number, machine_id=config.machine_id,
                                        machine_name=config.machine_name, claimed_at=now)
            elif (row.machine_id, row.machine_name) != (config.machine_id, config.machine_name):
                WorkstationClaim.update(machine_id=config.machine_id, machine_name=config.machine_name,
                                        claimed_at=now).where(WorkstationClaim.number == number).execute()
            gave_back = previous is not None and WorkstationClaim.delete().where(
                (WorkstationClaim.number == previous) & (WorkstationClaim.machine_id == config.machine_id)).execute()
            if not shared:  # one PC, one file: the office row's number is the only one
                WorkstationClaim.delete().where(WorkstationClaim.number != number).execute()
            if shared and (row is None or row.machine_id != config.machine_id or gave_back):
                back = f", trả lại số {previous}" if gave_back else ""
                audit.record(ctx, "settings", f"Máy “{config.machine_name}” nhận số máy tiếp nhận {number}{back}.",
                             detail={"workstation": number, "machine_id": config.machine_id,
                                     "machine_name": config.machine_name, "previous": previous if gave_back else None})
    except IntegrityError:  # another PC inserted the same number between our look and our insert
        held = holder(ctx, number)
        if held is None:
            raise
        raise _taken(held) from None
    if shared:
        local_config.save(replace(config, workstation=number))
        ctx.workstation = number
        _name_connections(ctx, number, config.machine_name)
        from counter.office import code_ledger
        code_ledger.register(ctx)  # this PC issues this number's codes from this database from now on
    return Changes(settings=True)


@bound
def release(ctx: AppContext, number: int) -> Changes:
    """An administrator frees `number` (its PC is gone, or reinstalled with a new machine id); audited. When it was
    this PC's, this PC has no number until it claims one."""
    admin = require_role(ctx, ("admin",), "giải phóng số máy tiếp nhận")
    validate_workstation(number)
    with ctx.transaction():
        row = WorkstationClaim.get_or_none(WorkstationClaim.number == number)
        if row is None:
            raise ValidationError(f"Số máy tiếp nhận {number} chưa thuộc máy nào: không có gì để giải phóng.",
                                  Field.WORKSTATION)
        WorkstationClaim.delete().where(WorkstationClaim.number == number).execute()
        audit.record(ctx, "settings", f"Quản trị viên {admin.username} giải phóng số máy tiếp nhận {number} của máy "
                     f"“{row.machine_name}”.", detail={"workstation": number, "machine_id": row.machine_id,
                                                       "machine_name": row.machine_name})
    config = local_config.load()
    if office_mode(ctx) and config.machine_id == row.machine_id:
        local_config.save(replace(config, workstation=None))
        ctx.workstation = None
        _name_connections(ctx, None, config.machine_name)
    return Changes(settings=True)


def _name_connections(ctx: AppContext, number: int | None, machine_name: str) -> None:
    """Office mode: this PC's connections named after its workstation in pg_stat_activity ("quay-mot-cua may3 …"),
    so that a restore refused while counters are connected names them (counter.office.server_backups)."""
    if isinstance(ctx.database, OfficeDatabase):
        ctx.database.rename(application_name(number, machine_name))


@bound
def at_start(ctx: AppContext) -> int | None:
    """Office mode, once opened: this PC's number from its configuration, claimed again if it was released and
    nobody took it, into `ctx.workstation`; None (logged; receiving then says why) when it has none or another PC
    holds it now."""
    config = local_config.load()
    ctx.workstation = None
    if config.workstation is None:
        return None
    try:
        claim(ctx, config.workstation)
    except WorkstationTaken as e:
        log.warning("this PC's workstation number is held by another PC: %s", e)
        return None
    return ctx.workstation


@bound
def require_number(ctx: AppContext) -> int | None:
    """Office mode: this PC's number, when it has one that no other PC holds; NoWorkstation saying what to do
    otherwise. None on SQLite (the office row's number is the one)."""
    if not office_mode(ctx):
        return None
    config = local_config.load()
    number = ctx.workstation if ctx.workstation is not None else config.workstation
    held = holder(ctx, number) if number is not None else None
    if held is not None and held.machine_id != config.machine_id:
        raise NoWorkstation(f"Số máy tiếp nhận {held.number} của máy này nay thuộc máy “{held.machine_name}”: máy "
                            "này không cấp mã hồ sơ theo số đó nữa. Quản trị viên đặt cho máy này một số khác.",
                            Field.WORKSTATION)
    if ctx.workstation is None:
        raise NoWorkstation("Máy này chưa có số máy tiếp nhận trong trung tâm nên chưa cấp được mã hồ sơ: quản trị "
                            "viên đặt số cho máy này (main.py settings set workstation SỐ, hoặc Quản trị).",
                            Field.WORKSTATION)
    return ctx.workstation
