from counter.dossiers import applicants
from counter.records import ApplicantInput
from db.models import Applicant
from tests.conftest import at

NOW = at("2026-02-13 10:00")


def _add(ctx, *people):
    with ctx.transaction():
        for n, name in enumerate(people):
            applicants.upsert(ctx, ApplicantInput(id_number=f"0380900{n:05d}", full_name=name), NOW)


def test_name_search_without_diacritics_finds_substrings(bare_ctx):
    _add(bare_ctx, "Nguyễn Văn An", "Trần Thị Ánh", "Đặng Văn Anh", "Lê Thị Hoa")
    assert [a.full_name for a in applicants.search_by_name(bare_ctx, "van an")] == ["Đặng Văn Anh", "Nguyễn Văn An"]
    assert [a.full_name for a in applicants.search_by_name(bare_ctx, "dang")] == ["Đặng Văn Anh"]
    assert applicants.search_by_name(bare_ctx, "THỊ HOA")[0].full_name == "Lê Thị Hoa"
    assert applicants.search_by_name(bare_ctx, "   ") == []


def test_two_letters_match_the_start_of_any_word_of_the_name(bare_ctx):
    _add(bare_ctx, "Nguyễn Văn An", "Ngô Thị Lan", "Lê Văn Nga", "Trần Tuấn", "Vũ Văn Hải", "Nguyễn Vũ Anh")
    assert [a.full_name for a in applicants.search_by_name(bare_ctx, "ng")] == [
        "Lê Văn Nga", "Ngô Thị Lan", "Nguyễn Văn An", "Nguyễn Vũ Anh"]
    assert [a.full_name for a in applicants.search_by_name(bare_ctx, "vũ")] == ["Nguyễn Vũ Anh", "Vũ Văn Hải"]
    assert [a.full_name for a in applicants.search_by_name(bare_ctx, "an")] == ["Nguyễn Văn An", "Nguyễn Vũ Anh"]
    assert [a.full_name for a in applicants.search_by_name(bare_ctx, "Lê")] == ["Lê Văn Nga"]


def test_one_letter_matches_the_start_of_the_name_only(bare_ctx):
    _add(bare_ctx, "Nguyễn Văn An", "Lê Văn Nga", "Ngô Thị Lan")
    assert [a.full_name for a in applicants.search_by_name(bare_ctx, "n")] == ["Ngô Thị Lan", "Nguyễn Văn An"]


def test_the_condition_for_a_walk_matches_as_the_indexes_do(bare_ctx):
    """name_condition (for walking dossiers when too many people match) and name_ids (from the indexes) agree."""
    _add(bare_ctx, "Nguyễn Văn An", "Ngô Thị Lan", "Lê Văn Nga", "Trần Tuấn", "Vũ Văn Hải", "Nguyễn Vũ Anh")
    for text in ("n", "ng", "an", "vu", "tuan", "van a", "x"):
        walked = {a.id for a in Applicant.select(Applicant.id).where(applicants.name_condition(bare_ctx, text))}
        assert walked == set(applicants.name_ids(bare_ctx, text, 100)), text


def test_renamed_applicant_is_found_by_the_new_name_only(bare_ctx):
    _add(bare_ctx, "Nguyễn Văn An")
    applicants.upsert(bare_ctx, ApplicantInput(id_number="038090000000", full_name="Nguyễn Văn Bình"), NOW)
    assert applicants.search_by_name(bare_ctx, "van an") == []
    assert applicants.search_by_name(bare_ctx, "van binh")[0].full_name == "Nguyễn Văn Bình"
