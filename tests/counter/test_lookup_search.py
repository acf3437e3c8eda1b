"""Tra cứu's search (counter/dossiers/search.py): the criteria, keyset pages, what a list shown earlier lacks."""

from dataclasses import replace
from datetime import date

import pytest

from counter.dossiers import lifecycle, search
from counter.dossiers.search import Criteria
from counter.errors import ValidationError
from counter.records import ApplicantInput
from counter.status import Status
from db.models import Applicant, Dossier
from tests.conftest import at
from tests.counter.lifecycle_steps import AN, UNIT, login, receive

BICH = ApplicantInput(id_number="038190054321", full_name="Trần Thị Bích", phone="0987654321")
VU = ApplicantInput(id_number="038190011111", full_name="Nguyễn Vũ Hải")
LONG = ApplicantInput(id_number="038190022222", full_name="Vương Thị Lan", phone="0911222333")


@pytest.fixture
def desk(ctx):
    """Nine dossiers over 10–13/02/2026, newest last; one of Bích's handed over."""
    login(ctx, "canbo")
    made = []
    for n, (day, who, procedure) in enumerate([
            ("10", AN, "1.004873"), ("10", BICH, "1.001193"), ("11", VU, "1.004873"), ("11", LONG, "1.004873"),
            ("12", AN, "1.001193"), ("12", BICH, "1.004873"), ("13", VU, "1.001193"), ("13", LONG, "1.004873"),
            ("13", AN, "1.004873")]):
        ctx.clock.at = at(f"2026-02-{day} {8 + n:02d}:00")
        made.append(receive(ctx, procedure, who))
    lifecycle.handover(ctx, made[5].code, UNIT)
    return made


def codes(page):
    return [r.code for r in page.rows]


def found(ctx, **criteria):
    return codes(search.search(ctx, Criteria(**criteria), limit=50))


def test_no_criteria_lists_every_dossier_newest_first(ctx, desk):
    assert found(ctx) == [d.code for d in desk[::-1]]


def test_the_search_box_reads_codes_names_id_numbers_and_phones(ctx, desk):
    assert found(ctx, text=desk[3].code.lower()) == [desk[3].code]
    assert found(ctx, text=desk[3].code[-11:]) == [desk[3].code]  # "260211-0004": the end of a code
    assert found(ctx, text="tran thi bich") == [desk[5].code, desk[1].code]
    assert found(ctx, text="TRẦN THỊ") == [desk[5].code, desk[1].code]
    assert found(ctx, text="038 190 054 321") == [desk[5].code, desk[1].code]
    assert found(ctx, text="+84 911.222.333") == [desk[7].code, desk[3].code]
    assert found(ctx, text="vu") == [desk[7].code, desk[6].code, desk[3].code, desk[2].code]  # Vũ, Vương: word starts
    assert found(ctx, text="nobody at all") == [] and found(ctx, text="999999999999") == []


def test_filters_narrow_the_list_and_each_other(ctx, desk):
    assert found(ctx, procedure_code="1.001193") == [desk[6].code, desk[4].code, desk[1].code]
    assert found(ctx, status=Status.IN_PROGRESS) == [desk[5].code]
    assert found(ctx, received_from=date(2026, 2, 11), received_to=date(2026, 2, 12)) == [
        d.code for d in desk[5:1:-1]]
    assert found(ctx, received_to=date(2026, 2, 10)) == [desk[1].code, desk[0].code]
    assert found(ctx, text="nguyen", procedure_code="1.004873", received_from=date(2026, 2, 11)) == [
        desk[8].code, desk[2].code]


def test_a_range_that_ends_before_it_starts_is_refused(ctx, desk):
    with pytest.raises(ValidationError, match="Từ ngày 13/02/2026 sau đến ngày 12/02/2026"):
        search.search(ctx, Criteria(received_from=date(2026, 2, 13), received_to=date(2026, 2, 12)))


def test_pages_follow_each_other_by_position_to_the_last(ctx, desk):
    pages, after = [], None
    while True:
        page = search.search(ctx, Criteria(), after=after, limit=4)
        pages.append(codes(page))
        if page.next is None:
            break
        after = page.next
    assert pages == [[d.code for d in desk[8:4:-1]], [d.code for d in desk[4:0:-1]], [desk[0].code]]


def test_rows_received_in_the_same_second_are_neither_lost_nor_repeated(ctx, desk):
    login(ctx, "canbo")
    ctx.clock.at = at("2026-02-13 18:00")
    same = [receive(ctx, "1.004873", AN).code for _ in range(3)]
    first = search.search(ctx, Criteria(), limit=2)
    second = search.search(ctx, Criteria(), after=first.next, limit=2)
    assert codes(first) + codes(second) == [*same[::-1], desk[8].code]


def test_a_name_pages_through_its_index_and_one_letter_walks_the_dossiers(ctx, desk):
    first = search.search(ctx, Criteria(text="nguyen"), limit=2)
    rest = search.search(ctx, Criteria(text="nguyen"), after=first.next, limit=2)
    last = search.search(ctx, Criteria(text="nguyen"), after=rest.next, limit=2)
    assert codes(first) + codes(rest) + codes(last) == [d.code for d in (desk[8], desk[6], desk[4], desk[2], desk[0])]
    assert last.next is None
    assert found(ctx, text="t") == [desk[5].code, desk[1].code]  # the start of the name: Trần, not Nguyễn Văn An
    walked = search.search(ctx, Criteria(text="n"), limit=3)
    assert codes(walked) + codes(search.search(ctx, Criteria(text="n"), after=walked.next, limit=3)) == [
        d.code for d in (desk[8], desk[6], desk[4], desk[2], desk[0])]
    assert found(ctx, text="vu", status=Status.RECEIVED) == [desk[7].code, desk[6].code, desk[3].code, desk[2].code]


def test_the_names_index_follows_a_corrected_name_and_a_dossier_moved_to_another_person(ctx, desk):
    with ctx.transaction():
        Applicant.update(full_name="Trần Thị Bạch", name_folded="tran thi bach").where(
            Applicant.id_number == BICH.id_number).execute()
        Dossier.update(applicant=Applicant.get(Applicant.id_number == AN.id_number)).where(
            Dossier.code == desk[1].code).execute()
    assert found(ctx, text="tran thi bich") == []
    assert found(ctx, text="tran thi bach") == [desk[5].code]
    assert desk[1].code in found(ctx, text="nguyen van an")
    with ctx.transaction():
        Dossier.delete().where(Dossier.code == desk[5].code).execute()
    assert found(ctx, text="bach") == []


def test_newer_gives_what_a_list_shown_earlier_lacks_and_rows_by_code_its_changes(ctx, desk):
    criteria = Criteria(text="nguyen van an")
    top = search.search(ctx, criteria, limit=1).rows[0]
    login(ctx, "canbo")
    ctx.clock.at = at("2026-02-13 19:00")
    new = receive(ctx, "1.004873", AN)
    receive(ctx, "1.004873", BICH)  # not an answer to the criteria
    assert [r.code for r in search.newer(ctx, criteria, search.Position(top.received_at, top.id))] == [new.code]
    lifecycle.handover(ctx, top.code, UNIT)
    assert search.rows_by_code(ctx, {top.code})[top.code] == replace(top, status=Status.IN_PROGRESS)
