"""Payloads built from real dossiers pass the province's strict validator."""

from dataclasses import replace
from datetime import UTC

import pytest

from counter.dossiers import lifecycle, reception
from counter.office.profile import get_office
from counter.records import DossierDraft
from counter.sync.payload import dossier_payload, national_procedure_code, step_payload
from devtools.provincial_server.validate import Invalid, known_procedures, validate_dossier, validate_step
from tests.conftest import at
from tests.sync.conftest import AN, receive

KNOWN = known_procedures()


def payload(ctx, dossier, **kw):
    return dossier_payload(dossier, office_name=get_office(ctx).office_name, **kw)


def test_received_dossier_payload_is_valid_and_national(ctx, clerk):
    d = receive(ctx, summary="Xin xác nhận để kết hôn")
    p = payload(ctx, d)
    validate_dossier(p, KNOWN)
    assert p["MaHoSo"] == d.code and p["MaTTHC"] == "1.004873"
    assert p["NgayTiepNhan"] == "20260213100000"  # the fixed clock, local time, no offset
    assert p["TrangThaiHoSo"] == "2" and p["KenhThucHien"] == "1" and p["HinhThuc"] == "0"
    assert p["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "038090012345"}]
    assert p["TrichYeuHoSo"] == "Xin xác nhận để kết hôn" and p["NgayTuChoi"] == ""
    assert p["NgayHenTra"] == d.due_at.strftime("%Y%m%d%H%M%S")
    assert p["TenLinhVuc"] == "Hộ tịch" and p["MaLinhVuc"] == ""  # the seed catalogue knows no field code
    assert p["DonViXuLy"] == get_office(ctx).office_name  # a name, not the agency id, while no unit holds it


def test_dossier_without_due_date_sends_empty_ngay_hen_tra(ctx, clerk):
    refused, _ = reception.refuse_dossier(ctx, DossierDraft(procedure_code="1.001193", applicant=AN),
                                          "Thiếu giấy chứng sinh")
    p = payload(ctx, refused)
    validate_dossier(p, KNOWN)
    assert p["NgayHenTra"] == "" and p["TrangThaiHoSo"] == "3" and p["NgayTuChoi"] == "20260213100000"


def test_every_step_of_a_worked_dossier_is_valid(ctx, clerk):
    d = receive(ctx)
    ctx.clock.advance(hours=1)
    d, _ = lifecycle.handover(ctx, d.code, "Công chức Tư pháp - Hộ tịch")
    ctx.clock.advance(hours=1)
    validate_dossier(payload(ctx, d), KNOWN)
    steps = [step_payload(h, d, title="Công chức") for h in d.history]
    for s in steps:
        validate_step(s)
    assert all("MaBuoc" not in s for s in steps)  # neither peer has it
    assert steps[1]["NgayBatDau"] == steps[0]["ThoiDiemXuLy"] == "20260213100000"
    assert steps[1]["ThoiDiemXuLy"] == "20260213110000" and steps[1]["PhongBanXuLy"] == "Công chức Tư pháp - Hộ tịch"
    assert steps[0]["NguoiXuLy"] == clerk.full_name and steps[0]["ChucDanh"] == "Công chức"


def test_provincial_procedure_variant_is_sent_in_national_form():
    assert national_procedure_code("1.001193.000.00.00.H56") == "1.001193"
    assert national_procedure_code("1.001193") == "1.001193"


@pytest.mark.parametrize("field, value", [
    ("NgayTiepNhan", "2026-02-13 10:00"), ("NgayTiepNhan", "20260230100000"), ("TrangThaiHoSo", 2),
    ("MaTTHC", "1.001193.000.00.00.H56"), ("MaTTHC", "9.999999"), ("TenTTHC", ""), ("KenhThucHien", "4"),
    ("MaHoSo", "H56-260213-0001"), ("DinhDanhCHS", []), ("HinhThuc", 0),
])
def test_validator_names_the_bad_field(ctx, clerk, field, value):
    p = {**payload(ctx, receive(ctx)), field: value}
    with pytest.raises(Invalid) as caught:
        validate_dossier(p, KNOWN)
    assert caught.value.field.startswith(field)


def test_refusal_needs_its_date(ctx, clerk):
    p = {**payload(ctx, receive(ctx)), "TrangThaiHoSo": "3", "NgayTuChoi": ""}
    with pytest.raises(Invalid, match="NgayTuChoi"):
        validate_dossier(p, KNOWN)


def test_received_time_is_local_even_from_utc(ctx, clerk):
    d = receive(ctx, received_at=at("2026-02-13 08:30").astimezone(UTC))
    assert payload(ctx, d)["NgayTiepNhan"] == "20260213083000"


def test_a_supplement_and_the_collector_are_told_to_the_province(ctx, clerk):
    from counter.sync.bulk import dossier_extras
    d = receive(ctx)
    lifecycle.handover(ctx, d.code, "Công chức Tư pháp - Hộ tịch")
    paused, _ = lifecycle.request_supplement(ctx, d.code, [lifecycle.records.GuidanceItem("Tờ khai", "Thiếu chữ ký")],
                                             "Thiếu chữ ký")
    ctx.clock.advance(days=3)
    lifecycle.receive_supplement(ctx, d.code)
    lifecycle.record_result(ctx, d.code, "12/2026")
    done, _ = lifecycle.return_result(ctx, d.code, "Trần Văn Bình", "038185009876")
    p = payload(ctx, done, extras=dossier_extras(ctx, [done.id])[done.id])
    validate_dossier(p, KNOWN)
    [supplement] = p["DanhSachHoSoBoSung"]
    assert list(supplement) == ["HoSoBoSungId", "NguoiYeuCauBoSung", "NoiDungBoSung", "NgayBoSung",
                                "NguoiTiepNhanBoSung", "ThongTinTiepNhan", "NgayTiepNhanBoSung", "TrangThaiBoSung",
                                "DanhSachGiayToBoSung", "DanhSachLePhiBoSung", "NgayHenTraTruoc", "NgayHenTraMoi"]
    assert supplement["HoSoBoSungId"] == 1 and supplement["TrangThaiBoSung"] is True
    assert supplement["NoiDungBoSung"] == "Thiếu chữ ký — Tờ khai: Thiếu chữ ký"
    assert supplement["NguoiYeuCauBoSung"] == clerk.full_name == supplement["NguoiTiepNhanBoSung"]
    assert supplement["NgayBoSung"] == "20260213100000" and supplement["NgayTiepNhanBoSung"] == "20260216100000"
    assert supplement["NgayHenTraTruoc"] == paused.due_at.strftime("%Y%m%d%H%M%S") != supplement["NgayHenTraMoi"]
    assert p["ThongTinTra"] == "Trần Văn Bình, số định danh 038185009876 (người được ủy quyền)"
    with pytest.raises(Invalid, match="NgayBoSung"):
        validate_dossier({**p, "DanhSachHoSoBoSung": [{**supplement, "NgayBoSung": "hôm qua"}]}, KNOWN)
    with pytest.raises(Invalid, match="LyDoBoSung"):  # our old name: a real portal would drop it
        validate_dossier({**p, "DanhSachHoSoBoSung": [{**supplement, "LyDoBoSung": "Thiếu chữ ký"}]}, KNOWN)


def test_types_and_limits_are_the_portals(ctx, clerk):
    from counter.records import Fee
    d = receive(ctx)
    long_name = replace(d, fees=(Fee("Lệ phí chứng thực", 12000, "LP01", 2),), summary="x" * 1001,
                        procedure_field_code="G09-TP01")
    p = payload(ctx, long_name)
    validate_dossier(p, KNOWN)
    assert p["DanhSachLePhi"][0]["Gia"] == "12000" and p["MaLinhVuc"] == "G09-TP01"
    assert len(p["TrichYeuHoSo"]) == 1000 and p["TrichYeuHoSo"].endswith("x…")
    actor = replace(d.history[0], actor_name="Nguyễn " * 10)
    step = step_payload(actor, d)
    validate_step(step)
    assert len(step["NguoiXuLy"]) == 50 and step["NguoiXuLy"].endswith("…")
    with pytest.raises(Invalid, match="TrichYeuHoSo"):
        validate_dossier({**p, "TrichYeuHoSo": "x" * 1001}, KNOWN)


@pytest.mark.parametrize("id_number, identity", [
    ("038090012345", {"LoaiDinhDanh": "1", "SoDinhDanh": "038090012345"}),
    ("123456789", {"LoaiDinhDanh": "2", "SoDinhDanh": "123456789"}),
    ("B1234567", {"LoaiDinhDanh": "2", "SoDinhDanh": "000000001"}),  # a passport: TH's stand-in, never no dossier
])
def test_the_owners_identity_is_always_sent(ctx, clerk, id_number, identity):
    d = receive(ctx)
    p = payload(ctx, replace(d, applicant=replace(d.applicant, id_number=id_number)))
    validate_dossier(p, KNOWN)
    assert p["DinhDanhCHS"] == [identity] and p["SoGiayToChuHoSo"] == id_number


def test_the_status_mapping_applies_to_the_dossier_and_its_steps(ctx, clerk):
    from counter.sync.profiles import StatusMap
    d = receive(ctx)
    lifecycle.handover(ctx, d.code, "Công chức Tư pháp - Hộ tịch")
    paused, _ = lifecycle.request_supplement(ctx, d.code, [lifecycle.records.GuidanceItem("Tờ khai", "Thiếu")], "Thiếu")
    th = StatusMap.parse("5=9,6=9,8=9")
    p = payload(ctx, paused, statuses=th)
    assert p["TrangThaiHoSo"] == "9" and payload(ctx, paused)["TrangThaiHoSo"] == "5"
    assert [step_payload(h, paused, statuses=th)["TrangThai"] for h in paused.history] == ["2", "4", "9"]
    with pytest.raises(Invalid, match="TrangThaiHoSo"):  # a gateway province refuses 5 (it takes 9 for it)
        validate_dossier(payload(ctx, paused), KNOWN, statuses=("1", "2", "3", "4", "7", "9", "10"))
