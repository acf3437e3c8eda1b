"""Biểu 06 reads through the report indexes (migration 0013) and each dossier's conclusion (0014), never a whole
table of a million rows: the query plans SQLite chooses, for every grouping (tests/bench/test_bench_stats.py times
them on the benchmark database); each concluded dossier's verdict and the trend's months from 0018; the
digitisation and sync shares through each dossier's digest (0017)."""

import pytest

from counter.reports import stats
from counter.reports.records import GROUPINGS

pytestmark = pytest.mark.sqlite_only(reason="SQLite's query plans (EXPLAIN QUERY PLAN); on PostgreSQL the "
                                            "benchmarks time the same queries")

PARAMS = {"s": "2025-01-01T00:00:00+07:00", "e": "2026-01-01T00:00:00+07:00", "rs": "2025-01-01T00:00:00+07:00",
          "re": "2026-01-01T00:00:00+07:00", "carried": 1}


def plan(database, sql: str) -> list[str]:
    return [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, PARAMS)]


@pytest.mark.parametrize("by", GROUPINGS)
def test_the_table_is_counted_through_covering_indexes(database, by):
    steps = plan(database, stats._table_sql(by))
    assert any("COVERING INDEX dossier_report (received_at>? AND received_at<?)" in s for s in steps), steps
    assert any("dossier_updated_at_received_at" in s for s in steps), steps
    assert any(s == "SEARCH h USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN" for s in steps), steps  # 0014's
    assert not [s for s in steps if s.startswith("SCAN") and s.split()[1] in {"dossier", "dossier_history"}], steps
    assert not [s for s in steps if "dossier_history_concluded" in s], steps  # the conclusion is not searched for


@pytest.mark.parametrize(("name", "index"), [
    ("_SIDE", "dossier_history_supplement_at"), ("_SIDE", "dossier_history_withdraw_at"),
    ("_SIDE", "dossier_return_returned_at"), ("_RATINGS", "service_rating_rated_at"),
    ("_RECEIVED", "COVERING INDEX dossier_report (received_at>? AND received_at<?)"),
    ("_RECEIVED", "SEARCH g USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN"),  # 0017's digest, by the dossier's id
    ("_RESULTS", "dossier_result_recorded_at"),
])
def test_the_figures_beside_the_table_are_read_through_their_indexes(database, name, index):
    steps = plan(database, getattr(stats, name).format(**stats._narrowing(None)))  # the whole centre's
    assert any(index in s for s in steps), steps
    assert not [s for s in steps if s.startswith("SCAN") and s.split()[1] in {
        "dossier", "dossier_history", "dossier_return", "dossier_result", "service_rating", "outbox_entry",
        "dossier_component"}], steps


def test_the_trend_reads_the_months_counts_by_month(database):
    steps = plan(database, stats._BY_MONTH)
    assert steps == ["SEARCH conclusion_month USING PRIMARY KEY (month>? AND month<?)"], steps  # 0018's counts


@pytest.mark.parametrize("by", GROUPINGS)
def test_one_counters_table_reads_the_same_days_not_the_counters_every_dossier(database, by):
    """Issue 20's Quầy của tôi: the days' range of the covering index (which holds the counter), not the
    workstation's index (every dossier the counter ever received); each event's dossier by its id."""
    params = {**PARAMS, "w": 2}
    steps = [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + stats._table_sql(by, 2), params)]
    assert any("COVERING INDEX dossier_report (received_at>? AND received_at<?)" in s for s in steps), steps
    assert not [s for s in steps if "dossier_workstation" in s], steps
    narrowing = stats._narrowing(2)
    for name in ("_SIDE", "_RECEIVED", "_RESULTS", "_RATINGS"):
        steps = [row[3] for row in database.execute_sql(
            "EXPLAIN QUERY PLAN " + getattr(stats, name).format(**narrowing), params)]
        assert not [s for s in steps if "dossier_workstation" in s or s.startswith("SCAN x")], (name, steps)


def test_one_counters_trend_reads_the_months_conclusions(database):
    steps = plan(database, stats._BY_MONTH_OF.replace(":w", "2"))
    assert any("dossier_conclusion_at (at>? AND at<?)" in s for s in steps), steps
    assert any(s == "SEARCH d USING INTEGER PRIMARY KEY (rowid=?)" for s in steps), steps
