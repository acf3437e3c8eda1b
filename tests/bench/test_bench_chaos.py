"""Benchmark: the chaos run (tests/sync/chaos.py) — 20 rounds of random faults while dossiers are received,
worked and synced.

Target: at the end the province's state equals the local state, with 0 duplicates, 0 missing, 0 extra and
0 different dossiers or steps. One JSON line with the counts, the faults of each round and the desk's actions.
"""

import pytest

from counter.clock import FixedClock
from counter.office.users import authenticate
from counter.setup import open_app
from devtools.provincial_server import ProvincialServer
from tests.bench.conftest import report
from tests.conftest import at
from tests.sync.chaos import ZERO, assert_equal_states, run_chaos
from tests.sync.conftest import CREDENTIALS

ROUNDS = 20
SEED = 20261203


@pytest.fixture
def chaos_ctx(tmp_path):
    ctx = open_app(tmp_path / "data", clock=FixedClock(at("2026-02-13 07:30")))
    ctx.user = authenticate(ctx, "canbo", "canbo123")
    yield ctx
    ctx.database.close()


def test_chaos_rounds_end_equal(chaos_ctx, tmp_path):
    with ProvincialServer(str(tmp_path / "province.sqlite3"), credentials=CREDENTIALS) as province:
        figures = run_chaos(chaos_ctx, province, ROUNDS, SEED)
    report({"name": "sync_chaos", **figures, "target": dict.fromkeys(ZERO, 0)})
    assert_equal_states(figures)
