"""Dates typed by a clerk: the forms a Vietnamese counter writes, a clear message for anything else."""

from datetime import date

import pytest

from counter.errors import ValidationError
from counter.text import parse_day


@pytest.mark.parametrize("typed", ["31/12/2030", "31122030", "31-12-2030", "31.12.2030", "2030-12-31", " 31/12/2030 "])
def test_the_usual_ways_of_writing_a_day_are_read(typed):
    assert parse_day(typed, "Hạn sử dụng") == date(2030, 12, 31)


def test_nothing_typed_is_no_date():
    assert parse_day("  ", "Hạn sử dụng") is None


@pytest.mark.parametrize("typed", ["30/02/2030", "31/12/30", "12/2030", "mai", "01/01/1899"])
def test_an_impossible_day_is_refused_naming_the_field_and_the_form(typed):
    with pytest.raises(ValidationError) as caught:
        parse_day(typed, "Hạn sử dụng")
    assert str(caught.value) == (f"Hạn sử dụng “{typed}” không hợp lệ: nhập theo dạng ngày/tháng/năm, "
                                 "ví dụ 31/12/2030.")
