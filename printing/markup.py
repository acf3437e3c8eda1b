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


def clock_date(dt: datetime) -> str:
    """'10 giờ 05 phút, ngày 13/02/2026' in Vietnam time."""
    dt = local(dt)
    return f"{dt:%H} giờ {dt:%M} phút, ngày {dt:%d/%m/%Y}"


def long_date(place: str, day: date) -> str:
    """'Quảng Hùng, ngày 05 tháng 02 năm 2026'.

    ND 30/2020 pads days below 10 and the months 1 and 2 with a zero (so '1' cannot become '11' or '12'
    by hand); March to December are written as they are.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{nfc(place)}, ngày {day.day:02d} tháng {month} năm {day.year}"
