"""The catalogue in the administrator's hands: the national shape, a dry run, rejections with their reasons,
versions with their effective dates, fees and time limits entered with the province's decision."""

import json
from datetime import date
from pathlib import Path

import pytest

from counter import records
from counter.catalogue import editing, national, procedures
from counter.catalogue.entries import rules_of
from counter.errors import PermissionDenied, ValidationError
from db.models import Procedure, ProcedureComponent, ProcedureVersion
from tests.catalogue_steps import ADMIN, as_admin, import_catalogue

DATA = Path(__file__).resolve().parent.parent / "data"
NATIONAL_FILE = DATA / "catalogue_national.json"
OURS_FILE = DATA / "catalogue_province.json"
DAY = date(2026, 3, 1)


@pytest.fixture
def seeded(bare_ctx):
    procedures.seed_catalogue(bare_ctx)
    return as_admin(bare_ctx)


def _counts():
    return Procedure.select().count(), ProcedureVersion.select().count(), ProcedureComponent.select().count()


def test_the_national_shape_adds_changes_and_rejects_each_with_its_reason(seeded):
    report, changes = import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY)
    assert set(report.added) == {"1.000110", "1.003583"}
    assert set(report.changed) == {"1.004873", "2.000884", "2.000815"}
    reasons = dict(report.rejected)
    assert set(reasons) == {"1.010830", "2.001157", "1.001645", "#9"}
    assert "trực tiếp" in reasons["1.010830"]
    assert "Tháng" in reasons["2.001157"]
    assert "liên hệ cán bộ" in reasons["1.001645"]
    assert "mã quốc gia" in reasons["#9"]
    assert changes.catalogue


def test_a_national_procedure_reads_into_our_rules(seeded):
    import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY)
    added = procedures.get_procedure(seeded, "1.000110")
    assert (added.name, added.field, added.field_code) == ("Đăng ký khai tử lưu động", "Hộ tịch", "G15-TP09")
    assert added.time_rule == records.TimeRule("working_days", 5)
    assert (added.fee_rule.amount, added.verified) == (0, True)
    assert [(c.code, c.name, c.form) for c in added.components] == [
        ("GT.KTLD.01", "Tờ khai đăng ký khai tử", "bản chính"), ("GT.KTLD.02", "Giấy báo tử", "bản chính")]
    assert (added.result_code, added.result_name) == ("KQ.G15.000033", "Trích lục khai tử")
    hours = procedures.get_procedure(seeded, "1.003583")
    assert hours.time_rule == records.TimeRule("working_days", 3)  # 24 working hours
    fee = procedures.get_procedure(seeded, "2.000884")
    assert (fee.fee_rule.amount, fee.fee_rule.per, fee.time_rule.kind) == (10000, "trường hợp", "same_day")
    assert fee.field_code == "G15-TP03"


def test_the_province_sets_fee_becomes_unknown_and_unverified_and_optional_papers_are_read(seeded):
    import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY)
    p = procedures.get_procedure(seeded, "1.004873")
    assert (p.fee_rule.amount, p.verified, p.version, p.effective_from) == (None, False, 2, DAY)
    assert editing.needs_province(p)
    assert [(c.form, c.optional) for c in p.components] == [("bản chính", False), ("bản sao", True)]


def test_a_per_page_formula_stays_when_the_national_shape_gives_only_the_first_pages_price(seeded):
    import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY)
    p = procedures.get_procedure(seeded, "2.000815")
    assert p.fee_rule.formula == "per_page_2000_1000_cap_200000"


def test_another_case_of_a_national_procedure_can_be_chosen(seeded):
    import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY, cases={"1.000110.000.00.00.H56": 2})
    p = procedures.get_procedure(seeded, "1.000110")
    assert [c.code for c in p.components] == ["GT.KTLD.01", "GT.KTLD.03", "GT.KTLD.04"]
    assert p.components[2].optional and p.components[2].form == "bản sao"
    report, _ = import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY, dry_run=True, cases={"1.003583": 3})
    assert dict(report.rejected)["1.003583"] == "Không có trường hợp thứ 3 (thủ tục có 1 trường hợp)."


def test_a_lay_thu_tuc_answer_with_its_message_string_is_read(seeded):
    items = json.loads(NATIONAL_FILE.read_text(encoding="utf-8"))["result"]
    answer = {"error_code": "0", "message": json.dumps({"result": items[:2]}, ensure_ascii=False)}
    report, _ = import_catalogue(seeded, answer, effective_from=DAY)
    assert set(report.changed) == {"1.004873", "2.000884"}


def test_a_dry_run_reports_the_same_and_writes_nothing(seeded):
    before = _counts()
    dry, changes = import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY, dry_run=True)
    assert _counts() == before and not changes
    assert procedures.get_procedure(seeded, "1.004873").version == 1
    real, _ = import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY)
    assert real == dry and _counts() != before


def test_importing_the_national_file_twice_changes_nothing_the_second_time(seeded):
    import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY)
    before = _counts()
    again, changes = import_catalogue(seeded, NATIONAL_FILE, effective_from=date(2026, 4, 1))
    assert (again.added, again.changed, len(again.unchanged)) == ((), (), 5) and not changes
    assert _counts() == before


def test_our_own_json_goes_through_the_same_intent_with_the_files_name_as_source(seeded):
    report, _ = import_catalogue(seeded, OURS_FILE, effective_from=DAY)
    assert report.added and report.changed and report.rejected
    changed = procedures.get_procedure(seeded, report.changed[0])
    assert changed.source == "tệp catalogue_province.json"


def test_the_effective_date_defaults_to_today_and_a_dossier_keeps_its_version(seeded):
    old = procedures.get_procedure(seeded, "2.000884")
    import_catalogue(seeded, NATIONAL_FILE)
    new = procedures.get_procedure(seeded, "2.000884")
    assert new.effective_from == seeded.clock.now().date() and new.version == old.version + 1
    kept = procedures.procedure_by_version(seeded, old.version_id)  # what a received dossier points at
    assert rules_of(kept) == rules_of(old) and kept.version == old.version and kept.effective_from == old.effective_from
    assert rules_of(new) != rules_of(old)
    assert [v.version for v in editing.versions_of(seeded, "2.000884")] == [2, 1]


def test_only_an_administrator_imports_or_sets(seeded):
    for role in (None, "clerk", "leader"):
        seeded.user = None if role is None else records.User(id=9, username="x", full_name="X", title="", role=role)
        with pytest.raises(PermissionDenied, match="quản trị"):
            editing.import_catalogue(seeded, NATIONAL_FILE, dry_run=True)
        with pytest.raises(PermissionDenied, match="quản trị"):
            editing.set_fee(seeded, "1.004873", 5000, source="Nghị quyết 12/2025/NQ-HĐND")
        with pytest.raises(PermissionDenied, match="quản trị"):
            editing.set_time(seeded, "1.004873", "working_days", 2, source="Quyết định 5/QĐ-UBND")
    assert ProcedureVersion.select().where(ProcedureVersion.source.contains("Nghị quyết")).count() == 0


def test_set_fee_makes_a_version_with_the_decision_as_its_source(seeded):
    before = procedures.get_procedure(seeded, "1.004873")
    p, changes = editing.set_fee(seeded, "1.004873", 5000, source="Nghị quyết  12/2025/NQ-HĐND",
                                 per="trường hợp", effective_from=DAY)
    assert changes.catalogue
    assert (p.version, p.effective_from, p.fee_rule.amount, p.fee_rule.per) == (2, DAY, 5000, "trường hợp")
    assert (p.source, p.fee_source, p.time_source) == ("Nghị quyết 12/2025/NQ-HĐND",) * 2 + ("",)
    assert p.fee_rule.note == "5.000 đồng/trường hợp (theo Nghị quyết 12/2025/NQ-HĐND)"
    assert p.components == before.components and p.time_rule == before.time_rule
    assert procedures.get_procedure(seeded, "1.004873", date(2026, 2, 1)).fee_rule.amount is None  # before DAY
    assert not editing.needs_province(p)


def test_an_unverified_procedure_is_verified_once_fee_and_time_carry_a_decision(seeded):
    assert not procedures.get_procedure(seeded, "1.004884").verified
    p, _ = editing.set_fee(seeded, "1.004884", 8000, source="Nghị quyết 12/2025/NQ-HĐND", effective_from=DAY)
    assert not p.verified and editing.needs_province(p)
    p, _ = editing.set_time(seeded, "1.004884", "working_days", 4, source="Quyết định 88/QĐ-UBND", effective_from=DAY)
    assert p.verified and not editing.needs_province(p)
    assert (p.version, p.time_rule, p.fee_rule.amount) == (3, records.TimeRule("working_days", 4), 8000)
    assert (p.fee_source, p.time_source) == ("Nghị quyết 12/2025/NQ-HĐND", "Quyết định 88/QĐ-UBND")
    same_day, _ = editing.set_time(seeded, "1.004884", "same_day", source="Quyết định 90/QĐ-UBND", effective_from=DAY)
    assert same_day.time_rule == records.TimeRule("same_day")


@pytest.mark.parametrize(("call", "message"), [
    (lambda c: editing.set_fee(c, "1.004873", -1, source="NQ 1"), "không âm"),
    (lambda c: editing.set_fee(c, "1.004873", 5000, source="  "), "văn bản quyết định"),
    (lambda c: editing.set_fee(c, "2.000815", 5000, source="NQ 1"), "theo số trang"),
    (lambda c: editing.set_fee(c, "9.999999", 5000, source="NQ 1"), "Không có thủ tục"),
    (lambda c: editing.set_fee(c, "1.004873", 5000, source="NQ 1", effective_from=date(2025, 1, 1)), "sớm hơn"),
    (lambda c: editing.set_time(c, "1.004873", "working_days", 0, source="NQ 1"), "lớn hơn 0"),
    (lambda c: editing.set_time(c, "1.004873", "weeks", 2, source="NQ 1"), "không hợp lệ"),
])
def test_bad_input_is_refused_and_nothing_is_written(seeded, call, message):
    before = _counts()
    with pytest.raises(Exception, match=message):
        call(seeded)
    assert _counts() == before


def test_the_same_fee_from_the_same_decision_again_is_refused(seeded):
    editing.set_fee(seeded, "1.004873", 5000, source="NQ 1", effective_from=DAY)
    with pytest.raises(ValidationError, match="không có gì thay đổi"):
        editing.set_fee(seeded, "1.004873", 5000, source="NQ 1", effective_from=DAY)


def test_an_import_that_leaves_the_fee_to_the_province_keeps_the_fee_the_administrator_entered(seeded):
    editing.set_fee(seeded, "1.004873", 5000, source="NQ 12/2025", effective_from=DAY)
    import_catalogue(seeded, NATIONAL_FILE, effective_from=date(2026, 4, 1))
    p = procedures.get_procedure(seeded, "1.004873")
    assert (p.fee_rule.amount, p.fee_source, p.field_code) == (5000, "NQ 12/2025", "G15-TP09")


def test_the_seed_at_the_next_start_leaves_an_entered_fee_alone(seeded):
    editing.set_fee(seeded, "1.004873", 5000, source="NQ 12/2025", effective_from=DAY)
    procedures.seed_catalogue(seeded)
    assert procedures.get_procedure(seeded, "1.004873").fee_rule.amount == 5000


def test_the_list_filters_by_field_name_or_code_and_names_the_fields(seeded):
    import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY)
    everything = editing.catalogue_list(seeded, at=DAY)
    assert len(everything) == 27
    by_name = editing.catalogue_list(seeded, "chung thuc", at=DAY)
    assert by_name and {p.field for p in by_name} == {"Chứng thực"}
    assert [p.code for p in editing.catalogue_list(seeded, "G15-TP03", at=DAY)] == sorted(
        ["2.000884", "2.000815"], key=lambda c: next(p.name for p in by_name if p.code == c).lower())
    assert "Hộ tịch" in editing.catalogue_fields(seeded)
    data = editing.procedure_json(procedures.get_procedure(seeded, "1.004873"))
    assert (data["needs_province"], data["fee"]["amount_vnd"], data["field_code"]) == (True, None, "G15-TP09")


def test_report_lines_name_every_outcome(seeded):
    report, _ = import_catalogue(seeded, NATIONAL_FILE, effective_from=DAY, dry_run=True)
    lines = editing.report_lines(report, dry_run=True)
    assert lines[0] == "Chạy thử (chưa ghi gì): thêm 2, thay đổi 3, giữ nguyên 0, không nhận 4."
    assert "  Không nhận 1.010830: Không có cách thực hiện trực tiếp (CACHTHUCTHUCHIEN với KENH “1”)." in lines


@pytest.mark.parametrize(("time", "rule"), [
    ({"THOIGIANGIAIQUYET": "3", "DONVITINH": "Ngày làm việc"}, {"kind": "working_days", "days": 3}),
    ({"THOIGIANGIAIQUYET": 30, "DONVITINH": "Ngày"}, {"kind": "calendar_days", "days": 30}),
    ({"THOIGIANGIAIQUYET": "16", "DONVITINH": "Giờ"}, {"kind": "working_days", "days": 2}),
    ({"THOIGIANGIAIQUYET": "4", "DONVITINH": "Giờ làm việc"}, {"kind": "same_day"}),
    ({"THOIGIANGIAIQUYET": "Trong ngày", "DONVITINH": ""}, {"kind": "same_day"}),
    ({"THOIGIANGIAIQUYET": "", "DONVITINH": "Không quy định"}, {"kind": "none"}),
])
def test_national_time_limits(time, rule):
    raw = json.loads(NATIONAL_FILE.read_text(encoding="utf-8"))["result"][3]
    raw["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0].update(time)
    assert national.to_entry(raw)["time_rule"] == rule


def test_national_time_limits_that_are_not_whole_days_are_refused():
    raw = json.loads(NATIONAL_FILE.read_text(encoding="utf-8"))["result"][3]
    raw["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0].update({"THOIGIANGIAIQUYET": "2.5", "DONVITINH": "Ngày làm việc"})
    with pytest.raises(ValidationError, match="không phải số ngày nguyên"):
        national.to_entry(raw)


def test_our_shape_is_not_taken_for_the_national_one():
    assert not national.is_national(json.loads(OURS_FILE.read_text(encoding="utf-8")))
    assert national.is_national(json.loads(NATIONAL_FILE.read_text(encoding="utf-8")))
    assert ADMIN.role == "admin"


def test_fee_and_time_from_one_decision_are_one_version_and_a_bad_half_writes_nothing(seeded):
    before = _counts()
    with pytest.raises(ValidationError, match="lớn hơn 0"):
        editing.set_rules(seeded, "1.001612", source="NQ 7", amount=100000, kind="working_days", days=0)
    assert _counts() == before
    with pytest.raises(ValidationError, match="mức lệ phí hoặc thời hạn"):
        editing.set_rules(seeded, "1.001612", source="NQ 7")
    p, _ = editing.set_rules(seeded, "1.001612", source="NQ 7", amount=100000, per="hộ", kind="working_days",
                             days=3, effective_from=DAY)
    assert (p.version, p.verified, p.fee_rule.amount, p.time_source, p.fee_source) == (2, True, 100000, "NQ 7", "NQ 7")


def test_a_per_page_procedure_is_verified_by_its_time_limit_alone(seeded):
    assert not procedures.get_procedure(seeded, "2.000942").verified
    p, _ = editing.set_time(seeded, "2.000942", "same_day", source="Quyết định 88/QĐ-UBND", effective_from=DAY)
    assert p.verified and p.fee_rule.formula and not editing.needs_province(p)


def test_after_a_national_import_the_province_is_sent_the_field_code(ctx, clerk):
    from counter.dossiers import reception
    from counter.records import ApplicantInput, DossierDraft
    from counter.sync.payload import dossier_payload

    import_catalogue(ctx, NATIONAL_FILE, effective_from=date(2026, 2, 1))
    ctx.user = clerk
    draft = DossierDraft(procedure_code="1.004873",
                         applicant=ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An"))
    received, _ = reception.receive_dossier(ctx, draft)
    assert dossier_payload(received, office_name="UBND xã")["MaLinhVuc"] == "G15-TP09"
