from datetime import date

import pytest

from counter import records
from counter.catalogue import procedures
from counter.catalogue.fees import compute_fees, fee_total, per_copy_amount
from counter.errors import ValidationError

PER_PAGE = "per_page_2000_1000_cap_200000"


def _procedure(fee_rule: records.FeeRule, name: str = "Chứng thực bản sao từ bản chính") -> records.Procedure:
    return records.Procedure(
        id=1, code="2.000815", name=name, field="Chứng thực", active=True, version_id=1, version=1,
        effective_from=date(2025, 7, 1), time_rule=records.TimeRule("same_day"), fee_rule=fee_rule,
        result_name="", result_code="", verified=True, note="", components=(),
    )


CERTIFY = _procedure(records.FeeRule(amount=None, formula=PER_PAGE))
SIGNATURE = _procedure(records.FeeRule(amount=10_000, per="trường hợp"),
                       name="Chứng thực chữ ký trong giấy tờ, văn bản")


def _copies(pages: int, quantity: int = 1) -> list[records.ComponentInput]:
    return [records.ComponentInput("Bản chính giấy tờ", "bản chính"),
            records.ComponentInput("Bản sao cần chứng thực", "bản sao", quantity=quantity, pages=pages)]


@pytest.mark.parametrize("pages, amount", [(1, 2_000), (2, 4_000), (3, 5_000), (5, 7_000), (150, 152_000),
                                           (250, 200_000)])
def test_per_page_one_copy(pages, amount):
    fees = compute_fees(CERTIFY, _copies(pages))
    assert fees == (records.Fee(name="Lệ phí chứng thực bản sao", amount=amount, kind=2),)
    assert per_copy_amount(PER_PAGE, pages) == amount


@pytest.mark.parametrize("pages, quantity, total", [(1, 3, 6_000), (5, 3, 21_000), (150, 2, 304_000),
                                                    (250, 4, 800_000)])
def test_per_page_several_copies_cap_applies_per_copy(pages, quantity, total):
    assert fee_total(compute_fees(CERTIFY, _copies(pages, quantity))) == total


def test_per_page_sums_every_copy_component_and_ignores_originals_and_missing_papers():
    components = [
        records.ComponentInput("Bản chính", "bản chính", pages=40),
        records.ComponentInput("Sổ hộ khẩu", "Bản sao", quantity=2, pages=3),  # 2 × 5.000
        records.ComponentInput("Bằng tốt nghiệp", "ban sao", pages=1),  # 2.000
        records.ComponentInput("Chưa mang theo", "bản sao", pages=9, handed_over=False),
    ]
    assert fee_total(compute_fees(CERTIFY, components)) == 12_000


def test_other_amounts_in_the_formula_name_are_data():
    assert per_copy_amount("per_page_3000_1500_cap_10000", 4) == 9_000
    assert per_copy_amount("per_page_3000_1500_cap_10000", 9) == 10_000


def test_missing_page_count_asks_for_it():
    with pytest.raises(ValidationError) as info:
        compute_fees(CERTIFY, _copies(0))
    assert "số trang" in str(info.value) and "Bản sao cần chứng thực" in str(info.value)
    with pytest.raises(ValidationError, match="số trang"):
        compute_fees(CERTIFY, [records.ComponentInput("Phiếu yêu cầu", "bản chính")])


def test_fixed_fee_times_units():
    assert compute_fees(SIGNATURE, [], units=1) == (
        records.Fee(name="Lệ phí chứng thực chữ ký trong giấy tờ, văn bản", amount=10_000, kind=2),)
    assert fee_total(compute_fees(SIGNATURE, [], units=3)) == 30_000
    with pytest.raises(ValidationError, match="trường hợp"):
        compute_fees(SIGNATURE, [], units=0)


def test_exemption_keeps_the_lines_at_zero_without_needing_pages():
    assert compute_fees(SIGNATURE, [], units=3, exempt_reason="Hộ nghèo") == (
        records.Fee(name="Lệ phí chứng thực chữ ký trong giấy tờ, văn bản", amount=0, kind=2),)
    exempt = compute_fees(CERTIFY, _copies(0), exempt_reason="Người có công")
    assert exempt == (records.Fee(name="Lệ phí chứng thực bản sao", amount=0, kind=2),)
    assert compute_fees(SIGNATURE, [], exempt_reason="   ")[0].amount == 10_000  # blank is not a reason


def test_zero_and_unset_amounts_give_no_line():
    assert compute_fees(_procedure(records.FeeRule(amount=0, note="Miễn lệ phí")), [], units=2) == ()
    assert compute_fees(_procedure(records.FeeRule(amount=None, note="Theo mức HĐND tỉnh")), []) == ()
    assert fee_total(()) == 0


def test_shipped_catalogue_rules(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    copy = procedures.get_procedure(bare_ctx, "2.000815")
    assert fee_total(compute_fees(copy, _copies(5, 2))) == 14_000
    extract = procedures.get_procedure(bare_ctx, "2.000635")
    assert fee_total(compute_fees(extract, [], units=3)) == 24_000
    assert compute_fees(extract, [], units=3)[0].name.startswith("Lệ phí cấp bản sao Trích lục hộ tịch")
    assert compute_fees(procedures.get_procedure(bare_ctx, "1.001193"), []) == ()  # khai sinh: free
    assert compute_fees(procedures.get_procedure(bare_ctx, "1.004873"), []) == ()  # set by the province, unknown
