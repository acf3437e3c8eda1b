"""Text that reaches the forms and the province is cleaned at the door (issue 18): no control characters in
names and addresses, ASCII digits only in id numbers, phones, the agency id and codes, and length limits."""

from dataclasses import replace

import pytest

from counter.dossiers import applicants, reception
from counter.errors import Field, ValidationError
from counter.office import codes
from counter.office.first_run import clean_office
from counter.office.profile import get_office, save_office
from counter.records import ComponentInput, DossierDraft
from counter.text import ADDRESS_MAX, NAME_MAX, ascii_digits, clean_line
from db.models import Applicant, Dossier, Office
from tests.conftest import at
from tests.counter.lifecycle_steps import AN, login

ARABIC_12 = "٠٣٨٠٩٠٠١٢٣٤٥"  # 038090012345 in Arabic-Indic digits
FULL_WIDTH_PHONE = "０９１２３４５６７８"


@pytest.mark.parametrize("change, field, words", [
    ({"full_name": "Nguyễn\x1b[31m Văn An"}, Field.NAME, "U+001B"),
    ({"full_name": "Nguyễn Văn An\x07"}, Field.NAME, "U+0007"),
    ({"full_name": "Nguyễn \u202eVăn An"}, Field.NAME, "U+202E"),
    ({"address": "Thôn 3\x00, Quảng Hùng"}, Field.ADDRESS, "U+0000"),
    ({"full_name": "Nguyễn Văn An " * 90}, Field.NAME, f"giới hạn {NAME_MAX} ký tự"),
    ({"address": "x" * (ADDRESS_MAX + 1)}, Field.ADDRESS, f"giới hạn {ADDRESS_MAX} ký tự"),
    ({"id_number": ARABIC_12}, Field.ID_NUMBER, "chữ số 0–9"),
    ({"old_id_number": "１２３４５６７８９"}, Field.OLD_ID_NUMBER, "chữ số 0–9"),
    ({"phone": FULL_WIDTH_PHONE}, Field.PHONE, "chữ số 0–9"),
])
def test_reception_refuses_bad_text_naming_its_field_and_writes_nothing(ctx, change, field, words):
    login(ctx, "canbo")
    with pytest.raises(ValidationError) as caught:
        reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=replace(AN, **change)))
    assert caught.value.field == field and words in str(caught.value)
    with ctx.bound():
        assert Dossier.select().count() == 0 and Applicant.select().count() == 0


def test_a_tab_or_line_break_in_a_pasted_name_becomes_a_space_and_a_name_at_the_limit_passes():
    assert clean_line("Nguyễn\tVăn\nAn", "Họ tên", NAME_MAX) == "Nguyễn Văn An"
    assert len(applicants.require_name("A" * NAME_MAX)) == NAME_MAX


def test_a_trailing_newline_does_not_pass_as_a_code_or_an_id():
    with pytest.raises(ValidationError):
        codes.validate_agency_id("000.00.07.H56\n")
    assert not codes.is_dossier_code("000.00.07.H56-260213-0001\n" + "x")
    assert not codes.is_dossier_code("٠٠٠.٠٠.٠٧.H56-260213-0001")


def test_ascii_digits_keeps_plain_text():
    assert ascii_digits("0237 3861 234", "Điện thoại") == "0237 3861 234"


@pytest.mark.parametrize("change, words", [
    ({"agency_id": "٠٠٠.٠٠.٠٧.H٥٦"}, "chữ số 0–9"),
    ({"office_name": "Bộ phận\x1b Một cửa"}, "U+001B"),
    ({"parent_name": "UBND " * 40}, "giới hạn 150 ký tự"),
    ({"address": "Thôn\x07 1"}, "U+0007"),
    ({"phone": "٠٢٣٧ ٣٨٦١ ٢٣٤"}, "chữ số 0–9"),
])
def test_the_office_profile_refuses_bad_text_and_keeps_the_old_one(ctx, change, words):
    before = get_office(ctx)
    with pytest.raises(ValidationError) as caught:
        save_office(ctx, replace(before, **change))
    assert words in str(caught.value)
    assert get_office(ctx) == before


def test_the_first_run_set_up_refuses_unicode_digits_in_the_agency_id(ctx):
    office = replace(get_office(ctx), agency_id="٠٠٠.٠٠.٠٧.H٥٦")
    with pytest.raises(ValidationError, match="chữ số 0–9") as caught:
        clean_office(office)
    assert caught.value.field == Field.AGENCY_ID
    with pytest.raises(ValidationError, match=r"U\+0007") as caught:
        clean_office(replace(get_office(ctx), place_name="Quảng\x07 Hùng"))
    assert caught.value.field == Field.PLACE_NAME


@pytest.mark.parametrize("received, words", [
    ("1900-01-01 10:00", "trước năm 2016"),
    ("2015-12-31 16:00", "trước năm 2016"),
    ("2099-02-13 10:00", "ở tương lai"),
    ("2026-02-14 10:01", "ở tương lai"),  # the clock says 13/02 10:00: a day and a minute ahead
])
def test_a_reception_time_that_cannot_be_true_is_refused_and_writes_nothing(ctx, received, words):
    login(ctx, "canbo")
    with pytest.raises(ValidationError) as caught:
        reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN, received_at=at(received)))
    assert words in str(caught.value)
    with ctx.bound():
        assert Dossier.select().count() == 0


def test_a_reception_time_within_a_day_ahead_or_back_to_2016_passes_in_the_demo(ctx):
    login(ctx, "canbo")
    for received in ("2026-02-14 09:59", "2016-01-04 08:00"):
        dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN,
                                                                 received_at=at(received)))
        assert dossier.received_at == at(received)


def test_a_real_office_refuses_a_reception_before_its_set_up_day(ctx):
    login(ctx, "canbo")
    with ctx.bound():
        Office.update(demo=False).execute()  # the set-up was recorded on 13/02/2026 (the fixture's clock)
    with pytest.raises(ValidationError, match="trước ngày thiết lập cơ quan 13/02/2026"):
        reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN,
                                                    received_at=at("2026-02-12 10:00")))
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN,
                                                             received_at=at("2026-02-13 08:00")))
    assert dossier.code.endswith("-260213-0001")


def test_a_negative_page_count_is_refused(ctx):
    login(ctx, "canbo")
    papers = (ComponentInput(name="Bản chính giấy tờ, văn bản làm cơ sở chứng thực"),
              ComponentInput(name="Bản sao cần chứng thực", form="bản sao", quantity=2, pages=-3))
    with pytest.raises(ValidationError, match="không được âm") as caught:
        reception.receive_dossier(ctx, DossierDraft(procedure_code="2.000815", applicant=AN, components=papers))
    assert caught.value.field == Field.COMPONENTS
