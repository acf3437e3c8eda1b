"""One push pass over the outbox against the real reference server: exactly once, no poison, no lost edits."""

import random

import pytest

from counter.dossiers import lifecycle
from counter.sync import engine
from counter.sync.dialects import connect
from db.models import OutboxEntry
from devtools.provincial_server import ProvincialServer
from devtools.provincial_server.validate import known_procedures
from tests.sync.conftest import CREDENTIALS, receive, settings_for


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
    steps = province.state()["steps"]
    assert len(steps) == len(resumed.history)
    supplement = next(h for h in resumed.history if h.action == "request_supplement")
    [sent] = [s for s in steps if s["ThoiDiemXuLy"] == supplement.at.strftime("%Y%m%d%H%M%S")]
    assert sent["NgayKetThucTheoQuyDinh"] == paused.due_at.strftime("%Y%m%d%H%M%S")


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
