"""Report periods (Biểu số 06): a month, a quarter, 6 or 9 months, a year, or any date range, parsed from the text
a clerk or a script types ('2026-11', '2026-Q4', '2026-H1', '2026-9M', '2026'), with the Nghị định 09/2019 cut-off
as an option (from the 15th of the month before the period to the 14th of its last month)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from counter.clock import VN_TZ
from counter.errors import ValidationError
from counter.reports.records import Period

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
EXAMPLES = "2026-11 (tháng), 2026-Q4 (quý), 2026-H1 hoặc 2026-H2 (6 tháng), 2026-9M (9 tháng), 2026 (năm)"


def parse_period(text: str, *, cutoff: bool = False) -> Period:
    """The period `text` names; a ValidationError in Vietnamese when it names none."""
    raw = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Hh]([12])|(9)[Mm]))?", raw)
    if m is None:
        raise ValidationError(f"Kỳ báo cáo “{text}” không hợp lệ: nhập theo dạng {EXAMPLES}.")
    year = int(m.group(1))
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Kỳ báo cáo “{text}” không hợp lệ: năm {year} nằm ngoài khoảng 2000–2100.")
    month, quarter, half, nine = m.group(2), m.group(3), m.group(4), m.group(5)
    if month is not None:
        first = last = int(month)
        if not 1 <= first <= 12:
            raise ValidationError(f"Kỳ báo cáo “{text}” không hợp lệ: tháng {first} không tồn tại (1–12).")
        label = f"Tháng {first} năm {year}"
    elif quarter is not None:
        q = int(quarter)
        first, last, label = 3 * q - 2, 3 * q, f"Quý {ROMAN[q]} năm {year}"
    elif half is not None:
        h = int(half)
        first, last = (1, 6) if h == 1 else (7, 12)
        label = f"6 tháng {'đầu' if h == 1 else 'cuối'} năm {year}"
    elif nine is not None:
        first, last, label = 1, 9, f"9 tháng năm {year}"
    else:
        first, last, label = 1, 12, f"Năm {year}"
    if cutoff:
        start = date(year, first, 15) - _month_back(year, first)
        end = date(year, last, 14)
        label += " (số liệu từ ngày 15 tháng trước đến ngày 14 tháng cuối kỳ)"
    else:
        start, end = date(year, first, 1), _month_end(year, last)
    return Period(start=start, end=end, label=label)


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise ValidationError(f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}: "
                              "hãy nhập ngày kết thúc từ ngày bắt đầu trở đi.")
    return Period(start=start, end=end, label=f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}")


def bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as [start, end): from 00:00 of its first day to 00:00 after its last day, Vietnam time."""
    start = datetime.combine(period.start, time(), VN_TZ)
    end = datetime.combine(period.end + timedelta(days=1), time(), VN_TZ)
    return start, end


def _month_back(year: int, month: int) -> timedelta:
    """From the 15th of `month` back to the 15th of the month before it."""
    before = date(year - 1, 12, 15) if month == 1 else date(year, month - 1, 15)
    return date(year, month, 15) - before


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)
