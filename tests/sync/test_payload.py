"""Payloads built from real dossiers pass the province's strict validator."""

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


def payload(ctx, dossier):
    return dossier_payload(dossier, agency_id=get_office(ctx).agency_id)


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
    assert p["TenLinhVuc"] == "Hộ tịch"


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
    assert [s["MaBuoc"] for s in steps] == [h.step_uuid for h in d.history]
    assert steps[1]["NgayBatDau"] == steps[0]["ThoiDiemXuLy"] == "20260213100000"
    assert steps[1]["ThoiDiemXuLy"] == "20260213110000" and steps[1]["PhongBanXuLy"] == "Công chức Tư pháp - Hộ tịch"
    assert steps[0]["NguoiXuLy"] == clerk.full_name and steps[0]["ChucDanh"] == "Công chức"


def test_provincial_procedure_variant_is_sent_in_national_form():
    assert national_procedure_code("1.001193.000.00.00.H56") == "1.001193"
    assert national_procedure_code("1.001193") == "1.001193"


@pytest.mark.parametrize("field, value", [
    ("NgayTiepNhan", "2026-02-13 10:00"), ("NgayTiepNhan", "20260230100000"), ("TrangThaiHoSo", 2),
    ("MaTTHC", "1.001193.000.00.00.H56"), ("MaTTHC", "9.999999"), ("ChuHoSo", ""), ("KenhThucHien", "4"),
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
    p = dossier_payload(done, agency_id=get_office(ctx).agency_id, extras=dossier_extras(ctx, [done.id])[done.id])
    validate_dossier(p, KNOWN)
    [supplement] = p["DanhSachHoSoBoSung"]
    assert supplement["LyDoBoSung"] == "Thiếu chữ ký"
    assert supplement["NgayHenTraTruoc"] == paused.due_at.strftime("%Y%m%d%H%M%S") != supplement["NgayHenTraMoi"]
    assert p["ThongTinTra"] == "Trần Văn Bình, số định danh 038185009876 (người được ủy quyền)"
    with pytest.raises(Invalid, match="NgayYeuCauBoSung"):
        validate_dossier({**p, "DanhSachHoSoBoSung": [{**supplement, "NgayYeuCauBoSung": "hôm qua"}]}, KNOWN)
