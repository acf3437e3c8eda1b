from datetime import date

import pytest

from counter.errors import ValidationError
from counter.reports.periods import bounds, date_range, parse_period
from tests.conftest import at


@pytest.mark.parametrize("text, start, end, label", [
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "Tháng 11 năm 2026"),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "Tháng 2 năm 2026"),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "Quý IV năm 2026"),
    ("2026-q1", date(2026, 1, 1), date(2026, 3, 31), "Quý I năm 2026"),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
    ("2026-H2", date(2026, 7, 1), date(2026, 12, 31), "6 tháng cuối năm 2026"),
    ("2026-9M", date(2026, 1, 1), date(2026, 9, 30), "9 tháng năm 2026"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "Năm 2026"),
])
def test_periods(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("text, start, end", [
    ("2026-Q4", date(2026, 9, 15), date(2026, 12, 14)),
    ("2026", date(2025, 12, 15), date(2026, 12, 14)),
    ("2026-01", date(2025, 12, 15), date(2026, 1, 14)),
    ("2026-9M", date(2025, 12, 15), date(2026, 9, 14)),
])
def test_the_15th_to_14th_cutoff(text, start, end):
    period = parse_period(text, cutoff=True)
    assert (period.start, period.end) == (start, end)
    assert "ngày 15" in period.label


@pytest.mark.parametrize("text, words", [
    ("2026-13", "tháng 13 không tồn tại"), ("2026-Q5", "không hợp lệ"), ("quý 4", "không hợp lệ"),
    ("1890", "ngoài khoảng"), ("", "không hợp lệ"),
])
def test_bad_periods_are_refused_in_vietnamese(text, words):
    with pytest.raises(ValidationError, match=words):
        parse_period(text)


def test_a_range_and_its_bounds():
    period = date_range(date(2026, 10, 5), date(2026, 10, 5))
    assert period.label == "Từ ngày 05/10/2026 đến ngày 05/10/2026"
    assert bounds(period) == (at("2026-10-05 00:00"), at("2026-10-06 00:00"))
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        date_range(date(2026, 10, 5), date(2026, 10, 4))


def test_the_heading_names_the_days_once():
    from datetime import date

    from counter.reports.records import Period
    days = Period(date(2026, 11, 1), date(2026, 11, 30), "Từ ngày 01/11/2026 đến ngày 30/11/2026")
    assert days.heading == "Kỳ báo cáo: Từ ngày 01/11/2026 đến ngày 30/11/2026"
    month = Period(date(2026, 11, 1), date(2026, 11, 30), "Tháng 11 năm 2026")
    assert month.heading == "Kỳ báo cáo: Tháng 11 năm 2026 (Từ ngày 01/11/2026 đến ngày 30/11/2026)"
