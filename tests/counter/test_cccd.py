import re
from datetime import date

import pytest

from counter.dossiers.cccd import CccdData, looks_like_cccd, parse_cccd, validate_id_number
from counter.errors import ValidationError

EXAMPLE = "038090012345|123456789|Nguyễn Văn An|15031990|Nam|Thôn 3, Xã Quảng Hùng, Thanh Hóa|20042021"


def test_domain_example():
    card = parse_cccd(EXAMPLE)
    assert card == CccdData(
        id_number="038090012345",
        old_id_number="123456789",
        full_name="Nguyễn Văn An",
        birth_date=date(1990, 3, 15),
        sex="Nam",
        address="Thôn 3, Xã Quảng Hùng, Thanh Hóa",
        issue_date=date(2021, 4, 20),
    )


def test_json_dict_has_exactly_the_agreed_keys():
    assert parse_cccd(EXAMPLE).to_json_dict() == {
        "id_number": "038090012345",
        "old_id_number": "123456789",
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-03-15",
        "sex": "Nam",
        "address": "Thôn 3, Xã Quảng Hùng, Thanh Hóa",
        "issue_date": "2021-04-20",
    }


def test_empty_old_id_becomes_none():
    card = parse_cccd("001203004567||Trần Thị Bình|01012003|Nữ|Phường Ba Đình, Hà Nội|05072021")
    assert card.old_id_number is None
    assert card.to_json_dict()["old_id_number"] is None
    assert card.sex == "Nữ"


def test_extra_trailing_fields_of_cards_from_july_2024_are_ignored():
    card = parse_cccd(EXAMPLE + "|Nguyễn Văn Bố|Trần Thị Mẹ|extra")
    assert card.issue_date == date(2021, 4, 20)
    assert card.address == "Thôn 3, Xã Quảng Hùng, Thanh Hóa"


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n", "  \r\n", "\t"])
def test_scanner_line_endings_are_stripped(ending):
    assert parse_cccd(" " + EXAMPLE + ending) == parse_cccd(EXAMPLE)


def test_decomposed_unicode_is_normalised_to_nfc():
    import unicodedata

    card = parse_cccd(unicodedata.normalize("NFD", EXAMPLE))
    assert card.full_name == "Nguyễn Văn An"
    assert card.address == "Thôn 3, Xã Quảng Hùng, Thanh Hóa"


def test_upper_case_name_becomes_title_case_and_sex_any_case():
    card = parse_cccd("038090012345||NGUYỄN  VĂN AN|15031990|NAM|Thôn 3|20042021")
    assert card.full_name == "Nguyễn Văn An"
    assert card.sex == "Nam"
    assert parse_cccd("038090012345||ĐỖ THỊ HOA|15031990|NỮ|x|20042021").sex == "Nữ"
    assert parse_cccd("038090012345||Đỗ Thị Hoa|15031990|nữ|x|20042021").sex == "Nữ"


def test_mixed_case_name_gets_every_word_capitalised_with_spaces_collapsed():
    card = parse_cccd("038090012345||  Lê   thị MAi |15031990|Nữ|x|20042021")
    assert card.full_name == "Lê Thị MAi"  # only first letters are restored; the rest is kept as read


def test_unknown_province_prefix_is_accepted():
    assert parse_cccd("999090012345||Lê Văn C|15031990|Nam|x|20042021").id_number == "999090012345"


def _error(text: str) -> str:
    with pytest.raises(ValidationError) as info:
        parse_cccd(text)
    return str(info.value)


def test_too_few_fields_says_how_many_were_read():
    message = _error("038090012345|123456789|Nguyễn Văn An|15031990|Nam")
    assert "5 trường" in message
    assert "ít nhất 7" in message


def test_id_not_12_digits_shows_what_was_read():
    message = _error("03809001234|123456789|Nguyễn Văn An|15031990|Nam|x|20042021")
    assert "12 chữ số" in message
    assert "“03809001234”" in message
    assert "12 chữ số" in _error("03809001234a|123456789|Nguyễn Văn An|15031990|Nam|x|20042021")


def test_old_id_present_but_not_9_digits():
    message = _error("038090012345|12345678|Nguyễn Văn An|15031990|Nam|x|20042021")
    assert "CMND" in message and "9 chữ số" in message and "“12345678”" in message


def test_empty_name():
    assert "Họ tên" in _error("038090012345||   |15031990|Nam|x|20042021")


def test_birth_date_not_a_calendar_date():
    message = _error("038090012345||Nguyễn Văn An|31022000|Nam|x|20042021")
    assert "Ngày sinh" in message and "“31022000”" in message


def test_issue_date_not_a_calendar_date():
    message = _error("038090012345||Nguyễn Văn An|15031990|Nam|x|2004202")
    assert "Ngày cấp" in message and "“2004202”" in message


def test_birth_after_issue():
    message = _error("038090012345||Nguyễn Văn An|15032022|Nam|x|20042021")
    assert "Ngày sinh (15/03/2022)" in message and "ngày cấp" in message


def test_issue_date_in_the_future_when_today_is_given():
    with pytest.raises(ValidationError, match="tương lai"):
        parse_cccd(EXAMPLE, today=date(2021, 4, 19))
    assert parse_cccd(EXAMPLE, today=date(2021, 4, 20)).issue_date == date(2021, 4, 20)


@pytest.mark.parametrize("birth, issue, says", [
    ("01010001", "20042021", "Ngày sinh trong mã QR “01010001” không hợp lý"),
    ("15031990", "20042009", "Ngày cấp trong mã QR “20042009” là trước khi có thẻ căn cước công dân (2016)"),
])
def test_a_date_no_card_can_carry_is_a_misread(birth, issue, says):
    with pytest.raises(ValidationError, match=re.escape(says)):
        parse_cccd(f"038090012345||Nguyễn Văn An|{birth}|Nam|Thôn 3|{issue}")


def test_sex_other_than_nam_nu():
    message = _error("038090012345||Nguyễn Văn An|15031990|Khác|x|20042021")
    assert "Giới tính" in message and "“Khác”" in message


def test_looks_like_cccd():
    assert looks_like_cccd(EXAMPLE)
    assert looks_like_cccd(EXAMPLE + "\r\n")
    assert not looks_like_cccd("000.00.06.H56-231027-0361")
    assert not looks_like_cccd("038090012345|a|b|c")  # too few separators
    assert not looks_like_cccd("03809001234|123456789|Nguyễn Văn An|15031990|Nam|x|20042021")


def test_validate_id_number():
    assert validate_id_number(" 038090012345\n") == "038090012345"
    with pytest.raises(ValidationError, match="12 chữ số"):
        validate_id_number("12345")
    with pytest.raises(ValidationError, match="12 chữ số"):
        validate_id_number("")


def test_accented_capital_dropped_by_a_keyboard_mode_scanner_is_restored():
    text = "038090012345||Nguyễn Văn ánh|15031990|Nam|Thôn 3|20042021"
    assert parse_cccd(text).full_name == "Nguyễn Văn Ánh"
    assert parse_cccd(text.replace("ánh", "đức")).full_name == "Nguyễn Văn Đức"
