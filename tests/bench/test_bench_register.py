"""Benchmarks of the register (Mẫu 07) on the benchmark database: ~1,500 lines as Excel ≤ 2 s, ~20,000 lines as PDF
≤ 30 s, and the lines themselves against one hand-written SQL query returning the same rows (the ratio is printed).

The demo database receives ~17,000 dossiers a month, not an office's ~1,500: the ranges are the last whole days
holding at least as many dossiers as an office's month and year; their lines are all computed (and compared with the
one query), and the file holds the first 1,500 or 20,000 of them."""

import time
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import time as clock_time

from counter.clock import VN_TZ, local
from counter.reports.register import build_register
from db.models import Dossier
from printing.register_pdf import build_register_pdf
from printing.register_xlsx import build_register_xlsx
from tests.bench.conftest import report

XLSX_TARGET_S = 2.0
PDF_TARGET_S = 30.0
MONTH, YEAR = 1_500, 20_000

# The register's rows in one statement: the dossier, its procedure and return, the first hand-over and the first
# time the result came back (the history's notes are left out: this is the floor the register is compared with).
ONE_QUERY = """
SELECT d.id, d.register_book, d.register_number, d.code, p.code, p.name, p.field, d.sets, d.applicant_name,
       d.applicant_address, d.applicant_phone, d.received_at, d.due_at, d.status, d.channel,
       r.returned_at, r.collector_name, r.authorised, u.full_name,
       (SELECT h.at FROM dossier_history h WHERE h.dossier_id = d.id AND h.action = 'handover'
        ORDER BY h.at, h.id LIMIT 1),
       (SELECT h.to_unit FROM dossier_history h WHERE h.dossier_id = d.id AND h.action = 'handover'
        ORDER BY h.at, h.id LIMIT 1),
       (SELECT MIN(h.at) FROM dossier_history h WHERE h.dossier_id = d.id AND h.to_status = 9)
FROM dossier d JOIN procedure p ON p.id = d.procedure_id
LEFT JOIN dossier_return r ON r.dossier_id = d.id LEFT JOIN "user" u ON u.id = r.returned_by_id
WHERE d.status NOT IN (1, 3) AND d.received_at >= ? AND d.received_at < ?
ORDER BY d.received_at, d.register_number, d.id
"""


def last_days_holding(ctx, count: int):
    """(first day, last day) of the last reception days holding at least `count` dossiers."""
    with ctx.bound():
        newest = Dossier.select(Dossier.received_at).order_by(Dossier.received_at.desc()).first()
        nth = (Dossier.select(Dossier.received_at).order_by(Dossier.received_at.desc()).offset(count - 1).first()
               or Dossier.select(Dossier.received_at).order_by(Dossier.received_at).first())
    return local(nth.received_at).date(), local(newest.received_at).date()


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


def one_query(ctx, start, end):
    low = datetime.combine(start, clock_time(), VN_TZ).isoformat(timespec="seconds")
    high = datetime.combine(end + timedelta(days=1), clock_time(), VN_TZ).isoformat(timespec="seconds")
    return ctx.database.execute_sql(ONE_QUERY, (low, high)).fetchall()


def test_bench_register(bench_ctx):
    ctx = bench_ctx
    figures = {"name": "register"}
    for label, count, render, target in (("month_xlsx", MONTH, build_register_xlsx, XLSX_TARGET_S),
                                         ("year_pdf", YEAR, build_register_pdf, PDF_TARGET_S)):
        start, end = last_days_holding(ctx, count)
        sql_cold, sql_cold_s = timed(lambda: one_query(ctx, start, end))  # noqa: B023
        register, lines_cold_s = timed(lambda: build_register(ctx, start=start, end=end))  # noqa: B023
        _, lines_warm_s = timed(lambda: build_register(ctx, start=start, end=end))  # noqa: B023
        _, sql_warm_s = timed(lambda: one_query(ctx, start, end))  # noqa: B023
        assert len(register.lines) == len(sql_cold)
        # The days are whole: the range holds a few hundred more than `count`; the file has `count` lines.
        data, render_s = timed(lambda: render(replace(register, lines=register.lines[:count])))  # noqa: B023
        assert [line.code for line in register.lines] == [row[3] for row in sql_cold]
        total = lines_warm_s + render_s
        figures[label] = {
            "lines_in_range": len(register.lines), "lines_in_file": min(count, len(register.lines)),
            "from": start.isoformat(), "to": end.isoformat(),
            "lines_cold_s": round(lines_cold_s, 3), "lines_warm_s": round(lines_warm_s, 3),
            "one_sql_cold_s": round(sql_cold_s, 3), "one_sql_warm_s": round(sql_warm_s, 3),
            "lines_to_one_sql_ratio": round(lines_warm_s / sql_warm_s, 2) if sql_warm_s else None,
            "render_s": round(render_s, 3), "total_s": round(total, 3), "target_s": target,
            "bytes": len(data)}
    report(figures)
    assert figures["month_xlsx"]["total_s"] <= XLSX_TARGET_S
    assert figures["year_pdf"]["total_s"] <= PDF_TARGET_S
