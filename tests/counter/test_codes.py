import subprocess
import sys
from pathlib import Path

import pytest

from counter.errors import CodeBlockExhausted
from counter.office.codes import CODE_RE, allocate_code, block, is_dossier_code
from db.models import CodeCounter
from tests.conftest import at

AGENCY = "000.00.06.H56"
ROOT = Path(__file__).resolve().parents[2]


def test_workstation_blocks():
    assert block(0) == (1, 999)
    assert block(3) == (3000, 3999)
    assert block(9) == (9000, 9999)


def test_sequence_restarts_each_day_and_matches_the_national_format(bare_ctx):
    with bare_ctx.transaction():
        a = allocate_code(bare_ctx, AGENCY, 0, at("2026-02-13 10:00"))
        b = allocate_code(bare_ctx, AGENCY, 0, at("2026-02-13 10:01"))
        c = allocate_code(bare_ctx, AGENCY, 0, at("2026-02-23 08:00"))
    assert (a, b, c) == (f"{AGENCY}-260213-0001", f"{AGENCY}-260213-0002", f"{AGENCY}-260223-0001")
    assert all(CODE_RE.match(x) for x in (a, b, c))
    assert is_dossier_code(" " + a + "\r\n".strip())
    assert not is_dossier_code("000.00.06.h56-260213-0001")


def test_workstations_never_collide(bare_ctx):
    day = at("2026-02-13 10:00")
    with bare_ctx.transaction():
        codes = {ws: [allocate_code(bare_ctx, AGENCY, ws, day) for _ in range(3)] for ws in (0, 1, 7)}
    assert codes[1] == [f"{AGENCY}-260213-{n}" for n in ("1000", "1001", "1002")]
    assert codes[7][0].endswith("-7000")
    assert len({c for cs in codes.values() for c in cs}) == 9


def test_exhausted_block_is_a_clear_error_not_a_reused_number(bare_ctx):
    day = at("2026-02-13 10:00")
    CodeCounter.create(agency_id=AGENCY, day="260213", workstation=2, last_seq=2998)
    with bare_ctx.transaction():
        assert allocate_code(bare_ctx, AGENCY, 2, day).endswith("-2999")
    with pytest.raises(CodeBlockExhausted, match="đã dùng hết 1000 mã hồ sơ"), bare_ctx.transaction():
        allocate_code(bare_ctx, AGENCY, 2, day)
    assert CodeCounter.get(CodeCounter.workstation == 2).last_seq == 2999


WORKER = """
import sys
from counter.setup import open_app
from counter.dossiers import reception
from counter.records import ApplicantInput, DossierDraft
from counter.clock import FixedClock
from datetime import datetime
from counter.clock import VN_TZ
ctx = open_app(sys.argv[1], clock=FixedClock(datetime(2026, 2, 13, 10, 0, tzinfo=VN_TZ)))
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.readline()  # start together
for i in range(int(sys.argv[2])):
    d, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.001193",
        applicant=ApplicantInput(id_number=f"0380900{sys.argv[3]}{i:04d}", full_name="Nguyễn Văn An")))
    print(d.code, flush=True)
"""


@pytest.mark.slow
@pytest.mark.sqlite_only(reason="worker processes open the data folder's SQLite file (two counters on one PostgreSQL "
                                "database: the code-issuing part of issue 20)")
def test_two_processes_receiving_at_once_never_share_a_code(tmp_path):
    from counter.setup import open_demo

    open_demo(tmp_path / "data").database.close()  # create and seed once (the demo office issues the codes)
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path / "data"), "40", str(n)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for n in (1, 2)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    codes = []
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        codes += out.split()
    assert len(codes) == 80
    assert len(set(codes)) == 80
    assert sorted(int(c[-4:]) for c in codes) == list(range(1, 81))


def test_a_code_must_carry_a_real_reception_date():
    from counter.office.codes import code_in_lookup_address, has_impossible_date, is_dossier_code

    assert is_dossier_code("000.00.06.H56-260228-0001") and not is_dossier_code("000.00.06.H56-260229-0001")
    assert has_impossible_date("000.00.06.H56-261303-0001") and not has_impossible_date("HELLO")
    assert code_in_lookup_address("https://x.vn/tra-cuu?MHS=000.00.06.h56-260213-0042") == "000.00.06.H56-260213-0042"
    assert code_in_lookup_address("000.00.06.H56-260213-0042") is None  # a bare code is not an address
    assert code_in_lookup_address("https://x.vn/tra-cuu?MHS=000.00.06.H56-261313-0042") is None
