"""One push pass over the outbox against the real reference server: exactly once, no poison, no lost edits."""

import random

import pytest

from counter.dossiers import lifecycle
from counter.sync import engine
from counter.sync.dialects import connect
from counter.sync.payload import step_payload
from db.models import OutboxEntry
from devtools.provincial_server import ProvincialServer
from devtools.provincial_server.validate import known_procedures
from tests.sync.conftest import CREDENTIALS, has_step, receive, settings_for


def states() -> dict[str, str]:
    return {e.key: e.state for e in OutboxEntry.select()}


def drain(ctx, client, passes: int = 20) -> None:
    """Run passes, moving the clock past any backoff, until nothing is pending."""
    for _ in range(passes):
        engine.push(ctx, client, random.Random(1))
        if "pending" not in states().values():
            return
        ctx.clock.advance(hours=2)
    raise AssertionError(f"still pending: {states()}")


def test_exactly_once_under_lost_responses(ctx, clerk, province, client):
    codes = [receive(ctx).code for _ in range(3)]
    client.login()
    province.faults.arm("lose", 4)  # inserts and steps applied, answers lost
    drain(ctx, client)
    state = province.state()
    assert sorted(d["MaHoSo"] for d in state["dossiers"]) == codes
    assert len(state["steps"]) == 3 and set(states().values()) == {"synced"}


def test_a_step_resent_after_the_due_date_moved_is_still_the_same_step(ctx, clerk, province, client):
    d = receive(ctx)
    lifecycle.handover(ctx, d.code, "Công chức Tư pháp - Hộ tịch")
    client.login()
    drain(ctx, client)
    paused, _ = lifecycle.request_supplement(ctx, d.code, [lifecycle.records.GuidanceItem("Tờ khai", "Thiếu chữ ký")],
                                             "Thiếu chữ ký")
    province.faults.arm("lose", 2)  # the dossier and its supplement step applied, both answers lost
    engine.push(ctx, client, random.Random(1))
    ctx.clock.advance(days=3)
    resumed, _ = lifecycle.receive_supplement(ctx, d.code)  # the due date moves on before the resend
    assert resumed.due_at != paused.due_at
    drain(ctx, client)
    assert set(states().values()) == {"synced"}  # not a second, different copy of the step
    assert len(province.state()["steps"]) == len(resumed.history)
    supplement = next(h for h in resumed.history if h.action == "request_supplement")
    assert has_step(province, resumed, supplement)
    assert step_payload(supplement, resumed)["NgayKetThucTheoQuyDinh"] == paused.due_at.strftime("%Y%m%d%H%M%S")


def test_transient_error_backs_off_with_jitter_and_ends_the_pass(ctx, clerk, province, client):
    d = receive(ctx)
    client.login()
    province.faults.arm("500")
    report = engine.push(ctx, client, random.Random(1))
    entry = OutboxEntry.get(OutboxEntry.key == d.code)
    assert report.retry == [d.code] and report.synced == [] and "HTTP 500" in report.stopped_by
    assert entry.state == "pending" and entry.attempts == 1
    assert 15 <= (entry.next_attempt_at - ctx.clock.now()).total_seconds() <= 30
    assert engine.push(ctx, client).synced == []  # not due yet
    ctx.clock.advance(seconds=31)
    assert engine.push(ctx, client).synced == [d.code, d.history[0].step_uuid]


def test_backoff_is_capped():
    rng = random.Random(7)
    delays = [engine.backoff(n, rng).total_seconds() for n in range(1, 30)]
    assert max(delays) <= 3600 and delays[-1] >= 1800 and delays[1] > 30


def test_backoff_stays_an_hour_however_many_attempts():
    """A payload the province keeps answering with a 5xx is retried hourly for days: its 43rd attempt must not
    overflow timedelta (30 s × 2⁴²) and stop every later sync."""
    rng = random.Random(7)
    assert all(1800 <= engine.backoff(n, rng).total_seconds() <= 3600 for n in (43, 100, 10_000))


def test_a_poison_dossier_does_not_block_the_others(ctx, clerk, tmp_path, province_dialect):
    known = known_procedures() - {"1.001193"}  # this province refuses khai sinh
    with ProvincialServer(str(tmp_path / "p.sqlite3"), credentials=CREDENTIALS, known=known,
                          dialect=province_dialect) as province, connect(settings_for(province)) as client:
        poison = receive(ctx, "1.001193")
        good = [receive(ctx) for _ in range(2)]
        report = engine.push(ctx, client)
        assert report.attention == [poison.code]
        assert [d["MaHoSo"] for d in province.state()["dossiers"]] == [g.code for g in good]
        assert len(province.state()["steps"]) == 2
    entry = OutboxEntry.get(OutboxEntry.key == poison.code)
    assert entry.state == "attention" and "MaTTHC" in entry.last_error
    assert states()[poison.history[0].step_uuid] == "pending"  # held behind its dossier


def test_an_edit_while_sending_stays_pending(ctx, clerk, province, client, monkeypatch):
    d = receive(ctx)
    insert = client.insert_dossier

    def insert_while_the_clerk_edits(payload):
        insert(payload)
        lifecycle.handover(ctx, d.code, "Công chức Tư pháp - Hộ tịch")  # the clerk edits meanwhile

    monkeypatch.setattr(client, "insert_dossier", insert_while_the_clerk_edits)
    engine.push(ctx, client)
    entry = OutboxEntry.get(OutboxEntry.key == d.code)
    assert entry.state == "pending" and entry.sent_revision == 1 and entry.revision == 2
    monkeypatch.undo()
    engine.push(ctx, client)
    assert set(states().values()) == {"synced"}
    assert province.state()["dossiers"][0]["DonViXuLy"] == "Công chức Tư pháp - Hộ tịch"
    assert len(province.state()["steps"]) == 2


def test_entries_left_sending_by_a_crash_are_resent_once(ctx, clerk, province, client, monkeypatch):
    d = receive(ctx)

    def crash(*args, **kw):
        raise KeyboardInterrupt  # the process dies after the HTTP call, before recording the ack

    monkeypatch.setattr(engine, "_record", crash)
    with pytest.raises(KeyboardInterrupt):
        engine.push(ctx, client)
    monkeypatch.undo()
    assert states()[d.code] == "sending" and len(province.state()["dossiers"]) == 1
    assert engine.recover(ctx) == 2  # the dossier and its step: one chunk, its outcomes lost together
    drain(ctx, client)
    assert len(province.state()["dossiers"]) == 1 and len(province.state()["steps"]) == 1


@pytest.mark.sqlite_only(reason=("a sqlite3 connection holding the file's write lock (claiming on PostgreSQL, "
                                  "FOR UPDATE SKIP LOCKED, is another part of issue 20)"))
def test_claiming_waits_for_a_clerks_write_instead_of_failing(ctx, clerk, tmp_path):
    """The clerk commits while a pass claims its chunk: the claim waits for the write lock (busy_timeout)
    rather than failing with "database is locked", as a read-then-write deferred transaction would."""
    import sqlite3
    import threading

    receive(ctx)
    entries = engine.due_entries(ctx, ctx.clock.now())
    holding, done = threading.Event(), threading.Event()

    def clerk_writes():
        other = sqlite3.connect(ctx.database.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE outbox_entry SET attempts = attempts")
        holding.set()
        done.wait(0.3)  # the claim starts meanwhile and must wait, not fail
        other.execute("COMMIT")
        other.close()

    writer = threading.Thread(target=clerk_writes)
    writer.start()
    holding.wait()
    revisions = engine._claim(ctx, entries)
    done.set()
    writer.join()
    assert sorted(revisions) == sorted(e.id for e in entries) and set(states().values()) == {"sending"}


def other_dossier_under(code: str, payload: dict, **fields) -> dict:
    """What another office's (or a restored database's) dossier under the same code looks like at the province."""
    return {**payload, "MaHoSo": code, **fields}


@pytest.mark.parametrize("theirs", [
    {"SoGiayToChuHoSo": "001099000111", "ChuHoSo": "Lê Thị Khác",
     "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "001099000111"}]},
    {"NgayTiepNhan": "20260212143000", "NgayNopHoSo": "20260212143000"},
], ids=["another-applicant", "received-another-day"])
def test_a_code_the_province_holds_for_another_dossier_is_parked_never_overwritten(ctx, clerk, province, client,
                                                                                   theirs):
    from counter.sync.payload import dossier_payload
    d = receive(ctx)
    client.insert_dossier(other_dossier_under(d.code, dossier_payload(d, office_name="UBND xã khác"), **theirs))
    report = engine.push(ctx, client)
    assert report.attention == [d.code] and report.synced == []
    entry = OutboxEntry.get(OutboxEntry.key == d.code)
    assert entry.state == "attention" and entry.last_error.startswith("Trùng mã hồ sơ")
    assert "001099000111" in entry.last_error or "14:30 12/02/2026" in entry.last_error
    [there] = province.state()["dossiers"]
    assert there["_writes"] == 1 and all(there[k] == v for k, v in theirs.items())  # not overwritten
    ctx.clock.advance(hours=2)
    engine.push(ctx, client)
    assert province.state()["steps"] == [] and states()[d.history[0].step_uuid] == "pending"  # its steps wait


def test_an_insert_that_finds_the_code_taken_meanwhile_checks_then_updates(ctx, clerk, province, client, monkeypatch):
    """The look-up said unknown, but the insert answers "đã tồn tại" (sent by this desk a moment ago, its
    answer lost): looked up again, found to be ours, updated."""
    from counter.sync.payload import dossier_payload
    d = receive(ctx)
    client.insert_dossier(dossier_payload(d, office_name="Bộ phận một cửa"))  # the lost first attempt
    lookup, calls = client.lookup, []

    def stale_then_true(code):
        calls.append(code)
        return None if len(calls) == 1 else lookup(code)

    monkeypatch.setattr(client, "lookup", stale_then_true)
    report = engine.push(ctx, client)
    assert report.synced == [d.code, d.history[0].step_uuid] and len(calls) == 2
    [there] = province.state()["dossiers"]
    assert there["_writes"] == 2 and there["SoGiayToChuHoSo"] == d.applicant.id_number


def test_steps_go_several_to_a_call_and_a_refused_call_is_retried_one_by_one(ctx, clerk, tmp_path, province_dialect):
    """A province that takes no status 4 (here: a server started without it): the dossier (now 10) goes, its
    four steps go in one call, refused for the hand-over's 4; sent again one by one, only that step is parked."""
    statuses = {"1", "2", "3", "7", "9", "10"}
    with ProvincialServer(str(tmp_path / "p.sqlite3"), credentials=CREDENTIALS, dialect=province_dialect,
                          statuses=statuses) as province, connect(settings_for(province)) as client:
        d = receive(ctx)
        lifecycle.handover(ctx, d.code, "Công chức Tư pháp - Hộ tịch")
        lifecycle.record_result(ctx, d.code, "12/2026")
        done, _ = lifecycle.return_result(ctx, d.code)
        sent = []
        client.transport._http.event_hooks["request"].append(sent.append)
        report = engine.push(ctx, client)
        steps = province.state()["steps"]
    handover = next(h for h in done.history if h.action == "handover")
    assert report.attention == [handover.step_uuid] and "TrangThai" in OutboxEntry.get(
        OutboxEntry.key == handover.step_uuid).last_error
    assert sorted(s["TrangThai"] for s in steps) == ["10", "2", "9"]
    calls = [r for r in sent if not str(r.url).endswith("/auth")]  # the opencps log-in aside
    assert len(calls) == 2 + 1 + 4  # look-up and insert; the four steps at once; then one by one
