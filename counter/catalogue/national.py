"""The national procedure catalogue's shape (../shared/reports.md §4, `LayThuTuc`), read into our own entry shape
(counter.catalogue.entries) so both go through the same checks.

What is taken from a national procedure:
- `MATTHC` the code (a provincial code is reduced to the national one), `TENTTHC` the name;
- `LINHVUCTHUCHIEN[0]` the field (`TENLINHVUC`) and its code (`MALINHVUC`, sent to the province as MaLinhVuc);
- the direct channel (`CACHTHUCTHUCHIEN[]` with `KENH` "1"), its first `THOIGIAN`: `THOIGIANGIAIQUYET` in
  `DONVITINH` becomes our time rule (working days, calendar days, the same day; 8 working hours = 1 working day),
  and its `PHILEPHI[]` the fee (the lệ phí line, `MAPHILEPHI` 2, before a phí line; `SOTIEN` "Không" = 0,
  "10.000" = 10000, the province's own amount ("theo Nghị quyết HĐND tỉnh") = not known yet);
- the papers of one case (`THANHPHANHOSO[]`, the first `TRUONGHOP` unless told another): `GIAYTO[]` with
  `MAGIAYTO`, `TENGIAYTO`, a paper with `SOBANCHINH` ≥ 1 is asked as the original, else with `SOBANSAO` ≥ 1 as a
  copy; "(nếu có)" in its name makes it optional;
- `KETQUATHUCHIEN[0]` the result (`MAKETQUA`, `TENKETQUA`).
A national procedure carries the catalogue's own data, so it is marked verified when its fee amount is known.
"""

from __future__ import annotations

import json
import re
from typing import Any

from counter.errors import ValidationError
from counter.text import fold, nfc

DIRECT = "1"  # KENH: 1 trực tiếp, 2 trực tuyến, 3 bưu chính
LE_PHI, PHI = "2", "1"  # MAPHILEPHI
_MONEY = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$|^\d+$")
_PER = re.compile(r"đồng\s*/\s*([^;,.()0-9]+)", re.IGNORECASE)
_FREE = ("khong", "mien", "mien phi", "mien le phi", "khong thu", "0")
# Words that say the amount is the province's to set (Nghị quyết of the provincial council), not a number.
_PROVINCE_SETS = ("hdnd", "hoi dong nhan dan", "nghi quyet", "tinh quy dinh", "theo quy dinh")


def is_national(data: object) -> bool:
    """Whether a loaded file is in the national shape: procedures with MATTHC/TENTTHC (bare list, `result`,
    or a `LayThuTuc` answer whose `message` is a JSON string holding `result`)."""
    items = national_items(data)
    return items is not None


def national_items(data: object) -> list[Any] | None:
    """The national procedures of a loaded file, or None when it is not in that shape."""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        try:
            data = json.loads(data["message"])
        except ValueError:
            return None
    items = data.get("result") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        return None
    if not any(isinstance(i, dict) and ("MATTHC" in i or "TENTTHC" in i) for i in items):
        return None
    return items


def label(raw: object) -> str:
    value = raw.get("MATTHC") if isinstance(raw, dict) else None
    return value.strip() if isinstance(value, str) else ""


def to_entry(raw: object, case: int = 1) -> dict[str, Any]:
    """Our entry shape (procedures_vn.json) from one national procedure; a ValidationError says what is wrong.
    `case` is the 1-based TRUONGHOP whose papers are asked."""
    if not isinstance(raw, dict):
        raise ValidationError("Mục này không phải một thủ tục (cần một đối tượng JSON).")
    fields = _list(raw, "LINHVUCTHUCHIEN")
    field = fields[0] if fields else {}
    results = _list(raw, "KETQUATHUCHIEN")
    result = results[0] if results else {}
    time_rule, fee = _direct_channel(raw)
    return {
        "code": _text(raw.get("MATTHC")),
        "name": _text(raw.get("TENTTHC")),
        "field": _text(field.get("TENLINHVUC")),
        "field_code": _text(field.get("MALINHVUC")),
        "time_rule": time_rule,
        "fee": fee,
        "verified": fee["amount_vnd"] is not None,
        "components": _papers(raw, case),
        "result": {"name": _text(result.get("TENKETQUA")), "code": _text(result.get("MAKETQUA"))},
    }


def _text(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _list(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = raw.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _direct_channel(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    channels = [c for c in _list(raw, "CACHTHUCTHUCHIEN") if _text(c.get("KENH")) == DIRECT]
    if not channels:
        raise ValidationError("Không có cách thực hiện trực tiếp (CACHTHUCTHUCHIEN với KENH “1”).")
    times = _list(channels[0], "THOIGIAN")
    if not times:
        raise ValidationError("Cách thực hiện trực tiếp không ghi thời hạn giải quyết (THOIGIAN).")
    return _time_rule(times[0]), _fee(_list(times[0], "PHILEPHI"))


def _time_rule(time: dict[str, Any]) -> dict[str, Any]:
    amount_text = _text(time.get("THOIGIANGIAIQUYET")).replace(",", ".")
    unit_text = nfc(_text(time.get("DONVITINH")))
    unit = fold(unit_text)
    if fold(amount_text) in ("", "khong quy dinh") and ("khong" in unit or not unit):
        return {"kind": "none"}
    if fold(amount_text) == "trong ngay" or "trong ngay" in unit:
        return {"kind": "same_day"}
    try:
        amount = float(amount_text)
    except ValueError:
        raise ValidationError(f"Thời hạn giải quyết “{amount_text}” không phải một số.") from None
    if amount < 0:
        raise ValidationError(f"Thời hạn giải quyết “{amount_text}” âm.")
    if "gio" in unit:  # hours: 8 working hours make a working day
        amount /= 8
        unit = "ngay lam viec"
    if not unit.startswith("ngay"):
        raise ValidationError(f"Đơn vị thời hạn “{unit_text}” không được hỗ trợ (cần ngày, ngày làm việc hoặc giờ).")
    if amount < 1:
        return {"kind": "same_day"}  # 0, or less than a day: settled within the day
    if amount != int(amount):
        raise ValidationError(f"Thời hạn {amount_text} {unit_text} không phải số ngày nguyên.")
    kind = "working_days" if "lam viec" in unit else "calendar_days"
    return {"kind": kind, "days": int(amount)}


def _fee(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """One fee rule: the lệ phí line first, else the phí line, else none (no fee)."""
    if not lines:
        return {"amount_vnd": 0, "note": "Không"}
    lines = sorted(lines, key=lambda line: 0 if _text(line.get("MAPHILEPHI")) == LE_PHI else 1)
    line = lines[0]
    text = nfc(_text(line.get("SOTIEN")))
    described = nfc(_text(line.get("MOTA")))
    per_match = _PER.search(f"{nfc(_text(line.get('DONVI')))} {described}")
    fee: dict[str, Any] = {"note": described or text, "per": nfc(per_match.group(1)) if per_match else ""}
    folded = fold(text).rstrip(".")
    if folded in _FREE or folded.startswith("mien"):
        fee.update(amount_vnd=0, per="")
    elif _MONEY.match(text.replace(" ", "").removesuffix("đồng").removesuffix("đ")):
        fee["amount_vnd"] = int(re.sub(r"\D", "", text))
    elif any(word in folded or word in fold(described) for word in _PROVINCE_SETS):
        fee["amount_vnd"] = None  # the provincial council sets it: an administrator enters it with its decision
        fee["note"] = described or text
    else:
        raise ValidationError(f"Mức phí, lệ phí “{text}” không đọc được (cần “Không”, một số như “10.000”, "
                              "hoặc ghi rõ do HĐND tỉnh quy định).")
    return fee


def _papers(raw: dict[str, Any], case: int) -> list[dict[str, Any]]:
    cases = _list(raw, "THANHPHANHOSO")
    if not cases:
        raise ValidationError("Thủ tục phải có ít nhất một thành phần hồ sơ (THANHPHANHOSO).")
    if not 1 <= case <= len(cases):
        raise ValidationError(f"Không có trường hợp thứ {case} (thủ tục có {len(cases)} trường hợp).")
    papers = []
    for paper in _list(cases[case - 1], "GIAYTO"):
        name = nfc(_text(paper.get("TENGIAYTO")))
        originals, copies = _count(paper.get("SOBANCHINH")), _count(paper.get("SOBANSAO"))
        papers.append({
            "name": name,
            "form": "bản chính" if originals >= 1 or copies < 1 else "bản sao",
            "code": _text(paper.get("MAGIAYTO")),
            "optional": "neu co" in fold(name),
        })
    return papers


def _count(value: object) -> int:
    try:
        return int(_text(value) or 0)
    except ValueError:
        return 0
