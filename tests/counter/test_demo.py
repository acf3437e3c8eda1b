"""Demo data: realistic, consistent with what reception and the lifecycle write, and safe to extend."""

import re
import unicodedata
from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest

import devtools.demo.build as demo_module
from counter.calendar.duedates import compute_due
from counter.calendar.schedule import calendar
from counter.clock import FixedClock
from counter.dossiers import reception, transitions
from counter.dossiers.detail import load_detail
from counter.dossiers.lookup import get_dossier
from counter.office.codes import CODE_RE, block
from counter.records import ApplicantInput, DossierDraft, TimeRule
from counter.setup import open_app
from counter.status import Status
from counter.text import fold
from db.database import bind
from db.models import (
    Applicant,
    CodeCounter,
    Dossier,
    DossierFee,
    DossierHistory,
    DossierPause,
    DossierResult,
    DossierReturn,
    DossierStop,
    OutboxEntry,
    Procedure,
    ProcedureVersion,
    RegisterCounter,
)
from devtools.demo.build import add_demo_dossiers
from devtools.demo.writer import ConcurrentWrite
from tests.conftest import at

NOW = at("2026-02-13 10:00")  # a Friday morning, the week before Tết


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """300 demo dossiers, built once for the module's read-only checks."""
    ctx = open_app(tmp_path_factory.mktemp("demo"), clock=FixedClock(NOW))
    assert add_demo_dossiers(ctx, 300, seed=3) == 300
    yield ctx
    ctx.database.close()


@pytest.fixture
def demo(demo_db):
    bind(demo_db.database)  # other tests bind their own database in between
    return demo_db


def history_of(dossier_id):
    return list(DossierHistory.select().where(DossierHistory.dossier == dossier_id)
                .order_by(DossierHistory.at, DossierHistory.id))


def test_codes_are_unique_well_formed_and_in_their_workstation_block(demo):
    rows = list(Dossier.select())
    assert len(rows) == len({d.code for d in rows}) == 300
    for d in rows:
        assert CODE_RE.match(d.code), d.code
        agency, day, seq = d.code.rsplit("-", 2)
        assert agency == "000.00.06.H56" and day == d.received_at.strftime("%y%m%d")
        first, last = block(d.workstation)
        assert first <= int(seq) <= last
    assert {d.workstation for d in rows} == {0, 1, 2}  # a multi-counter office


def test_code_counters_end_at_the_highest_number_used(demo):
    used = Counter()
    for d in Dossier.select():
        key = (d.code.split("-")[1], d.workstation)
        used[key] = max(used[key], int(d.code[-4:]))
    counters = {(c.day, c.workstation): c.last_seq for c in CodeCounter.select()}
    assert counters == dict(used)


def test_every_status_is_there_and_is_the_last_step_of_a_legal_history(demo):
    statuses = Counter(d.status for d in Dossier.select())
    assert set(statuses) == set(range(2, 11))
    assert statuses[Status.RETURNED] > 0.8 * 300  # old dossiers are mostly returned
    for d in Dossier.select():
        steps = history_of(d.id)
        assert steps[0].action in ("receive", "refuse") and steps[0].from_status is None
        for before, step in pairwise(steps):
            assert step.from_status == before.to_status and step.from_unit == before.to_unit
            move = (Status(step.from_status), Status(step.to_status))
            assert move in transitions.TRANSITIONS[step.action], step.action
            assert step.at >= before.at
        assert (steps[-1].to_status, steps[-1].to_unit, steps[-1].at) == (d.status, d.unit, d.updated_at)
        assert steps[-1].at <= NOW


def test_lifecycle_rows_match_the_history(demo):
    returned = {d.id for d in Dossier.select().where(Dossier.status == Status.RETURNED)}
    assert returned <= {r.dossier_id for r in DossierReturn.select()}
    assert returned <= {r.dossier_id for r in DossierResult.select()}
    asked = {h.dossier_id for h in DossierHistory.select().where(DossierHistory.action == "request_supplement")}
    assert asked == {p.dossier_id for p in DossierPause.select()}
    for pause in DossierPause.select().where(DossierPause.resumed_at.is_null(False)):
        assert pause.resumed_at > pause.paused_at
    stopped = {d.id for d in Dossier.select().where(Dossier.status == Status.STOPPED)}
    assert stopped and stopped == {s.dossier_id for s in DossierStop.select() if s.signer_name and s.reason}


def test_dossiers_open_through_the_app(demo):
    ctx = demo
    for d in Dossier.select().where(Dossier.status.in_([Status.RECEIVED, Status.SUPPLEMENT, Status.RETURNED])):
        detail = load_detail(ctx, d.code)
        assert detail.dossier.status == d.status and detail.dossier.history
    ready = Dossier.get(Dossier.status == Status.RESULT_READY)
    assert "return_result" in transitions.allowed_actions(get_dossier(ctx, ready.code))  # fees paid, as the rule wants


def test_due_dates_come_from_the_due_date_function(demo):
    cal = calendar(demo)
    received = Dossier.select().where(Dossier.status != Status.REFUSED)
    for d in received:
        version = ProcedureVersion.get_by_id(d.procedure_version_id)
        rule = TimeRule(version.time_rule_kind, version.time_rule_days)
        assert d.original_due_at == compute_due(d.received_at, rule, cal)
    refused = Dossier.select().where(Dossier.status == Status.REFUSED)
    assert all(d.due_at is None and d.register_number is None for d in refused)


def test_receptions_fall_in_office_hours_over_several_years(demo):
    cal = calendar(demo)
    years = Counter(d.received_at.year for d in Dossier.select())
    assert set(years) == {2022, 2023, 2024, 2025, 2026}
    for d in Dossier.select():
        assert cal.is_working_day(d.received_at.date())
        assert cal.next_working_moment(d.received_at) == d.received_at


def test_applicants_come_back_and_look_vietnamese(demo):
    applicants = list(Applicant.select())
    returning = 1 - len(applicants) / 300
    assert 0.25 < returning < 0.55  # about 40 % of dossiers by someone who came before
    assert max(Counter(d.applicant_id for d in Dossier.select()).values()) >= 3
    accented = 0
    for a in applicants:
        assert a.full_name == unicodedata.normalize("NFC", a.full_name) and len(a.full_name.split()) >= 3
        assert a.name_folded == fold(a.full_name)
        accented += a.full_name != fold(a.full_name).title()
        assert re.fullmatch(r"\d{12}", a.id_number)
        century_and_sex = (a.birth_date.year // 100 - 19) * 2 + (a.sex == "Nữ")
        assert int(a.id_number[3]) == century_and_sex and a.id_number[4:6] == f"{a.birth_date.year % 100:02d}"
        assert a.phone == "" or re.fullmatch(r"0[35789]\d{8}", a.phone)
        assert re.match(r"^(Thôn|Xóm|Ấp|Bản|Làng) .+, xã .+, tỉnh .+$", a.address)
    assert accented > 0.9 * len(applicants)
    for d in Dossier.select(Dossier, Applicant).join(Applicant):
        assert (d.applicant_name, d.applicant_id_number) == (d.applicant.full_name, d.applicant.id_number)


def test_fees_registers_use_counts_and_outbox_add_up(demo):
    for d in Dossier.select():
        assert d.fee_total == sum(f.amount for f in DossierFee.select().where(DossierFee.dossier == d.id))
    copies = Dossier.select().join(Procedure).where(Procedure.code == "2.000815", Dossier.status != Status.REFUSED)
    assert copies.count() > 30 and all(d.fee_total > 0 for d in copies)  # chứng thực, counted on the pages
    for book in RegisterCounter.select():
        numbers = [d.register_number for d in Dossier.select().where(Dossier.register_book == book.book)]
        assert sorted(numbers) == list(range(1, book.last_number + 1))
    assert sum(p.use_count for p in Procedure.select()) == 300
    assert OutboxEntry.select().where(OutboxEntry.kind == "dossier").count() == 300
    steps = {h.step_uuid for h in DossierHistory.select()}
    assert {e.key for e in OutboxEntry.select().where(OutboxEntry.kind == "step")} == steps
    old = OutboxEntry.select().where(OutboxEntry.updated_at < NOW - timedelta(days=2))
    assert old.count() > 250 and all(e.state == "synced" for e in old)
    assert OutboxEntry.select().where(OutboxEntry.state == "pending").count() > 0


@pytest.mark.sqlite_only(reason="PRAGMA integrity_check, foreign_key_check and synchronous of the SQLite file")
def test_the_app_keeps_full_sync_after_a_bulk_load(demo):
    assert demo.database.pragma("synchronous") == 2  # FULL
    assert demo.database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert demo.database.execute_sql("PRAGMA foreign_key_check").fetchall() == []


def test_a_reception_after_demo_data_gets_a_fresh_code(ctx, clerk):
    add_demo_dossiers(ctx, 300, seed=5, recent=True)
    today = NOW.strftime("%y%m%d")
    used = [int(d.code[-4:]) for d in Dossier.select().where(Dossier.code.contains(f"-{today}-"),
                                                             Dossier.workstation == 0)]
    assert used  # demo data received dossiers on this workstation today
    draft = DossierDraft(procedure_code="1.004873",
                         applicant=ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An"))
    d, _ = reception.receive_dossier(ctx, draft)
    assert d.code == f"000.00.06.H56-{today}-{max(used) + 1:04d}"
    assert d.register_number == RegisterCounter.get(RegisterCounter.book == "01/2026").last_number
    assert Dossier.select().where(Dossier.register_number == d.register_number,
                                  Dossier.register_book == "01/2026").count() == 1


def test_recent_mode_shows_a_living_counter(ctx):
    add_demo_dossiers(ctx, 60, seed=7, recent=True)
    rows = list(Dossier.select())
    assert len(rows) == 60
    assert all(NOW - timedelta(days=45) <= d.received_at <= NOW for d in rows)
    running = [d for d in rows if d.status in transitions.CLOCK_RUNNING and d.due_at]
    assert any(d.received_at.date() == NOW.date() for d in rows)
    assert any(d.due_at < NOW for d in running)  # overdue
    assert any(d.due_at.date() == NOW.date() for d in running)  # due today
    statuses = Counter(d.status for d in rows)
    assert statuses[Status.RESULT_READY] >= 2 and statuses[Status.SUPPLEMENT] >= 2


def test_same_seed_same_data_and_another_seed_other_data(tmp_path):
    def snapshot(folder, seed):
        ctx = open_app(tmp_path / folder, clock=FixedClock(NOW))
        add_demo_dossiers(ctx, 80, seed=seed)
        rows = [(d.code, d.applicant_name, d.applicant_id_number, d.status, d.received_at, d.due_at, d.summary)
                for d in Dossier.select().order_by(Dossier.id)]
        steps = [(h.step_uuid, h.action, h.at) for h in DossierHistory.select().order_by(DossierHistory.id)]
        ctx.database.close()
        return rows, steps

    first = snapshot("a", 11)
    assert snapshot("b", 11) == first
    assert snapshot("c", 12)[0] != first[0]


def test_a_second_run_adds_to_the_first_without_collisions(ctx):
    add_demo_dossiers(ctx, 150, seed=1, recent=True)
    add_demo_dossiers(ctx, 150, seed=2, recent=True)
    codes = [d.code for d in Dossier.select()]
    assert len(codes) == len(set(codes)) == 300
    ids = [a.id_number for a in Applicant.select()]
    assert len(ids) == len(set(ids))
    assert sum(p.use_count for p in Procedure.select()) == 300


def test_progress_is_reported_and_nothing_for_zero(ctx):
    seen = []
    assert add_demo_dossiers(ctx, 0) == 0
    assert add_demo_dossiers(ctx, 25, progress=lambda done, total: seen.append((done, total))) == 25
    assert seen == [(25, 25)]


@pytest.mark.sqlite_only(reason="a second process writing the SQLite file (on PostgreSQL the demo writes from a "
                                "thread: the server does the inserting)")
def test_a_big_demo_writes_from_a_second_process_in_chunks(ctx, monkeypatch):
    monkeypatch.setattr(demo_module, "CHUNK", 40)
    monkeypatch.setattr(demo_module, "PARALLEL_ABOVE", 0)
    seen = []
    assert add_demo_dossiers(ctx, 100, progress=lambda done, total: seen.append(done)) == 100
    assert seen == [40, 80, 100]
    assert Dossier.select().count() == 100 and len({d.code for d in Dossier.select()}) == 100
    assert sum(p.use_count for p in Procedure.select()) == 100
    assert ctx.database.pragma("synchronous") == 2


def test_ids_taken_by_another_program_stop_the_demo_without_damage(ctx, monkeypatch):
    monkeypatch.setattr(demo_module, "CHUNK", 40)
    original, received = demo_module.DossierRows.batch_of, []

    def batch_then_someone_receives(self, chunk):
        made = original(self, chunk)
        if not received and Dossier.select().count() > 0:  # a chunk is in: another program receives a dossier
            received.append(reception.receive_dossier(ctx, DossierDraft(
                procedure_code="1.004873", applicant=ApplicantInput(id_number="038090012345",
                                                                    full_name="Nguyễn Văn An"))))
        return made

    monkeypatch.setattr(demo_module.DossierRows, "batch_of", batch_then_someone_receives)
    with pytest.raises(ConcurrentWrite, match="chương trình khác"):
        add_demo_dossiers(ctx, 100)
    assert 41 <= Dossier.select().count() <= 81  # whole chunks only, and the other program's dossier
    assert len({d.code for d in Dossier.select()}) == Dossier.select().count()


def test_a_few_per_cent_of_results_are_late(tmp_path):
    ctx = open_app(tmp_path / "many", clock=FixedClock(NOW))
    add_demo_dossiers(ctx, 3000, seed=4)
    done = (Dossier.select(Dossier.due_at, DossierResult.recorded_at).join(DossierResult, on=(
        DossierResult.dossier == Dossier.id)).where(Dossier.due_at.is_null(False)).tuples())
    late = sum(recorded > due for due, recorded in done) / len(done)
    assert 0.01 < late < 0.06
    ctx.database.close()
