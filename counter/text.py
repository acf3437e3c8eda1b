"""Vietnamese text helpers: NFC normalisation and accent folding for search."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from counter.errors import Field, ValidationError

_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str:
    """NFC-normalised text with runs of whitespace collapsed and ends trimmed."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


NAME_MAX = 100  # a person's or a place's name: one line of the forms; the province's name fields hold it
OFFICE_NAME_MAX = 150  # an office's or its parent's name: the forms' heading, two lines at most
ADDRESS_MAX = 250  # an address: two lines of the forms, within the province's address field
_INVISIBLE = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def clean_line(text: str | None, what: str, limit: int, field: Field | None = None) -> str:
    """A name or an address as the forms print it and the province receives it: NFC, spaces collapsed, no
    control character (ESC, BEL, NUL…; a tab or a line break becomes a space) nor a direction mark that would
    reorder the printed line, and at most `limit` characters. Otherwise a ValidationError naming `what`."""
    for ch in text or "":
        if ch in _INVISIBLE or (unicodedata.category(ch) == "Cc" and not ch.isspace()):
            raise ValidationError(f"{what} có ký tự điều khiển không in được (U+{ord(ch):04X}): hãy xóa và gõ lại.",
                                  field)
    value = nfc(text)
    if len(value) > limit:
        raise ValidationError(f"{what} dài {format_vnd(len(value))} ký tự, quá giới hạn {limit} ký tự (vừa mẫu in "
                              "và hệ thống một cửa của tỉnh).", field)
    return value


def ascii_digits(text: str, what: str, field: Field | None = None) -> str:
    """`text` when every digit in it is 0–9: an Arabic-Indic, full-width or other digit looks like a number on
    screen but is not one to the barcode, the province or a search; it is refused, naming `what`."""
    for ch in text:
        if ch.isdigit() and not "0" <= ch <= "9":
            raise ValidationError(f"{what} chỉ được dùng chữ số 0–9 (có chữ số lạ “{ch}”, U+{ord(ch):04X}): hãy gõ "
                                  "lại bằng bàn phím thường.", field)
    return text


def fold(text: str | None) -> str:
    """Search key: no diacritics, đ→d, lower case, single spaces. 'Nguyễn Văn An' → 'nguyen van an'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def format_vnd(amount: int) -> str:
    """12000 → '12.000' (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def parse_day(text: str, what: str, example: str = "31/12/2030", field: Field | None = None) -> date | None:
    """'15/03/1990' (or 15031990, 15-3-1990, ISO 1990-03-15) → date; '' → None; anything else a ValidationError
    naming `what` (“Ngày sinh”, “Hạn sử dụng”) in its message and `field` as its input."""
    text = text.strip()
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    digits = re.fullmatch(r"(\d{2})(\d{2})(\d{4})", text)
    parts = iso.groups()[::-1] if iso else digits.groups() if digits else re.split(r"[/.\-]", text)
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1900:
            raise ValueError
        return date(year, month, day)
    except ValueError:
        raise ValidationError(f"{what} “{text}” không hợp lệ: nhập theo dạng ngày/tháng/năm, "
                              f"ví dụ {example}.", field) from None


_TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def mask_id(number: str) -> str:
    """An ID-card number as the audit log and the log file may show it: '038190001245' → '0381******45'
    (the province and birth year stay readable, the rest is hidden). A value too short to be a card number
    (fewer than 9 digits) is hidden whole."""
    number = number.strip()
    if len(number) < 9:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]


def mask_ids(text: str) -> str:
    """`text` with every 12-digit number in it (a citizen's ID-card number) masked by `mask_id`."""
    return _TWELVE_DIGITS.sub(lambda m: mask_id(m.group()), text)


def age_text(delta: timedelta) -> str:
    """'vừa xong', '5 phút', '3 giờ', '2 ngày'."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "vừa xong"
    if minutes < 60:
        return f"{minutes} phút"
    if minutes < 48 * 60:
        return f"{minutes // 60} giờ"
    return f"{minutes // (24 * 60)} ngày"
