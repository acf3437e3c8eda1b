"""Font registration, text escaping and the administrative date wording."""

import unicodedata
from datetime import UTC, date

from reportlab.pdfbase import pdfmetrics

from printing.document import render
from printing.fonts import BOLD, BOLD_ITALIC, FAMILY, ITALIC, REGULAR, register_fonts
from printing.header import balanced, national_header
from printing.markup import clock_date, esc, esc_lines, long_date
from printing.styles import styles
from tests.printing import pdf, samples
from tests.printing.samples import at


def test_registration_is_idempotent_and_gives_one_family():
    assert register_fonts() == FAMILY
    font = pdfmetrics.getFont(REGULAR)
    assert register_fonts() == FAMILY
    assert pdfmetrics.getFont(REGULAR) is font  # not registered again
    for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
        assert name in pdfmetrics.getRegisteredFontNames()


def test_esc_normalises_to_nfc_and_escapes_markup():
    decomposed = unicodedata.normalize("NFD", "Hồng <Nhung> & Cty")
    assert esc(decomposed) == "Hồng &lt;Nhung&gt; &amp; Cty"
    assert esc(None) == ""
    assert esc_lines("dòng 1\n\n  dòng <2>  ") == "dòng 1<br/>dòng &lt;2&gt;"


def test_clock_date_in_vietnam_time():
    assert clock_date(at("2026-02-13 10:05")) == "10 giờ 05 phút, ngày 13/02/2026"
    utc = at("2026-02-14 06:30").astimezone(UTC)  # 23:30 on the 13th in UTC
    assert clock_date(utc) == "06 giờ 30 phút, ngày 14/02/2026"


def test_long_date_pads_days_and_the_first_two_months():
    assert long_date("Quảng Hùng", date(2026, 2, 5)) == "Quảng Hùng, ngày 05 tháng 02 năm 2026"
    assert long_date("Quảng Hùng", date(2026, 11, 24)) == "Quảng Hùng, ngày 24 tháng 11 năm 2026"
    assert long_date("Quảng Hùng", date(2026, 3, 9)) == "Quảng Hùng, ngày 09 tháng 3 năm 2026"


def test_balanced_breaks_long_office_names_evenly():
    style = styles().header_bold
    assert balanced("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", style, 200) == "TRUNG TÂM PHỤC VỤ<br/>HÀNH CHÍNH CÔNG"
    assert balanced("UBND XÃ QUẢNG HÙNG", style, 200) == "UBND XÃ QUẢNG HÙNG"
    assert balanced("A & B", style, 200) == "A &amp; B"


def test_the_header_date_counts_in_vietnam_time():
    late_evening_utc = at("2026-02-14 01:30").astimezone(UTC)  # still the 13th in UTC
    office = samples.office()
    text = pdf.page_texts(render([national_header(office, late_evening_utc)], title="t", office=office))[0]
    assert "Quảng Hùng, ngày 14 tháng 02 năm 2026" in text
