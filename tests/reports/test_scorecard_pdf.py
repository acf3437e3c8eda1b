"""The scorecard as a PDF: the same figures as the JSON (one computation), the monthly bars drawn, the indicators
labelled as the office's estimates with their formulas, the late dossiers listed; an empty period says so."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Rect, String

from counter.office.profile import get_office
from counter.reports.periods import parse_period
from counter.reports.records import ESTIMATE
from counter.reports.scorecard import PROGRESS_FORMULA, compute_scorecard
from printing.scorecard_pdf import FAIR, GOOD, POOR, build_scorecard_pdf, trend_chart
from tests.conftest import at
from tests.printing.pdf import page_texts
from tests.reports import stats_history as h


@pytest.fixture
def card(bare_ctx):
    h.october(bare_ctx)
    return compute_scorecard(bare_ctx, parse_period("2026-10"), now=at("2026-10-29 09:00")), get_office(bare_ctx)


def test_the_pdf_shows_the_scorecards_figures(card):
    scorecard, office = card
    pdf = build_scorecard_pdf(scorecard, office)
    text = " ".join(page_texts(pdf))
    assert "BÁO CÁO CỦA BỘ PHẬN MỘT CỬA" in text and "Trung tâm Phục vụ hành chính công".upper() in text
    assert "Từ ngày 01/10/2026 đến ngày 31/10/2026" in text
    assert "Tỷ lệ giải quyết đúng hạn: 77,8 % (7/9 hồ sơ)" in text
    assert "T10/2026 (7/9)" in text  # the chart's month label
    assert "Giải quyết quá hạn (cột 10) 2" in text and "Số hồ sơ nhận giải quyết (cột 3) 15" in text
    assert ESTIMATE in text and " ".join(PROGRESS_FORMULA.split()) in text
    assert "9/15 (60,0 %) 12/20" in text
    assert f"Đang quá hạn lúc 09:00 29/10/2026: {len(scorecard.late)} hồ sơ" in text and len(scorecard.late) == 2
    for row in scorecard.late:
        assert row.code in text
    assert "Sắp quá hạn (còn tối đa 1 ngày làm việc): 0 hồ sơ Không có hồ sơ nào." in text
    assert "Kỳ báo cáo không có hồ sơ nào" not in text


def test_the_chart_has_one_bar_per_month(card):
    scorecard, _ = card
    drawing = trend_chart(scorecard.trend, width=300)
    bars = [s for s in drawing.contents if isinstance(s, Rect)]
    labels = [s.text for s in drawing.contents if isinstance(s, String)]
    assert len(bars) == len(scorecard.trend) == 6
    last = scorecard.trend[-1]
    assert last.rate is not None and bars[-1].fillColor == FAIR  # 77,8 %: between 70 % and 90 %
    assert bars[-2].fillColor == GOOD and scorecard.trend[-2].rate == 100.0 and bars[0].fillColor == POOR
    assert "77,8 %" in labels and "T10/2026 (7/9)" in labels
    empty = [m for m in scorecard.trend if not m.resolved]
    assert all(bar.height == 0 for bar, m in zip(bars, scorecard.trend, strict=True) if not m.resolved) and empty
    assert bars[-1].height == pytest.approx(bars[-2].height * 0.778)  # the rate as shown, to 0,1 %


def test_an_empty_period_says_so(bare_ctx):
    h.october(bare_ctx)
    scorecard = compute_scorecard(bare_ctx, parse_period("2025-03"), now=at("2026-10-29 09:00"))
    text = " ".join(page_texts(build_scorecard_pdf(scorecard, get_office(bare_ctx))))
    assert "Kỳ báo cáo không có hồ sơ nào." in text and "Tỷ lệ giải quyết đúng hạn: — (0/0 hồ sơ)" in text
