"""Benchmark: the Báo cáo screen (F5) opening on the current month, on the benchmark database.

The real ReportsPage at 1366×768 is asked to load (what F5 does) and timed until the scorecard's figures are shown
(the page's `card` set and its tables filled); meanwhile a 5 ms QTimer records its ticks, and the longest gap between
two ticks is the longest the GUI thread was blocked. Opened twice: cold (a new connection, the OS cache as it is)
and warm (F5 again). Beside it, in the same run, one hand-written SQL query giving the month's 13-column totals
(tests/bench/test_bench_stats.py's), and the ratio. Targets: ≤ 300 ms to the figures, no stall over 50 ms.

The month is the newest dossier's (the demo database's "now"), the clock fixed at its last reception. Read-only:
the cached database is opened, never written."""

import time
from datetime import datetime
from itertools import pairwise

from PySide6.QtCore import Qt, QTimer

from counter.clock import FixedClock, local
from counter.context import AppContext
from counter.reports import periods
from counter.setup import DB_FILE
from db.database import make_database
from tests.bench.conftest import report
from tests.bench.test_bench_stats import ONE_QUERY
from ui.reports.page import ReportsPage

TARGET_MS = 300
STALL_LIMIT_MS = 50
HEARTBEAT_MS = 5


def _open(qtbot, page: ReportsPage) -> tuple[float, float]:
    """(ms from F5's load to the figures shown, longest GUI-thread stall in ms meanwhile)."""
    page.card = None
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(HEARTBEAT_MS)
    start = time.perf_counter()
    ticks.append(start)
    page.set_month()
    page.load()
    qtbot.waitUntil(lambda: page.card is not None, timeout=60_000)
    shown = time.perf_counter()
    ticks.append(shown)
    timer.stop()
    return (shown - start) * 1000, max(b - a for a, b in pairwise(ticks)) * 1000


def test_bench_scorecard_screen_current_month(qtbot, bench_db):
    folder, _ = bench_db
    path = folder / DB_FILE
    database = make_database(path)
    newest = database.execute_sql("SELECT MAX(received_at) FROM dossier").fetchone()[0]
    now = datetime.fromisoformat(newest)
    ctx = AppContext(database=database, data_dir=folder, clock=FixedClock(now))
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    cold_ms, cold_stall = _open(qtbot, page)
    warm_ms, warm_stall = _open(qtbot, page)
    card = page.card
    assert card is not None and page.figures.rowCount() == len(card.figures) and len(page.chart.months) == 6
    database.close()

    period = periods.parse_period(f"{local(now).year}-{local(now).month:02d}")
    start, end = periods.bounds(period)
    params = {"s": local(start).isoformat(timespec="seconds"), "e": local(end).isoformat(timespec="seconds")}
    one = make_database(path)
    begin = time.perf_counter()
    totals = one.execute_sql(ONE_QUERY, params).fetchone()
    sql_ms = (time.perf_counter() - begin) * 1000
    one.close()
    t = card.stats.total
    assert tuple(v or 0 for v in totals) == (t.online, t.direct, t.carried, t.early, t.on_time, t.late,
                                             t.open_in_time, t.open_late)
    figures = report({
        "name": "scorecard_screen_month", "month": period.label, "received": t.received, "late_now": len(card.late),
        "cold_ms": round(cold_ms, 1), "warm_ms": round(warm_ms, 1),
        "cold_max_stall_ms": round(cold_stall, 1), "warm_max_stall_ms": round(warm_stall, 1),
        "one_sql_ms": round(sql_ms, 1), "warm_to_one_sql_ratio": round(warm_ms / sql_ms, 2) if sql_ms else None,
        "target_ms": TARGET_MS, "stall_limit_ms": STALL_LIMIT_MS})
    assert figures["cold_ms"] <= TARGET_MS and figures["warm_ms"] <= TARGET_MS
    assert max(cold_stall, warm_stall) <= STALL_LIMIT_MS
