"""Benchmark: the power-loss torture at length (issue 18) — 200 SIGKILLs at random moments of a worker that
receives, hands over, attaches scans and syncs with the reference provincial server; after each, the next start
finds `check --full` clean, every dossier with its history and outbox entry, every scan whole, no code twice
(tests/torture/power_loss.py; the suite runs 30). Its own small database, not the million-dossier one."""

from tests.bench.conftest import report
from tests.torture.power_loss import torture
from tests.torture.test_power_loss import data_dir  # noqa: F401  the office pointed at the province

KILLS = 200
SEED = 1800


def test_two_hundred_kills(data_dir, province):  # noqa: F811
    figures = torture(data_dir, KILLS, SEED)
    report({"name": "power_loss_torture", **figures, "province_dossiers": len(province.state()["dossiers"]),
            "dossiers_in_database": figures["dossiers"]})
    assert figures["runs_that_received"] >= KILLS * 2 // 3
