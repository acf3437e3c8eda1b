"""The office's scorecard over the hand-written October history (tests/reports/stats_history.py): its figures are
Biểu 06's, every figure lists exactly the dossiers it counts, the trend, the late and soon-late lists, the
indicators with their formulas."""

from __future__ import annotations

import pytest

from counter.errors import ValidationError
from counter.reports.periods import parse_period
from counter.reports.scorecard import REFUSED_IN, as_json, compute_scorecard, figure_dossiers
from db.models import Procedure
from tests.conftest import at
from tests.reports import stats_history as h

OCTOBER = parse_period("2026-10")
NOW = at("2026-10-29 09:00")  # a Thursday


@pytest.fixture
def history(bare_ctx):
    h.october(bare_ctx)
    return bare_ctx


def test_on_time_rate_and_figures(history):
    card = compute_scorecard(history, OCTOBER, NOW)
    assert (card.on_time, card.resolved, card.on_time_rate) == (7, 9, 77.8)
    values = {f.key: f.value for f in card.figures}
    assert values["received"] == 15 and values["late"] == 2 and values["open_late"] == 4 and values["behind"] == 6
    assert (values["refused"], values["supplements"], values["apologies"], values["withdrawals"]) == (1, 2, 1, 1)
    assert (values["very_satisfied"], values["dissatisfied"], values["returned"]) == (1, 1, 3)


def test_every_figure_lists_the_dossiers_it_counts(history):
    card = compute_scorecard(history, OCTOBER, NOW)
    for figure in card.figures:
        rows = figure_dossiers(history, OCTOBER, figure.key, NOW)
        assert len(rows) == figure.value, figure.key
        if figure.unit == "hồ sơ":
            assert len({r.code for r in rows}) == len(rows), figure.key
    late = figure_dossiers(history, OCTOBER, "late", NOW)
    assert [(r.received_at, r.due_at) for r in late] == [
        (at("2026-10-03 08:00"), at("2026-10-07 10:00")), (at("2026-10-08 08:00"), at("2026-10-19 10:00"))]
    refused = figure_dossiers(history, OCTOBER, "refused", NOW)
    assert [r.received_at for r in refused] == [at("2026-10-12 08:00")]
    assert refused[0].procedure_name == "Chứng thực bản sao từ bản chính"
    with pytest.raises(ValidationError, match="Không có số liệu"):
        figure_dossiers(history, OCTOBER, "nothing", NOW)


def events_and_refusals(ctx) -> None:
    """Beyond October's history: a dossier asked twice for papers (two events, one dossier) and two refusals in
    Hộ tịch, so that a figure counting events and one counting dossiers would differ."""
    with ctx.bound():
        ht = Procedure.get(Procedure.code == "9.000001")
        twice = h.dossier(ht, "2026-10-05 08:00", "2026-10-26 10:00")
        h.pause(twice, "2026-10-06 09:00", "2026-10-08 08:00", "2026-10-28 10:00")
        h.pause(twice, "2026-10-09 09:00", "2026-10-12 08:00", "2026-10-30 10:00")
        for day in ("2026-10-14 08:00", "2026-10-21 09:00"):
            h.dossier(ht, day, None, status=3)


def test_every_figure_and_its_list_count_the_same_thing(history):
    """Each figure, opened, lists as many lines as it says: one per dossier ("hồ sơ"), or one per event ("lượt")
    when it counts events; refusals have one figure per field."""
    events_and_refusals(history)
    card = compute_scorecard(history, OCTOBER, NOW)
    values = {f.key: f for f in card.figures}
    assert (values["supplements"].value, values["supplements"].unit) == (4, "lượt")
    assert values["supplements"].label.startswith("Lượt") and values["supplements"].value_text == "4 lượt"
    assert values["refused"].value == 3 and values["refused"].value_text == "3 hồ sơ"
    assert [(f.label, f.value) for k, f in values.items() if k.startswith(REFUSED_IN)] == [
        ("– từ chối, lĩnh vực Chứng thực", 1), ("– từ chối, lĩnh vực Hộ tịch", 2)]
    for figure in card.figures:
        rows = figure_dossiers(history, OCTOBER, figure.key, NOW)
        assert len(rows) == figure.value, figure.key
        if figure.unit == "hồ sơ":
            assert len({r.code for r in rows}) == len(rows), figure.key
    supplements = figure_dossiers(history, OCTOBER, "supplements", NOW)
    assert len({r.code for r in supplements}) == 3  # the dossier asked twice shows twice
    assert {r.procedure_name for r in figure_dossiers(history, OCTOBER, REFUSED_IN + "Hộ tịch", NOW)} == {
        "Đăng ký khai sinh"}


def test_late_and_soon_late_now(history):
    card = compute_scorecard(history, OCTOBER, NOW)
    # Open with the clock running today: 05/10 due 15/10 and 15/09 due 22/09 (late), 20/10 due 05/11 10:00 (in
    # time; a paused one is never late nor soon late).
    assert [r.due_at for r in card.late] == [at("2026-09-22 10:00"), at("2026-10-15 10:00")]
    assert card.soon_late == ()
    later = compute_scorecard(history, OCTOBER, at("2026-11-04 11:00"))
    assert [r.due_at for r in later.soon_late] == [at("2026-11-05 10:00")]
    assert [r.code for r in figure_dossiers(history, OCTOBER, "soon_late", at("2026-11-04 11:00"))] == [
        later.soon_late[0].code]
    assert len(figure_dossiers(history, OCTOBER, "late_now", NOW)) == 2
    day_before = compute_scorecard(history, OCTOBER, at("2026-11-04 09:59"))  # a day and a minute left
    assert day_before.soon_late == ()


def test_trend_by_month(history):
    card = compute_scorecard(history, OCTOBER, NOW)
    assert [m.label for m in card.trend] == ["T5/2026", "T6/2026", "T7/2026", "T8/2026", "T9/2026", "T10/2026"]
    september, october = card.trend[-2], card.trend[-1]
    assert (september.on_time, september.resolved) == (1, 1)  # resolved 24/09, early
    assert (october.on_time, october.resolved, october.rate) == (7, 9, 77.8)
    assert card.trend[0].rate is None


def test_indicators_are_estimates_with_formulas(history):
    card = compute_scorecard(history, OCTOBER, NOW)
    by_key = {i.key: i for i in card.indicators}
    progress = by_key["progress"]
    assert (progress.part, progress.whole, progress.points) == (9, 15, 12.0)  # (2 + 4 + 3) ÷ 15 × 20
    assert "× 20 điểm" in progress.formula and progress.figure == "behind"
    satisfaction = by_key["satisfaction"]
    assert (satisfaction.part, satisfaction.whole, satisfaction.points) == (1, 2, 9.0)
    digitisation = by_key["digitisation"]
    stats = card.stats.digitisation
    assert (digitisation.part, digitisation.whole) == (stats.results_scanned, stats.resolved)
    sync = by_key["sync"]
    assert (sync.part, sync.points) == (1, None)
    data = as_json(card)
    assert data["on_time"]["rate"] == 77.8
    assert all("Ước tính" in i["estimate"] and i["formula"] for i in data["indicators"])
    assert data["figures"]["behind"]["value"] == 6
    assert data["figures"]["supplements"]["unit"] == "lượt" and data["figures"]["behind"]["unit"] == "hồ sơ"


def test_an_empty_period(history):
    card = compute_scorecard(history, parse_period("2025-03"), NOW)
    assert card.stats.empty and card.on_time_rate is None
    assert all(i.points is None for i in card.indicators)
