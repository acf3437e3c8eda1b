"""Every refusal of a value the clerk typed or picked names its field (counter.errors.Field), so a screen puts
the cursor there whatever the message's words; a refusal about no one field names none."""

from dataclasses import replace
from datetime import date

import pytest

from counter import records
from counter.catalogue import procedures
from counter.catalogue.fees import compute_fees
from counter.dossiers import applicants, lifecycle, reception
from counter.dossiers.cccd import parse_cccd, validate_id_number
from counter.dossiers.lookup import get_dossier
from counter.errors import CounterError, Field, IllegalTransition, ValidationError
from counter.records import ApplicantInput, ComponentInput, DossierDraft, Fee, GuidanceItem
from counter.status import Status
from counter.text import parse_day
from db.models import Procedure
from tests.conftest import at
from tests.counter.lifecycle_steps import AN, LATER, UNIT, dossier_in, login

XNHN = "1.004873"  # one required paper: the form
FORM = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
ITEMS = [GuidanceItem("Tờ khai", "Chưa có chữ ký")]


def field_of(call) -> Field | None:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.field


def draft(**kw) -> DossierDraft:
    return DossierDraft(**{"procedure_code": XNHN, "applicant": AN, **kw})


# The reception ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad, field", [
    (draft(applicant=replace(AN, id_number="12345")), Field.ID_NUMBER),
    (draft(applicant=replace(AN, old_id_number="1234")), Field.OLD_ID_NUMBER),
    (draft(applicant=replace(AN, full_name="  ")), Field.NAME),
    (draft(applicant=replace(AN, phone="12-ab")), Field.PHONE),
    (draft(components=(ComponentInput(name="Giấy tờ khác"),)), Field.COMPONENTS),  # the required form missing
    (draft(components=(ComponentInput(name=FORM, quantity=0),)), Field.COMPONENTS),
    (draft(sets=0), Field.SETS),
    (draft(summary="x" * (reception.SUMMARY_MAX + 1)), Field.SUMMARY),
    (draft(applicant=replace(AN, birth_date=date(2026, 2, 14))), Field.BIRTH_DATE),  # the day after reception
])
def test_a_refused_reception_names_the_field(ctx, clerk, bad, field):
    assert field_of(lambda: reception.receive_dossier(ctx, bad)) == field


def test_an_inactive_procedure_names_the_procedure(ctx, clerk):
    Procedure.update(active=False).where(Procedure.code == XNHN).execute()
    procedures.invalidate_cache(ctx)
    assert field_of(lambda: reception.receive_dossier(ctx, draft())) == Field.PROCEDURE


def test_a_refusal_and_a_guidance_name_their_fields(ctx, clerk):
    assert field_of(lambda: reception.refuse_dossier(ctx, draft(), " ")) == Field.REASON
    assert field_of(lambda: reception.record_guidance(ctx, XNHN, AN, [], "Thiếu")) == Field.SUPPLEMENT_ITEMS
    assert field_of(lambda: reception.record_guidance(ctx, XNHN, AN, ITEMS, " ")) == Field.REASON
    nameless = ApplicantInput(id_number="", full_name=" ")
    assert field_of(lambda: reception.record_guidance(ctx, XNHN, nameless, ITEMS, "Thiếu")) == Field.NAME


def test_the_checks_the_screens_ask_early_are_those_of_the_intents(ctx):
    """The reception screen and its dialogs call these before the clerk commits: same rule, same field."""
    assert field_of(lambda: applicants.require_name(" ")) == Field.NAME
    assert applicants.require_name(" Nguyễn Văn An ") == "Nguyễn Văn An"
    assert field_of(lambda: reception.refusal_reason("")) == Field.REASON
    assert field_of(lambda: reception.dossier_summary("x" * 1001)) == Field.SUMMARY
    assert reception.dossier_summary(" Xin  xác nhận ") == "Xin xác nhận"
    assert field_of(lambda: reception.guidance_items([GuidanceItem(" ", "x")])) == Field.SUPPLEMENT_ITEMS
    assert field_of(lambda: reception.guidance_reason(" ")) == Field.REASON
    assert field_of(lambda: validate_id_number("03809001234")) == Field.ID_NUMBER


def test_missing_papers_is_the_rule_f9_applies(ctx):
    procedure = procedures.get_procedure(ctx, XNHN)
    required = [s for s in procedure.components if not s.optional]
    assert [s.name for s in reception.missing_papers(procedure, [])] == [s.name for s in required]
    assert reception.missing_papers(procedure, [ComponentInput(name=FORM)]) == []
    unaccented = ComponentInput(name="to khai cap giay xac nhan tinh trang hon nhan")
    assert reception.missing_papers(procedure, [unaccented]) == []
    assert reception.missing_papers(procedure, [ComponentInput(name=FORM, handed_over=False)]) == required
    assert reception.missing_papers(procedure, [ComponentInput(name="Tờ khai", code=required[0].code)]) == []


def test_the_fee_refusals_name_the_units_or_the_papers():
    def procedure(rule: records.FeeRule) -> records.Procedure:
        return records.Procedure(
            id=1, code="2.000815", name="Chứng thực", field="Chứng thực", active=True, version_id=1, version=1,
            effective_from=date(2025, 7, 1), time_rule=records.TimeRule("same_day"), fee_rule=rule,
            result_name="", result_code="", verified=True, note="", components=(),
        )
    per_case = procedure(records.FeeRule(amount=10_000, per="trường hợp"))
    per_page = procedure(records.FeeRule(amount=None, formula="per_page_2000_1000_cap_200000"))
    copy = ComponentInput("Bản sao", "bản sao", pages=0)
    assert field_of(lambda: compute_fees(per_case, [], units=0)) == Field.FEE_UNITS
    assert field_of(lambda: compute_fees(per_page, [])) == Field.COMPONENTS
    assert field_of(lambda: compute_fees(per_page, [copy])) == Field.COMPONENTS


def test_a_typed_date_names_the_field_it_was_typed_in():
    assert field_of(lambda: parse_day("31/02/1990", "Ngày sinh", field=Field.BIRTH_DATE)) == Field.BIRTH_DATE
    assert field_of(lambda: parse_day("hôm qua", "Hạn sử dụng", field=Field.VALID_UNTIL)) == Field.VALID_UNTIL
    assert field_of(lambda: parse_day("hôm qua", "Ngày")) is None  # a script's argument: no field to name


# The lifecycle ------------------------------------------------------------------------------------


def test_hand_over_names_the_unit(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)  # at UNIT
    assert field_of(lambda: lifecycle.handover(ctx, d.code, " ")) == Field.UNIT
    assert field_of(lambda: lifecycle.handover(ctx, d.code, UNIT)) == Field.UNIT


def test_a_supplement_names_its_papers_or_its_reason(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    assert field_of(lambda: lifecycle.request_supplement(ctx, d.code, [], "Thiếu")) == Field.SUPPLEMENT_ITEMS
    assert field_of(lambda: lifecycle.request_supplement(ctx, d.code, ITEMS, "")) == Field.REASON


@pytest.mark.parametrize("fees, field", [
    (None, Field.FEE_NAME),  # nothing owed and nothing typed: the line to fill in
    ([Fee(" ", 1_000)], Field.FEE_NAME),
    ([Fee("Lệ phí", 0)], Field.FEE_AMOUNT),
])
def test_a_payment_request_names_the_fee_line(ctx, fees, field):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    assert field_of(lambda: lifecycle.request_payment(ctx, d.code, fees)) == field


def test_the_result_and_the_return_name_their_fields(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    assert field_of(lambda: lifecycle.record_result(ctx, d.code, " ")) == Field.RESULT_NUMBER
    d = dossier_in(ctx, Status.RESULT_READY)
    assert field_of(lambda: lifecycle.return_result(ctx, d.code, " ", "038190054321")) == Field.COLLECTOR_NAME
    assert field_of(lambda: lifecycle.return_result(ctx, d.code, "Trần Thị Bích", "0381")) == Field.COLLECTOR_ID


def test_the_rating_names_the_level_or_the_reason(ctx):
    d = dossier_in(ctx, Status.RETURNED)
    assert field_of(lambda: lifecycle.rate_service(ctx, d.code, "great")) == Field.RATING
    assert field_of(lambda: lifecycle.rate_service(ctx, d.code, "")) == Field.RATING  # no level chosen
    assert field_of(lambda: lifecycle.rate_service(ctx, d.code, "dissatisfied", " ")) == Field.REASON


@pytest.mark.parametrize("new_due", ["2026-02-24 10:00", "2026-02-13 09:00", "2026-02-28 10:00", "2026-02-27 12:15"])
def test_the_apology_names_the_new_date(ctx, new_due):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    login(ctx, "lanhdao")
    assert field_of(lambda: lifecycle.apologise(ctx, d.code, "Cần xác minh", at(new_due))) == Field.NEW_DUE
    assert field_of(lambda: lifecycle.apologise(ctx, d.code, " ", LATER)) == Field.REASON


@pytest.mark.parametrize("action", [lifecycle.withdraw, lifecycle.stop])
def test_withdrawal_and_stop_name_the_reason(ctx, action):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    assert field_of(lambda: action(ctx, d.code, "")) == Field.REASON


def test_a_typed_dossier_code_is_named(ctx):
    assert field_of(lambda: get_dossier(ctx, "000.00.06-260213")) == Field.DOSSIER_CODE


# Refusals about no one field ----------------------------------------------------------------------


def test_refusals_about_no_one_field_name_none(ctx):
    d = dossier_in(ctx, Status.RETURNED)
    with pytest.raises(IllegalTransition) as error:
        lifecycle.handover(ctx, d.code, UNIT)  # the state forbids it, whatever was typed
    assert error.value.field is None
    assert field_of(lambda: parse_cccd("038090012345|||15031990|Nam|Thôn 3|20042021")) is None  # a bad scan
    assert CounterError("x").field is None and ValidationError("x").field is None
