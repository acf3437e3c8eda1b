"""The QR code on the citizen ID card (CCCD / thẻ căn cước), as a USB scanner types it.

`{12-digit id}|{9-digit old CMND or empty}|{full name}|{ddMMyyyy birth}|{Nam|Nữ}|{address}|{ddMMyyyy issue}`
Cards issued from 07/2024 may append fields; scanners append CR/LF. Every rejection names the problem
and shows what was read, because a scanner in keyboard mode can garble the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from counter.errors import Field, ValidationError
from counter.text import ascii_digits, fold, nfc

MIN_FIELDS = 7
_ID_RE = re.compile(r"^\d{12}$", re.ASCII)
_OLD_ID_RE = re.compile(r"^\d{9}$", re.ASCII)
_DATE_RE = re.compile(r"^\d{8}$", re.ASCII)
_LOOKS_LIKE = re.compile(r"^\d{12}\|", re.ASCII)
_SEXES = {"nam": "Nam", "nu": "Nữ"}


@dataclass(frozen=True)
class CccdData:
    id_number: str
    old_id_number: str | None
    full_name: str
    birth_date: date
    sex: str  # 'Nam' | 'Nữ'
    address: str
    issue_date: date

    def to_json_dict(self) -> dict[str, str | None]:
        return {
            "id_number": self.id_number,
            "old_id_number": self.old_id_number,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat(),
            "sex": self.sex,
            "address": self.address,
            "issue_date": self.issue_date.isoformat(),
        }


def looks_like_cccd(text: str) -> bool:
    """Cheap test for the scanner router: 12 digits, a '|', and at least six '|' in all."""
    text = text.strip()
    return bool(_LOOKS_LIKE.match(text)) and text.count("|") >= MIN_FIELDS - 1


def validate_id_number(text: str) -> str:
    """The 12-digit personal id number, stripped. Any 3-digit province prefix is accepted."""
    value = ascii_digits((text or "").strip(), "Số định danh cá nhân", Field.ID_NUMBER)
    if not _ID_RE.fullmatch(value):
        raise ValidationError(f"Số định danh cá nhân phải gồm đúng 12 chữ số (đã nhập “{value}”).", Field.ID_NUMBER)
    return value


OLDEST_BIRTH_YEAR = 1900
FIRST_CCCD_YEAR = 2016  # the first căn cước công dân cards; the QR came with the chip cards of 2021


def parse_cccd(text: str, *, today: date | None = None) -> CccdData:
    """The card's fields, normalised; ValidationError naming the first problem found.

    `today`, when given, also rejects an issue date in the future (a misread digit).
    """
    read = unicodedata.normalize("NFC", text or "").strip()
    fields = [f.strip() for f in read.split("|")]
    if len(fields) < MIN_FIELDS:
        raise ValidationError(
            f"Mã QR căn cước chỉ đọc được {len(fields)} trường, cần ít nhất {MIN_FIELDS} "
            f"(số định danh|CMND cũ|họ tên|ngày sinh|giới tính|địa chỉ|ngày cấp). Đã đọc: “{read}”."
        )
    id_raw, old_id, name_raw, birth_raw, sex_raw, address, issue_raw = fields[:MIN_FIELDS]
    if not _ID_RE.match(id_raw):
        raise ValidationError(f"Số định danh trong mã QR phải gồm đúng 12 chữ số, đã đọc “{id_raw}”.")
    if old_id and not _OLD_ID_RE.match(old_id):
        raise ValidationError(f"Số CMND cũ trong mã QR phải gồm đúng 9 chữ số, đã đọc “{old_id}”.")
    birth = _date(birth_raw, "Ngày sinh")
    issue = _date(issue_raw, "Ngày cấp")
    if birth.year < OLDEST_BIRTH_YEAR:
        raise ValidationError(f"Ngày sinh trong mã QR “{birth_raw}” không hợp lý: mã QR đọc sai, hãy quét lại.")
    if issue.year < FIRST_CCCD_YEAR:
        raise ValidationError(f"Ngày cấp trong mã QR “{issue_raw}” là trước khi có thẻ căn cước công dân "
                              f"({FIRST_CCCD_YEAR}): mã QR đọc sai, hãy quét lại.")
    if birth > issue:
        raise ValidationError(
            f"Ngày sinh ({birth:%d/%m/%Y}) lại sau ngày cấp thẻ ({issue:%d/%m/%Y}): mã QR đọc sai, hãy quét lại."
        )
    if today is not None and issue > today:
        raise ValidationError(f"Ngày cấp thẻ ({issue:%d/%m/%Y}) ở tương lai: mã QR đọc sai, hãy quét lại.")
    return CccdData(
        id_number=id_raw,
        old_id_number=old_id or None,
        full_name=_name(name_raw),
        birth_date=birth,
        sex=_sex(sex_raw),
        address=nfc(address),
        issue_date=issue,
    )


def _date(raw: str, label: str) -> date:
    """ddMMyyyy that is a real calendar date (31022000 is not)."""
    if _DATE_RE.match(raw):
        try:
            return date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
        except ValueError:
            pass
    raise ValidationError(f"{label} trong mã QR không phải ngày hợp lệ (dạng ngàythángnăm ddMMyyyy), đã đọc “{raw}”.")


def _sex(raw: str) -> str:
    # fold() also accepts 'Nu' from a scanner that dropped the diacritics: the answer is unambiguous.
    sex = _SEXES.get(fold(raw))
    if sex is None:
        raise ValidationError(f"Giới tính trong mã QR phải là “Nam” hoặc “Nữ”, đã đọc “{raw}”.")
    return sex


def _name(raw: str) -> str:
    name = nfc(raw)
    if not name:
        raise ValidationError("Họ tên trong mã QR bị trống: hãy quét lại hoặc nhập tay.")
    if name.isupper():
        # NGUYỄN VĂN AN → Nguyễn Văn An; str.title() also gives H'Hen for Ê Đê names.
        return name.title()
    # The card prints every word of a name capitalised; a scanner in keyboard mode can drop the
    # Shift of an accented capital (Ánh → ánh). Restore the first letter, keep the rest as read.
    return " ".join(word[:1].upper() + word[1:] for word in name.split(" "))
