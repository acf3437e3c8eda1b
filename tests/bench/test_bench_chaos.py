"""Benchmark: the chaos run (tests/sync/chaos.py) — 20 rounds of random faults while dossiers are received,
worked and synced.

Target: at the end the province's state equals the local state, with 0 duplicates, 0 missing, 0 extra and
0 different dossiers or steps, against the strict reference server in each dialect. One JSON line per dialect
with the counts, the faults of each round and the desk's actions.
"""

import pytest

from counter.clock import FixedClock
from tests.bench.conftest import report
from tests.conftest import at
from tests.sync.chaos import ZERO, assert_equal_states, run_chaos

ROUNDS = 20
SEED = 20261203


@pytest.fixture
def clock():
    return FixedClock(at("2026-02-13 07:30"))  # the office opens: the desk's day starts


@pytest.fixture(params=["opencps", "gateway"])
def province_dialect(request):
    return request.param


def test_chaos_rounds_end_equal(ctx, clerk, province):
    figures = run_chaos(ctx, province, ROUNDS, SEED)
    report({"name": f"sync_chaos_{province.dialect}", **figures, "target": dict.fromkeys(ZERO, 0)})
    assert_equal_states(figures)
