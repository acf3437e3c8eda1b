"""A short chaos run in the default suite (the 20-round one is tests/bench/test_bench_chaos.py): faults of
every kind while the desk works and sync runs beside it; the province ends equal to the desk."""

import pytest

from tests.sync.chaos import assert_equal_states, run_chaos


@pytest.mark.parametrize("seed", [1, 2])
def test_a_few_chaos_rounds_end_with_equal_states(ctx, clerk, province, seed):
    ctx.clock.advance(hours=-2, minutes=-30)  # 07:30: the round's work stays within office hours
    assert_equal_states(run_chaos(ctx, province, rounds=4, seed=seed))
