"""Office mode's concurrency on a real PostgreSQL (this session's throwaway cluster, tests/pg.py): several counters
receiving at once, two windows of one workstation, the server going away in the middle of a reception, a lock held
too long, two syncs at once. Each test's time is bounded (subprocess and thread timeouts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from counter import records
from counter.context import AppContext
from counter.errors import CounterError
from db.database import make_database_from_url

ROOT = Path(__file__).resolve().parents[2]
AGENCY = "000.00.07.H56"  # tests.counter.test_first_run's office
DAY = "260213"


@pytest.fixture
def office(pg_url, tmp_path, clock):
    """The centre's database set up as a real office (workstation 2 in its row), the administrator logged in."""
    from counter.office import workstations
    from counter.office.first_run import set_up_office
    from counter.setup import open_office_database
    from tests.counter.test_first_run import SETUP

    context = open_office_database(pg_url, tmp_path / "data", clock=clock)
    context.user, _ = set_up_office(context, SETUP)
    workstations.claim(context, 2)  # this PC (the test's machine folder) is the centre's workstation 2
    yield context
    context.database.close()


def window(office: AppContext, pg_url: str) -> AppContext:
    """Another window (another connection) on the same centre database, the same clerk logged in."""
    return AppContext(database=make_database_from_url(pg_url), data_dir=office.data_dir, clock=office.clock,
                      user=office.user, workstation=office.workstation)


def draft(n: int, workstation: int = 2) -> records.DossierDraft:
    applicant = records.ApplicantInput(id_number=f"038090{workstation}{n:05d}", full_name=f"Trần Thị Bình {n}",
                                       address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")
    return records.DossierDraft(procedure_code="1.004873", applicant=applicant)


def code(workstation_seq: int) -> str:
    return f"{AGENCY}-{DAY}-{workstation_seq:04d}"


def rows(ctx: AppContext, sql: str, params: tuple = ()) -> list[tuple]:
    return list(ctx.database.execute_sql(sql, params).fetchall())


def test_four_counters_receive_fifty_dossiers_each_at_the_same_time(office, pg_url, tmp_path):
    """Four processes, workstations 1–4, started together: 200 distinct codes, each workstation's from its own
    block in order, each dossier with its history row and its outbox entry, the register numbered 1–200 once each."""
    go = tmp_path / "go"
    workers = []
    for ws in range(1, 5):
        ready = tmp_path / f"ready{ws}"
        # each its own PC; workstation 2 is this test's own (the office fixture claimed it for this PC)
        machine = os.environ["QMC_MACHINE_DIR"] if ws == 2 else str(tmp_path / f"pc{ws}" / "machine")
        env = {**os.environ, "QMC_MACHINE_DIR": machine}
        workers.append((ws, ready, subprocess.Popen(
            [sys.executable, "-m", "tests.db.office_worker", pg_url, str(tmp_path / f"pc{ws}"), str(ws), "50",
             str(ready), str(go)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    try:
        deadline = time.monotonic() + 15
        while not all(ready.exists() for _, ready, _ in workers):
            assert time.monotonic() < deadline, [p.stderr.read() for _, _, p in workers if p.poll() is not None]
            time.sleep(0.02)
        go.touch()
        issued: dict[int, list[str]] = {}
        for ws, _, process in workers:
            out, err = process.communicate(timeout=40)  # about 16 s on two busy cores
            assert process.returncode == 0, err
            issued[ws] = json.loads(out)
    finally:
        for _, _, process in workers:
            if process.poll() is None:
                process.kill()
    every = [c for codes in issued.values() for c in codes]
    assert len(every) == len(set(every)) == 200
    for ws, codes in issued.items():
        assert codes == [code(ws * 1000 + i) for i in range(50)]
    assert rows(office, "SELECT count(*) FROM dossier") == [(200,)]
    assert rows(office, "SELECT count(*) FROM dossier d WHERE (SELECT count(*) FROM dossier_history h "
                        "WHERE h.dossier_id = d.id AND h.action = 'receive') = 1") == [(200,)]
    assert rows(office, "SELECT count(*) FROM dossier d JOIN outbox_entry o ON o.kind = 'dossier' AND o.key = d.code "
                        "AND o.dossier_id = d.id") == [(200,)]
    assert rows(office, "SELECT count(*) FROM outbox_entry o JOIN dossier_history h ON o.kind = 'step' "
                        "AND o.key = h.step_uuid") == [(200,)]
    numbers = [n for (n,) in rows(office, "SELECT register_number FROM dossier ORDER BY register_number")]
    assert numbers == list(range(1, 201))
    assert rows(office, "SELECT workstation, last_seq FROM code_counter ORDER BY workstation") == \
        [(ws, ws * 1000 + 49) for ws in range(1, 5)]


def test_two_windows_of_one_workstation_never_issue_one_code_twice(office, pg_url):
    from counter.dossiers.reception import receive_dossier

    windows = [office, window(office, pg_url)]
    start = threading.Barrier(2)
    issued: list[list[str]] = [[], []]
    failures: list[BaseException] = []

    def receive(i: int) -> None:
        try:
            start.wait(timeout=10)
            for n in range(20):
                issued[i].append(receive_dossier(windows[i], draft(100 * i + n))[0].code)
        except BaseException as e:  # reported by the test below
            failures.append(e)

    threads = [threading.Thread(target=receive, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    windows[1].database.close()
    assert not failures, failures
    every = issued[0] + issued[1]
    assert sorted(every) == [code(2000 + i) for i in range(40)]  # workstation 2's block, no gap, none twice
    assert rows(office, "SELECT count(DISTINCT register_number), max(register_number) FROM dossier") == [(40, 40)]


def test_the_second_window_waits_for_the_first_windows_code_then_takes_the_next(office, pg_url):
    """The day's counter row is locked FOR UPDATE until the first window's transaction ends: the second window's
    allocation waits for it (it does not read the same last number), then issues the next one."""
    from counter.office.codes import allocate_code

    other = window(office, pg_url)
    now = office.clock.now()
    taken: dict[str, object] = {}
    holding, release = threading.Event(), threading.Event()

    def first() -> None:
        with office.transaction():
            taken["first"] = allocate_code(office, AGENCY, 2, now)
            holding.set()
            release.wait(10)

    def second() -> None:
        with other.transaction():
            taken["second"] = allocate_code(other, AGENCY, 2, now)
            taken["second_at"] = time.monotonic()

    one = threading.Thread(target=first)
    one.start()
    assert holding.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive() and "second" not in taken  # waiting on the row lock
    released_at = time.monotonic()
    release.set()
    one.join(10)
    two.join(10)
    other.database.close()
    assert (taken["first"], taken["second"]) == (code(2000), code(2001))
    assert taken["second_at"] >= released_at


def test_codes_and_register_numbers_are_unique_in_the_database(office):
    """The unique indexes behind the locks: a second dossier with the same code, or the same register number of
    the same book and workstation, is refused by the database itself."""
    from peewee import IntegrityError

    from counter.dossiers.reception import receive_dossier
    from db.models import Dossier

    a, _ = receive_dossier(office, draft(1))
    b, _ = receive_dossier(office, draft(2))
    with office.bound():
        for change in ({"code": a.code}, {"register_number": a.register_number}):
            with pytest.raises(IntegrityError), office.transaction():
                Dossier.update(**change).where(Dossier.code == b.code).execute()
        assert Dossier.get(Dossier.code == b.code).register_number == 2


def nothing_written(ctx: AppContext) -> None:
    for table in ("dossier", "dossier_history", "outbox_entry", "dossier_component", "code_counter"):
        assert rows(ctx, f'SELECT count(*) FROM "{table}"') == [(0,)], table
    assert rows(ctx, "SELECT last_number FROM register_counter") in ([], [(0,)])


def test_the_server_stopped_in_the_middle_of_a_reception(office, pg_cluster, monkeypatch):
    """`pg_ctl stop -m fast` while the reception's transaction is open: the retries find no server, the clerk is
    told in Vietnamese, nothing of the dossier is left; with the server back the same reception goes through, with
    the block's first code (no number lost to the failed attempt)."""
    from counter import context
    from counter.dossiers import reception
    from counter.errors import DatabaseUnreachable
    from counter.office import code_ledger

    monkeypatch.setattr(context, "RETRY_PAUSES", {**context.RETRY_PAUSES, "lost": (0.1, 0.1, 0.1)})
    steps: list[str] = []

    def stop_once(step: str) -> None:
        steps.append(step)
        if step == "history" and steps.count("history") == 1:
            pg_cluster.stop_server()

    monkeypatch.setattr(reception, "written", stop_once)
    try:
        with pytest.raises(DatabaseUnreachable) as caught:
            reception.receive_dossier(office, draft(1))
    finally:
        pg_cluster.start_server()
    message = str(caught.value)
    assert message.startswith("Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm")
    assert "sau 4 lần thử" in message and "Chưa có gì thay đổi" in message and "Traceback" not in message
    assert not caught.value.saved_unknown
    assert steps.count("applicant") == 1  # the later attempts could not even connect
    nothing_written(office)  # the same context reconnects by itself
    assert code_ledger.newest_code(office, 2) == ""  # this PC recorded no code

    monkeypatch.setattr(reception, "written", lambda step: None)
    dossier, _ = reception.receive_dossier(office, draft(1))
    assert dossier.code == code(2000) and dossier.register_number == 1
    assert rows(office, "SELECT count(*) FROM dossier_history") == [(1,)]


def test_the_server_back_while_retrying_lets_the_reception_through(office, pg_cluster, monkeypatch):
    """The server stopped under the reception and started again within the retries: the whole reception is run
    again and saved once — one dossier, one history row, its outbox entries, the block's first code."""
    from counter import context
    from counter.dossiers import reception

    monkeypatch.setattr(context, "RETRY_PAUSES", {**context.RETRY_PAUSES, "lost": (0.5, 2.0, 4.0)})
    restarted: list[threading.Thread] = []

    def stop_then_restart(step: str) -> None:
        if step == "history" and not restarted:
            pg_cluster.stop_server()
            restarted.append(threading.Thread(target=pg_cluster.start_server))
            restarted[0].start()

    monkeypatch.setattr(reception, "written", stop_then_restart)
    try:
        dossier, _ = reception.receive_dossier(office, draft(1))
    finally:
        for thread in restarted:
            thread.join(60)
    assert dossier.code == code(2000)
    assert rows(office, "SELECT code, register_number FROM dossier") == [(code(2000), 1)]
    assert rows(office, "SELECT action FROM dossier_history") == [("receive",)]
    assert rows(office, "SELECT kind FROM outbox_entry ORDER BY kind") == [("dossier",), ("step",)]


def test_a_lock_held_too_long_is_retried_then_reported_as_busy(office, pg_url, monkeypatch):
    """Another window holds the day's code counter: this one's lock wait times out (lock_timeout), the reception is
    retried, and when the lock is still held after the retries the clerk reads that the centre's database is busy;
    nothing was written."""
    from counter import context
    from counter.dossiers.reception import receive_dossier
    from counter.errors import DatabaseBusy
    from counter.office.codes import allocate_code

    monkeypatch.setattr(context, "RETRY_PAUSES", {**context.RETRY_PAUSES, "busy": (0.05, 0.05, 0.05)})
    other = window(office, pg_url)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with other.transaction() as transaction:
            allocate_code(other, AGENCY, 2, office.clock.now())
            holding.set()
            release.wait(20)
            transaction.rollback()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        office.database.execute_sql("SET lock_timeout = '200ms'")  # this window's connection, for the test's time
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match=r"Cơ sở dữ liệu của trung tâm đang bận .* sau 4 lần thử") as caught:
            receive_dossier(office, draft(1))
        assert time.monotonic() - started < 5
        assert "Chưa có gì thay đổi" in str(caught.value)
    finally:
        release.set()
        holder.join(10)
        other.database.close()
    assert rows(office, "SELECT count(*) FROM dossier") == [(0,)]


def test_a_lock_released_during_the_retries_lets_the_reception_through(office, pg_url, monkeypatch):
    from counter import context
    from counter.dossiers.reception import receive_dossier
    from counter.office.codes import allocate_code

    monkeypatch.setattr(context, "RETRY_PAUSES", {**context.RETRY_PAUSES, "busy": (0.3, 0.3, 0.3)})
    other = window(office, pg_url)
    holding = threading.Event()

    def hold() -> None:
        with other.transaction():
            allocate_code(other, AGENCY, 2, office.clock.now())  # 2000, committed when the lock goes
            holding.set()
            time.sleep(0.4)

    holder = threading.Thread(target=hold)
    holder.start()
    assert holding.wait(10)
    office.database.execute_sql("SET lock_timeout = '200ms'")
    dossier, _ = receive_dossier(office, draft(1))
    holder.join(10)
    other.database.close()
    assert dossier.code == code(2001)  # after the other window's number
    assert rows(office, "SELECT count(*) FROM dossier") == [(1,)]


def test_two_syncs_at_once_one_is_refused_by_the_centres_advisory_lock(office, pg_url):
    """Two counters (two connections) start a sync: the second is refused at once, in Vietnamese, while the first
    holds the centre's lock; once it is released the next one runs. A dropped connection releases it too."""
    from counter.sync.lock import SyncBusy, office_sync_lock

    other = window(office, pg_url)
    with office_sync_lock(office):
        started = time.monotonic()
        with pytest.raises(SyncBusy, match="lượt đồng bộ khác chạy trong trung tâm"), office_sync_lock(other):
            pass
        assert time.monotonic() - started < 2  # refused, not waited for
    with office_sync_lock(other):
        pass
    with office_sync_lock(office):
        office.database.close()  # the connection ends: the server releases the lock
    with office_sync_lock(other):
        pass
    other.database.close()


def test_sync_once_takes_the_centres_lock_on_postgresql(office, pg_url, monkeypatch):
    from counter.sync import batch, settings
    from counter.sync.lock import SyncBusy, office_sync_lock

    monkeypatch.setattr(settings, "require", lambda ctx: object())  # no gateway is reached: refused before
    other = window(office, pg_url)
    with office_sync_lock(other), pytest.raises(SyncBusy, match="trong trung tâm"):
        batch.sync_once(office)
    other.database.close()


def test_the_outbox_is_claimed_skipping_entries_another_claimer_holds(office, pg_url):
    """Two connections claim the same entries: the one a transaction of the other holds is skipped (not waited
    for), and an entry already claimed (sending) is not claimed again."""
    from counter.dossiers.reception import receive_dossier
    from counter.sync import engine
    from db.models import OutboxEntry

    for n in range(3):
        receive_dossier(office, draft(n))
    with office.bound():
        entries = list(OutboxEntry.select().where(OutboxEntry.kind == "dossier").order_by(OutboxEntry.id))
    other = window(office, pg_url)
    held, release = threading.Event(), threading.Event()

    def hold_first() -> None:
        with other.transaction():
            with other.bound():
                OutboxEntry.select().where(OutboxEntry.id == entries[0].id).for_update().get()
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert held.wait(10)
        started = time.monotonic()
        claimed = engine._claim(office, entries)
        assert time.monotonic() - started < 2
    finally:
        release.set()
        holder.join(10)
    assert sorted(claimed) == [entries[1].id, entries[2].id]
    assert engine._claim(other, entries) == {entries[0].id: entries[0].revision}  # the others are sending
    assert engine._claim(office, entries) == {}
    other.database.close()
    with office.bound():
        assert {e.state for e in OutboxEntry.select().where(OutboxEntry.kind == "dossier")} == {"sending"}


def test_the_failures_worth_running_again_are_told_apart():
    import psycopg
    from peewee import IntegrityError, OperationalError
    from psycopg import errors

    from db.database import failure_kind

    def wrapped(error: Exception) -> Exception:  # as peewee re-raises the driver's error
        kind = IntegrityError if isinstance(error, psycopg.IntegrityError) else OperationalError
        try:
            try:
                raise error
            except Exception as e:
                raise kind(e, *e.args) from None
        except Exception as outer:
            return outer

    assert failure_kind(wrapped(errors.SerializationFailure())) == "busy"
    assert failure_kind(wrapped(errors.DeadlockDetected())) == "busy"
    assert failure_kind(wrapped(errors.LockNotAvailable())) == "busy"
    assert failure_kind(wrapped(errors.UniqueViolation())) == "duplicate"
    assert failure_kind(wrapped(errors.AdminShutdown())) == "lost"
    assert failure_kind(wrapped(psycopg.OperationalError("server closed the connection unexpectedly"))) == "lost"
    assert failure_kind(wrapped(errors.QueryCanceled())) is None  # statement_timeout: running again takes as long
    assert failure_kind(wrapped(errors.CheckViolation())) is None
    assert failure_kind(ValueError("x")) is None


def test_an_intent_is_run_again_whole_until_it_goes_through(office, monkeypatch):
    """A serialization failure twice, then success: three runs, the first two rolled back wholly, the setting
    written once."""
    from psycopg import errors

    from counter import context
    from counter.context import bound
    from db.models import Setting

    monkeypatch.setattr(context, "RETRY_PAUSES", {**context.RETRY_PAUSES, "busy": (0.0, 0.0, 0.0)})
    runs: list[int] = []

    @bound
    def intent(ctx: AppContext) -> str:
        runs.append(len(runs) + 1)
        with ctx.transaction():
            Setting.put("probe", f"run {len(runs)}")
            if len(runs) < 3:
                raise errors.SerializationFailure("could not serialize access")
        return "ok"

    assert intent(office) == "ok"
    assert runs == [1, 2, 3]
    assert rows(office, "SELECT value FROM setting WHERE key = 'probe'") == [("run 3",)]


def test_nothing_is_run_again_once_one_of_its_transactions_committed(office):
    """The first transaction committed, the second failed: running the intent again would do the first twice, so the
    clerk is told at once what was kept."""
    from psycopg import errors

    from counter.context import bound
    from counter.errors import DatabaseBusy
    from db.models import Setting

    runs: list[int] = []

    @bound
    def intent(ctx: AppContext) -> None:
        runs.append(1)
        with ctx.transaction():
            Setting.put("first", "kept")
        with ctx.transaction():
            Setting.put("second", "lost")
            raise errors.LockNotAvailable("canceling statement due to lock timeout")

    with pytest.raises(DatabaseBusy, match="Phần việc đã lưu trước đó vẫn được giữ"):
        intent(office)
    assert runs == [1]
    assert rows(office, "SELECT key, value FROM setting WHERE key IN ('first', 'second')") == [("first", "kept")]


def test_a_duplicate_row_that_stays_is_a_real_error_not_a_busy_database(office, monkeypatch):
    from peewee import IntegrityError

    from counter import context
    from counter.context import bound

    monkeypatch.setattr(context, "RETRY_PAUSES", {**context.RETRY_PAUSES, "duplicate": (0.0, 0.0, 0.0)})
    runs: list[int] = []

    @bound
    def intent(ctx: AppContext) -> None:
        runs.append(1)
        with ctx.transaction():
            ctx.database.execute_sql("INSERT INTO setting (key, value) VALUES ('same', '1')")
            ctx.database.execute_sql("INSERT INTO setting (key, value) VALUES ('same', '2')")

    with pytest.raises(IntegrityError) as caught:
        intent(office)
    assert "setting_pkey" in str(caught.value)  # the database's own error, as it was
    assert len(runs) == 4  # run again as a race would be, then given up


def test_the_connection_broken_while_committing_is_not_run_again(office, pg_cluster):
    """The COMMIT got no answer: whether it was kept is unknown, so the work is not done again; the message says to
    look before doing it again."""
    from counter.context import bound
    from counter.errors import DatabaseUnreachable
    from db.models import Setting

    runs: list[int] = []

    @bound
    def intent(ctx: AppContext) -> None:
        runs.append(1)
        with ctx.transaction():
            Setting.put("probe", "x")
            pg_cluster.stop_server()  # the body is done; the COMMIT finds no server

    try:
        with pytest.raises(DatabaseUnreachable, match="chưa biết việc vừa làm đã được lưu hay chưa") as caught:
            intent(office)
    finally:
        pg_cluster.start_server()
    assert caught.value.saved_unknown and runs == [1]
    assert rows(office, "SELECT count(*) FROM setting WHERE key = 'probe'") == [(0,)]  # a fast shutdown rolled it back


def test_sqlite_is_not_retried(ctx):
    """SQLite keeps its IMMEDIATE transactions and busy timeout: no retry loop there."""
    from psycopg import errors

    from counter.context import bound

    runs: list[int] = []

    @bound
    def intent(context: AppContext) -> None:
        runs.append(1)
        raise errors.SerializationFailure("never on SQLite, but a retry would be the loop's")

    with pytest.raises(errors.SerializationFailure):
        intent(ctx)
    assert runs == [1]


@pytest.mark.parametrize("error", ["busy", "lost"])
def test_the_command_line_says_it_in_one_line_and_exits_2(error, tmp_path, monkeypatch, capsys):
    import main
    from cli.commands import COMMANDS
    from counter.errors import DatabaseBusy, DatabaseUnreachable
    from tests.conftest import demo_data_dir

    message = {"busy": "Cơ sở dữ liệu của trung tâm đang bận (các quầy khác đang ghi cùng lúc) nên chưa lưu được.",
               "lost": "Mất kết nối tới máy chủ cơ sở dữ liệu của trung tâm sau 4 lần thử."}[error]
    kind = DatabaseBusy if error == "busy" else DatabaseUnreachable

    def fails(args, ctx):
        raise kind(message)

    monkeypatch.setitem(COMMANDS, "show", fails)  # main.py looks the command up when it runs
    data = demo_data_dir(tmp_path / "data")
    assert main.main(["--data-dir", str(data), "show", f"{AGENCY}-{DAY}-2000"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == message and "Traceback" not in err


def test_a_change_while_the_sync_claims_the_entry_keeps_it_in_flight_and_the_ack_counts(office, pg_url):
    """The sync claims a dossier's entry (FOR UPDATE, then 'sending') while the clerk moves the dossier on: the
    clerk's update of the entry waits for the claim, then leaves it 'sending' with the next revision, so the
    acknowledgement of the claimed revision still records what the province now holds and the change goes next.
    (A state read before the claim committed and written back after it made the entry 'pending' under the claim: the
    acknowledgement found nothing to record, and the next pass took our own earlier status at the province for a
    change made there, a conflict for a person: found by tests/db/test_four_counters.py.)"""
    import random

    from counter.dossiers import lifecycle
    from counter.dossiers.reception import receive_dossier
    from counter.sync import engine
    from db.models import OutboxEntry

    dossier, _ = receive_dossier(office, draft(1))
    sync = window(office, pg_url)
    mine = (OutboxEntry.kind == "dossier") & (OutboxEntry.key == dossier.code)
    claimed, release = threading.Event(), threading.Event()

    def claim() -> None:
        with sync.transaction():
            entry = OutboxEntry.select().where(mine).for_update().get()
            OutboxEntry.update(state="sending").where(OutboxEntry.id == entry.id).execute()
            claimed.set()
            release.wait(10)

    claimer = threading.Thread(target=claim)
    claimer.start()
    assert claimed.wait(10)
    clerk = threading.Thread(target=lifecycle.handover, args=(office, dossier.code, "Công chức Tư pháp - Hộ tịch"))
    clerk.start()
    clerk.join(0.5)
    assert clerk.is_alive()  # waiting for the claim's row lock
    release.set()
    claimer.join(10)
    clerk.join(10)
    with office.bound():
        entry = OutboxEntry.get(mine)
    assert (entry.state, entry.revision, entry.sent_revision) == ("sending", 2, 0)

    with sync.bound():  # the province acknowledged revision 1 (received): recorded, and revision 2 waits
        engine._record(sync, [(entry, engine._Sent(int(dossier.status)))], {entry.id: 1}, random.Random(1))
    sync.database.close()
    with office.bound():
        entry = OutboxEntry.get(mine)
    assert (entry.state, entry.revision, entry.sent_revision, entry.sent_status) == \
        ("pending", 2, 1, int(dossier.status))


def race(first_ctx: AppContext, first, second_ctx: AppContext, second) -> dict[str, object]:
    """`first` runs in a transaction of counter A held open; meanwhile `second` runs at counter B (its own
    connection). Returns B's outcome: {"done": value} or {"refused": message}; B must be waiting while A holds."""
    held, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def at_a() -> None:
        try:
            with first_ctx.transaction():
                first()
                held.set()
                release.wait(10)
        except BaseException as e:
            outcome["a_error"] = repr(e)
            held.set()

    def at_b() -> None:
        try:
            outcome["done"] = second()
        except CounterError as e:  # a refusal in words (ValidationError, IllegalTransition)
            outcome["refused"] = str(e)
        except BaseException as e:
            outcome["error"] = repr(e)

    a = threading.Thread(target=at_a)
    a.start()
    assert held.wait(15), outcome
    b = threading.Thread(target=at_b)
    b.start()
    b.join(0.5)
    waited = b.is_alive()
    release.set()
    a.join(15)
    b.join(15)
    assert not a.is_alive() and not b.is_alive()
    assert waited, outcome  # B waited for A's transaction
    second_ctx.database.close()
    return outcome


def test_two_counters_acting_on_one_dossier_at_once_the_second_sees_the_first_s_change(office, pg_url):
    """Counter A records the dossier's result while counter B, at the same moment, records the citizen's withdrawal:
    B's intent waits for A's transaction (the dossier's row locked FOR UPDATE, counter.dossiers.lookup.lock_dossier),
    then finds the dossier processed and is refused in Vietnamese, nothing written. (Before, B's check read the
    dossier as it stood before A's commit, and both were written: a dossier with its result, then withdrawn, two
    history rows from “Đang xử lý” and two steps for the province.)"""
    from counter.dossiers import lifecycle
    from db.models import DossierHistory, OutboxEntry
    from tests.counter.lifecycle_steps import receive, walk

    code = receive(office).code
    walk(office, code, ["handover"])
    other = window(office, pg_url)
    outcome = race(office, lambda: lifecycle.record_result(office, code, "15/2026/XNHN"),
                   other, lambda: lifecycle.withdraw(other, code, "Công dân không còn nhu cầu"))
    assert outcome == {"refused": "Không thể rút hồ sơ: hồ sơ đang ở trạng thái “Đã xử lý xong”."}
    with office.bound():
        steps = [(h.action, h.from_status, h.to_status) for h in DossierHistory.select().order_by(DossierHistory.id)]
        assert [action for action, _, _ in steps] == ["receive", "handover", "record_result"]
        assert OutboxEntry.select().where(OutboxEntry.kind == "step").count() == 3


def test_the_province_s_status_taken_while_a_counter_changes_the_dossier_is_a_conflict_not_an_overwrite(office,
                                                                                                        pg_url):
    """The sync's pull finds a status changed at the province (“Đã xử lý xong”) while a clerk hands the dossier over
    at a counter: the pull's reconciliation waits for the clerk's transaction, then sees the hand-over not yet sent
    and parks a conflict for a person, the clerk's change kept. (Before, it read the dossier as it stood before the
    clerk's commit, found nothing unsent, and wrote the province's status over the hand-over.)"""
    from counter.dossiers import lifecycle
    from counter.status import Status
    from counter.sync.conflicts import is_conflict, reconcile
    from db.models import Dossier, OutboxEntry
    from tests.counter.lifecycle_steps import UNIT, receive

    code = receive(office).code
    with office.bound():  # the province acknowledged the reception
        OutboxEntry.update(state="synced", sent_revision=OutboxEntry.revision, sent_status=int(Status.RECEIVED)
                           ).execute()
    sync = window(office, pg_url)
    found = race(office, lambda: lifecycle.handover(office, code, UNIT),  # the pull waits for the clerk's transaction
                 sync, lambda: reconcile(sync, code, int(Status.RESULT_READY))[0])
    assert found == {"done": "conflict"}
    with office.bound():
        assert Status(Dossier.get(Dossier.code == code).status) == Status.IN_PROGRESS
        assert is_conflict(OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == code)))


def test_a_scan_attached_while_another_counter_withdraws_the_dossier_waits_and_is_refused(office, pg_url, tmp_path):
    """Counter B attaches a scanned paper to a dossier that counter A is withdrawing at that moment: the attachment
    waits for A's transaction, then finds the dossier withdrawn and is refused (a withdrawn dossier takes no scan),
    nothing written."""
    from counter.dossiers import lifecycle
    from counter.scans import attachments
    from db.models import Attachment
    from tests.counter import scan_samples as s
    from tests.counter.lifecycle_steps import receive

    code = receive(office).code
    page = s.jpeg(tmp_path / "page.jpg", s.RED)
    other = window(office, pg_url)
    outcome = race(office, lambda: lifecycle.withdraw(office, code, "Công dân không còn nhu cầu"),
                   other, lambda: attachments.attach_component(other, code, None, [page]))
    assert outcome == {"refused": "Không thể đính kèm bản số hóa: hồ sơ đang ở trạng thái "
                                  "“Công dân yêu cầu rút hồ sơ”."}
    with office.bound():
        assert Attachment.select().count() == 0
