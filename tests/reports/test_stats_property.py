"""Biểu số 06 over random histories (hypothesis): each row balances (received in the period + carried over =
resolved + still open + withdrawn), the rows sum to the total whatever the grouping, and every cell equals what an
independent reading of the generated history (plain Python over the plan, not SQL) gives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.reports.periods import bounds, date_range, parse_period
from counter.reports.records import StatsRow
from counter.reports.stats import NO_FIELD, compute_stats, resolved_by_month
from tests.conftest import at
from tests.reports import stats_history as h

ORIGIN = at("2026-09-01 07:00")
FIELDS = ("Hộ tịch", "Chứng thực", "")
KINDS = ("open", "resolve", "withdraw", "stop", "pause_open", "pause_resolve", "apology_resolve", "refused",
         "online_only")


@dataclass(frozen=True)
class Plan:
    field: int
    clerk: int  # 2: none
    channel: int
    received: int  # minutes after ORIGIN
    due: int | None  # minutes after reception
    kind: str
    first: int  # minutes after reception: the first event
    second: int  # minutes after the first
    seconds: int


plans = st.builds(Plan, field=st.integers(0, 2), clerk=st.integers(0, 2), channel=st.integers(1, 3),
                  received=st.integers(0, 95 * 24 * 60), due=st.one_of(st.none(), st.integers(1, 20 * 24 * 60)),
                  kind=st.sampled_from(KINDS), first=st.integers(1, 25 * 24 * 60),
                  second=st.integers(1, 25 * 24 * 60), seconds=st.integers(0, 59))
periods = st.tuples(st.integers(0, 100), st.integers(0, 40))


def text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def m16(moment: datetime) -> datetime:
    return moment.replace(second=0)


@dataclass
class Fact:
    """What the plan made happen, as the oracle reads it."""

    plan: Plan
    received: datetime
    due: datetime | None
    concluded: datetime | None = None
    concluded_kind: str = ""
    paused: datetime | None = None
    resumed: datetime | None = None
    due_after: datetime | None = None
    apology: datetime | None = None


def build(plan: Plan, procs, clerks) -> Fact:
    received = ORIGIN + timedelta(minutes=plan.received)
    due = received + timedelta(minutes=plan.due) if plan.due is not None else None
    if plan.kind == "apology_resolve" and due is None:
        due = received + timedelta(days=3)
    first = received + timedelta(minutes=plan.first, seconds=plan.seconds)
    second = first + timedelta(minutes=plan.second)
    status = {"refused": 3, "online_only": 1}.get(plan.kind, 2)
    row = h.dossier(procs[plan.field], text(received), text(due) if due else None, channel=plan.channel,
                    status=status, clerk=clerks[plan.clerk])
    fact = Fact(plan, received, due)
    if plan.kind in ("resolve", "withdraw", "stop"):
        action, to = {"resolve": ("record_result", 9), "withdraw": ("withdraw", 7), "stop": ("stop", 8)}[plan.kind]
        h.step(row, text(first), action, to)
        fact.concluded, fact.concluded_kind = first, plan.kind
        if plan.kind == "resolve":  # returned later, maybe in another period: still resolved when it was
            h.step(row, text(second), "return_result", 10)
    elif plan.kind in ("pause_open", "pause_resolve"):
        fact.paused = first
        if plan.kind == "pause_open":
            h.pause(row, text(first))
        else:
            fact.resumed, fact.due_after = second, (due + (second - first) if due else None)
            h.pause(row, text(first), text(second), text(fact.due_after) if fact.due_after else None)
            fact.concluded, fact.concluded_kind = second + timedelta(minutes=plan.second), "resolve"
            h.resolve(row, text(fact.concluded))
    elif plan.kind == "apology_resolve":
        assert due is not None
        fact.apology = first
        h.apologise(row, text(first), text(due + timedelta(days=3)))
        fact.concluded, fact.concluded_kind = second, "resolve"
        h.resolve(row, text(second))
    return fact


def classify(fact: Fact, start: datetime, end: datetime) -> tuple[str, bool, str] | None:
    """(cell, carried over, kind of conclusion) of a dossier for the period [start, end), None when outside it."""
    if fact.plan.kind in ("refused", "online_only") or fact.received >= end:
        return None
    if fact.concluded is not None and fact.concluded < start:
        return None
    carried = fact.received < start
    if fact.concluded is not None and fact.concluded < end:
        due = fact.due
        if fact.apology is not None:
            due = fact.due  # the appointment the apology replaced
        elif fact.resumed is not None and fact.resumed <= fact.concluded:
            due = fact.due_after
        if fact.concluded_kind == "withdraw" or due is None:
            cell = "on_time"
        elif fact.concluded.date() < due.date():
            cell = "early"
        elif m16(fact.concluded) <= m16(due):
            cell = "on_time"
        else:
            cell = "late"
        return cell, carried, fact.concluded_kind
    if fact.paused is not None and fact.paused < end and (fact.resumed is None or fact.resumed >= end):
        late = fact.due is not None and m16(fact.due) < m16(fact.paused)
    else:
        due = fact.due
        if fact.apology is None and fact.resumed is not None and fact.resumed < end:
            due = fact.due_after
        late = due is not None and m16(due) < end
    return ("open_late" if late else "open_in_time"), carried, ""


def expected_total(facts: list[Fact], start: datetime, end: datetime) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for fact in facts:
        found = classify(fact, start, end)
        if found is None:
            continue
        cell, carried, kind = found
        counts[cell] += 1
        counts["carried" if carried else ("online" if fact.plan.channel == 2 else "direct")] += 1
        counts["withdrawn"] += kind == "withdraw"
        counts["stopped"] += kind == "stop"
    return counts


def as_counts(row: StatsRow) -> dict[str, int]:
    names = ("online", "direct", "carried", "early", "on_time", "late", "open_in_time", "open_late", "withdrawn",
             "stopped")
    return {name: getattr(row, name) for name in names if getattr(row, name)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan_list=st.lists(plans, min_size=0, max_size=25), window=periods)
def test_random_histories_balance_and_match_an_independent_count(bare_ctx, plan_list, window):
    period = date_range(date(2026, 9, 1) + timedelta(days=window[0]),
                        date(2026, 9, 1) + timedelta(days=window[0] + window[1]))
    start, end = bounds(period)
    with bare_ctx.bound(), bare_ctx.database.atomic() as transaction:
        procs = [h.procedure(f"7.00000{i}", f"Thủ tục {i}", field) for i, field in enumerate(FIELDS)]
        clerks = [h.user("a", "Nguyễn Thị A"), h.user("b", "Phạm Văn B"), None]
        facts = [build(plan, procs, clerks) for plan in plan_list]
        by = {grouping: compute_stats(bare_ctx, period, grouping) for grouping in ("field", "procedure", "clerk")}
        transaction.rollback()
    totals = {grouping: stats.total for grouping, stats in by.items()}
    assert totals["field"] == totals["procedure"] == totals["clerk"]
    assert as_counts(totals["field"]) == {k: v for k, v in expected_total(facts, start, end).items() if v}
    for stats in by.values():
        for row in (*stats.rows, stats.total):
            assert row.online + row.direct + row.carried == (row.resolved - row.withdrawn) + row.open + row.withdrawn
            assert row.received == row.resolved + row.open
        for name in ("online", "direct", "carried", "early", "on_time", "late", "open_in_time", "open_late"):
            assert sum(getattr(r, name) for r in stats.rows) == getattr(stats.total, name)
    fields = {r.label: as_counts(r) for r in by["field"].rows}
    for i, field in enumerate(FIELDS):
        mine = [f for f in facts if f.plan.field == i]
        want = {k: v for k, v in expected_total(mine, start, end).items() if v}
        assert fields.get(field or NO_FIELD, {}) == want


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan_list=st.lists(plans, min_size=0, max_size=25), first=st.integers(8, 11), span=st.integers(1, 6))
def test_the_months_counted_in_one_query_are_each_months_biểu_06(bare_ctx, plan_list, first, span):
    """The scorecard's trend (resolved_by_month, one query over all the months) gives for each month what
    compute_stats gives for that month alone: its on-time (columns 8 + 9) and resolved (column 7) figures."""
    months = [parse_period(f"{2026 + (first - 1 + i) // 12}-{(first - 1 + i) % 12 + 1:02d}") for i in range(span)]
    with bare_ctx.bound(), bare_ctx.database.atomic() as transaction:
        procs = [h.procedure(f"7.00000{i}", f"Thủ tục {i}", field) for i, field in enumerate(FIELDS)]
        clerks = [h.user("a", "Nguyễn Thị A"), h.user("b", "Phạm Văn B"), None]
        for plan in plan_list:
            build(plan, procs, clerks)
        by_month = resolved_by_month(bare_ctx, months[0], months[-1])
        alone = {}
        for month in months:
            total = compute_stats(bare_ctx, month).total
            if total.resolved:
                alone[(month.start.year, month.start.month)] = (total.early + total.on_time, total.resolved)
        transaction.rollback()
    assert by_month == alone
