"""Vietnamese text helpers: NFC normalisation and accent folding for search."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str:
    """NFC-normalised text with runs of whitespace collapsed and ends trimmed."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


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
