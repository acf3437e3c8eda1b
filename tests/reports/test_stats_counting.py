"""Biểu số 06 over a history written by hand, where every counting case occurs: each cell against numbers
written here (period: October 2026)."""

from __future__ import annotations

import pytest

from counter.errors import ValidationError
from counter.reports.periods import date_range, parse_period
from counter.reports.stats import NO_CLERK, compute_stats
from tests.reports import stats_history as h


@pytest.fixture
def history(bare_ctx):
    h.october(bare_ctx)
    return bare_ctx


def cells(row):
    return (*row.columns(), row.withdrawn, row.stopped)


def test_each_cell_of_the_form_by_field(history):
    stats = compute_stats(history, parse_period("2026-10"), "field")
    rows = {r.label: r for r in stats.rows}
    assert list(rows) == ["Chứng thực", "Hộ tịch"]
    #                                 3  4  5  6  7  8  9 10 11 12 13  rút dừng
    assert cells(rows["Hộ tịch"]) == (7, 1, 5, 1, 7, 2, 3, 2, 0, 0, 0, 1, 0)
    assert cells(rows["Chứng thực"]) == (8, 0, 7, 1, 2, 2, 0, 0, 6, 2, 4, 0, 1)
    assert cells(stats.total) == (15, 1, 12, 2, 9, 4, 3, 2, 6, 2, 4, 1, 1)


def test_beside_the_table(history):
    stats = compute_stats(history, parse_period("2026-10"))
    assert (stats.refused, stats.supplements, stats.apologies, stats.withdrawals, stats.stops) == (1, 2, 1, 1, 1)
    s = stats.satisfaction
    assert (s.very_satisfied, s.satisfied, s.dissatisfied, s.returned) == (1, 0, 1, 3)
    assert s.reasons == (("Phải chờ lâu", 1),)
    d = stats.digitisation
    assert (d.received, d.papers_scanned, d.reused, d.resolved, d.results_scanned) == (13, 2, 1, 7, 1)
    sy = stats.sync
    assert (sy.received, sy.synced, sy.waiting, sy.attention, sy.not_queued) == (13, 1, 1, 1, 10)
    assert any("từng phút" in note for note in stats.notes)
    assert not stats.empty


def test_by_clerk_and_by_procedure(history):
    by_clerk = {r.label: cells(r) for r in compute_stats(history, parse_period("2026-10"), "clerk").rows}
    assert by_clerk == {"Lê Thị Lan": (7, 1, 5, 1, 7, 2, 3, 2, 0, 0, 0, 1, 0),
                        NO_CLERK: (1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0),
                        "Trần Văn Minh": (7, 0, 6, 1, 2, 2, 0, 0, 5, 1, 4, 0, 1)}
    by_procedure = compute_stats(history, parse_period("2026-10"), "procedure")
    assert [(r.key, r.received) for r in by_procedure.rows] == [("9.000815", 8), ("9.000001", 7)]


def test_a_later_period_counts_as_it_then_stood(history):
    """November: the paused one resumed (due 15/11) and the one resolved on 03/11 are carried over and concluded."""
    stats = compute_stats(history, parse_period("2026-11"))
    rows = {r.label: r for r in stats.rows}
    ct = rows["Chứng thực"]
    # Carried: in time (20/10), late (05/10), paused, paused late, resolved 03/11 (late), September's: 6;
    # received in November: 1 (02/11, open, due 09/11: late at 30/11 24:00).
    assert (ct.carried, ct.direct, ct.late, ct.open_in_time, ct.open_late) == (6, 1, 1, 0, 6)
    assert "Hộ tịch" not in rows  # all of them concluded in October


def test_an_empty_period_is_a_report_that_says_so(history):
    stats = compute_stats(history, date_range(parse_period("2025-01").start, parse_period("2025-01").end))
    assert stats.empty and stats.rows == () and stats.total.received == 0


def test_an_unknown_grouping_is_refused(history):
    with pytest.raises(ValidationError, match="Cách nhóm"):
        compute_stats(history, parse_period("2026-10"), "unit")


def test_by_receiving_counter(history):
    """Issue 20: a centre's counters side by side. Lê Thị Lan received at counter 2, everyone else at counter 5."""
    from db.models import Dossier, User

    with history.bound():
        lan = User.get(User.full_name == "Lê Thị Lan").id
        Dossier.update(workstation=5).execute()
        Dossier.update(workstation=2).where(Dossier.received_by == lan).execute()
    stats = compute_stats(history, parse_period("2026-10"), "workstation")
    by_counter = {r.label: cells(r) for r in stats.rows}
    assert by_counter == {"Quầy 2": (7, 1, 5, 1, 7, 2, 3, 2, 0, 0, 0, 1, 0),
                          "Quầy 5": (8, 0, 7, 1, 2, 2, 0, 0, 6, 2, 4, 0, 1)}  # Trần Văn Minh's and no one's
    assert [r.key for r in stats.rows] == ["2", "5"]
    assert cells(stats.total) == (15, 1, 12, 2, 9, 4, 3, 2, 6, 2, 4, 1, 1)  # as by field
    assert sum(line.count for line in stats.refused_by) == stats.refused
