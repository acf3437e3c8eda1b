"""Read-then-write intents on a real PostgreSQL (tests/pg.py): two counters acting on one dossier at the same moment.
Each intent below reads the dossier's rows (its current scan of a paper, its print log, its sync conflict) and
writes from what it read; it first locks the dossier's row (counter.dossiers.lookup.lock_dossier, or the printed
record's row), so the second counter waits for the first one's transaction and then reads its change. Without the
lock each of these tests fails: both counters pass their check on the same old state and both write."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from counter import audit, records
from counter.context import AppContext
from counter.dossiers import prints, reception
from counter.scans import attachments
from counter.status import Status
from counter.sync import conflicts
from counter.sync.profiles import StatusMap
from db.models import Attachment as AttachmentRow
from db.models import Dossier, DossierHistory, OutboxEntry
from tests.counter import scan_samples as s
from tests.db.test_concurrency import office, race, window  # noqa: F401  (office: the fixture)

ID = "038090100077"


def receive(ctx: AppContext) -> str:
    applicant = records.ApplicantInput(id_number=ID, full_name="Trần Thị Bình", address="Thôn 3, Xã Quảng Hùng")
    dossier, _ = reception.receive_dossier(ctx, records.DossierDraft(procedure_code="1.004873", applicant=applicant))
    return dossier.code


def current_scans(ctx: AppContext, code: str) -> list[AttachmentRow]:
    with ctx.bound():
        dossier = Dossier.get(Dossier.code == code)
        return list(AttachmentRow.select().where((AttachmentRow.dossier == dossier.id)
                                                 & (AttachmentRow.kind == records.COMPONENT)
                                                 & AttachmentRow.replaced_at.is_null()))


def test_a_paper_reused_while_another_counter_scans_it_leaves_one_current_scan(office, pg_url, tmp_path):  # noqa: F811
    """Counter A scans the first paper of a dossier while counter B links the same paper from the citizen's earlier
    dossier: B waits, sees A's scan and replaces it. (Before, B read no current scan and both stayed current.)"""
    earlier = receive(office)
    origin, _ = attachments.attach_component(office, earlier, 1, [s.jpeg(tmp_path / "old.jpg", s.BLUE)])
    code = receive(office)
    page = s.jpeg(tmp_path / "new.jpg", s.RED)
    other = window(office, pg_url)
    outcome = race(office, lambda: attachments.attach_component(office, code, 1, [page]),
                   other, lambda: attachments.reuse(other, code, 1, origin.id)[0].id)
    assert "done" in outcome, outcome
    [current] = current_scans(office, code)
    assert current.id == outcome["done"] and current.reused_from_id == origin.id


def test_a_validity_date_recorded_while_another_counter_rescans_the_paper_dates_the_new_scan(office, pg_url,  # noqa: F811
                                                                                          tmp_path):
    """Counter A scans a paper again while counter B records until when it is valid: B waits and dates the scan
    that is current once A committed. (Before, B dated the scan A had just replaced: the current one had no date.)"""
    code = receive(office)
    attachments.attach_component(office, code, 1, [s.jpeg(tmp_path / "first.jpg", s.BLUE)])
    page = s.jpeg(tmp_path / "again.jpg", s.RED)
    other = window(office, pg_url)
    until = date(2031, 5, 31)
    outcome = race(office, lambda: attachments.attach_component(office, code, 1, [page]),
                   other, lambda: attachments.set_valid_until(other, code, 1, until)[0].id)
    [current] = current_scans(office, code)
    assert outcome == {"done": current.id} and current.valid_until == until


def test_two_counters_printing_one_dossier_s_receipt_at_once_log_an_original_and_a_copy(office, pg_url,  # noqa: F811
                                                                                       monkeypatch):
    """Counter A logs Mẫu 01 of a dossier (its transaction still open) while counter B logs it too: B waits and
    counts A's, so one original and copy 1. (Before, both counted none and both were the original.)"""
    code = receive(office)
    other = window(office, pg_url)
    record = audit.record

    def slow_at_a(*args, **kwargs):
        entry = record(*args, **kwargs)
        if threading.current_thread().name == "A":
            held_a.set()
            release_a.wait(10)
        return entry

    held_a, release_a = threading.Event(), threading.Event()
    monkeypatch.setattr(audit, "record", slow_at_a)
    numbers: dict[str, int] = {}

    def printing(name: str, ctx: AppContext) -> None:
        numbers[name] = prints.log_print(ctx, "mau01", dossier_code=code)[0]

    a = threading.Thread(target=printing, args=("a", office), name="A")
    a.start()
    assert held_a.wait(10)
    b = threading.Thread(target=printing, args=("b", other), name="B")
    b.start()
    b.join(0.5)
    assert b.is_alive()
    release_a.set()
    a.join(10)
    b.join(10)
    other.database.close()
    assert numbers == {"a": 0, "b": 1}
    assert prints.print_count(office, "mau01", code) == 2


class Province:
    """A province that answers every look-up with one status (what conflicts.resolve asks before deciding)."""

    statuses = StatusMap()

    def __init__(self, status: Status):
        self.status = status

    def lookup(self, code: str) -> dict[str, str]:
        return {"MaHoSo": code, "TrangThaiHoSo": str(int(self.status))}


def test_two_clerks_resolving_one_conflict_at_once_the_second_finds_it_resolved(office, pg_url):  # noqa: F811
    """Clerk A keeps the province's status of a dossier in conflict while clerk B, at another counter, keeps the
    counter's: B waits for A, then finds no conflict left and is refused in words, nothing written. (Before, both
    passed the check: the province's status taken, then sent back over as the counter's.)"""
    from counter.dossiers import lifecycle
    from tests.counter.lifecycle_steps import UNIT

    code = receive(office)
    lifecycle.handover(office, code, UNIT)
    with office.bound():
        OutboxEntry.update(state="attention", last_error=conflicts.conflict_message(int(Status.RESULT_READY))).where(
            (OutboxEntry.kind == "dossier") & (OutboxEntry.key == code)).execute()
    province = Province(Status.RESULT_READY)
    other = window(office, pg_url)
    outcome = race(office, lambda: conflicts.resolve(office, province, code, keep="province"),
                   other, lambda: conflicts.resolve(other, province, code, keep="local"))
    assert outcome == {"refused": f"Hồ sơ {code} không có xung đột đồng bộ cần xử lý."}
    with office.bound():
        assert Status(Dossier.get(Dossier.code == code).status) == Status.RESULT_READY
        assert DossierHistory.select().where(DossierHistory.action == conflicts.ACTION).count() == 1
        entry = OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == code))
        assert entry.sent_status == int(Status.RESULT_READY)


@pytest.mark.sqlite_only(reason="the same intents on one SQLite file: the IMMEDIATE transaction already orders them")
def test_nothing_changes_on_sqlite(ctx, clerk, tmp_path):
    code = receive(ctx)
    attachments.attach_component(ctx, code, 1, [s.jpeg(tmp_path / "a.jpg", s.BLUE)])
    until = date(2031, 5, 31)
    attachments.set_valid_until(ctx, code, 1, until)
    assert current_scans(ctx, code)[0].valid_until == until
    assert [prints.log_print(ctx, "mau01", dossier_code=code)[0] for _ in range(2)] == [0, 1]


def test_a_retry_pressed_while_the_sync_parks_the_entry_as_a_conflict_keeps_the_conflict(office, pg_url):  # noqa: F811
    """The sync parks a dossier's entry as a conflict (its transaction still open) while a clerk presses “Gửi lại” on
    it, seen a moment before as waiting: the retry's update waits, finds the conflict and is refused in words; the
    conflict stays for a person to decide. (Before, the retry made it due again and the counter's status would
    have been sent over the province's.)"""
    from counter.sync import queue
    from counter.sync.conflicts import StatusChange

    code = receive(office)
    with office.bound():
        entry = OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == code))
    change = StatusChange(code, int(Status.RECEIVED), int(Status.RESULT_READY))
    other = window(office, pg_url)
    outcome = race(office, lambda: conflicts.record_conflict(office, entry, change),
                   other, lambda: queue.retry(other, entry.id))
    assert outcome == {"refused": "Mục này đang xung đột với hệ thống tỉnh: hãy chọn giữ trạng thái bên nào."}
    with office.bound():
        assert conflicts.is_conflict(OutboxEntry.get_by_id(entry.id))


def test_pages_added_at_two_counters_at_once_never_lose_the_first_counter_s_page(office, pg_url, tmp_path):  # noqa: F811
    """Counters A and B each add a page to the same scanned paper at the same moment, both starting from its one-page
    scan: A's two-page scan is committed while B waits; B is then refused in words (its PDF, built on the one-page
    scan, would have dropped A's page), and A's scan stays current. (Before, B's replaced A's: A's page lost.)"""
    code = receive(office)
    attachments.attach_component(office, code, 1, [s.jpeg(tmp_path / "p1.jpg", s.BLUE)])
    second, third = s.jpeg(tmp_path / "p2.jpg", s.RED), s.jpeg(tmp_path / "p3.jpg", s.GREEN)
    other = window(office, pg_url)
    added: dict[str, int] = {}

    def at_a() -> None:
        added["a"] = attachments.attach_component(office, code, 1, [second], add_pages=True)[0].id

    outcome = race(office, at_a, other, lambda: attachments.attach_component(other, code, 1, [third],
                                                                              add_pages=True)[0].id)
    assert set(outcome) == {"refused"} and "vừa được quét lại ở quầy khác" in str(outcome["refused"])
    [current] = current_scans(office, code)
    assert current.id == added["a"]
    [seen] = [a for a in attachments.attachments_of(office, code) if a.id == added["a"]]
    assert seen.pages == 2  # the paper's first page and A's


def test_pages_added_with_nobody_else_scanning_are_kept(ctx, clerk, tmp_path):
    code = receive(ctx)
    attachments.attach_component(ctx, code, 1, [s.jpeg(tmp_path / "p1.jpg", s.BLUE)])
    scan, _ = attachments.attach_component(ctx, code, 1, [s.jpeg(tmp_path / "p2.jpg", s.RED)], add_pages=True)
    assert scan.pages == 2


def test_due_dates_moved_while_a_counter_pauses_a_dossier_leave_the_paused_one_alone(office, pg_url):  # noqa: F811
    """A new holiday moves open dossiers' due dates later; the administrator applies it while a counter asks the
    citizen of one of them for a supplement (its clock paused): the move waits for that counter, then sees the
    dossier paused and leaves it out. (Before, it moved the paused dossier from the state it read: a “Dời ngày hẹn”
    row after the supplement's, and a due date on a dossier whose clock is stopped.)"""
    from counter.calendar import admin
    from counter.dossiers import lifecycle
    from tests.counter.lifecycle_steps import UNIT

    code = receive(office)
    lifecycle.handover(office, code, UNIT)
    admin.add_day(office, date(2026, 2, 23), "holiday", "Quyết định số 12/QĐ-UBND")
    assert [m.code for m in admin.impact(office)] == [code]
    other = window(office, pg_url)
    items = [records.GuidanceItem("Tờ khai", "Chưa có chữ ký người yêu cầu")]
    outcome = race(office, lambda: lifecycle.request_supplement(office, code, items, "Tờ khai chưa ký"),
                   other, lambda: admin.move_later(other, "Quyết định số 12/QĐ-UBND")[0])
    assert outcome == {"done": ()}
    with office.bound():
        assert Status(Dossier.get(Dossier.code == code).status) == Status.SUPPLEMENT
        assert DossierHistory.select().where(DossierHistory.action == admin.MOVE_ACTION).count() == 0


def test_numbering_resumed_while_a_counter_issues_codes_never_moves_the_counter_back(office, pg_url):  # noqa: F811
    """Workstation 2 issues two more codes (its transaction still open) while the administrator resumes its numbering
    after the first of them (counter.code_guard: `continue_after`): the resume's update waits and finds the counter
    already past that code, so it stays at the second. (Before, the resume wrote back the number it had read past,
    and the next code issued would have been one already given.)"""
    from counter.office.codes import allocate_code, continue_after
    from db.models import CodeCounter
    from tests.db.test_concurrency import AGENCY, DAY
    from tests.db.test_concurrency import code as code_of

    now = office.clock.now()
    with office.transaction():
        assert allocate_code(office, AGENCY, 2, now) == code_of(2000)
    other = window(office, pg_url)

    def resume() -> None:
        with other.transaction():
            continue_after(other, code_of(2001))

    outcome = race(office, lambda: [allocate_code(office, AGENCY, 2, now) for _ in range(2)], other, resume)
    assert outcome == {"done": None}
    with office.bound():
        assert CodeCounter.get((CodeCounter.day == DAY) & (CodeCounter.workstation == 2)).last_seq == 2002
    with office.transaction():
        assert allocate_code(office, AGENCY, 2, now) == code_of(2003)


def test_two_counters_failing_one_user_s_log_in_at_once_both_count(office, pg_url):  # noqa: F811
    """A wrong password typed for one user name at two counters at the same moment: the second failure waits for
    the first one's transaction and counts after it (2 failures, not 1), so the waits after repeated failures
    cannot be dodged by trying at several counters at once."""
    from counter.errors import AuthError
    from counter.office.users import authenticate
    from db.models import User

    username = office.user.username
    other = window(office, pg_url)

    def failing(ctx: AppContext) -> str:
        try:
            authenticate(ctx, username, "sai-mat-khau")
        except AuthError as e:
            return str(e)
        return "accepted"

    outcome = race(office, lambda: failing(office), other, lambda: failing(other))
    assert set(outcome) == {"done"} and outcome["done"] != "accepted"
    with office.bound():
        assert User.get(User.username == username).failed_logins == 2


def test_two_pcs_setting_up_the_centre_at_once_make_one_office(pg_url, tmp_path, clock):
    """The first-run set-up started at two PCs of a new centre at the same moment (another workstation number,
    another administrator): the second waits for the first, then finds the centre set up and is refused in words.
    (Before, both found an empty database and the centre had two offices.)"""
    from dataclasses import replace

    from counter.office.first_run import set_up_office
    from counter.setup import open_office_database
    from db.models import Office
    from tests.counter.test_first_run import SETUP

    first = open_office_database(pg_url, tmp_path / "pc-a", clock=clock)
    second = open_office_database(pg_url, tmp_path / "pc-b", clock=clock)
    other_setup = replace(SETUP, admin_username="quantri2", office=replace(SETUP.office, workstation=3))
    try:
        outcome = race(first, lambda: set_up_office(first, SETUP), second, lambda: set_up_office(second, other_setup))
        assert set(outcome) == {"refused"} and "đã được thiết lập" in str(outcome["refused"])
        with first.bound():
            assert Office.select().count() == 1
    finally:
        first.database.close()


def test_two_administrators_disabled_at_once_at_two_counters_leave_one(office, pg_url):  # noqa: F811
    """The centre has two administrators; at one counter the first is disabled while at another the second is: the
    second change waits for the first, then finds the last active administrator and is refused in words. (Before,
    each saw the other administrator still active and the centre was left with none.)"""
    from counter.office.users import add_user, disable_user
    from db.models import User

    add_user(office, "quantri2", "Lê Văn Quản", "admin", "Mat-khau-quan-tri-2")
    other = window(office, pg_url)
    outcome = race(office, lambda: disable_user(office, "quantri2"), other,
                   lambda: disable_user(other, office.user.username))
    assert set(outcome) == {"refused"} and "quản trị viên cuối cùng" in str(outcome["refused"])
    with office.bound():
        assert User.select().where((User.role == "admin") & (User.active == True)).count() == 1  # noqa: E712
