"""One counter of the centre in a process of its own, for tests/db/test_concurrency.py and
tests/db/test_four_counters.py: connects to the office's PostgreSQL database, says it is ready (a file), waits for the
go (another file) so that every counter starts at the same moment, receives N dossiers as workstation W, and prints
their codes as one JSON list.

    python -m tests.db.office_worker URL DATA_DIR WORKSTATION COUNT READY_FILE GO_FILE [PLAN_FILE]

With PLAN_FILE (JSON, `Plan`), the counter's day goes on, as the clerk of this workstation (`clerk`):
1. the N receptions; their codes written to `codes_out` (whole, by a rename) for the counter that returns them;
2. once `return_from` (another counter's codes) exists: each of those dossiers scanned (looked up by its code, as the
   scan path does: counter.dossiers.detail.load_detail), handed to its unit, its result recorded and returned to the
   citizen; `second_wave` more receptions interleaved with the returns;
3. with `sync` (the province's settings, as this PC's administrator enters them): the end-of-day batch
   (counter.sync.batch.sync_once) pass after pass in a thread of its own, as the app's sync runs beside the desk,
   until `stop_file` exists; its passes are counted.
It prints one JSON object then: {"received": [...], "second": [...], "returned": [...], "passes": {...}}.

The workstation number belongs to the PC, not to the database (issue 20): this process claims W for the PC its
QMC_MACHINE_DIR names (counter.office.workstations), as a counter joining the centre does. Nothing else differs
from a counter's work."""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

PROCEDURE = "1.004873"
ADMIN = "quantri"  # tests.counter.test_first_run.SETUP's administrator
UNIT = "Công chức Tư pháp - Hộ tịch"
WAIT = 60.0  # seconds at most for another process's file


def applicant_id(workstation: int, i: int) -> str:
    """A valid CCCD number of its own for each dossier (Thanh Hóa, a man born in 1990)."""
    return f"038090{workstation}{i:05d}"


def wait_for(path: Path, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no {what} within {WAIT:.0f} s ({path})")
        time.sleep(0.01)


def write_whole(path: Path, data: object) -> None:
    part = path.with_suffix(".part")
    part.write_text(json.dumps(data), encoding="utf-8")
    os.replace(part, path)


def main(argv: list[str]) -> int:
    url, data_dir, workstation, count, ready, go, *rest = argv
    ws, n = int(workstation), int(count)
    plan = json.loads(Path(rest[0]).read_text(encoding="utf-8")) if rest else None

    from counter import records
    from counter.clock import VN_TZ, FixedClock
    from counter.context import AppContext
    from counter.dossiers import reception
    from counter.office import code_ledger, workstations
    from db.database import bind, make_database_from_url
    from db.models import User

    database = bind(make_database_from_url(url))
    clock = FixedClock(datetime(2026, 2, 13, 10, 0, tzinfo=VN_TZ))
    ctx = AppContext(database=database, data_dir=Path(data_dir), clock=clock)
    with ctx.bound():
        row = User.get(User.username == (plan["clerk"] if plan else ADMIN))
    ctx.user = records.User(id=row.id, username=row.username, full_name=row.full_name, title=row.title, role=row.role)

    workstations.claim(ctx, ws)  # this PC (its own QMC_MACHINE_DIR) joins the centre as workstation `ws`
    code_ledger.adopt(ctx, ws, "", [])
    if plan and plan.get("sync"):
        from counter.sync import settings

        errors, _ = settings.set_values(ctx, plan["sync"])  # sealed with this PC's key (secret.key in DATA_DIR)
        if errors:
            raise SystemExit(f"sync settings refused: {errors}")

    def receive(i: int) -> str:
        applicant = records.ApplicantInput(id_number=applicant_id(ws, i), full_name=f"Nguyễn Văn Quầy {ws} số {i}",
                                           address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")
        dossier, _ = reception.receive_dossier(ctx, records.DossierDraft(procedure_code=PROCEDURE,
                                                                         applicant=applicant))
        if plan:
            clock.advance(seconds=1)  # each step of this counter at a time of its own
        return dossier.code

    Path(ready).touch()
    wait_for(Path(go), "go")
    codes = [receive(i) for i in range(n)]
    if not plan:
        print(json.dumps(codes))
        database.close()
        return 0
    write_whole(Path(plan["codes_out"]), codes)
    outcome = second_phase(ctx, plan, lambda i: receive(n + i))
    print(json.dumps({"received": codes, **outcome}))
    database.close()
    return 0


def second_phase(ctx, plan: dict, receive) -> dict:
    """Return the other counter's dossiers, receive the second wave between them; the sync beside, if planned."""
    from counter.dossiers import lifecycle
    from counter.dossiers.detail import load_detail

    wait_for(Path(plan["return_from"]), "codes to return")
    theirs = json.loads(Path(plan["return_from"]).read_text(encoding="utf-8"))
    sync = Sync(ctx, Path(plan["stop_file"])) if plan.get("sync") else None
    if sync:
        sync.start()
    second, returned = [], []
    wave = int(plan.get("second_wave", 0))
    every = max(1, len(theirs) // wave) if wave else 0
    for k, code in enumerate(theirs):
        detail = load_detail(ctx, code, ctx.user)  # the receipt scanned at this counter opens the dossier
        assert "handover" in detail.allowed_actions, (code, detail.allowed_actions)
        lifecycle.handover(ctx, code, UNIT)
        ctx.clock.advance(seconds=1)
        lifecycle.record_result(ctx, code, f"{k + 1}/2026/XNHN")
        ctx.clock.advance(seconds=1)
        lifecycle.return_result(ctx, code)  # to the applicant, at this counter
        ctx.clock.advance(seconds=1)
        returned.append(code)
        if every and k % every == every - 1 and len(second) < wave:
            second.append(receive(len(second)))
    while len(second) < wave:
        second.append(receive(len(second)))
    passes: dict[str, int] = {}
    if sync:
        sync.join(timeout=WAIT * 2)
        if sync.is_alive():
            raise SystemExit("the sync never ended")
        if sync.error:
            raise SystemExit(f"the sync failed: {sync.error!r}")
        passes = dict(sync.passes)
    return {"second": second, "returned": returned, "passes": passes}


class Sync(threading.Thread):
    """The end-of-day batch, pass after pass beside the desk, until `stop` exists; the clock moves a minute a pass
    so that what a fault rescheduled comes due again."""

    def __init__(self, ctx, stop: Path):
        super().__init__(daemon=True)
        self.ctx, self.stop = ctx, stop
        self.passes: Counter[str] = Counter()
        self.error: BaseException | None = None

    def run(self) -> None:
        from counter.sync.batch import sync_once

        rng = random.Random(1)
        try:
            while True:
                last = self.stop.exists()
                report = sync_once(self.ctx, rng=rng, confirm=False)
                when = "after_stop_" if last else ""  # the pass that starts once the others have ended
                self.passes[when + ("stopped_by_fault" if report.stopped_by else "ran_through")] += 1
                if report.sent_dossiers or report.sent_steps:
                    self.passes[when + "sent_something"] += 1
                if last:
                    return
                self.ctx.clock.advance(minutes=1)
                time.sleep(0.02)
        except BaseException as e:  # reported by the main thread
            self.error = e


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
