"""The chunk loader builds exactly the records counter.dossiers.lookup.to_record builds."""

from counter.dossiers import lifecycle, reception
from counter.dossiers.lookup import get_dossier
from counter.records import DossierDraft, Fee
from counter.sync.bulk import dossier_records
from tests.sync.conftest import AN, receive


def test_bulk_records_equal_to_record(ctx, clerk):
    plain = receive(ctx, summary="Xác nhận tình trạng hôn nhân")
    worked = receive(ctx, "1.001193")
    lifecycle.handover(ctx, worked.code, "Công chức Tư pháp - Hộ tịch")
    lifecycle.request_payment(ctx, worked.code, [Fee(name="Lệ phí", amount=8000)])
    refused, _ = reception.refuse_dossier(ctx, DossierDraft(procedure_code="1.001193", applicant=AN), "Thiếu giấy tờ")
    codes = [plain.code, worked.code, refused.code]
    expected = {get_dossier(ctx, c).id: get_dossier(ctx, c) for c in codes}
    assert dossier_records(ctx, list(expected)) == expected
    assert dossier_records(ctx, []) == {}
