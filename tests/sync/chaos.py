"""The chaos run: rounds of random faults while dossiers are received, worked and synced.

Each round arms a random mix of the reference server's faults (500, 429, connection resets, answers lost
or garbled after the province applied the call, expiring sessions, delays, a captive portal, the province
down for part of the round), then runs `sync_once` in a worker thread, as the app does, while this thread receives
new dossiers and moves open ones on through random legal actions (edits while their entries are in flight).
Afterwards the faults stop and sync runs until nothing waits.

At the end the province's state must equal the local state — every dossier once, with the content the desk
holds now, every progress step once: 0 duplicates, 0 missing, 0 extra, 0 different (`compare`).
Used by tests/sync/test_chaos.py (a few rounds) and tests/bench/test_bench_chaos.py (20 rounds, reported).
"""

import json
import random
import threading
import time
from collections import Counter
from dataclasses import replace

from counter.dossiers import history, reception, transitions
from counter.dossiers.lookup import get_dossier, to_record
from counter.errors import CounterError
from counter.office.profile import get_office
from counter.records import ApplicantInput, DossierDraft
from counter.sync import settings
from counter.sync.batch import sync_once
from counter.sync.bulk import dossier_extras
from counter.sync.conflicts import ACTION
from counter.sync.payload import dossier_payload, step_payload
from counter.sync.profiles import StatusMap
from db.models import DossierHistory, OutboxEntry, User
from devtools.provincial_server import ProvincialServer
from tests.counter.lifecycle_steps import CALLS, CERTIFIED_COPIES, walk
from tests.sync.conftest import configure

NEW_PER_ROUND = 8
ACTIONS_PER_ROUND = 12
CERTIFICATION = "2.000815"  # chứng thực bản sao: its fee counts the pages
PROCEDURES = ("1.004873", "1.001193", CERTIFICATION, "1.000894")
COUNTED = ("500", "429", "reset", "lose", "garble")
RARE = {"withdraw": 0.1, "stop": 0.1}  # ends a dossier: rare, so most dossiers move on through their life
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng")
GIVEN = ("Văn An", "Thị Bình", "Đức Cường", "Thị Dung", "Minh Đức", "Thu Hà")


def applicant(n: int, rng: random.Random) -> ApplicantInput:
    return ApplicantInput(id_number=f"038{n:09d}", full_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
                          phone=f"09{n:08d}", address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")


class Desk:
    """The clerk's side of a round: new dossiers, and random legal actions on open ones."""

    def __init__(self, ctx, rng: random.Random):
        self.ctx, self.rng = ctx, rng
        self.codes: list[str] = []
        self.done = Counter()

    def receive(self) -> None:
        n = len(self.codes) + 1
        procedure = self.rng.choice(PROCEDURES)
        draft = DossierDraft(procedure_code=procedure, applicant=applicant(n, self.rng),
                             components=CERTIFIED_COPIES if procedure == CERTIFICATION else None)
        if self.rng.random() < 0.1:
            refused, _ = reception.refuse_dossier(self.ctx, replace(draft, components=()), "Không thuộc thẩm quyền")
            self.codes.append(refused.code)
            self.done["refuse"] += 1
            return
        received, _ = reception.receive_dossier(self.ctx, draft)
        self.codes.append(received.code)
        self.done["receive"] += 1

    def act(self) -> None:
        if not self.codes:
            return
        code = self.rng.choice(self.codes)
        actions = [a for a in transitions.allowed_actions(get_dossier(self.ctx, code), self.ctx.user) if a in CALLS]
        if not actions:
            return
        action = self.rng.choices(actions, [RARE.get(a, 1.0) for a in actions])[0]
        try:
            walk(self.ctx, code, [action])  # a hand-over goes to a unit other than the current one
        except CounterError:  # a rule of the action itself (e.g. the apology's new date): not a sync matter
            self.done[f"{action} refused by its own rule"] += 1
            return
        self.done[action] += 1

    def work(self, half_way=None) -> None:
        """A round's work; `half_way()` is called in the middle of it (the province comes back up)."""
        steps = NEW_PER_ROUND + ACTIONS_PER_ROUND
        for i in range(steps):
            if half_way and i == steps // 2:
                half_way()
            self.receive() if i % 3 == 0 or not self.codes else self.act()
            self.ctx.clock.advance(minutes=1)
            time.sleep(self.rng.uniform(0, 0.02))  # let the sync thread interleave


def arm_round(province: ProvincialServer, rng: random.Random) -> list[str]:
    """A random mix of faults for one round; what was armed, for the report."""
    faults, armed = province.faults, []
    for name in rng.sample(COUNTED, rng.randint(1, 3)):
        times = rng.randint(1, 4)
        faults.arm(name, times)
        armed.append(f"{name}={times}")
    if rng.random() < 0.3:
        faults.delay_ms = rng.choice((50, 150, 300))
        armed.append(f"delay={faults.delay_ms}")
    if rng.random() < 0.3:
        faults.session_calls = rng.randint(2, 8)
        province.expire_sessions()
        armed.append(f"expire={faults.session_calls}")
    if rng.random() < 0.15:
        faults.captive = True
        armed.append("captive")
    return armed


class BackgroundSync(threading.Thread):
    """As the app's background sync: one pass after another while the desk works, until told to stop."""

    def __init__(self, ctx, rng: random.Random):
        super().__init__()
        self.ctx, self.rng = ctx, rng
        self.stop = threading.Event()
        self.passes = Counter()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                report = sync_once(self.ctx, rng=self.rng, confirm=False)
                self.passes["stopped_by_fault" if report.stopped_by else "ran_through"] += 1
                self.stop.wait(0.02)
        except BaseException as e:
            self.error = e


def full_payload(ctx, dossier, office_name: str, statuses: StatusMap) -> dict:
    return dossier_payload(dossier, office_name=office_name, extras=dossier_extras(ctx, [dossier.id])[dossier.id],
                           statuses=statuses)


def local_steps(ctx, statuses: StatusMap) -> Counter:
    """Every step the desk took, as the bytes the province should hold once (steps carry no id on the wire)."""
    titles = {u.id: u.title for u in User.select()}
    rows = DossierHistory.select().where(DossierHistory.action != ACTION).order_by(DossierHistory.id)
    dossiers: dict[int, object] = {}
    steps = Counter()
    for row in rows:
        if row.dossier_id not in dossiers:
            dossiers[row.dossier_id] = to_record(ctx, row.dossier)
        body = step_payload(history.to_record(row), dossiers[row.dossier_id],
                            title=titles.get(row.actor_id, "") if row.actor_id else "", statuses=statuses)
        steps[json.dumps(body, sort_keys=True, ensure_ascii=False)] += 1
    return steps


def compare(ctx, province: ProvincialServer) -> dict:
    state = province.state()
    config = settings.load(ctx)
    remote = Counter(d["MaHoSo"] for d in state["dossiers"])
    local = {e.key for e in OutboxEntry.select().where(OutboxEntry.kind == "dossier")}
    bodies = {d["MaHoSo"]: {k: v for k, v in d.items() if k != "_writes"} for d in state["dossiers"]}
    office = get_office(ctx).office_name
    different = [code for code in local & set(bodies)
                 if bodies[code] != full_payload(ctx, get_dossier(ctx, code), office, config.statuses)]
    steps = Counter(json.dumps(s, sort_keys=True, ensure_ascii=False) for s in state["steps"])
    mine = local_steps(ctx, config.statuses)
    return {
        "local_dossiers": len(local), "province_dossiers": len(remote),
        "missing_dossiers": len(local - set(remote)), "extra_dossiers": len(set(remote) - local),
        "duplicate_dossiers": sum(n - 1 for n in remote.values()), "different_dossiers": len(different),
        "local_steps": sum(mine.values()), "province_steps": sum(steps.values()),
        "missing_steps": sum((mine - steps).values()), "extra_steps": sum((steps - mine).values()),
        # The province keeps one row per identical step: a resend that is not the same bytes shows as extra.
        "duplicate_steps": sum(n - 1 for n in steps.values()),
        "province_writes": sum(d["_writes"] for d in state["dossiers"]),
    }


def run_chaos(ctx, province: ProvincialServer, rounds: int, seed: int) -> dict:
    """`rounds` rounds of faults while the desk works and sync runs beside it, then sync without faults
    until nothing waits; the figures of the run and of `compare`."""
    rng = random.Random(seed)
    desk = Desk(ctx, rng)
    passes, armed_log = Counter(), []
    start = time.perf_counter()
    configure(ctx, province, timeout="1")
    for _ in range(rounds):
        armed = arm_round(province, rng)
        down = rng.random() < 0.2
        if down:
            province.stop_listening()
            armed.append("down")
        armed_log.append(armed)
        sync = BackgroundSync(ctx, random.Random(rng.random()))
        sync.start()
        desk.work(half_way=province.start_listening if down else None)
        sync.stop.set()
        sync.join(timeout=120)
        assert not sync.is_alive(), "a sync never finished"
        assert sync.error is None, repr(sync.error)
        passes.update(sync.passes)
        province.faults.clear()
        ctx.clock.advance(minutes=10)
    for final_runs in range(1, 11):  # no faults now: what waits goes, past any backoff
        ctx.clock.advance(hours=2)
        last = sync_once(ctx, rng=random.Random(final_runs), confirm=False)
        if last.complete:
            break
    assert last.complete, (last.failed[:3], last.waiting[:3])
    return {"dossiers_in_database": len(desk.codes), "rounds": rounds, "seed": seed,
            "seconds": round(time.perf_counter() - start, 1), "faults": [",".join(a) for a in armed_log],
            "sync_passes": dict(passes), "final_runs_to_complete": final_runs, "desk_actions": dict(desk.done),
            "outbox_states": dict(Counter(e.state for e in OutboxEntry.select())), **compare(ctx, province)}


ZERO = ("missing_dossiers", "extra_dossiers", "duplicate_dossiers", "different_dossiers",
        "missing_steps", "extra_steps", "duplicate_steps")


def assert_equal_states(figures: dict) -> None:
    assert figures["outbox_states"].keys() == {"synced"}, figures["outbox_states"]
    for key in ZERO:
        assert figures[key] == 0, (key, figures)
    assert figures["local_dossiers"] == figures["dossiers_in_database"] == figures["province_dossiers"]
    assert figures["local_steps"] == figures["province_steps"]
