"""Issue 20's day at a centre of four counters, on a real PostgreSQL (this session's throwaway cluster, tests/pg.py),
four real processes (tests/db/office_worker.py) and the reference provincial server on loopback:

1. workstations 1–4 receive 50 dossiers each at the same time;
2. each counter's clerk scans and returns the dossiers received at the next counter (workstation ws % 4 + 1), while
   workstations 2–4 receive a second wave of 25 each and workstation 1's process runs the end-of-day sync beside
   its desk, pass after pass;
3. once every process has ended, sync until nothing waits: the province holds every dossier and every step exactly
   once, as the database holds it (tests/sync/chaos.py `compare`), each return in the returning counter's name;
4. the same with the chaos faults armed on the province while workstation 1 syncs (tests/sync/chaos.py `arm_round`:
   500, 429, resets, answers lost or garbled after the province applied the call, expiring sessions, delays, a
   captive portal, the province down for a while).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from counter.context import AppContext
from counter.status import Status
from db.database import make_database_from_url
from tests.db.test_concurrency import office  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[2]
FIRST, SECOND = 50, 25
CLERKS = {ws: (f"quay{ws}", f"Trần Thị Quầy {name}") for ws, name in ((1, "Một"), (2, "Hai"), (3, "Ba"), (4, "Bốn"))}


def returner(receiving: int) -> int:
    """The workstation whose clerk returns a dossier received at `receiving`: the one whose next counter it is."""
    return (receiving - 2) % 4 + 1


def start_workers(office_ctx: AppContext, pg_url: str, tmp_path: Path, province) -> dict[int, subprocess.Popen]:
    from counter.office.users import create_user

    for username, full_name in CLERKS.values():
        create_user(office_ctx, username, full_name, "mat-khau-quay", title="Công chức Văn phòng - Thống kê",
                    now=office_ctx.clock.now())
    go, workers = tmp_path / "go", {}
    for ws in range(1, 5):
        assert returner(ws % 4 + 1) == ws
        plan = {"clerk": CLERKS[ws][0], "codes_out": str(tmp_path / f"codes{ws}.json"),
                "return_from": str(tmp_path / f"codes{ws % 4 + 1}.json"), "second_wave": 0 if ws == 1 else SECOND,
                "stop_file": str(tmp_path / "stop"), "sync": province.office_settings(timeout="1") if ws == 1 else None}
        (tmp_path / f"plan{ws}.json").write_text(json.dumps(plan), encoding="utf-8")
        # each its own PC; workstation 2 is this test's own (the office fixture claimed it for this PC)
        machine = os.environ["QMC_MACHINE_DIR"] if ws == 2 else str(tmp_path / f"pc{ws}" / "machine")
        workers[ws] = subprocess.Popen(
            [sys.executable, "-m", "tests.db.office_worker", pg_url, str(tmp_path / f"pc{ws}"), str(ws), str(FIRST),
             str(tmp_path / f"ready{ws}"), str(go), str(tmp_path / f"plan{ws}.json")],
            cwd=ROOT, env={**os.environ, "QMC_MACHINE_DIR": machine}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
    deadline = time.monotonic() + 15
    while not all((tmp_path / f"ready{ws}").exists() for ws in workers):
        assert time.monotonic() < deadline, [p.stderr.read() for p in workers.values() if p.poll() is not None]
        time.sleep(0.02)
    go.touch()
    return workers


def finish(process: subprocess.Popen, timeout: float) -> dict:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out)


class Chaos(threading.Thread):
    """Rounds of random faults on the province (tests/sync/chaos.py's mixes), a second of faults then a calm one,
    until stopped."""

    def __init__(self, province, seed: int):
        super().__init__(daemon=True)
        self.province, self.rng = province, random.Random(seed)
        self.halt = threading.Event()
        self.armed: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        from tests.sync.chaos import arm_round

        try:
            while not self.halt.is_set():
                armed = arm_round(self.province, self.rng)
                if self.rng.random() < 0.2:
                    self.province.stop_listening()
                    armed.append("down")
                    self.halt.wait(0.5)
                    self.province.start_listening()
                self.armed.append(",".join(armed))
                self.halt.wait(1.0)
                self.province.faults.clear()
                self.halt.wait(1.0)  # a calm second: what the faults held back goes through between rounds
        except BaseException as e:
            self.error = e
        finally:
            self.province.faults.clear()
            self.province.start_listening()


def run_the_day(office_ctx: AppContext, pg_url: str, tmp_path: Path, province, chaos_seed: int | None = None):
    """Steps 1–3 (with the faults of step 4 when `chaos_seed` is given); what the workers did, the final sync's
    report, and the sync context over workstation 1's PC."""
    workers = start_workers(office_ctx, pg_url, tmp_path, province)
    chaos = Chaos(province, chaos_seed) if chaos_seed is not None else None
    try:
        if chaos:
            deadline = time.monotonic() + 60
            while not (tmp_path / "codes2.json").exists():  # workstation 1's sync starts once it has them
                assert time.monotonic() < deadline and workers[1].poll() is None, workers[1].stderr.read()
                time.sleep(0.02)
            chaos.start()
        done = {ws: finish(workers[ws], timeout=90) for ws in (2, 3, 4)}
        if chaos:
            chaos.halt.set()
            chaos.join(timeout=10)
            assert chaos.error is None, repr(chaos.error)
        during = len(province.state()["dossiers"])  # sent by workstation 1 while the others received
        (tmp_path / "stop").touch()
        done[1] = finish(workers[1], timeout=90)
    finally:
        for process in workers.values():
            if process.poll() is None:
                process.kill()
    # Workstation 1's PC: the province's password is sealed with its key (counter.sync.secret, its data folder) and
    # kept as that PC's own (counter.sync.settings: its machine id, from its machine folder).
    at_one = AppContext(database=make_database_from_url(pg_url), data_dir=tmp_path / "pc1", clock=office_ctx.clock,
                        user=office_ctx.user)
    machine = os.environ["QMC_MACHINE_DIR"]
    os.environ["QMC_MACHINE_DIR"] = str(tmp_path / "pc1" / "machine")
    try:
        report = final_sync(at_one)
    finally:
        os.environ["QMC_MACHINE_DIR"] = machine
    return done, during, report, at_one, chaos


def final_sync(ctx: AppContext):
    """Sync without faults until nothing waits, past any backoff; the last pass confirms today's dossiers."""
    from counter.sync.batch import sync_once

    for run in range(1, 11):
        ctx.clock.advance(hours=2)
        report = sync_once(ctx, rng=random.Random(run), confirm=False)
        if report.complete:
            break
    assert report.complete, (report.failed[:3], report.waiting[:3])
    return sync_once(ctx, rng=random.Random(0), confirm=True)


def check_the_day(done: dict, during: int, report, ctx: AppContext, province, chaos: Chaos | None) -> dict:
    from db.models import Dossier, DossierHistory, OutboxEntry, User
    from tests.sync.chaos import compare

    received = {ws: done[ws]["received"] for ws in done}
    second = {ws: done[ws]["second"] for ws in done}
    every = [c for ws in done for c in (*received[ws], *second[ws])]
    assert len(every) == len(set(every)) == 4 * FIRST + 3 * SECOND
    # workstation 1 sent while the others still worked (its passes before they ended, and the province's count then)
    assert done[1]["passes"].get("sent_something", 0) >= 1 and during > 0, (done[1]["passes"], during)
    with ctx.bound():
        clerks = {u.username: u for u in User.select()}
        by_ws = {ws: clerks[CLERKS[ws][0]] for ws in CLERKS}
        for ws in done:
            assert done[ws]["returned"] == received[ws % 4 + 1]  # every dossier of the next counter, in order
            rows = {d.code: d for d in Dossier.select().where(Dossier.code.in_(received[ws % 4 + 1]))}
            assert {(d.workstation, d.received_by_id, Status(d.status)) for d in rows.values()} == \
                {(ws % 4 + 1, by_ws[ws % 4 + 1].id, Status.RETURNED)}
            returns = (DossierHistory.select(DossierHistory.actor, DossierHistory.actor_name)
                       .where(DossierHistory.dossier.in_([d.id for d in rows.values()])
                              & (DossierHistory.action == "return_result")).tuples())
            assert Counter(returns) == Counter({(by_ws[ws].id, CLERKS[ws][1]): FIRST})
        assert Dossier.select().count() == len(every)
        steps = len(every) + 3 * 4 * FIRST  # each reception, and each returned dossier's hand-over, result and return
        assert Counter(e.state for e in OutboxEntry.select()) == {"synced": len(every) + steps}
        figures = compare(ctx, province)
    for key in ("missing_dossiers", "extra_dossiers", "duplicate_dossiers", "different_dossiers", "missing_steps",
                "extra_steps", "duplicate_steps"):
        assert figures[key] == 0, (key, figures)
    assert (figures["local_dossiers"], figures["province_dossiers"]) == (len(every), len(every))
    assert (figures["local_steps"], figures["province_steps"]) == (steps, steps)
    returns_there = Counter(s["NguoiXuLy"] for s in province.state()["steps"] if s["NoiDungXuLy"].startswith("Trả kết"))
    assert returns_there == Counter({name: FIRST for _, name in CLERKS.values()})
    assert report.complete and report.checked and report.confirmed == report.sent_today == len(every), report
    return {**figures, "passes_at_workstation_1": done[1]["passes"], "sent_while_the_others_received": during,
            "faults": chaos.armed if chaos else []}


def test_four_counters_receive_return_each_other_s_dossiers_and_sync_each_once(office, pg_url, tmp_path, province):  # noqa: F811
    done, during, report, at_one, _ = run_the_day(office, pg_url, tmp_path, province)
    try:
        check_the_day(done, during, report, at_one, province, None)
    finally:
        at_one.database.close()


@pytest.mark.postgresql_run(reason="30–70 s on two busy cores: the four processes' day with the province failing")
def test_the_same_day_with_the_province_failing_under_the_sync(office, pg_url, tmp_path, province):  # noqa: F811
    done, during, report, at_one, chaos = run_the_day(office, pg_url, tmp_path, province, chaos_seed=20)
    try:
        figures = check_the_day(done, during, report, at_one, province, chaos)
    finally:
        at_one.database.close()
    assert figures["faults"], "no fault was armed while workstation 1 synced"
    assert figures["passes_at_workstation_1"].get("stopped_by_fault", 0) >= 1, figures  # the faults met the sync
    print(json.dumps(figures, ensure_ascii=False))
