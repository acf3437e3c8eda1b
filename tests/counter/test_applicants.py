from counter.dossiers import applicants
from counter.records import ApplicantInput
from tests.conftest import at

NOW = at("2026-02-13 10:00")


def _add(database, *people):
    with database.atomic():
        for n, name in enumerate(people):
            applicants.upsert(ApplicantInput(id_number=f"0380900{n:05d}", full_name=name), NOW)


def test_name_search_without_diacritics_finds_substrings(database):
    _add(database, "Nguyễn Văn An", "Trần Thị Ánh", "Đặng Văn Anh", "Lê Thị Hoa")
    assert [a.full_name for a in applicants.search_by_name("van an")] == ["Đặng Văn Anh", "Nguyễn Văn An"]
    assert [a.full_name for a in applicants.search_by_name("dang")] == ["Đặng Văn Anh"]
    assert applicants.search_by_name("THỊ HOA")[0].full_name == "Lê Thị Hoa"
    assert applicants.search_by_name("   ") == []


def test_short_queries_match_the_start_of_the_name(database):
    _add(database, "Nguyễn Văn An", "Ngô Thị Lan", "Lê Văn Nga")
    assert [a.full_name for a in applicants.search_by_name("ng")] == ["Ngô Thị Lan", "Nguyễn Văn An"]
    assert [a.full_name for a in applicants.search_by_name("Lê")] == ["Lê Văn Nga"]


def test_renamed_applicant_is_found_by_the_new_name_only(database):
    _add(database, "Nguyễn Văn An")
    applicants.upsert(ApplicantInput(id_number="038090000000", full_name="Nguyễn Văn Bình"), NOW)
    assert applicants.search_by_name("van an") == []
    assert applicants.search_by_name("van binh")[0].full_name == "Nguyễn Văn Bình"
