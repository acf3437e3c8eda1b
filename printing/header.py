"""The two-column national header every form starts with (ND 30/2020 layout)."""

from __future__ import annotations

from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table
from reportlab.platypus.flowables import HRFlowable

from counter.clock import local
from counter.records import Office
from counter.text import nfc
from printing.document import FRAME_WIDTH
from printing.markup import esc, long_date
from printing.paragraph import Paragraph
from printing.styles import styles, table_style

LEFT_WIDTH = 75 * mm  # the right column keeps 100 mm: the national title is 88 mm wide in 12 pt bold
RIGHT_WIDTH = FRAME_WIDTH - LEFT_WIDTH


def _rule(width: str) -> HRFlowable:
    return HRFlowable(width=width, thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=0, hAlign="CENTER")


def _wrap(words: list[str], font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and stringWidth(candidate, font, size) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def balanced(text: str, style: ParagraphStyle, width: float) -> str:
    """`text` as escaped markup broken into as few lines as fit `width`, of nearly equal length:
    'TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG' rather than 'TRUNG TÂM PHỤC VỤ HÀNH / CHÍNH CÔNG'."""
    words, font, size = nfc(text).split(), style.fontName, style.fontSize
    lines = _wrap(words, font, size, width)
    while len(lines) > 1:
        narrower = _wrap(words, font, size, max(stringWidth(line, font, size) for line in lines) - 0.5)
        if len(narrower) > len(lines):
            break
        lines = narrower
    return "<br/>".join(escape(line) for line in lines)


def _agency(office: Office, number: str) -> list[Flowable]:
    st = styles()
    cells: list[Flowable] = [
        Paragraph(balanced(nfc(office.parent_name).upper(), st.header, LEFT_WIDTH), st.header),
        Paragraph(balanced(nfc(office.office_name).upper(), st.header_bold, LEFT_WIDTH), st.header_bold),
        _rule("35%"),
    ]
    if number:
        cells.append(Paragraph(f"Số: {esc(number)}", st.centre))
    return cells


def _nation(office: Office, on: date) -> list[Flowable]:
    st = styles()
    return [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st.header_bold),
        # The underline is the ND 30 rule under the motto: as long as the motto itself.
        Paragraph("<u>Độc lập - Tự do - Hạnh phúc</u>", st.motto),
        Paragraph(esc(long_date(office.place_name, on)), st.dateline),
    ]


def national_header(office: Office, on: date | datetime, *, number: str = "") -> Table:
    """Left: the governing body and the office (bold) over a short rule; right: the national title, the
    underlined motto and '{place}, ngày … tháng … năm …' for `on` (a datetime counts in Vietnam time).
    `number` adds 'Số: …' for letters."""
    if isinstance(on, datetime):
        on = local(on).date()
    table = Table([[_agency(office, number), _nation(office, on)]], colWidths=[LEFT_WIDTH, RIGHT_WIDTH])
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"), tight=True))
    return table
