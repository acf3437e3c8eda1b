"""Fee lines of a dossier, computed from the procedure's FeeRule (data, since provinces set amounts).

A rule is either a fixed amount per unit (bản sao, trường hợp, hợp đồng…) or a named formula. The
per-page formula is spelt with its numbers, `per_page_{first}_{next}_cap_{cap}`, so a province with
other amounts needs a data change, not a code change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from counter import records
from counter.errors import Field, ValidationError
from counter.text import fold, nfc

LE_PHI = 2  # LoaiPhiLePhi: 1 phí, 2 lệ phí
_PER_PAGE = re.compile(r"^per_page_(\d+)_(\d+)_cap_(\d+)$")
_FORMULA_NAMES = {"per_page": "Lệ phí chứng thực bản sao"}


def is_known_formula(formula: str) -> bool:
    return bool(_PER_PAGE.match(formula))


def per_copy_amount(formula: str, pages: int) -> int:
    """One copy of `pages` pages: the first two pages at one price, the rest at another, capped."""
    match = _PER_PAGE.match(formula)
    if match is None:
        raise ValidationError(f"Công thức lệ phí “{formula}” không được hỗ trợ: hãy sửa danh mục thủ tục.")
    first, following, cap = (int(g) for g in match.groups())
    return min(cap, first * min(pages, 2) + following * max(pages - 2, 0))


def compute_fees(
    procedure: records.Procedure,
    components: Sequence[records.ComponentInput],
    units: int = 1,
    exempt_reason: str = "",
) -> tuple[records.Fee, ...]:
    """The fee lines to collect. No line when the amount is 0 or not yet set by the province
    (the UI shows the rule's note instead). Exempt: the same lines at 0 đ, pages not needed.

    `units` multiplies a fixed amount; a per-page formula counts copies from the 'bản sao' papers
    (pages × quantity) instead.
    """
    rule = procedure.fee_rule
    if not _has_line(rule):
        return ()
    name = _line_name(procedure)
    if nfc(exempt_reason):
        return (records.Fee(name=name, amount=0, kind=LE_PHI),)
    amount = _amount(rule, components, units)
    return (records.Fee(name=name, amount=amount, kind=LE_PHI),)


def fee_total(fees: Sequence[records.Fee]) -> int:
    return sum(f.amount for f in fees)


def _has_line(rule: records.FeeRule) -> bool:
    return bool(rule.formula) or bool(rule.amount)


def _amount(rule: records.FeeRule, components: Sequence[records.ComponentInput], units: int) -> int:
    if rule.formula:
        return _per_page_total(rule.formula, components)
    # Not a formula, so an amount: compute_fees asks only for a rule that makes a line (_has_line).
    assert rule.amount is not None, "a fee line needs a formula or an amount"
    if units < 1:
        raise ValidationError(f"Số {rule.per or 'đơn vị'} tính lệ phí phải từ 1 trở lên.", Field.FEE_UNITS)
    return rule.amount * units


def _per_page_total(formula: str, components: Sequence[records.ComponentInput]) -> int:
    """Each handed-over 'bản sao' paper is `quantity` copies of `pages` pages."""
    copies = [c for c in components if fold(c.form) == "ban sao" and c.handed_over]
    if not copies:
        raise ValidationError("Hãy nhập giấy tờ dạng bản sao cần chứng thực và số trang của nó để tính lệ phí.",
                              Field.COMPONENTS)
    total = 0
    for c in copies:
        if c.pages < 1:
            raise ValidationError(f"Hãy nhập số trang của bản sao “{nfc(c.name)}” để tính lệ phí chứng thực.",
                                  Field.COMPONENTS)
        total += per_copy_amount(formula, c.pages) * c.quantity
    return total


def _line_name(procedure: records.Procedure) -> str:
    """'Lệ phí chứng thực bản sao' for a formula; 'Lệ phí chứng thực chữ ký …' from the procedure name."""
    formula = procedure.fee_rule.formula
    for prefix, name in _FORMULA_NAMES.items():
        if formula.startswith(prefix):
            return name
    title = procedure.name
    return "Lệ phí " + title[:1].lower() + title[1:]

