"""Text going into reportlab: NFC-normalised, XML-escaped for Paragraph markup, dates in administrative wording."""

from __future__ import annotations

from datetime import date, datetime
from xml.sax.saxutils import escape

from counter.clock import local
from counter.text import nfc

BLANK = "……………"  # an empty field, left to be filled in by hand


def esc(text: str | None) -> str:
    """One line of user text, safe inside Paragraph markup."""
    return escape(nfc(text))


def esc_lines(text: str | None) -> str:
    """Multi-line user text (a reason typed over several lines): each line escaped, breaks kept."""
    lines = [esc(line) for line in (text or "").splitlines()]
    return "<br/>".join(line for line in lines if line)


def esc_or_blank(text: str | None) -> str:
    return esc(text) or BLANK


def clock_date(dt: datetime, sep: str = " ") -> str:
    """'10 giờ 05 phút, ngày 13/02/2026' in Vietnam time; `sep` ('<br/>' in a narrow cell) goes before 'ngày'."""
    dt = local(dt)
    return f"{dt:%H} giờ {dt:%M} phút,{sep}ngày {dt:%d/%m/%Y}"


def short_date(dt: datetime) -> str:
    """'13/02/2026': the day of `dt` in Vietnam time."""
    return f"{local(dt):%d/%m/%Y}"


EARLY, ON_TIME, LATE = "Trước hạn", "Đúng hạn", "Quá hạn"


def timeliness(at: datetime, due: datetime) -> str:
    """How a step or a return at `at` stands against the appointment `due`: before the due day, on the
    due day (up to the due moment), or after the due moment. Days count in Vietnam time."""
    if local(at) > local(due):
        return LATE
    return EARLY if local(at).date() < local(due).date() else ON_TIME


def long_date(place: str, day: date) -> str:
    """'Quảng Hùng, ngày 05 tháng 02 năm 2026'.

    ND 30/2020 pads days below 10 and the months 1 and 2 with a zero (so '1' cannot become '11' or '12'
    by hand); March to December are written as they are.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{nfc(place)}, ngày {day.day:02d} tháng {month} năm {day.year}"
