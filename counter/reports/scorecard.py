"""The office's scorecard (issue 19): for a period, Biểu số 06's figures (stats.compute_stats, not recounted), the
on-time rate and its trend by month, the dossiers late or at most one working day from late now, and the QĐ 766
indicators the office's own data can estimate (reports.md §3), each with its formula in words.

Every figure has a key; `figure_dossiers(ctx, period, key)` lists the dossiers behind it, in SQL (for Biểu 06's
columns, the very query stats.py counts with, grouped by dossier instead of by field), so a clerk can check any
number against the dossiers it counts. Read-only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from counter.calendar.schedule import calendar
from counter.calendar.workdays import WorkCalendar
from counter.clock import local
from counter.context import AppContext, bound
from counter.dossiers import board, lookup
from counter.dossiers.transitions import CLOCK_RUNNING
from counter.errors import ValidationError
from counter.records import DossierRow
from counter.reports import stats as stats_module
from counter.reports.periods import bounds, parse_period
from counter.reports.records import ESTIMATE, ON_TIME_FORMULA, Figure, Indicator, MonthRate, Period, Scorecard, Stats
from counter.reports.stats import compute_stats
from counter.status import Status
from db.database import AwareDateTimeField
from db.models import Dossier, Procedure
from db.portable import execute

TREND_MONTHS = 6

# Each figure of Biểu 06 as a condition on its classified dossiers (stats.dossiers_classified): a list and its number
# come from the same counting.
_COLUMN_FIGURES = {
    "received": ("Số hồ sơ nhận giải quyết (cột 3)", "1 = 1"),
    "online": ("Nhận trực tuyến (cột 4)", "fresh = 1 AND online = 1"),
    "direct": ("Nhận trực tiếp, bưu chính (cột 5)", "fresh = 1 AND online = 0"),
    "carried": ("Từ kỳ trước chuyển sang (cột 6)", "fresh = 0"),
    "resolved": ("Đã giải quyết (cột 7)", "cls IN ('early', 'on_time', 'late')"),
    "early": ("Giải quyết trước hạn (cột 8)", "cls = 'early'"),
    "on_time": ("Giải quyết đúng hạn (cột 9)", "cls = 'on_time'"),
    "late": ("Giải quyết quá hạn (cột 10)", "cls = 'late'"),
    "open": ("Đang giải quyết cuối kỳ (cột 11)", "cls IN ('open_in_time', 'open_late')"),
    "open_in_time": ("Đang giải quyết, trong hạn (cột 12)", "cls = 'open_in_time'"),
    "open_late": ("Đang giải quyết, quá hạn (cột 13)", "cls = 'open_late'"),
    "behind": ("Quá hạn: đã giải quyết quá hạn hoặc còn đang quá hạn", "cls IN ('late', 'open_late')"),
}
_RECEIVED = "SELECT d.id FROM dossier d WHERE d.received_at >= :s AND d.received_at < :e AND d.status NOT IN (1, 3)"
_ALL_PAPERS = """EXISTS (SELECT 1 FROM dossier_component c WHERE c.dossier_id = d.id AND c.handed_over = 1)
  AND NOT EXISTS (SELECT 1 FROM dossier_component c WHERE c.dossier_id = d.id AND c.handed_over = 1
                   AND NOT EXISTS (SELECT 1 FROM attachment t WHERE t.dossier_id = d.id AND t.kind = 'component'
                                    AND t.component_position = c.position AND t.replaced_at IS NULL))"""
_REUSED = """EXISTS (SELECT 1 FROM attachment t WHERE t.dossier_id = d.id AND t.reused_from_id IS NOT NULL
                      AND t.replaced_at IS NULL)"""
_RESULT_SCANNED = """EXISTS (SELECT 1 FROM attachment t WHERE t.dossier_id = r.dossier_id AND t.kind = 'result'
                              AND t.replaced_at IS NULL)"""
_SYNC = """SELECT d.id FROM dossier d LEFT JOIN outbox_entry o ON o.kind = 'dossier' AND o."key" = d.code
WHERE d.received_at >= :s AND d.received_at < :e AND d.status NOT IN (1, 3) AND {where}"""
_RESULTS = "SELECT r.dossier_id AS id FROM dossier_result r WHERE r.recorded_at >= :s AND r.recorded_at < :e"
_RATED = "SELECT dossier_id AS id FROM service_rating WHERE rated_at >= :s AND rated_at < :e AND level = '{level}'"
_HISTORY = "SELECT dossier_id AS id FROM dossier_history WHERE action = '{action}' AND at >= :s AND at < :e"
_OTHER_FIGURES = {
    "refused": ("Từ chối tiếp nhận (Mẫu 03)",
                "SELECT id FROM dossier WHERE status = 3 AND received_at >= :s AND received_at < :e"),
    "supplements": ("Lượt yêu cầu bổ sung (Mẫu 02)", _HISTORY.format(action="request_supplement")),
    "apologies": ("Xin lỗi, hẹn lại (Mẫu 04)",
                  "SELECT dossier_id AS id FROM dossier_apology WHERE issued_at >= :s AND issued_at < :e"),
    "withdrawals": ("Công dân rút hồ sơ", _HISTORY.format(action="withdraw")),
    "stops": ("Dừng xử lý (Mẫu 05)",
              "SELECT dossier_id AS id FROM dossier_stop WHERE stopped_at >= :s AND stopped_at < :e"),
    "returned": ("Đã trả kết quả trong kỳ",
                 "SELECT dossier_id AS id FROM dossier_return WHERE returned_at >= :s AND returned_at < :e"),
    "very_satisfied": ("Rất hài lòng", _RATED.format(level="very_satisfied")),
    "satisfied": ("Hài lòng", _RATED.format(level="satisfied")),
    "dissatisfied": ("Không hài lòng", _RATED.format(level="dissatisfied")),
    "papers_scanned": ("Hồ sơ có toàn bộ giấy tờ đã số hóa", f"{_RECEIVED} AND {_ALL_PAPERS}"),
    "papers_missing": ("Hồ sơ còn giấy tờ chưa số hóa", f"{_RECEIVED} AND NOT ({_ALL_PAPERS})"),
    "reused": ("Hồ sơ tái sử dụng giấy tờ đã số hóa", f"{_RECEIVED} AND {_REUSED}"),
    "results_scanned": ("Kết quả đã số hóa", f"{_RESULTS} AND {_RESULT_SCANNED}"),
    "results_missing": ("Kết quả chưa số hóa", f"{_RESULTS} AND NOT {_RESULT_SCANNED}"),
    "synced": ("Đã đồng bộ lên cổng quốc gia", _SYNC.format(where="o.state = 'synced'")),
    "not_synced": ("Chưa đồng bộ", _SYNC.format(where="(o.state IS NULL OR o.state <> 'synced')")),
    "sync_waiting": ("Đang chờ đồng bộ", _SYNC.format(where="o.state IN ('pending', 'sending')")),
    "sync_attention": ("Đồng bộ cần xử lý", _SYNC.format(where="o.state = 'attention'")),
}
# Figures that count events (a dossier asked twice for papers counts twice): their list has one line per event.
EVENT_FIGURES = frozenset({"supplements"})
# The refused dossiers of one field: "refused@" + the field's name ("" for procedures without a field).
REFUSED_IN = "refused@"
_REFUSED_IN_FIELD = """SELECT d.id FROM dossier d JOIN procedure p ON p.id = d.procedure_id
WHERE d.status = 3 AND d.received_at >= :s AND d.received_at < :e AND p.field = :f"""
NOW_FIGURES = {"late_now": "Đang quá hạn (lúc này)", "soon_late": "Sắp quá hạn (còn tối đa 1 ngày làm việc)"}
FIGURE_LABELS = {**{k: v[0] for k, v in _COLUMN_FIGURES.items()}, **{k: v[0] for k, v in _OTHER_FIGURES.items()},
                 **NOW_FIGURES}

PROGRESS_FORMULA = ("(hồ sơ đang giải quyết trong hạn + đã giải quyết trước hạn, đúng hạn, kể cả hồ sơ rút) ÷ số "
                    "hồ sơ nhận giải quyết trong kỳ (cột 3) × 20 điểm")
DIGITISATION_FORMULA = ("hồ sơ có kết quả điện tử ÷ hồ sơ đã có kết quả × 6 điểm; cộng 4 điểm nếu từ 80 % hồ sơ "
                        "tiếp nhận có toàn bộ giấy tờ đã số hóa (dưới 80 %: 3,2 điểm); cộng 2 điểm nếu từ 80 % hồ sơ "
                        "tái sử dụng giấy tờ đã số hóa (dưới 80 %: 1,6 điểm) — theo cách tính của hệ thống tỉnh "
                        "Thanh Hóa, tối đa 12 điểm")
SATISFACTION_FORMULA = ("(rất hài lòng + hài lòng) ÷ số lượt đánh giá trong kỳ × 18 điểm (thang 18 điểm chưa đối "
                        "chiếu với phụ lục của QĐ 766)")
SYNC_FORMULA = "hồ sơ tiếp nhận trong kỳ đã đồng bộ lên cổng quốc gia ÷ hồ sơ tiếp nhận trong kỳ (không chấm điểm)"


def figures(stats: Stats) -> tuple[Figure, ...]:
    """The scorecard's numbers, as Biểu 06 counted them (each with the key of its dossiers)."""
    t, s, d, y = stats.total, stats.satisfaction, stats.digitisation, stats.sync
    values = {
        "received": t.received, "online": t.online, "direct": t.direct, "carried": t.carried,
        "resolved": t.resolved, "early": t.early, "on_time": t.on_time, "late": t.late, "open": t.open,
        "open_in_time": t.open_in_time, "open_late": t.open_late, "behind": t.late + t.open_late,
        "refused": stats.refused, "supplements": stats.supplements, "apologies": stats.apologies,
        "withdrawals": stats.withdrawals, "stops": stats.stops, "returned": s.returned,
        "very_satisfied": s.very_satisfied, "satisfied": s.satisfied, "dissatisfied": s.dissatisfied,
        "papers_scanned": d.papers_scanned, "papers_missing": d.received - d.papers_scanned, "reused": d.reused,
        "results_scanned": d.results_scanned, "results_missing": d.resolved - d.results_scanned,
        "synced": y.synced, "not_synced": y.received - y.synced, "sync_waiting": y.waiting,
        "sync_attention": y.attention,
    }
    result = []
    for key, value in values.items():
        result.append(Figure(key, FIGURE_LABELS[key], value, "lượt" if key in EVENT_FIGURES else "hồ sơ"))
        if key == "refused":  # beside the table: one line per field
            result += [Figure(REFUSED_IN + r.key, figure_label(REFUSED_IN + r.key, r.label), r.count)
                       for r in stats.refused_by]
    return tuple(result)


def figure_label(key: str, field_label: str = "") -> str:
    """What the figure `key` is called (a refused-in-a-field figure: after its field, `field_label` or its key)."""
    if key.startswith(REFUSED_IN):
        return f"– từ chối, lĩnh vực {field_label or key.removeprefix(REFUSED_IN) or stats_module.NO_FIELD}"
    return FIGURE_LABELS[key]


def indicators(stats: Stats) -> tuple[Indicator, ...]:
    t, s, d, y = stats.total, stats.satisfaction, stats.digitisation, stats.sync
    progress = t.open_in_time + t.early + t.on_time
    digitised: float | None = None
    if d.resolved and d.received:
        digitised = round(6 * d.results_scanned / d.resolved
                          + (4 if d.papers_scanned * 5 >= d.received * 4 else 3.2)
                          + (2 if d.reused * 5 >= d.received * 4 else 1.6), 2)
    satisfied = s.very_satisfied + s.satisfied
    return (
        Indicator("progress", "Tiến độ giải quyết", progress, t.received,
                  round(20 * progress / t.received, 2) if t.received else None, 20, PROGRESS_FORMULA, "behind"),
        Indicator("digitisation", "Số hóa hồ sơ, kết quả", d.results_scanned, d.resolved, digitised, 12,
                  DIGITISATION_FORMULA, "results_missing"),
        Indicator("satisfaction", "Mức độ hài lòng", satisfied, s.rated,
                  round(18 * satisfied / s.rated, 2) if s.rated else None, 18, SATISFACTION_FORMULA, "dissatisfied"),
        Indicator("sync", "Công khai, đồng bộ với cổng quốc gia", y.synced, y.received, None, None, SYNC_FORMULA,
                  "not_synced"),
    )


def _month(day: date, back: int) -> Period:
    index = day.year * 12 + day.month - 1 - back
    return parse_period(f"{index // 12}-{index % 12 + 1:02d}")


@bound
def trend(ctx: AppContext, last_day: date, months: int = TREND_MONTHS,
          workstation: int | None = None) -> tuple[MonthRate, ...]:
    """The on-time rate of each of the `months` months ending with `last_day`'s, oldest first (Biểu 06 per month,
    counted for all the months in one query); with `workstation`, of that counter's dossiers."""
    periods = [_month(last_day, back) for back in range(months - 1, -1, -1)]
    counts = stats_module.resolved_by_month(ctx, periods[0], periods[-1], workstation)
    rates = []
    for period in periods:
        on_time, resolved = counts.get((period.start.year, period.start.month), (0, 0))
        rates.append(MonthRate(month=period.start, label=f"T{period.start.month}/{period.start.year}",
                               on_time=on_time, resolved=resolved))
    return tuple(rates)


def soon_late_horizon(now: datetime, cal: WorkCalendar) -> datetime:
    """A moment after which no due time is soon late at `now`: working minutes left grow with the due time, so
    those due from the moment one working day and a minute of office time has passed have more than a working day
    left (a minute more still, against seconds dropped). The SQL reads only the dossiers due before it (a day or so
    of them, not the 15 calendar days a long holiday could span); the board's rule then decides each one."""
    return cal.add_working_minutes(local(now), cal.day_minutes + 2)


@bound
def soon_late(ctx: AppContext, now: datetime, workstation: int | None = None) -> tuple[DossierRow, ...]:
    """Open dossiers whose clock runs with at most one working day left (the board's 'due soon'), due first; with
    `workstation`, that counter's."""
    cal = calendar(ctx)
    where = (Dossier.status.in_(CLOCK_RUNNING) & (Dossier.due_at >= local(now))
             & (Dossier.due_at < soon_late_horizon(now, cal)))
    if workstation is not None:
        where &= Dossier.workstation == workstation
    query = Dossier.select(Dossier, Procedure).join(Procedure).where(where).order_by(Dossier.due_at, Dossier.id)
    return tuple(r for r in lookup.list_lines(query) if board.time_left(now, r, cal)[1] == board.DUE_SOON)


@bound
def compute_scorecard(ctx: AppContext, period: Period, now: datetime | None = None,
                      months: int = TREND_MONTHS, workstation: int | None = None) -> Scorecard:
    """The scorecard of `period`: of the whole centre, or with `workstation` of that counter's dossiers (issue 20:
    Quầy của tôi; `stats.scope` says which in office mode)."""
    now = ctx.clock.now() if now is None else now
    stats = compute_stats(ctx, period, workstation=workstation)
    t = stats.total
    return Scorecard(stats=stats, now=now, on_time=t.early + t.on_time, resolved=t.resolved,
                     trend=trend(ctx, period.end, months, workstation), figures=figures(stats),
                     late=tuple(board.overdue(ctx, now, workstation=workstation)),
                     soon_late=soon_late(ctx, now, workstation), indicators=indicators(stats))


@bound
def figure_dossiers(ctx: AppContext, period: Period, key: str, now: datetime | None = None,
                    workstation: int | None = None) -> tuple[DossierRow, ...]:
    """The dossiers behind the figure `key` of `period`'s scorecard, in reception order; with `workstation`, that
    counter's (the figures of its scorecard)."""
    if key == "late_now":
        return tuple(board.overdue(ctx, ctx.clock.now() if now is None else now, workstation=workstation))
    if key == "soon_late":
        return soon_late(ctx, ctx.clock.now() if now is None else now, workstation)
    if key in _COLUMN_FIGURES:
        inner = stats_module.dossiers_classified(_COLUMN_FIGURES[key][1], workstation, ctx.database)
    elif key in _OTHER_FIGURES:
        inner = _OTHER_FIGURES[key][1]
    elif key.startswith(REFUSED_IN):
        inner = _REFUSED_IN_FIELD
    else:
        raise ValidationError(f"Không có số liệu “{key}” trong báo cáo.")
    start, end = bounds(period)
    field = AwareDateTimeField()
    params = {**stats_module.period_params(start, end), "f": key.removeprefix(REFUSED_IN)}
    if workstation is not None:
        params["w"] = workstation
    # Biểu 06's columns count each dossier once (`IN`, the plan the benchmarks measured); the other figures are
    # joined: one line per row they count (an event figure lists a dossier once per event)
    rows = (f"WHERE d.id IN ({inner})" if key in _COLUMN_FIGURES
            else f"JOIN ({inner}) x ON x.id = d.id")
    if workstation is not None:  # one counter's: its dossiers of the figure (compute_stats counts the same)
        rows += (" AND" if key in _COLUMN_FIGURES else " WHERE") + " d.workstation = :w"
    sql = (f"SELECT d.id, d.code, d.applicant_name, p.name, d.received_at, d.due_at, d.status, d.applicant_phone "
           f"FROM dossier d JOIN procedure p ON p.id = d.procedure_id {rows} ORDER BY d.received_at, d.id")
    return tuple(
        DossierRow(id=i, code=code, applicant_name=name, procedure_name=proc, received_at=_moment(field, rec),
                   due_at=field.python_value(due) if due else None, status=Status(status), applicant_phone=phone)
        for i, code, name, proc, rec, due, status, phone in execute(Dossier._meta.database, sql, params))


def _moment(field: AwareDateTimeField[Any], text: str) -> datetime:
    value = field.python_value(text)
    assert value is not None
    return value


def _dossier(row: DossierRow) -> dict[str, Any]:
    return {"code": row.code, "applicant": row.applicant_name, "procedure": row.procedure_name,
            "received_at": row.received_at.isoformat(timespec="minutes"),
            "due_at": row.due_at.isoformat(timespec="minutes") if row.due_at else None,
            "status": int(row.status), "status_label": row.status.label}


def as_json(card: Scorecard) -> dict[str, Any]:
    """The scorecard as `main.py report scorecard --json` prints it (the figures the screen shows)."""
    return {
        "report": "Báo cáo của bộ phận một cửa",
        "period": {"label": card.period.label, "from": card.period.start.isoformat(),
                   "to": card.period.end.isoformat()},
        "empty": card.stats.empty, "now": card.now.isoformat(timespec="minutes"),
        "on_time": {"on_time": card.on_time, "resolved": card.resolved, "rate": card.on_time_rate,
                    "formula": ON_TIME_FORMULA},
        "trend": [{"month": m.month.isoformat()[:7], "label": m.label, "on_time": m.on_time,
                   "resolved": m.resolved, "rate": m.rate} for m in card.trend],
        "figures": {f.key: {"label": f.label, "value": f.value, "unit": f.unit} for f in card.figures},
        "late": [_dossier(r) for r in card.late],
        "soon_late": [_dossier(r) for r in card.soon_late],
        "indicators": [{"key": i.key, "label": i.label, "part": i.part, "whole": i.whole, "share": i.value,
                        "points": i.points, "max_points": i.max_points, "formula": i.formula,
                        "pulled_down_by": i.figure, "estimate": ESTIMATE} for i in card.indicators],
        "notes": list(card.stats.notes),
    }
