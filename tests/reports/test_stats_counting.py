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
    """Field "Hộ tịch" (clerk Lan) and field "Chứng thực" (clerk Minh): the cases are named in each line."""
    with bare_ctx.bound():
        h.office()
        lan, minh = h.user("lan", "Lê Thị Lan"), h.user("minh", "Trần Văn Minh")
        ht = h.procedure("1.000001", "Đăng ký khai sinh", "Hộ tịch")
        ct = h.procedure("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực")

        # Hộ tịch — received 7: online 1, direct 5, carried 1; early 2, on time 3, late 2.
        early = h.dossier(ht, "2026-10-01 08:00", "2026-10-05 10:00", channel=2, clerk=lan)
        h.resolve(early, "2026-10-02 09:00")  # early (a day before)
        h.step(early, "2026-10-03 08:30", "return_result", 10)
        h.rate(early, "2026-10-03 08:31", "very_satisfied")
        first = h.component(early, 1, scanned=True)
        h.component(early, 0, scanned=True, kind="result")
        h.outbox(early, "synced")
        on_minute = h.dossier(ht, "2026-10-02 08:00", "2026-10-06 10:00", clerk=lan)
        h.resolve(on_minute, "2026-10-06 10:00:40")  # on the due minute (seconds dropped): on time
        h.component(on_minute, 1, scanned=False)
        h.outbox(on_minute, "attention")
        minute_late = h.dossier(ht, "2026-10-03 08:00", "2026-10-07 10:00", clerk=lan)
        h.resolve(minute_late, "2026-10-07 10:01")  # one minute late
        h.component(minute_late, 1, scanned=True, reused_from=first)
        h.outbox(minute_late, "pending")
        same_day = h.dossier(ht, "2026-10-04 08:00", "2026-10-08 10:00", clerk=lan)
        h.resolve(same_day, "2026-10-08 09:00")  # on the due day before its minute: on time
        carried = h.dossier(ht, "2026-09-25 08:00", "2026-10-02 10:00", clerk=lan)
        h.resolve(carried, "2026-10-01 15:00")  # carried over from September, early
        gone = h.dossier(ht, "2026-09-20 08:00", "2026-09-25 10:00", clerk=lan)
        h.resolve(gone, "2026-09-24 08:00")  # concluded before the period: not in it at all
        withdrawn = h.dossier(ht, "2026-10-06 08:00", "2026-10-20 10:00", clerk=lan)
        h.step(withdrawn, "2026-10-25 09:00", "withdraw", 7)  # withdrawn after its due date: on time all the same
        sorry = h.dossier(ht, "2026-10-08 08:00", "2026-10-12 10:00", clerk=lan)
        h.apologise(sorry, "2026-10-11 09:00", "2026-10-19 10:00")
        h.resolve(sorry, "2026-10-16 09:00")  # before the new appointment, after the one apologised for: late

        # Chứng thực — received 8: direct 7, carried 1; early 2; open in time 2, open late 4.
        h.dossier(ct, "2026-10-20 08:00", "2026-11-05 10:00", channel=3)  # open within time (by post, no clerk)
        h.dossier(ct, "2026-10-05 08:00", "2026-10-15 10:00", clerk=minh)  # open late
        paused = h.dossier(ct, "2026-10-10 08:00", "2026-10-30 10:00", clerk=minh)
        h.pause(paused, "2026-10-20 09:00", "2026-11-05 08:00", "2026-11-15 10:00")  # paused across the end: in time
        paused_late = h.dossier(ct, "2026-10-01 09:00", "2026-10-03 10:00", clerk=minh)
        h.pause(paused_late, "2026-10-06 09:00")  # already late when paused: late
        returned = h.dossier(ct, "2026-10-07 08:00", "2026-10-14 10:00", clerk=minh)
        h.resolve(returned, "2026-10-13 14:00")  # early; returned on another day
        h.step(returned, "2026-10-16 09:00", "return_result", 10)
        h.rate(returned, "2026-10-16 09:05", "dissatisfied", "Phải chờ lâu")
        after_end = h.dossier(ct, "2026-10-15 08:00", "2026-10-30 10:00", clerk=minh)
        h.resolve(after_end, "2026-11-03 09:00")  # resolved in November: open and late at October's end
        stopped = h.dossier(ct, "2026-10-09 08:00", "2026-10-20 10:00", clerk=minh)
        h.step(stopped, "2026-10-18 08:00", "stop", 8)  # stopped (Mẫu 05) before the due date: early
        h.dossier(ct, "2026-09-15 08:00", "2026-09-22 10:00", clerk=minh)  # carried over, still open, late

        # Not in the 13 columns.
        h.dossier(ct, "2026-10-12 08:00", None, status=3, clerk=minh)  # refused (Mẫu 03)
        h.dossier(ct, "2026-10-13 08:00", None, status=1)  # registered online, never received
        h.dossier(ct, "2026-11-02 08:00", "2026-11-09 10:00", clerk=minh)  # after the period
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
    assert (s.very_satisfied, s.satisfied, s.dissatisfied, s.returned, s.reasons) == (1, 0, 1, 2, ("Phải chờ lâu",))
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
    assert [(r.key, r.received) for r in by_procedure.rows] == [("2.000815", 8), ("1.000001", 7)]


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
