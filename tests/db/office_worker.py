"""One counter of the centre in a process of its own, for tests/db/test_concurrency.py: connects to the office's
PostgreSQL database, says it is ready (a file), waits for the go (another file) so that every counter starts at the
same moment, receives N dossiers as workstation W, and prints their codes as one JSON list.

    python -m tests.db.office_worker URL DATA_DIR WORKSTATION COUNT READY_FILE GO_FILE

The workstation number belongs to the PC, not to the database (issue 20): this process claims W for the PC its
QMC_MACHINE_DIR names (counter.office.workstations), as a counter joining the centre does. Nothing else differs
from a counter's reception."""

from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

PROCEDURE = "1.004873"
ADMIN = "quantri"  # tests.counter.test_first_run.SETUP's administrator


def applicant_id(workstation: int, i: int) -> str:
    """A valid CCCD number of its own for each dossier (Thanh Hóa, a man born in 1990)."""
    return f"038090{workstation}{i:05d}"


def main(argv: list[str]) -> int:
    url, data_dir, workstation, count, ready, go = argv
    ws, n = int(workstation), int(count)

    from counter import records
    from counter.clock import VN_TZ, FixedClock
    from counter.context import AppContext
    from counter.dossiers import reception
    from counter.office import code_ledger, workstations
    from db.database import bind, make_database_from_url
    from db.models import User

    database = bind(make_database_from_url(url))
    ctx = AppContext(database=database, data_dir=Path(data_dir),
                     clock=FixedClock(datetime(2026, 2, 13, 10, 0, tzinfo=VN_TZ)))
    with ctx.bound():
        row = User.get(User.username == ADMIN)
    ctx.user = records.User(id=row.id, username=row.username, full_name=row.full_name, title=row.title, role=row.role)

    workstations.claim(ctx, ws)  # this PC (its own QMC_MACHINE_DIR) joins the centre as workstation `ws`
    code_ledger.adopt(ctx, ws, "", [])

    Path(ready).touch()
    deadline = time.monotonic() + 30
    while not Path(go).exists():
        if time.monotonic() > deadline:
            print("no go within 30 s", file=sys.stderr)
            return 1
        time.sleep(0.01)
    codes = []
    for i in range(n):
        applicant = records.ApplicantInput(id_number=applicant_id(ws, i), full_name=f"Nguyễn Văn Quầy {ws} số {i}",
                                           address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")
        dossier, _ = reception.receive_dossier(ctx, records.DossierDraft(procedure_code=PROCEDURE,
                                                                         applicant=applicant))
        codes.append(dossier.code)
    print(json.dumps(codes))
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
