"""Power loss (issue 18): 30 SIGKILLs at random moments of a worker that receives, hands over, attaches scans and
syncs; after each, the next start finds everything whole (tests/torture/power_loss.py). 200 in tests/bench."""

import pytest

from counter.setup import open_demo
from tests.conftest import CREDENTIALS
from tests.torture.power_loss import torture

KILLS = 30
SEED = 18


@pytest.fixture
def data_dir(tmp_path, province):
    from counter.sync import settings

    folder = tmp_path / "office"
    ctx = open_demo(folder)
    errors, _ = settings.set_values(ctx, province.office_settings(password=CREDENTIALS[1], timeout="2"))
    assert not errors, errors
    ctx.database.close()
    return folder


def test_thirty_kills_leave_nothing_half_written_and_the_next_run_continues(data_dir, province):
    figures = torture(data_dir, KILLS, SEED)
    print(figures)
    assert figures["dossiers"] >= KILLS // 2 and figures["scans"] >= KILLS // 2
    assert figures["runs_that_received"] >= KILLS * 2 // 3  # each restart gets back to work
    assert figures["synced"] > 0 and len(province.state()["dossiers"]) > 0
