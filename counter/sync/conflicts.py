"""Status changes made at the province, against ours: apply them, or record a conflict for the clerk.

`OutboxEntry.sent_status` is the local status whose national code (through the province's status
mapping, counter.sync.profiles) the province last confirmed for the dossier (our acknowledged upsert,
or a status we took from it). A province status other than that code is a change made at the province.
It is applied only when this machine has nothing unsent for the dossier; otherwise the dossier's entry
is parked in 'attention' with a "Xung đột" message and neither side overwrites the other until a person
decides (`resolve`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from counter.changes import Changes, dossier_changed
from counter.context import AppContext, bound
from counter.dossiers import pauses
from counter.dossiers.lookup import lock_dossier
from counter.errors import ValidationError
from counter.status import Status
from counter.sync.client import JsonObject, ProvinceClient
from counter.sync.outbox import ATTENTION, PENDING, SYNCED, in_state
from counter.sync.payload import DossierPayload, national_date
from counter.sync.profiles import StatusMap
from db.models import Dossier, DossierHistory, OutboxEntry

PROVINCE = "Hệ thống tỉnh"
ACTION = "province_update"
CONFLICT_PREFIX = "Xung đột"  # starts the last_error of a dossier entry parked for the clerk to decide


def is_conflict(entry: OutboxEntry | None) -> TypeGuard[OutboxEntry]:
    """A dossier entry parked for the clerk to choose which side's status stands."""
    return entry is not None and entry.state == ATTENTION and entry.last_error.startswith(CONFLICT_PREFIX)


@dataclass(frozen=True)
class StatusChange:
    code: str
    local: int
    province: int

    def describe(self) -> str:
        return f"{self.code}: {Status(self.local).label} → {Status(self.province).label}"


COLLISION_PREFIX = "Trùng mã hồ sơ"  # starts the last_error of a dossier the province holds as someone else's


def portal_status(found: JsonObject | None) -> int | None:
    """TrangThaiHoSo of a dossier the province returned, if it is a national status code."""
    try:
        status = int(str((found or {}).get("TrangThaiHoSo", "")))
    except ValueError:
        return None
    return status if status in {int(s) for s in Status} else None


def _applicant_id(dossier: Mapping[str, Any]) -> str:
    """The id number a dossier body names: SoGiayToChuHoSo, else its first DinhDanhCHS."""
    number = str(dossier.get("SoGiayToChuHoSo") or "")
    identities = dossier.get("DinhDanhCHS")
    if not number and isinstance(identities, list) and identities and isinstance(identities[0], dict):
        number = str(identities[0].get("SoDinhDanh") or "")
    return number


def collision(found: JsonObject, ours: Mapping[str, Any] | DossierPayload) -> str | None:
    """Why the dossier the province holds under our code is not ours, or None if nothing says so: its applicant's
    id number or its reception time (to the minute) differ from ours. A field it does not return proves nothing."""
    theirs_id, ours_id = _applicant_id(found), _applicant_id(ours)
    theirs_at = str(found.get("NgayTiepNhan") or "")[:12]
    if theirs_id and theirs_id != ours_id:
        why = f"người nộp có số giấy tờ {theirs_id}, máy này ghi {ours_id}"
    elif theirs_at and theirs_at != ours["NgayTiepNhan"][:12]:
        why = f"tiếp nhận lúc {_when(theirs_at)}, máy này ghi {_when(ours['NgayTiepNhan'][:12])}"
    else:
        return None
    return (f"{COLLISION_PREFIX}: hệ thống tỉnh đã có một hồ sơ khác mang mã {ours['MaHoSo']} ({why}). Không ghi đè. "
            "Thường do hai máy dùng cùng một số máy tiếp nhận, hoặc cơ sở dữ liệu được khôi phục: quản trị viên hãy "
            "đặt cho máy này một số máy tiếp nhận chưa máy nào dùng (Quản trị, hoặc main.py settings set workstation "
            "N), báo bộ phận CNTT của tỉnh, và hẹn công dân nhận phiếu tiếp nhận có mã mới.")


def _when(stamp: str) -> str:
    """yyyyMMddHHmm → HH:MM dd/MM/yyyy for a message."""
    return f"{stamp[8:10]}:{stamp[10:12]} {stamp[6:8]}/{stamp[4:6]}/{stamp[:4]}" if len(stamp) == 12 else stamp


@bound
def identity(ctx: AppContext, code: str) -> dict[str, str]:
    """What `collision` compares, for a dossier of ours, read from its row (no full payload needed)."""
    row = Dossier.get(Dossier.code == code)
    return {"MaHoSo": code, "SoGiayToChuHoSo": row.applicant_id_number, "NgayTiepNhan": national_date(row.received_at)}


@bound
def record_collision(ctx: AppContext, code: str, why: str) -> None:
    """Park the dossier's entry: the province holds someone else's dossier under its code (`collision`)."""
    with ctx.transaction():
        entry = dossier_entry(ctx, Dossier.get(Dossier.code == code).id)
        if entry is not None:
            OutboxEntry.update(state=ATTENTION, last_error=why, updated_at=ctx.clock.now()
                               ).where(OutboxEntry.id == entry.id).execute()


@bound
def collisions(ctx: AppContext, limit: int = 20) -> list[str]:
    """The codes of the dossiers parked because the province holds someone else's dossier under them."""
    rows = (OutboxEntry.select(OutboxEntry.key)
            .where(in_state(ATTENTION) & OutboxEntry.last_error.startswith(COLLISION_PREFIX))
            .order_by(OutboxEntry.id).limit(limit))
    return [row.key for row in rows]


def is_collision(entry: OutboxEntry | None) -> bool:
    return entry is not None and entry.state == ATTENTION and entry.last_error.startswith(COLLISION_PREFIX)


def conflict_message(province: int) -> str:
    return (f"{CONFLICT_PREFIX}: tỉnh đã đổi trạng thái thành “{Status(province).label}” trong khi máy này có thay đổi "
            "chưa đồng bộ. Hãy kiểm tra với bộ phận xử lý trước khi gửi lại.")


@bound
def dossier_entry(ctx: AppContext, dossier_id: int) -> OutboxEntry | None:
    return OutboxEntry.get_or_none((OutboxEntry.kind == "dossier") & (OutboxEntry.dossier == dossier_id))


def province_changed(entry: OutboxEntry, province: int, statuses: StatusMap) -> bool:
    """Whether the province's status (a national code) is not the one it last confirmed to us."""
    return entry.sent_status is not None and province != statuses.to_portal(entry.sent_status)


@bound
def has_unsent(ctx: AppContext, dossier_id: int) -> bool:
    return OutboxEntry.select().where((OutboxEntry.dossier == dossier_id) & (OutboxEntry.state != SYNCED)).exists()


@bound
def record_conflict(ctx: AppContext, entry: OutboxEntry, change: StatusChange) -> None:
    now = ctx.clock.now()
    OutboxEntry.update(state=ATTENTION, last_error=conflict_message(change.province), updated_at=now
                       ).where(OutboxEntry.id == entry.id).execute()


@bound
def reconcile(ctx: AppContext, code: str, province: int, statuses: StatusMap = StatusMap()
              ) -> tuple[str, StatusChange | None]:
    """One dossier against the province's status (a national code, read back through `statuses`):
    ('same'|'applied'|'conflict', the change)."""
    with ctx.transaction():  # re-read under the write lock: an edit made meanwhile counts
        lock_dossier(ctx, code)  # on PostgreSQL: a counter's change to it is waited for, then seen
        row = Dossier.get(Dossier.code == code)
        entry = dossier_entry(ctx, row.id)
        unsent = has_unsent(ctx, row.id)
        local = statuses.to_local(province, current=row.status)
        if local is None:
            return "same", None  # a code none of ours is sent as: nothing this desk could take
        change = StatusChange(code, row.status, local)
        if local == row.status or entry is None:
            if entry is not None and not unsent and entry.sent_status != row.status:
                OutboxEntry.update(sent_status=row.status).where(OutboxEntry.id == entry.id).execute()
            return "same", None
        baseline = entry.sent_status if entry.sent_status is not None else (None if unsent else row.status)
        if baseline is not None and province == statuses.to_portal(baseline):
            return "same", None  # the province still has what we sent: our newer change is on its way
        if unsent:
            record_conflict(ctx, entry, change)
            return "conflict", change
        _apply(ctx, row, entry, local)
        return "applied", change


def _apply(ctx: AppContext, row: Dossier, entry: OutboxEntry, province: int) -> None:
    """The province's status becomes ours, through a history row; nothing is queued back to it."""
    now = ctx.clock.now()
    note = f"{PROVINCE} cập nhật trạng thái: {Status(row.status).label} → {Status(province).label}"
    due = _clock_follows(ctx, row, Status(province), now)
    Dossier.update(status=province, updated_at=now, due_at=due).where(Dossier.id == row.id).execute()
    DossierHistory.create(dossier=row, at=now, action=ACTION, from_status=row.status, to_status=province,
                          from_unit=row.unit, to_unit=row.unit, actor=None, actor_name=PROVINCE, note=note,
                          step_uuid=str(uuid.uuid4()), due_at=due)
    OutboxEntry.update(sent_status=province).where(OutboxEntry.id == entry.id).execute()


def _clock_follows(ctx: AppContext, row: Dossier, province: Status, now: datetime) -> datetime | None:
    """The due date once the province's status is taken. A supplement asked at the province pauses the clock
    as the desk's would (the time left is kept); leaving it resumes the clock, as receiving a supplement does."""
    paused = pauses.open_pause(ctx, row) is not None
    if province == Status.SUPPLEMENT and not paused:
        pauses.pause_clock(ctx, row, now, reason=f"{PROVINCE} yêu cầu bổ sung hồ sơ")
    elif province != Status.SUPPLEMENT and paused:
        return pauses.resume_clock(ctx, row, now)
    return row.due_at


@bound
def resolve(ctx: AppContext, client: ProvinceClient, code: str, *, keep: str) -> tuple[str, Changes]:
    """The clerk's decision on a conflict: keep 'province' (take its current status, then send the rest of
    our changes) or keep 'local' (send ours over it). Returns the status kept, and what changed: the dossier
    (its status, or at least its conflict) and its entry, due again. Asks the province first."""
    if keep not in ("province", "local"):
        raise ValueError(keep)
    portal = portal_status(client.lookup(code))
    with ctx.transaction():
        lock_dossier(ctx, code)  # on PostgreSQL: another clerk's decision, or a change at a counter, is seen
        row = Dossier.get(Dossier.code == code)
        entry = dossier_entry(ctx, row.id)
        province = None if portal is None else client.statuses.to_local(portal, current=row.status)
        if not is_conflict(entry) or not province:
            raise ValidationError(f"Hồ sơ {code} không có xung đột đồng bộ cần xử lý.")
        if keep == "province" and province != row.status:
            _apply(ctx, row, entry, province)
        now = ctx.clock.now()
        OutboxEntry.update(state=PENDING, last_error="", attempts=0, next_attempt_at=now, updated_at=now,
                           sent_status=province).where(OutboxEntry.id == entry.id).execute()
    kept = Status(province if keep == "province" else row.status).label
    return kept, dossier_changed(row.code)
