"""A history written row by row (no intents: every moment is the test's), for the Biểu số 06 tests."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime

from db.models import (
    Applicant,
    Attachment,
    Dossier,
    DossierApology,
    DossierComponent,
    DossierHistory,
    DossierPause,
    DossierResult,
    DossierReturn,
    DossierStop,
    Office,
    OutboxEntry,
    Procedure,
    ProcedureVersion,
    ServiceRating,
    StoredFile,
    User,
)
from tests.conftest import at

_codes = itertools.count(1)


def office() -> Office:
    return Office.create(agency_id="000.00.06.H56", parent_name="UBND xã Quảng Hùng",
                         office_name="Trung tâm Phục vụ hành chính công", place_name="Quảng Hùng")


def procedure(code: str, name: str, field: str) -> Procedure:
    row = Procedure.create(code=code, name=name, name_folded=name.lower(), field=field)
    ProcedureVersion.create(procedure=row, version=1, effective_from=date(2020, 1, 1), name=name,
                            time_rule_kind="working_days", time_rule_days=5)
    return row


def user(username: str, full_name: str) -> User:
    return User.create(username=username, full_name=full_name, password_hash="x", created_at=at("2026-01-01 08:00"))


def _applicant() -> Applicant:
    return Applicant.get_or_create(id_number="038090012345", defaults={
        "full_name": "Nguyễn Văn An", "name_folded": "nguyen van an", "created_at": at("2026-01-01 08:00"),
        "updated_at": at("2026-01-01 08:00")})[0]


def dossier(proc: Procedure, received: str, due: str | None, *, channel: int = 1, status: int = 2,
            clerk: User | None = None) -> Dossier:
    """A dossier received at `received` (status 2, or `status` for 1 and 3) with its reception history row."""
    received_at = at(received)
    due_at = at(due) if due else None
    row = Dossier.create(
        code=f"000.00.06.H56-261001-{next(_codes):04d}", procedure=proc, procedure_version=proc.versions[0],
        applicant=_applicant(), applicant_name="Nguyễn Văn An", applicant_id_number="038090012345",
        channel=channel, received_at=received_at, due_at=due_at, original_due_at=due_at, status=status,
        received_by=clerk, updated_at=received_at)
    step(row, received, "refuse" if status == 3 else "receive", status, due=due)
    return row


def step(row: Dossier, when: str, action: str, to_status: int, *, due: str | None = None) -> None:
    """One history row; the dossier takes its status (and `due` as its due date when given) as of `when`."""
    moment = at(when)
    due_at = at(due) if due else row.due_at
    DossierHistory.create(dossier=row, at=moment, action=action, to_status=to_status, step_uuid=str(uuid.uuid4()),
                          due_at=due_at)
    Dossier.update(status=to_status, updated_at=moment, due_at=due_at).where(Dossier.id == row.id).execute()
    if action == "record_result":
        DossierResult.create(dossier=row, recorded_at=moment, number="12/QĐ")
    elif action == "return_result":
        DossierReturn.create(dossier=row, returned_at=moment, collector_name="Nguyễn Văn An",
                             collector_id_number="038090012345")
    elif action == "stop":
        DossierStop.create(dossier=row, stopped_at=moment, reason="Không đủ điều kiện")
    row.due_at = due_at


def resolve(row: Dossier, when: str) -> None:
    step(row, when, "record_result", 9)


def pause(row: Dossier, when: str, resumed: str | None = None, new_due: str | None = None) -> None:
    step(row, when, "request_supplement", 5)
    DossierPause.create(dossier=row, unit="Công chức Tư pháp - Hộ tịch", paused_at=at(when), reason="Thiếu giấy tờ",
                        due_before=row.due_at, remaining_minutes=600, resumed_at=at(resumed) if resumed else None,
                        due_after=at(new_due) if new_due else None)
    if resumed:
        step(row, resumed, "receive_supplement", 4, due=new_due)


def apologise(row: Dossier, when: str, new_due: str) -> None:
    assert row.due_at is not None
    DossierApology.create(dossier=row, issued_at=at(when), reason="Chậm do xác minh", due_before=row.due_at,
                          new_due=at(new_due))
    step(row, when, "apologise", 4, due=new_due)


def rate(row: Dossier, when: str, level: str, reason: str = "") -> None:
    ServiceRating.create(dossier=row, rated_at=at(when), level=level, reason=reason)


def component(row: Dossier, position: int, *, scanned: bool, reused_from: Attachment | None = None,
              kind: str = "component") -> Attachment | None:
    if kind == "component":
        DossierComponent.create(dossier=row, position=position, name=f"Giấy tờ {position}")
    if not scanned:
        return None
    stored = StoredFile.create(sha256=uuid.uuid4().hex, source_digest="x", size=1, pages=1,
                               created_at=at("2026-01-01 08:00"))
    return Attachment.create(uuid=str(uuid.uuid4()), dossier=row, file=stored, kind=kind,
                             component_position=position if kind == "component" else None, name="Giấy tờ",
                             owner_id_number="038090012345", digitised_at=at("2026-01-01 08:00"),
                             reused_from=reused_from)


def outbox(row: Dossier, state: str) -> None:
    moment: datetime = at("2026-10-31 17:00")
    OutboxEntry.create(kind="dossier", key=row.code, dossier=row, state=state, created_at=moment, updated_at=moment)


def october(ctx, *, with_office: bool = True) -> None:
    """Field "Hộ tịch" (clerk Lan) and field "Chứng thực" (clerk Minh): the cases are named in each line."""
    with ctx.bound():
        if with_office:
            office()
        lan, minh = user("lan", "Lê Thị Lan"), user("minh", "Trần Văn Minh")
        ht = procedure("9.000001", "Đăng ký khai sinh", "Hộ tịch")
        ct = procedure("9.000815", "Chứng thực bản sao từ bản chính", "Chứng thực")

        # Hộ tịch — received 7: online 1, direct 5, carried 1; early 2, on time 3, late 2.
        early = dossier(ht, "2026-10-01 08:00", "2026-10-05 10:00", channel=2, clerk=lan)
        resolve(early, "2026-10-02 09:00")  # early (a day before)
        step(early, "2026-10-03 08:30", "return_result", 10)
        rate(early, "2026-10-03 08:31", "very_satisfied")
        first = component(early, 1, scanned=True)
        component(early, 0, scanned=True, kind="result")
        outbox(early, "synced")
        on_minute = dossier(ht, "2026-10-02 08:00", "2026-10-06 10:00", clerk=lan)
        resolve(on_minute, "2026-10-06 10:00:40")  # on the due minute (seconds dropped): on time
        component(on_minute, 1, scanned=False)
        outbox(on_minute, "attention")
        minute_late = dossier(ht, "2026-10-03 08:00", "2026-10-07 10:00", clerk=lan)
        resolve(minute_late, "2026-10-07 10:01")  # one minute late
        component(minute_late, 1, scanned=True, reused_from=first)
        outbox(minute_late, "pending")
        same_day = dossier(ht, "2026-10-04 08:00", "2026-10-08 10:00", clerk=lan)
        resolve(same_day, "2026-10-08 09:00")  # on the due day before its minute: on time
        carried = dossier(ht, "2026-09-25 08:00", "2026-10-02 10:00", clerk=lan)
        resolve(carried, "2026-10-01 15:00")  # carried over from September, early
        gone = dossier(ht, "2026-09-20 08:00", "2026-09-25 10:00", clerk=lan)
        resolve(gone, "2026-09-24 08:00")  # concluded before the period: not in it at all,
        step(gone, "2026-10-02 08:00", "return_result", 10)  # even returned in it
        withdrawn = dossier(ht, "2026-10-06 08:00", "2026-10-20 10:00", clerk=lan)
        step(withdrawn, "2026-10-25 09:00", "withdraw", 7)  # withdrawn after its due date: on time all the same
        sorry = dossier(ht, "2026-10-08 08:00", "2026-10-12 10:00", clerk=lan)
        apologise(sorry, "2026-10-11 09:00", "2026-10-19 10:00")
        resolve(sorry, "2026-10-16 09:00")  # before the new appointment, after the one apologised for: late

        # Chứng thực — received 8: direct 7, carried 1; early 2; open in time 2, open late 4.
        dossier(ct, "2026-10-20 08:00", "2026-11-05 10:00", channel=3)  # open within time (by post, no clerk)
        dossier(ct, "2026-10-05 08:00", "2026-10-15 10:00", clerk=minh)  # open late
        paused = dossier(ct, "2026-10-10 08:00", "2026-10-30 10:00", clerk=minh)
        pause(paused, "2026-10-20 09:00", "2026-11-05 08:00", "2026-11-15 10:00")  # paused across the end: in time
        paused_late = dossier(ct, "2026-10-01 09:00", "2026-10-03 10:00", clerk=minh)
        pause(paused_late, "2026-10-06 09:00")  # already late when paused: late
        returned = dossier(ct, "2026-10-07 08:00", "2026-10-14 10:00", clerk=minh)
        resolve(returned, "2026-10-13 14:00")  # early; returned on another day
        step(returned, "2026-10-16 09:00", "return_result", 10)
        rate(returned, "2026-10-16 09:05", "dissatisfied", "Phải chờ lâu")
        after_end = dossier(ct, "2026-10-15 08:00", "2026-10-30 10:00", clerk=minh)
        resolve(after_end, "2026-11-03 09:00")  # resolved in November: open and late at October's end
        stopped = dossier(ct, "2026-10-09 08:00", "2026-10-20 10:00", clerk=minh)
        step(stopped, "2026-10-18 08:00", "stop", 8)  # stopped (Mẫu 05) before the due date: early
        dossier(ct, "2026-09-15 08:00", "2026-09-22 10:00", clerk=minh)  # carried over, still open, late

        # Not in the 13 columns.
        dossier(ct, "2026-10-12 08:00", None, status=3, clerk=minh)  # refused (Mẫu 03)
        dossier(ct, "2026-10-13 08:00", None, status=1)  # registered online, never received
        dossier(ct, "2026-11-02 08:00", "2026-11-09 10:00", clerk=minh)  # after the period


def october_data_dir(folder):
    """A demo data folder whose database also holds `october`'s dossiers, for the commands run as processes."""
    from counter.clock import FixedClock
    from counter.context import AppContext
    from db.database import make_database
    from tests.conftest import at, demo_data_dir

    data = demo_data_dir(folder / "data")
    database = make_database(data / "quaymotcua.sqlite3")
    october(AppContext(database=database, data_dir=data, clock=FixedClock(at("2026-11-02 09:00"))), with_office=False)
    database.close()
    return data


def run_report(data_dir, report, *args):
    """`main.py --data-dir DATA report REPORT ARGS…`, in this process (tests/cli_process.py)."""
    from tests.cli_process import run_main

    return run_main(["--data-dir", data_dir, "report", report, *args])
