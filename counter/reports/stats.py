"""Biểu số 06 "Tình hình, kết quả giải quyết TTHC": the 13 columns of ../shared/reports.md §2 per field (or per
procedure, or per receiving clerk) with a total row, and what the form shows beside the table.

Counted in SQL (one GROUP BY over the dossiers the period concerns; no Python loop over dossiers), read-only, and
from the dossier's history (its first step out of the books kept in dossier_conclusion by migration 0014's
triggers), so a past period counts as it stood then, not as the dossiers stand today:
- a dossier leaves the books at its first history step into 7 (withdrawn), 8 (stopped), 9 or 10 (resolved);
- "từ kỳ trước": received before the period and not concluded before its start;
- concluded in the period: trước hạn if on a day before the appointment's, đúng hạn if on its day and not after its
  minute, quá hạn if after its minute (compared to the minute: seconds are dropped); withdrawn ones đúng hạn — the
  verdict migration 0018's triggers keep beside each conclusion;
- open at the period's end (its last day at 24:00): quá hạn if the appointment in force then (history's due_at) is
  before that minute; one paused for a supplement (its clock stopped) is quá hạn only if it was late when paused;
- a Mẫu 04 apology does not make a late dossier on time: the appointment it replaced is the one compared;
- refused dossiers (status 3, Mẫu 03) and online ones never received (status 1) are not in the 13 columns.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from peewee import Database

from counter.context import AppContext, bound
from counter.dossiers import scope
from counter.errors import ValidationError
from counter.office.codes import validate_workstation
from counter.reports import parallel
from counter.reports.periods import bounds
from counter.reports.records import (
    GROUPINGS,
    STATS_COLUMNS,
    Digitisation,
    Period,
    RefusedLine,
    Satisfaction,
    Stats,
    StatsRow,
    SyncShares,
    share,
)
from db.database import AwareDateTimeField
from db.models import Dossier
from db.portable import execute, probe_join

NO_FIELD = "Chưa xác định lĩnh vực"
NO_CLERK = "Không rõ người tiếp nhận"
_GROUPS = {
    "field": ("p.field", f"CASE WHEN p.field = '' THEN '{NO_FIELD}' ELSE p.field END"),
    "procedure": ("p.code", "p.name || ' (' || p.code || ')'"),
    "clerk": ("COALESCE(CAST(d.received_by_id AS TEXT), '')", f"COALESCE(u.full_name, '{NO_CLERK}')"),
    # issue 20: a centre's counters side by side (the receiving counter, Dossier.workstation: one digit, 0–9)
    "workstation": ("CAST(d.workstation AS TEXT)", "'Quầy ' || CAST(d.workstation AS TEXT)"),
}
OPEN = "2, 4, 5, 6"  # counter.status.OPEN_STATUSES
CONCLUDED = "7, 8, 9, 10"  # withdrawn, stopped, result ready, returned

# One row per dossier the period concerns, classified and counted by procedure and clerk (integers: a cheap sort);
# then those few counts grouped by field, procedure or clerk. Parameters: :s, :e (ISO text, [s, e)); the dossiers
# received in [:rs, :re) of them, and (:carried = 1) those carried over: the whole period, or a part of it (below).
# {mine}: "" for the whole centre, or one counter's dossiers (_mine: AND workstation = :w).
_CLASSIFIED = f"""
WITH dd AS (
  SELECT id, channel, received_at, due_at, procedure_id, received_by_id, workstation FROM dossier
   WHERE received_at >= :rs AND received_at < :re AND status NOT IN (1, 3){{mine}}
  UNION ALL
  SELECT id, channel, received_at, due_at, procedure_id, received_by_id, workstation FROM dossier
   WHERE +received_at < :s AND status IN ({OPEN}) AND :carried = 1{{mine}}
  UNION ALL
  SELECT id, channel, received_at, due_at, procedure_id, received_by_id, workstation FROM dossier
   WHERE updated_at >= :s AND +received_at < :s AND status NOT IN (1, 3, {OPEN}) AND :carried = 1{{mine}}
), live AS (
  SELECT b.id, b.channel, b.received_at, b.due_at AS cur_due, b.procedure_id, b.received_by_id, b.workstation,
         h.at AS cat, h.to_status AS cto, h.verdict
  -- its first step into {CONCLUDED} (kept by the triggers of 0014) and whether that was early, on time or late (0018)
  FROM dd b {{conclusion}}
  WHERE h.at IS NULL OR h.at >= :s
), cls AS (
  SELECT id, procedure_id, received_by_id, workstation, CASE WHEN received_at >= :s THEN 1 ELSE 0 END AS fresh,
    CASE WHEN channel = 2 THEN 1 ELSE 0 END AS online, cto, cat,
    CASE WHEN cat IS NOT NULL AND cat < :e THEN verdict
    ELSE
      CASE COALESCE(
        (SELECT CASE WHEN pa.due_before IS NOT NULL
                      AND substr(COALESCE(ap.due_before, pa.due_before), 1, 16) < substr(pa.paused_at, 1, 16)
                     THEN 1 ELSE 0 END
           FROM dossier_pause pa LEFT JOIN dossier_apology ap ON ap.dossier_id = pa.dossier_id
                                                           AND ap.issued_at <= pa.paused_at
          WHERE pa.dossier_id = live.id AND pa.paused_at < :e AND (pa.resumed_at IS NULL OR pa.resumed_at >= :e)
          ORDER BY pa.paused_at DESC LIMIT 1),
        (SELECT CASE WHEN substr(due, 1, 16) < substr(:e, 1, 16) THEN 1 ELSE 0 END FROM (SELECT COALESCE(
           (SELECT a.due_before FROM dossier_apology a WHERE a.dossier_id = live.id AND a.issued_at < :e),
           (SELECT h.due_at FROM dossier_history h WHERE h.dossier_id = live.id AND h.at < :e AND h.due_at IS NOT NULL
             ORDER BY h.at DESC, h.id DESC LIMIT 1),
           cur_due) AS due) AS latest WHERE due IS NOT NULL),
        0)
      WHEN 1 THEN 'open_late' ELSE 'open_in_time' END
    END AS cls
  FROM live
)
"""

_SQL = _CLASSIFIED + """, agg AS MATERIALIZED (
  -- from a subquery SQLite cannot merge (LIMIT -1: no limit): each dossier classified once, not once for the
  -- grouping and again for the output
  -- grouped by the one column the chosen grouping reads ({group}), the others NULL: a narrower sort
  SELECT {columns}, fresh, online, cto, cls, COUNT(*) AS n
  FROM (SELECT * FROM cls LIMIT -1) AS once
  GROUP BY {group}, fresh, online, cto, cls
)
SELECT {key} AS gkey, {label} AS glabel,
  SUM(n * fresh * online), SUM(n * fresh * (1 - online)), SUM(n * (1 - fresh)),
  SUM(CASE WHEN cls = 'early' THEN n ELSE 0 END), SUM(CASE WHEN cls = 'on_time' THEN n ELSE 0 END),
  SUM(CASE WHEN cls = 'late' THEN n ELSE 0 END), SUM(CASE WHEN cls = 'open_in_time' THEN n ELSE 0 END),
  SUM(CASE WHEN cls = 'open_late' THEN n ELSE 0 END),
  SUM(CASE WHEN cls IN ('early', 'on_time', 'late') AND cto = 7 THEN n ELSE 0 END),
  SUM(CASE WHEN cls IN ('early', 'on_time', 'late') AND cto = 8 THEN n ELSE 0 END)
FROM agg d LEFT JOIN procedure p ON p.id = d.procedure_id LEFT JOIN "user" u ON u.id = d.received_by_id
GROUP BY gkey, glabel ORDER BY glabel, gkey
"""

# The column of the classified dossiers each grouping reads (_GROUPS' key and label read it through the agg).
_GROUP_COLUMN = {"field": "procedure_id", "procedure": "procedure_id", "clerk": "received_by_id",
                 "workstation": "workstation"}


def _table_sql(by: str, workstation: int | None = None, database: Database | None = None) -> str:
    key, label = _GROUPS[by]
    group = _GROUP_COLUMN[by]
    columns = ", ".join(name if name == group else f"CAST(NULL AS INTEGER) AS {name}"
                        for name in ("procedure_id", "received_by_id", "workstation"))
    return _SQL.format(key=key, label=label, columns=columns, group=group, mine=_mine(workstation),
                       conclusion=_conclusion(database))

# The dossiers concluded in each month of [:s, :e) (their first step out of the books, stored as local time: its
# first seven letters are the month), on time (early or on time) and in all. A dossier concluded in a month is in
# that month's Biểu 06 whenever it was received (its last change is never before its conclusion), so each month's
# figures are the ones compute_stats gives for that month alone: read from the months' counts of verdicts that
# migration 0018's triggers keep, a few rows rather than every conclusion of the months.
_BY_MONTH = """
SELECT month, SUM(CASE WHEN verdict IN ('early', 'on_time') THEN n ELSE 0 END), SUM(n) FROM conclusion_month
WHERE month >= substr(:s, 1, 7) AND month < substr(:e, 1, 7)
GROUP BY month
"""
# One counter's months (issue 20: conclusion_month counts the whole centre): its conclusions with a verdict, the
# rows conclusion_month's triggers count, read through the dossier's counter — the months' conclusions by their
# index, each one's dossier by its id (the hint keeps SQLite off every dossier the counter ever received).
_BY_MONTH_OF = """
SELECT substr(h.at, 1, 7) AS m, SUM(CASE WHEN h.verdict IN ('early', 'on_time') THEN 1 ELSE 0 END), COUNT(*)
FROM dossier_conclusion h JOIN dossier d ON d.id = h.dossier_id
WHERE h.verdict IS NOT NULL AND h.at >= :s AND h.at < :e AND +d.workstation = :w
GROUP BY m
"""

_SIDE = """
SELECT
  (SELECT COUNT(*) FROM dossier WHERE status = 3 AND received_at >= :s AND received_at < :e{mine}),
  (SELECT COUNT(*) FROM dossier_history WHERE action = 'request_supplement' AND at >= :s AND at < :e{its}),
  (SELECT COUNT(*) FROM dossier_apology WHERE issued_at >= :s AND issued_at < :e{its}),
  (SELECT COUNT(*) FROM dossier_history WHERE action = 'withdraw' AND at >= :s AND at < :e{its}),
  (SELECT COUNT(*) FROM dossier_stop WHERE stopped_at >= :s AND stopped_at < :e{its}),
  (SELECT COUNT(*) FROM dossier_return WHERE returned_at >= :s AND returned_at < :e{its})
"""

# The refused dossiers (Mẫu 03) of the period by the report's grouping: "beside the table", one line each.
_REFUSED_BY = """
SELECT {key} AS gkey, {label} AS glabel, COUNT(*)
FROM dossier d JOIN procedure p ON p.id = d.procedure_id LEFT JOIN "user" u ON u.id = d.received_by_id
WHERE d.status = 3 AND d.received_at >= :s AND d.received_at < :e{mine_d}
GROUP BY gkey, glabel ORDER BY glabel, gkey
"""

# The ratings of the period by level and reason, each (level, reason) in the order it was first given (a year has
# some 60,000 ratings: counted in SQL, not row by row in Python).
_RATINGS = """
SELECT level, reason, COUNT(*) FROM service_rating WHERE rated_at >= :s AND rated_at < :e{its}
GROUP BY level, reason ORDER BY MIN(rated_at), MIN(id)
"""

# Dossiers received in the period (not refused): papers all digitised, a paper reused, and their sync state, read
# from dossier_digest (kept by migration 0017's triggers from the scans, the papers handed over and the sync queue:
# one lookup by id per dossier, not searches of the queue by code and of the papers and their scans).
_RECEIVED = """
SELECT COUNT(*), COALESCE(SUM(g.papers_scanned), 0), SUM(COALESCE(g.reused, 0)),
  SUM(CASE WHEN g.sync_state = 'synced' THEN 1 ELSE 0 END),
  SUM(CASE WHEN g.sync_state IN ('pending', 'sending') THEN 1 ELSE 0 END),
  SUM(CASE WHEN g.sync_state = 'attention' THEN 1 ELSE 0 END), SUM(CASE WHEN g.sync_state IS NULL THEN 1 ELSE 0 END)
FROM dossier d {digest}
WHERE d.received_at >= :s AND d.received_at < :e AND d.status NOT IN (1, 3){mine_d}
"""

_RESULTS = """
SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM attachment t WHERE t.dossier_id = r.dossier_id
                                         AND t.kind = 'result' AND t.replaced_at IS NULL) THEN 1 ELSE 0 END)
FROM dossier_result r WHERE r.recorded_at >= :s AND r.recorded_at < :e{its_r}
"""

NOTES = (
    "Thời hạn được so đến từng phút: giải quyết xong trước ngày hẹn trả là trước hạn; trong ngày hẹn trả và không "
    "muộn hơn giờ hẹn là đúng hạn; muộn hơn giờ hẹn dù một phút là quá hạn (hẹn 10:00, trả 16:00 cùng ngày là "
    "quá hạn).",
    "Hồ sơ đang giải quyết được tính tại 24:00 ngày cuối kỳ; hồ sơ đang chờ bổ sung (tạm dừng tính thời gian) "
    "là trong hạn nếu còn hạn khi yêu cầu bổ sung.",
    "Hồ sơ công dân rút được tính là đã giải quyết đúng hạn; hồ sơ dừng xử lý (Mẫu 05) tính là đã giải quyết, "
    "so thời điểm dừng với ngày hẹn trả.",
    "Hồ sơ đã có văn bản xin lỗi, hẹn lại (Mẫu 04) được so với ngày hẹn trả trước khi hẹn lại.",
    "Hồ sơ từ chối tiếp nhận (Mẫu 03) không tính vào 13 cột, được ghi ở dòng riêng.",
)


def dossiers_classified(where: str, workstation: int | None = None, database: Database | None = None) -> str:
    """The SQL of the ids of the dossiers Biểu 06 counts in `:s`–`:e` for which `where` holds, over the columns
    `fresh` (received in the period), `online`, `cto` (the status it concluded with) and `cls` ('early',
    'on_time', 'late', 'open_in_time', 'open_late'): the same counting as the table (the scorecard's lists);
    with `workstation`, of that counter's dossiers (parameter :w); `database`: the engine it is written for."""
    return _CLASSIFIED.format(mine=_mine(workstation), conclusion=_conclusion(database)) + \
        f"SELECT id FROM cls WHERE {where}"


def _conclusion(database: Database | None) -> str:
    """Each classified dossier's conclusion (0014), looked up by its id."""
    return probe_join(database, "dossier_conclusion", "h", "dossier_id", "b.id")


def _mine(workstation: int | None, column: str = "workstation") -> str:
    """The condition narrowing a dossier query to one counter (parameter :w); "" for the whole centre. A hint
    (`+`, db/portable.py) keeps SQLite on the range of days: the covering dossier_report index holds the counter
    too, where the workstation's own index would read every dossier the counter ever received."""
    return "" if workstation is None else f" AND +{column} = :w"


def _narrowing(workstation: int | None, database: Database | None = None) -> dict[str, str]:
    """The placeholders of the queries above: nothing for the whole centre, else one counter's dossiers (:w) — in
    the dossier table itself (`mine`, `mine_d` where it is `d`) and in the tables of its events (`its`, `its_r`:
    each event's dossier looked up by its id); and each received dossier's digest (0017) looked up by its id
    (`digest`, written for `database`'s engine)."""
    digest = probe_join(database, "dossier_digest", "g", "dossier_id", "d.id")
    if workstation is None:
        return {"mine": "", "mine_d": "", "its": "", "its_r": "", "digest": digest}
    its = "EXISTS (SELECT 1 FROM dossier x WHERE x.id = {column} AND x.workstation = :w)"
    return {"mine": _mine(workstation), "mine_d": _mine(workstation, "d.workstation"),
            "its": " AND " + its.format(column="dossier_id"), "its_r": " AND " + its.format(column="r.dossier_id"),
            "digest": digest}


@bound
def compute_stats(ctx: AppContext, period: Period, by: str = "field", workstation: int | None = None) -> Stats:
    """Biểu số 06 for `period`, one row per `by` (field | procedure | clerk | workstation); with `workstation`, of
    the dossiers that counter received (issue 20: Quầy của tôi), else of the whole centre. Each counter's figures
    sum to the centre's: every count is of dossiers, or of events of dossiers, and each dossier has one counter."""
    if by not in GROUPINGS:
        choices = ", ".join(GROUPINGS)
        raise ValidationError(f"Cách nhóm “{by}” không hợp lệ: chọn một trong {choices}.")
    if workstation is not None:
        validate_workstation(workstation)
    start, end = bounds(period)
    mine = {} if workstation is None else {"w": workstation}
    params = {**period_params(start, end), **mine}
    narrowing = _narrowing(workstation, ctx.database)
    key, label = _GROUPS[by]
    table = _table_sql(by, workstation, ctx.database)
    # The longest first, so that the two workers end together.
    carried, first, second, received_row, results_row, side, refused_by_rows, ratings = parallel.fetch_all(ctx, [
        *((table, {**part, **mine}) for part in _parts(start, end)), (_RECEIVED.format(**narrowing), params),
        (_RESULTS.format(**narrowing), params), (_SIDE.format(**narrowing), params),
        (_REFUSED_BY.format(key=key, label=label, **narrowing), params), (_RATINGS.format(**narrowing), params)])
    rows = _merged(carried + first + second)
    total = StatsRow(key="", label="Tổng cộng", **{
        name: sum(getattr(r, name) for r in rows)
        for name in ("online", "direct", "carried", "early", "on_time", "late", "open_in_time", "open_late",
                     "withdrawn", "stopped")})
    refused, supplements, apologies, withdrawals, stops, returned = side[0]
    refused_by = tuple(RefusedLine(key=str(k), label=str(lbl), count=n) for k, lbl, n in refused_by_rows)
    levels = {"very_satisfied": 0, "satisfied": 0, "dissatisfied": 0}
    reasons: Counter[str] = Counter()  # insertion order breaks ties: the first given first
    for level, reason, n in ratings:
        levels[level] = levels.get(level, 0) + n
        if level == "dissatisfied" and reason:
            reasons[reason] += n
    received, scanned, reused, synced, waiting, attention, none = (int(v or 0) for v in received_row[0])
    results, results_scanned = (int(v or 0) for v in results_row[0])
    notes = NOTES if levels != {"very_satisfied": 0, "satisfied": 0, "dissatisfied": 0} else (
        *NOTES, "Trong kỳ chưa có đánh giá mức độ hài lòng nào: không tính được tỷ lệ hài lòng.")
    return Stats(
        period=period, by=by, rows=rows, total=total, refused=refused, supplements=supplements,
        apologies=apologies, withdrawals=withdrawals, stops=stops,
        satisfaction=Satisfaction(very_satisfied=levels["very_satisfied"], satisfied=levels["satisfied"],
                                  dissatisfied=levels["dissatisfied"], reasons=tuple(reasons.most_common()),
                                  returned=returned),
        digitisation=Digitisation(received=received, papers_scanned=scanned, reused=reused, resolved=results,
                                  results_scanned=results_scanned),
        sync=SyncShares(received=received, synced=synced, waiting=waiting, attention=attention, not_queued=none),
        computed_at=ctx.clock.now(), notes=notes, refused_by=refused_by, workstation=workstation,
        scope=scope.report_scope(ctx, workstation),
    )


@bound
def resolved_by_month(ctx: AppContext, first: Period, last: Period,
                      workstation: int | None = None) -> dict[tuple[int, int], tuple[int, int]]:
    """(year, month) → (resolved early or on time, resolved) for every month from `first`'s start to `last`'s end
    that has a dossier resolved (columns 8 + 9 and 7 of Biểu 06 for that month alone), in one query; with
    `workstation`, of that counter's dossiers."""
    start, _ = bounds(first)
    _, end = bounds(last)
    params: dict[str, Any] = {"s": _text(start), "e": _text(end)}
    if workstation is not None:
        params["w"] = workstation
    rows = execute(Dossier._meta.database, _BY_MONTH if workstation is None else _BY_MONTH_OF, params)
    return {(int(month[:4]), int(month[5:7])): (int(on_time), int(resolved)) for month, on_time, resolved in rows}


def period_params(start: datetime, end: datetime) -> dict[str, Any]:
    """The parameters of the classification (_CLASSIFIED) for the whole period [start, end)."""
    s, e = _text(start), _text(end)
    return {"s": s, "e": e, "rs": s, "re": e, "carried": 1}


def _parts(start: datetime, end: datetime) -> tuple[dict[str, Any], ...]:
    """The period's dossiers in three parts counted side by side (parallel.py): those carried over (found among
    every dossier changed since the period began: as long to read as half a year's receptions), those received in
    its first half, those received in its second half."""
    middle = _text((start + (end - start) / 2).replace(microsecond=0))
    whole = period_params(start, end)
    return {**whole, "re": whole["rs"]}, {**whole, "re": middle, "carried": 0}, {**whole, "rs": middle, "carried": 0}


def _merged(lines: list[tuple[Any, ...]]) -> tuple[StatsRow, ...]:
    """The table's rows from its parts' rows (a group may be in both): summed, in the SQL's order."""
    sums: dict[tuple[str, str], list[int]] = {}
    for k, lbl, *counts in lines:
        row = sums.setdefault((str(lbl), str(k)), [0] * len(counts))
        for i, n in enumerate(counts):
            row[i] += int(n or 0)  # PostgreSQL's SUM of integers is a numeric (Decimal)
    return tuple(StatsRow(key=k, label=lbl, online=a, direct=b, carried=c, early=d, on_time=e, late=f,
                          open_in_time=g, open_late=h, withdrawn=i, stopped=j)
                 for (lbl, k), (a, b, c, d, e, f, g, h, i, j) in sorted(sums.items()))


def _text(moment: datetime) -> str:
    """A bound as stored: ISO text in Vietnam time, so text order is time order."""
    value = AwareDateTimeField().db_value(moment)
    assert value is not None
    return value


def as_json(stats: Stats) -> dict[str, Any]:
    """The report as `main.py report stats --json` prints it: columns 3–13 by name and number, the same figures
    the PDF and the workbook show."""

    def row(r: StatsRow, number: int | None) -> dict[str, Any]:
        return {"stt": number, "key": r.key, "label": r.label,
                "columns": {str(i): v for i, v in enumerate(r.columns(), start=3)},
                **dict(zip(STATS_COLUMNS, r.columns(), strict=True)), "withdrawn": r.withdrawn, "stopped": r.stopped}

    s, d, y = stats.satisfaction, stats.digitisation, stats.sync
    return {
        "report": "Biểu số 06", "period": {"label": stats.period.label, "from": stats.period.start.isoformat(),
                                            "to": stats.period.end.isoformat()},
        "by": stats.by, "workstation": stats.workstation, "scope": stats.scope, "empty": stats.empty,
        "rows": [row(r, i) for i, r in enumerate(stats.rows, start=1)], "total": row(stats.total, None),
        "refused": stats.refused,
        "refused_by": [{"key": r.key, "label": r.label, "count": r.count} for r in stats.refused_by],
        "supplements": stats.supplements, "apologies": stats.apologies,
        "withdrawals": stats.withdrawals, "stops": stats.stops,
        "satisfaction": {"very_satisfied": s.very_satisfied, "satisfied": s.satisfied,
                         "dissatisfied": s.dissatisfied, "rated": s.rated, "returned": s.returned,
                         "satisfied_share": share(s.very_satisfied + s.satisfied, s.rated),
                         "dissatisfied_reasons": [{"reason": r, "count": n} for r, n in s.reasons]},
        "digitisation": {"received": d.received, "papers_scanned": d.papers_scanned,
                         "papers_scanned_share": share(d.papers_scanned, d.received), "reused": d.reused,
                         "reused_share": share(d.reused, d.received), "resolved": d.resolved,
                         "results_scanned": d.results_scanned,
                         "results_scanned_share": share(d.results_scanned, d.resolved)},
        "sync": {"received": y.received, "synced": y.synced, "waiting": y.waiting, "attention": y.attention,
                 "not_queued": y.not_queued, "synced_share": share(y.synced, y.received)},
        "computed_at": stats.computed_at.isoformat(timespec="seconds"), "notes": list(stats.notes),
    }
