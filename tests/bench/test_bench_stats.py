"""Benchmark of Biểu số 06 on the benchmark database: a whole year by field ≤ 1 s, cold (a new connection, the OS
cache as it is) and warm (the same connection again), beside one hand-written SQL query giving the same 13-column
totals in the same run (the ratio is printed).

The year is the last whole one before the newest dossier (2025 on the demo database: ~215,000 dossiers received,
~17,000 a month, where an office receives ~1,500). Read-only: the cached database is opened, never written."""

import time
from datetime import datetime

from counter.clock import Clock, local
from counter.context import AppContext
from counter.reports import periods
from counter.reports.stats import compute_stats
from counter.setup import DB_FILE
from db.database import make_database
from tests.bench.conftest import report

TARGET_S = 1.0

# The 13 columns' totals (3–13 as counted) in one statement, written straight from reports.md §2 and the rules in
# counter/reports/stats.py's docstring: each dossier the year concerns, its first step out of the books, and, when it
# was still open at the year's end, the appointment then in force (or, paused for a supplement, whether it was late
# when paused). Parameters: :s, :e as stored ISO text, [s, e).
ONE_QUERY = """
SELECT SUM(fresh AND channel = 2), SUM(fresh AND channel <> 2), SUM(NOT fresh),
  SUM(c = 1), SUM(c = 2), SUM(c = 3), SUM(c = 4), SUM(c = 5)
FROM (
  SELECT x.channel, x.received_at >= :s AS fresh,
    CASE WHEN x.cat IS NOT NULL AND x.cat < :e THEN
      CASE WHEN x.cto = 7 OR x.cdue IS NULL THEN 2
           WHEN substr(x.cat, 1, 10) < substr(x.cdue, 1, 10) THEN 1
           WHEN substr(x.cat, 1, 16) <= substr(x.cdue, 1, 16) THEN 2 ELSE 3 END
    WHEN COALESCE(
      (SELECT pa.due_before IS NOT NULL
              AND substr(COALESCE((SELECT a.due_before FROM dossier_apology a WHERE a.dossier_id = x.id
                                      AND a.issued_at <= pa.paused_at), pa.due_before), 1, 16)
                  < substr(pa.paused_at, 1, 16)
         FROM dossier_pause pa WHERE pa.dossier_id = x.id AND pa.paused_at < :e
          AND (pa.resumed_at IS NULL OR pa.resumed_at >= :e) ORDER BY pa.paused_at DESC LIMIT 1),
      substr(COALESCE((SELECT a.due_before FROM dossier_apology a WHERE a.dossier_id = x.id AND a.issued_at < :e),
                      (SELECT h.due_at FROM dossier_history h WHERE h.dossier_id = x.id AND h.at < :e
                          AND h.due_at IS NOT NULL ORDER BY h.at DESC, h.id DESC LIMIT 1),
                      x.due_at), 1, 16) < substr(:e, 1, 16),
      0) THEN 5 ELSE 4 END AS c
  FROM (
    SELECT d.id, d.channel, d.received_at, d.due_at, h.at AS cat, h.to_status AS cto,
      COALESCE((SELECT a.due_before FROM dossier_apology a WHERE a.dossier_id = d.id AND a.issued_at <= h.at),
               h.due_at, d.due_at) AS cdue
    FROM dossier d JOIN procedure p ON p.id = d.procedure_id
    LEFT JOIN dossier_history h ON h.id = (SELECT f.id FROM dossier_history f WHERE f.dossier_id = d.id
                                             AND f.to_status IN (7, 8, 9, 10) ORDER BY f.at, f.id LIMIT 1)
    WHERE d.received_at < :e AND d.status NOT IN (1, 3)
      AND (d.received_at >= :s OR d.status IN (2, 4, 5, 6) OR d.updated_at >= :s)
      AND (h.at IS NULL OR h.at >= :s)
  ) x
)
"""


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def last_whole_year(database) -> int:
    newest = database.execute_sql("SELECT MAX(received_at) FROM dossier").fetchone()[0]
    return local(datetime.fromisoformat(newest)).year - 1


def test_bench_stats_year_by_field(bench_db):
    folder, _ = bench_db
    path = folder / DB_FILE
    database = make_database(path)  # a new connection: cold as far as this process goes
    ctx = AppContext(database=database, data_dir=folder, clock=Clock())
    year = last_whole_year(database)
    period = periods.parse_period(str(year))
    start, end = periods.bounds(period)
    params = {"s": local(start).isoformat(timespec="seconds"), "e": local(end).isoformat(timespec="seconds")}
    stats, cold_s = timed(lambda: compute_stats(ctx, period, "field"))
    _, warm_s = timed(lambda: compute_stats(ctx, period, "field"))
    database.close()

    one = make_database(path)  # the hand-written query on a connection of its own, cold then warm
    sql_cold, sql_cold_s = timed(lambda: one.execute_sql(ONE_QUERY, params).fetchone())
    sql_warm, sql_warm_s = timed(lambda: one.execute_sql(ONE_QUERY, params).fetchone())
    one.close()

    t = stats.total
    ours = (t.online, t.direct, t.carried, t.early, t.on_time, t.late, t.open_in_time, t.open_late)
    assert tuple(v or 0 for v in sql_cold) == ours == tuple(v or 0 for v in sql_warm)
    assert t.received > 0 and len(stats.rows) > 1
    figures = report({
        "name": "stats_year_by_field", "year": year, "rows": len(stats.rows), "received": t.received,
        "carried": t.carried, "resolved": t.resolved, "open": t.open,
        "cold_s": round(cold_s, 3), "warm_s": round(warm_s, 3),
        "one_sql_cold_s": round(sql_cold_s, 3), "one_sql_warm_s": round(sql_warm_s, 3),
        "cold_to_one_sql_ratio": round(cold_s / sql_cold_s, 2) if sql_cold_s else None,
        "warm_to_one_sql_ratio": round(warm_s / sql_warm_s, 2) if sql_warm_s else None,
        "target_s": TARGET_S})
    assert figures["cold_s"] <= TARGET_S
    assert figures["warm_s"] <= TARGET_S
