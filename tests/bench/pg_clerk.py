"""One clerk of the centre receiving dossiers in a process of its own, for test_bench_postgres's four clerks at once:
connects to the bench PostgreSQL database, claims workstation W for the PC its machine folder names, says it is
ready (a file), waits for the go (another file) so that every clerk starts at the same moment, receives N dossiers
at a FixedClock starting at START (one minute apart), and prints one JSON object: each reception's milliseconds,
and the receptions that failed (with why).

    python -m tests.bench.pg_clerk URL DATA_DIR MACHINE_DIR WORKSTATION COUNT START READY_FILE GO_FILE
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

PROCEDURES = ("2.000815", "1.001193", "1.000894", "2.000884", "1.004873")  # test_bench_core's usual mix
WAIT = 120.0


def main(argv: list[str]) -> int:
    url, data_dir, machine_dir, workstation, count, start, ready, go = argv
    os.environ["QMC_MACHINE_DIR"] = machine_dir  # this clerk's PC (its machine id, its code ledger)
    ws, n = int(workstation), int(count)
    Path(data_dir).mkdir(parents=True, exist_ok=True)

    from counter import records
    from counter.catalogue import procedures
    from counter.clock import FixedClock
    from counter.context import AppContext
    from counter.dossiers import reception
    from counter.office import workstations
    from db.database import make_database_from_url
    from db.models import User

    database = make_database_from_url(url)
    clock = FixedClock(datetime.fromisoformat(start))
    ctx = AppContext(database=database, data_dir=Path(data_dir), clock=clock)
    with ctx.bound():
        row = User.get(User.username == "canbo")
    ctx.user = records.User(id=row.id, username=row.username, full_name=row.full_name, title=row.title, role=row.role)
    workstations.claim(ctx, ws)
    chosen = [procedures.get_procedure(ctx, code) for code in PROCEDURES]

    def draft(i: int) -> records.DossierDraft:
        procedure = chosen[i % len(chosen)]
        papers = tuple(records.ComponentInput(name=c.name, form=c.form, code=c.code, pages=1 + i % 3)
                       for c in procedure.components if not c.optional)
        person = records.ApplicantInput(id_number=f"038090{ws}{i:05d}",
                                        full_name=f"Nguyễn Văn Quầy {ws} số {i}", phone="0912345678",
                                        address="Thôn 3, xã Quảng Hùng, tỉnh Thanh Hóa")
        return records.DossierDraft(procedure_code=procedure.code, applicant=person, components=papers)

    Path(ready).touch()
    deadline = time.monotonic() + WAIT
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go")
        time.sleep(0.005)
    timings: list[float] = []
    failed: list[str] = []
    for i in range(n):
        clock.advance(minutes=1)
        t0 = time.perf_counter()
        try:
            reception.receive_dossier(ctx, draft(i))
        except Exception as e:
            failed.append(f"{type(e).__name__}: {e}")
        timings.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"workstation": ws, "ms": timings, "failed": failed}, ensure_ascii=False))
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
