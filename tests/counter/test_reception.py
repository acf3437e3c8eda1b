import unicodedata

import pytest

from counter.catalogue import procedures
from counter.dossiers import reception
from counter.dossiers.lookup import get_dossier
from counter.errors import Field, NotFound, ValidationError
from counter.records import ApplicantInput, ComponentInput, DossierDraft, GuidanceItem
from counter.status import Status
from db.models import Applicant, Dossier, DossierComponent, DossierFee, DossierHistory, Guidance, OutboxEntry
from tests.conftest import at

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")


def draft(**kw) -> DossierDraft:
    return DossierDraft(**{"procedure_code": "1.004873", "applicant": AN, **kw})


def counts():
    return tuple(m.select().count() for m in (Applicant, Dossier, DossierComponent, DossierFee, DossierHistory,
                                              OutboxEntry))


def test_receive_writes_dossier_history_and_outbox(ctx, clerk):
    d, _ = reception.receive_dossier(ctx, draft(summary="Xin xác nhận để kết hôn"))
    assert d.code == "000.00.06.H56-260213-0001"
    assert d.status == Status.RECEIVED
    # Fri 13/02/2026 10:00 + 3 working days; 16–20/02 is Tết → Wed 25/02 10:00
    assert d.due_at == at("2026-02-25 10:00") == d.original_due_at
    assert d.applicant.full_name == "Nguyễn Văn An"
    assert d.received_by == "Nguyễn Thị Hoa"
    assert d.register_book == "01/2026" and d.register_number == 1
    assert [c.name for c in d.components] == ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"]
    assert [(h.action, h.to_status) for h in d.history] == [("receive", Status.RECEIVED)]
    entries = {(e.kind, e.key) for e in OutboxEntry.select()}
    assert entries == {("dossier", d.code), ("step", d.history[0].step_uuid)}
    assert get_dossier(ctx, d.code) == d



@pytest.mark.parametrize("code", ["2.000815", "1.001193"])  # two papers and a fee; two papers and no fee
def test_the_record_returned_is_the_one_stored(ctx, clerk, code):
    """The intent builds its record from the rows it wrote (no reading back): papers, fees, history and the register
    number read the same from the database, for a new applicant and for one coming back with new details."""
    procedure = procedures.get_procedure(ctx, code)
    papers = tuple(ComponentInput(name=c.name, form=c.form, code=c.code, pages=i + 1)
                   for i, c in enumerate(procedure.components) if not c.optional)
    first, _ = reception.receive_dossier(ctx, draft(procedure_code=code, components=papers))
    moved = ApplicantInput(id_number=AN.id_number, full_name="Nguyễn Văn An", address="Số 5, Phố Mới")
    second, _ = reception.receive_dossier(ctx, draft(procedure_code=code, components=papers, applicant=moved))
    refused, _ = reception.refuse_dossier(ctx, draft(procedure_code=code, components=papers), "Thiếu bản chính")
    for record in (first, second, refused):
        assert get_dossier(ctx, record.code) == record
    assert second.applicant.address == "Số 5, Phố Mới" and second.applicant.phone == AN.phone
    assert (first.register_number, second.register_number, refused.register_number) == (1, 2, None)

def test_applicant_is_reused_by_id_number_and_updated(ctx, clerk):
    reception.receive_dossier(ctx, draft())
    moved = ApplicantInput(id_number=AN.id_number, full_name="Nguyễn Văn An", address="Số 5, Phố Mới")
    second, _ = reception.receive_dossier(ctx, draft(applicant=moved))
    assert Applicant.select().count() == 1
    row = Applicant.get()
    assert row.address == "Số 5, Phố Mới" and row.phone == "0912345678"  # blank phone keeps the old one
    assert second.register_number == 2 and second.code.endswith("-0002")


@pytest.mark.parametrize("bad, message", [
    (draft(procedure_code="9.999999"), "9.999999"),
    (draft(applicant=ApplicantInput(id_number="12345", full_name="A")), "12 chữ số"),
    (draft(applicant=ApplicantInput(id_number="038090012345", full_name="  ")), "họ tên"),
    (draft(components=(ComponentInput(name="Giấy tờ khác"),)), "thiếu giấy tờ bắt buộc"),
    (draft(sets=0), "Số bộ"),
])
def test_bad_input_is_refused_with_a_message_and_writes_nothing(ctx, clerk, bad, message):
    with pytest.raises((ValidationError, NotFound), match=message):
        reception.receive_dossier(ctx, bad)
    assert counts() == (0, 0, 0, 0, 0, 0)


# TrichYeuHoSo: the portal keeps at most 1,000 characters (docs/portal.md), so the desk takes no more.


def test_a_summary_of_1000_characters_is_received_whole(ctx, clerk):
    longest = "Xin xác nhận tình trạng hôn nhân để " + "ệ" * (reception.SUMMARY_MAX - 36)
    assert reception.SUMMARY_MAX == 1000 and len(longest) == 1000
    # Counted as stored and sent: in NFC (a decomposed ệ is one character), with spaces collapsed and trimmed.
    typed = "  " + unicodedata.normalize("NFD", longest).replace(" ", "   ") + "  "
    assert len(typed) > 1000
    d, _ = reception.receive_dossier(ctx, draft(summary=typed))
    assert d.summary == longest and Dossier.get().summary == longest


@pytest.mark.parametrize("outcome", ["receive", "refuse"])
def test_a_summary_of_1001_characters_is_refused_and_nothing_written(ctx, clerk, outcome):
    too_long = "Xin xác nhận tình trạng hôn nhân " + "x" * (1001 - 33)
    assert len(too_long) == 1001
    with pytest.raises(ValidationError) as error:
        if outcome == "receive":
            reception.receive_dossier(ctx, draft(summary=too_long))
        else:
            reception.refuse_dossier(ctx, draft(summary=too_long, components=()), "Không thuộc thẩm quyền")
    assert error.value.field == Field.SUMMARY
    assert str(error.value) == ("Trích yếu hồ sơ dài 1.001 ký tự, quá 1.000 ký tự mà Cổng dịch vụ công nhận: "
                                "hãy rút gọn.")
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_inactive_procedure_is_refused(ctx, clerk):
    from db.models import Procedure
    Procedure.update(active=False).where(Procedure.code == "1.004873").execute()
    from counter.catalogue import procedures
    procedures.invalidate_cache(ctx)
    with pytest.raises(ValidationError, match="ngừng áp dụng"):
        reception.receive_dossier(ctx, draft())


@pytest.mark.parametrize("step", ["applicant", "dossier", "components", "history", "outbox"])
def test_a_failure_after_any_write_leaves_nothing_behind(ctx, clerk, monkeypatch, step):
    def fail(at_step):
        if at_step == step:
            raise OSError("disk full")

    with monkeypatch.context() as patch:  # only this patch undone after: the test's machine folder stays
        patch.setattr(reception, "written", fail)
        with pytest.raises(OSError):
            reception.receive_dossier(ctx, draft(fee_units=1))
    assert counts() == (0, 0, 0, 0, 0, 0)
    # The failed attempt did not burn a code or a register number.
    d, _ = reception.receive_dossier(ctx, draft())
    assert d.code.endswith("-0001") and d.register_number == 1


def test_fee_for_certified_copies_by_pages(ctx, clerk):
    components = (ComponentInput(name="Bản chính giấy tờ, văn bản làm cơ sở chứng thực"),
                  ComponentInput(name="Bản sao cần chứng thực", form="bản sao", quantity=2, pages=5))
    d, _ = reception.receive_dossier(ctx, draft(procedure_code="2.000815", components=components))
    assert d.fee_total == 14_000  # 2 copies × (2×2.000 + 3×1.000)
    assert d.due_at == at("2026-02-13 17:00")


def test_refusal_is_recorded_with_status_3_and_no_due_date(ctx, clerk):
    d, _ = reception.refuse_dossier(ctx, draft(components=()), "Không thuộc thẩm quyền giải quyết của xã")
    assert d.status == Status.REFUSED and d.due_at is None and d.register_number is None
    assert d.history[0].note == "Không thuộc thẩm quyền giải quyết của xã"
    assert OutboxEntry.select().where(OutboxEntry.key == d.code).exists()
    with pytest.raises(ValidationError, match="lý do"):
        reception.refuse_dossier(ctx, draft(), " ")


def test_guidance_is_remembered_for_the_next_visit(ctx, clerk):
    g, _ = reception.record_guidance(ctx, "1.001193", AN, [GuidanceItem("Giấy chứng sinh", "Thiếu bản chính")],
                                     "Hồ sơ chưa đủ giấy tờ")
    assert Dossier.select().count() == 0
    assert g.clerk_name == "Nguyễn Thị Hoa" and g.items[0].problem == "Thiếu bản chính"
    assert reception.guidance_for(ctx, AN.id_number) == [g]
    assert Guidance.select().count() == 1
    with pytest.raises(ValidationError):
        reception.record_guidance(ctx, "1.001193", AN, [], "x")
