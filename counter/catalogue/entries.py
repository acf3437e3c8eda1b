"""One entry of a catalogue file, checked and normalised before anything is written.

Shape (resources/data/procedures_vn.json): {code, name, field, field_code?, time_rule: {kind, days?}, verified,
fee: {note, amount_vnd, per?, formula?}, components: [{name, form, optional?, code?}], result?: {name,
code}, note?}. `field_code` is the field's code in the national catalogue (LINHVUCTHUCHIEN[].MALINHVUC, sent
as MaLinhVuc); the shipped file gives none, as none is known to us. Each problem raises a ValidationError whose
message the import report shows as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from counter import records
from counter.catalogue import fees
from counter.errors import ValidationError
from counter.text import fold, nfc

TIME_RULE_KINDS = ("working_days", "same_day", "calendar_days", "none")
FORMS = ("bản chính", "bản sao", "bản photo")
_FORM_BY_FOLD = {fold(f): f for f in FORMS}
_NATIONAL_RE = re.compile(r"^\d\.\d{6}$")
_PROVINCIAL_RE = re.compile(r"^(\d\.\d{6})\.")


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    field: str
    field_code: str  # mã lĩnh vực (MaLinhVuc); "" when the file does not give it
    time_rule: records.TimeRule
    fee_rule: records.FeeRule
    verified: bool
    result_name: str
    result_code: str
    note: str
    components: tuple[records.ComponentSpec, ...]


def rules_of(p: Entry | records.Procedure) -> tuple[object, ...]:
    """Everything that makes a new version when it differs (the field lives on the procedure)."""
    return (p.name, p.time_rule, p.fee_rule, p.verified, p.result_name, p.result_code, p.note, p.components)


def national_form(code: str) -> str:
    """'1.001193.000.00.00.H56' → '1.001193'; anything else stripped and returned as it is."""
    code = (code or "").strip()
    match = _PROVINCIAL_RE.match(code)
    return match.group(1) if match else code


def parse_entry(raw: object) -> Entry:
    if not isinstance(raw, dict):
        raise ValidationError("Mục này không phải một thủ tục (cần một đối tượng JSON).")
    code = national_form(_text(raw.get("code")))
    if not _NATIONAL_RE.match(code):
        raise ValidationError(f"Mã thủ tục “{_text(raw.get('code'))}” không đúng dạng mã quốc gia (ví dụ 1.001193).")
    name = nfc(_text(raw.get("name")))
    if not name:
        raise ValidationError("Thiếu tên thủ tục.")
    result = raw.get("result")
    result = result if isinstance(result, dict) else {}
    return Entry(
        code=code,
        name=name,
        field=nfc(_text(raw.get("field"))),
        field_code=_field_code(raw.get("field_code")),
        time_rule=time_rule(raw.get("time_rule")),
        fee_rule=_fee_rule(raw.get("fee")),
        verified=raw.get("verified") is True,
        result_name=nfc(_text(result.get("name"))),
        result_code=_text(result.get("code")),
        note=nfc(_text(raw.get("note"))),
        components=_components(code, raw.get("components")),
    )


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _field_code(value: object) -> str:
    code = _text(value)
    if any(c.isspace() for c in code):  # a code never holds a space: most likely the field's name in the wrong key
        raise ValidationError(f"Mã lĩnh vực “{code}” không đúng dạng mã (không được có khoảng trắng).")
    return code


def _count(value: object) -> int | None:
    """A whole number (JSON true/false are not), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def time_rule(raw: object) -> records.TimeRule:
    raw = raw if isinstance(raw, dict) else {}
    kind = _text(raw.get("kind"))
    if kind not in TIME_RULE_KINDS:
        raise ValidationError(
            f"Loại thời hạn giải quyết “{kind}” không hợp lệ (cần working_days, same_day, calendar_days hoặc none)."
        )
    if kind in ("same_day", "none"):
        return records.TimeRule(kind)
    days = _count(raw.get("days"))
    if days is None or days <= 0:
        raise ValidationError(f"Thời hạn {kind} cần số ngày lớn hơn 0 (đã ghi “{raw.get('days')}”).")
    return records.TimeRule(kind, days)


def _fee_rule(raw: object) -> records.FeeRule:
    raw = raw if isinstance(raw, dict) else {}
    amount = raw.get("amount_vnd")
    if amount is not None and (_count(amount) is None or amount < 0):
        raise ValidationError(f"Mức lệ phí phải là số đồng không âm hoặc để trống (đã ghi “{amount}”).")
    formula = _text(raw.get("formula"))
    if formula and not fees.is_known_formula(formula):
        raise ValidationError(f"Công thức lệ phí “{formula}” không được hỗ trợ.")
    return records.FeeRule(amount=amount, per=nfc(_text(raw.get("per"))), formula=formula,
                           note=nfc(_text(raw.get("note"))))


def _components(code: str, raw: object) -> tuple[records.ComponentSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValidationError("Thủ tục phải có ít nhất một thành phần hồ sơ.")
    specs = tuple(_component(code, position, item) for position, item in enumerate(raw, start=1))
    codes = [s.code for s in specs]
    if len(set(codes)) != len(codes):
        raise ValidationError("Hai thành phần hồ sơ trùng mã (MaThanhPhanHoSo).")
    return specs


def _component(code: str, position: int, raw: object) -> records.ComponentSpec:
    raw = raw if isinstance(raw, dict) else {}
    name = nfc(_text(raw.get("name")))
    if not name:
        raise ValidationError(f"Thành phần hồ sơ thứ {position} thiếu tên.")
    form_text = nfc(_text(raw.get("form"))) or FORMS[0]  # a file that says nothing means the original
    form = _FORM_BY_FOLD.get(fold(form_text))
    if form is None:
        raise ValidationError(
            f"Thành phần “{name}”: hình thức “{form_text}” không hợp lệ (cần bản chính, bản sao hoặc bản photo)."
        )
    return records.ComponentSpec(
        position=position,
        code=_text(raw.get("code")) or f"{code}.TP{position:02d}",
        name=name,
        form=form,
        optional=raw.get("optional") is True,
    )
