import json
from datetime import date, timedelta
from pathlib import Path

import pytest

import resources
from counter.catalogue import procedures
from counter.errors import NotFound, ValidationError
from db.models import Procedure, ProcedureComponent, ProcedureVersion
from tests.catalogue_steps import import_catalogue

PROVINCE_FILE = Path(__file__).resolve().parent.parent / "data" / "catalogue_province.json"
PROVINCE_DATE = date(2026, 1, 1)


def _shipped() -> dict:
    return json.loads(resources.path("data", "procedures_vn.json").read_text(encoding="utf-8"))


def _import_province(ctx):
    report, _ = import_catalogue(ctx, PROVINCE_FILE, effective_from=PROVINCE_DATE,
                                           source="tỉnh Thanh Hóa 2026")
    return report


def test_seed_loads_every_shipped_procedure(bare_ctx):
    shipped = _shipped()["procedures"]
    report = procedures.seed_catalogue(bare_ctx)
    assert report.rejected == ()
    assert sorted(report.added) == sorted(p["code"] for p in shipped)
    assert len(report.added) >= 25
    assert Procedure.select().count() == len(shipped)
    assert ProcedureComponent.select().count() == sum(len(p["components"]) for p in shipped)

    birth = procedures.get_procedure(bare_ctx, "1.001193")
    assert (birth.name, birth.field, birth.version, birth.effective_from) == (
        "Đăng ký khai sinh", "Hộ tịch", 1, date(2025, 7, 1))
    assert (birth.result_name, birth.result_code) == ("Giấy khai sinh", "KQ.G15.000031")
    assert birth.time_rule.kind == "same_day" and birth.verified
    assert [c.code for c in birth.components] == ["1.001193.TP01", "1.001193.TP02", "1.001193.TP03"]
    assert birth.components[2].optional and not birth.components[0].optional
    mediation = procedures.get_procedure(bare_ctx, "1.013967")
    assert (mediation.time_rule.kind, mediation.time_rule.days) == ("calendar_days", 30)
    assert ProcedureVersion.get(ProcedureVersion.id == birth.version_id).source == procedures.SEED_SOURCE


def test_seed_is_idempotent(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    again = procedures.seed_catalogue(bare_ctx)
    assert again.added == () and again.changed == () and again.rejected == ()
    assert len(again.unchanged) == len(_shipped()["procedures"])
    assert ProcedureVersion.select().count() == len(_shipped()["procedures"])


def test_province_import_adds_changes_keeps_and_rejects(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    report = _import_province(bare_ctx)
    assert report.added == ("1.008900",)
    assert report.changed == ("2.000884",)
    assert report.unchanged == ("1.001193",)
    reasons = dict(report.rejected)
    assert set(reasons) == {"1.00119", "1.008901", "1.008902", "1.008903", "1.008904", "1.008905",
                            "1.008906", "1.008900", "#12"}
    assert "mã quốc gia" in reasons["1.00119"]
    assert "tên thủ tục" in reasons["1.008901"]
    assert "weeks" in reasons["1.008902"]
    assert "số ngày" in reasons["1.008903"]
    assert "ít nhất một thành phần" in reasons["1.008904"]
    assert "bản scan" in reasons["1.008905"]
    assert "per_word_500" in reasons["1.008906"]
    assert "đã xuất hiện" in reasons["1.008900"]
    assert "không phải một thủ tục" in reasons["#12"]
    assert not Procedure.select().where(Procedure.code.in_(["1.008902", "1.008906"])).exists()


def test_provincial_code_is_stored_in_national_form_with_canonical_forms(bare_ctx):
    _import_province(bare_ctx)
    added = procedures.get_procedure(bare_ctx, "1.008900")
    assert added.code == "1.008900"
    assert procedures.get_procedure(bare_ctx, "1.008900.000.00.00.H56") == added
    assert [(c.code, c.form) for c in added.components] == [("1.008900.TP01", "bản chính"),
                                                             ("KS.LD.02", "bản sao")]
    assert (added.time_rule.kind, added.time_rule.days, added.effective_from) == ("working_days", 5, PROVINCE_DATE)


def test_changed_procedure_gets_a_new_version_and_keeps_the_old(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    old = procedures.get_procedure(bare_ctx, "2.000884")
    _import_province(bare_ctx)
    new = procedures.get_procedure(bare_ctx, "2.000884")
    assert (new.version, new.fee_rule.amount, new.effective_from) == (2, 15_000, PROVINCE_DATE)
    assert new.id == old.id and new.version_id != old.version_id
    assert procedures.get_procedure(bare_ctx, "2.000884", date(2025, 12, 31)) == old
    assert procedures.get_procedure(bare_ctx, "2.000884", date(2026, 1, 1)).fee_rule.amount == 15_000
    assert procedures.procedure_by_version(bare_ctx, old.version_id).fee_rule.amount == 10_000
    assert ProcedureVersion.select().where(ProcedureVersion.procedure == old.id).count() == 2


def test_importing_the_same_file_twice_changes_nothing(bare_ctx):
    _import_province(bare_ctx)
    again = _import_province(bare_ctx)
    assert again.added == () and again.changed == ()
    assert set(again.unchanged) == {"1.008900", "2.000884", "1.001193"}


def test_seed_never_overwrites_the_provinces_rules(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    _import_province(bare_ctx)
    report = procedures.seed_catalogue(bare_ctx)
    assert report.added == () and report.changed == ()
    assert procedures.get_procedure(bare_ctx, "2.000884").fee_rule.amount == 15_000


def test_a_change_dated_before_the_version_in_force_is_rejected(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    data = _shipped()
    entry = next(p for p in data["procedures"] if p["code"] == "2.000635")
    entry["fee"]["amount_vnd"] = 9_000
    report, _ = import_catalogue(bare_ctx, {"procedures": [entry]}, effective_from=date(2025, 1, 1),
                                           source="cũ")
    assert report.rejected[0][0] == "2.000635" and "sớm hơn" in report.rejected[0][1]
    assert procedures.get_procedure(bare_ctx, "2.000635").fee_rule.amount == 8_000


def test_component_difference_is_a_change(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    entry = next(p for p in _shipped()["procedures"] if p["code"] == "1.000894")
    entry["components"][1]["optional"] = False
    report, _ = import_catalogue(bare_ctx, [entry], effective_from=PROVINCE_DATE, source="tỉnh")
    assert report.changed == ("1.000894",)
    assert not procedures.get_procedure(bare_ctx, "1.000894").components[1].optional
    assert procedures.get_procedure(bare_ctx, "1.000894", date(2025, 8, 1)).components[1].optional


def test_unreadable_file_is_a_validation_error(bare_ctx, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="Không đọc được"):
        import_catalogue(bare_ctx, bad, effective_from=PROVINCE_DATE, source="x")
    with pytest.raises(ValidationError, match="procedures"):
        import_catalogue(bare_ctx, {"items": []}, effective_from=PROVINCE_DATE, source="x")


def test_unknown_code_is_not_found(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    with pytest.raises(NotFound) as info:
        procedures.get_procedure(bare_ctx, "9.999999")
    assert "9.999999" in str(info.value) and "danh mục" in str(info.value)
    with pytest.raises(NotFound):
        procedures.procedure_by_version(bare_ctx, 999_999)


def test_date_before_the_first_version_gets_the_first_version(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    assert procedures.get_procedure(bare_ctx, "1.001193", date(2024, 1, 1)).version == 1


def _codes(procedures) -> list[str]:
    return [p.code for p in procedures]


def test_search_is_accent_insensitive_on_every_word(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    found = procedures.search_procedures(bare_ctx, "khai sinh")
    assert "1.001193" in _codes(found)
    assert all("khai sinh" in p.name.lower() for p in found)
    assert set(_codes(procedures.search_procedures(bare_ctx, "chung thuc ban sao"))) == {"2.000815", "2.000942"}
    assert _codes(procedures.search_procedures(bare_ctx, "KẾT HÔN")) == ["1.000894"]
    assert procedures.search_procedures(bare_ctx, "hôn khai tử") == []


def test_search_by_code_comes_first(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    assert _codes(procedures.search_procedures(bare_ctx, "1.001193")) == ["1.001193"]
    assert _codes(procedures.search_procedures(bare_ctx, "1.001193.000.00.00.H56")) == ["1.001193"]
    assert set(_codes(procedures.search_procedures(bare_ctx, "2.0010"))) == {"2.001035", "2.001019", "2.001008"}


def test_search_ranks_name_prefix_then_use_count(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    # "Đăng ký khai sinh…" names start with the query; "Cấp bản sao … Giấy khai sinh" only contains it.
    found = _codes(procedures.search_procedures(bare_ctx, "dang ky khai sinh"))
    assert found[:3] == ["1.001193", "1.000689", "1.004772"]  # shorter names first when nobody has used them
    # Words typed together beat words scattered; the plain procedure beats longer names holding the phrase.
    assert _codes(procedures.search_procedures(bare_ctx, "khai sinh"))[0] == "1.001193"
    late = procedures.get_procedure(bare_ctx, "1.000689")
    for _ in range(3):
        procedures.increment_use(bare_ctx, late.id)
    assert _codes(procedures.search_procedures(bare_ctx, "dang ky khai sinh"))[0] == "1.000689"
    assert procedures.search_procedures(bare_ctx, "dang ky khai sinh")[0].use_count == 3
    assert Procedure.get_by_id(late.id).use_count == 3


def test_empty_query_lists_the_most_used_first(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    marriage = procedures.get_procedure(bare_ctx, "1.000894")
    procedures.increment_use(bare_ctx, marriage.id)
    found = procedures.search_procedures(bare_ctx, "", limit=5)
    assert len(found) == 5 and found[0].code == "1.000894"
    assert len(procedures.search_procedures(bare_ctx, "   ", limit=100)) == len(_shipped()["procedures"])


def test_search_sees_an_import_and_skips_inactive_procedures(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    assert procedures.search_procedures(bare_ctx, "luu dong") == []
    _import_province(bare_ctx)
    assert _codes(procedures.search_procedures(bare_ctx, "luu dong")) == ["1.008900"]
    Procedure.update(active=False).where(Procedure.code == "1.008900").execute()
    procedures.invalidate_cache(bare_ctx)
    assert procedures.search_procedures(bare_ctx, "luu dong") == []
    assert "1.008900" not in _codes(procedures.list_procedures(bare_ctx))
    assert "1.008900" in _codes(procedures.list_procedures(bare_ctx, active_only=False))


def test_the_picker_shows_the_version_in_force_on_the_day_not_one_announced_for_later(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    _import_province(bare_ctx)  # the 15.000 đ fee from PROVINCE_DATE
    before = {p.code: p for p in procedures.list_procedures(bare_ctx, at=PROVINCE_DATE - timedelta(days=1))}
    assert before["2.000884"].version == 1 and before["2.000884"].fee_rule.amount == 10_000
    found = procedures.search_procedures(bare_ctx, "2.000884", at=PROVINCE_DATE - timedelta(days=1))
    assert [p.version for p in found] == [1]
    assert [p.version for p in procedures.search_procedures(bare_ctx, "2.000884", at=PROVINCE_DATE)] == [2]
    assert before["1.008900"].version == 1  # added by the province only: its first version all the same


def test_list_procedures_gives_latest_versions(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    _import_province(bare_ctx)
    listed = {p.code: p for p in procedures.list_procedures(bare_ctx)}
    assert len(listed) == len(_shipped()["procedures"]) + 1
    assert listed["2.000884"].version == 2 and listed["2.000884"].fee_rule.amount == 15_000
    assert len(listed["1.001193"].components) == 3


def test_cache_notices_changes_made_without_invalidation(bare_ctx):
    """Another process (or a module that forgot invalidate_cache) changed the procedures."""
    procedures.seed_catalogue(bare_ctx)
    assert _codes(procedures.search_procedures(bare_ctx, "ket hon")) == ["1.000894"]
    Procedure.update(active=False).where(Procedure.code == "1.000894").execute()
    assert procedures.search_procedures(bare_ctx, "ket hon") == []


# The field code (mã lĩnh vực, LINHVUCTHUCHIEN[].MALINHVUC), sent as MaLinhVuc ---------------------------
# The codes below are made up for the tests: the shipped catalogue knows none and gives none.


def _with_field_code(code: str, field_code: str | None) -> dict:
    entry = next(p for p in _shipped()["procedures"] if p["code"] == code)
    if field_code is not None:
        entry["field_code"] = field_code
    return entry


def _import(ctx, *entries: dict) -> procedures.ImportReport:
    report, _ = import_catalogue(ctx, list(entries), effective_from=PROVINCE_DATE, source="tỉnh")
    return report


def test_the_shipped_catalogue_gives_no_field_code(bare_ctx):
    assert not any("field_code" in p for p in _shipped()["procedures"])
    procedures.seed_catalogue(bare_ctx)
    assert {p.field_code for p in procedures.list_procedures(bare_ctx, active_only=False)} == {""}


def test_a_field_code_is_imported_and_a_changed_one_updates_the_procedure_without_a_new_version(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    seeded = procedures.get_procedure(bare_ctx, "1.001193")
    assert _import(bare_ctx, _with_field_code("1.001193", " HT-01 ")).changed == ("1.001193",)
    first = procedures.get_procedure(bare_ctx, "1.001193")
    assert first.field_code == "HT-01" and Procedure.get(Procedure.code == "1.001193").field_code == "HT-01"
    assert (first.version_id, first.field) == (seeded.version_id, "Hộ tịch")  # the rules did not change
    assert _import(bare_ctx, _with_field_code("1.001193", "HT-02")).changed == ("1.001193",)
    assert procedures.get_procedure(bare_ctx, "1.001193").field_code == "HT-02"
    assert _import(bare_ctx, _with_field_code("1.001193", "HT-02")).unchanged == ("1.001193",)
    assert ProcedureVersion.select().where(ProcedureVersion.procedure == seeded.id).count() == 1
    listed = {p.code: p for p in procedures.list_procedures(bare_ctx)}
    assert listed["1.001193"].field_code == "HT-02"  # the picker's cache was dropped by the import


def test_an_entry_without_a_field_code_keeps_the_known_one(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    _import(bare_ctx, _with_field_code("1.001193", "HT-01"))
    assert _import(bare_ctx, _with_field_code("1.001193", None)).unchanged == ("1.001193",)
    assert _import(bare_ctx, _with_field_code("1.001193", "")).unchanged == ("1.001193",)
    assert procedures.seed_catalogue(bare_ctx).changed == ()  # loaded at every start: it must not erase it
    assert procedures.get_procedure(bare_ctx, "1.001193").field_code == "HT-01"
    renamed = {**_with_field_code("1.001193", None), "field": "Hộ tịch (đăng ký)"}
    assert _import(bare_ctx, renamed).changed == ("1.001193",)
    assert procedures.get_procedure(bare_ctx, "1.001193").field_code == "HT-01"


def test_a_new_procedure_gets_its_field_code_and_a_spaced_code_is_refused(bare_ctx):
    added = {**_with_field_code("1.001193", "HT-01"), "code": "1.008900", "name": "Đăng ký khai sinh lưu động"}
    spaced = {**_with_field_code("1.001193", "Hộ tịch"), "code": "1.008901", "name": "Mã lĩnh vực có dấu cách"}
    report = _import(bare_ctx, added, spaced)
    assert report.added == ("1.008900",)
    assert report.rejected[0][0] == "1.008901" and "Mã lĩnh vực “Hộ tịch”" in report.rejected[0][1]
    assert procedures.get_procedure(bare_ctx, "1.008900").field_code == "HT-01"
    assert not Procedure.select().where(Procedure.code == "1.008901").exists()


def test_the_dossier_record_carries_the_field_code_in_force(ctx, clerk):
    from counter.dossiers import reception
    from counter.dossiers.lookup import get_dossier
    from counter.records import ApplicantInput, DossierDraft

    draft = DossierDraft(procedure_code="1.004873",
                         applicant=ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An"))
    received, _ = reception.receive_dossier(ctx, draft)
    assert (received.procedure_field, received.procedure_field_code) == ("Hộ tịch", "")
    _import(ctx, _with_field_code("1.004873", "HT-07"))  # after the record was built once: its cache is dropped
    again = get_dossier(ctx, received.code)
    assert (again.procedure_field, again.procedure_field_code) == ("Hộ tịch", "HT-07")
