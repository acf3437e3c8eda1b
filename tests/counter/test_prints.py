import re

import pytest

from counter.dossiers import prints, reception
from counter.errors import NotFound, ValidationError
from counter.records import ApplicantInput, DossierDraft, GuidanceItem
from db.models import PrintLog

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An")


def receive(ctx):
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.001193", applicant=AN))
    return dossier


def test_first_print_is_the_original_then_copies_are_numbered(ctx, clerk):
    code = receive(ctx).code
    assert prints.print_count(ctx, "mau01", code) == 0
    assert prints.log_print(ctx, "mau01", dossier_code=code, target="HP LaserJet")[0] == 0
    assert prints.log_print(ctx, "mau01", dossier_code=code, target="/tmp/a.pdf")[0] == 1
    assert prints.log_print(ctx, "mau01", dossier_code=code)[0] == 2
    assert prints.print_count(ctx, "mau01", code) == 3
    rows = list(PrintLog.select().order_by(PrintLog.id))
    assert [(r.form, r.copy_no, r.target) for r in rows] == [
        ("mau01", 0, "HP LaserJet"), ("mau01", 1, "/tmp/a.pdf"), ("mau01", 2, "")]
    assert rows[0].user.username == "canbo" and rows[0].at == ctx.clock.now()


def test_copies_are_counted_per_form_and_per_dossier(ctx, clerk):
    first, second = receive(ctx).code, receive(ctx).code
    prints.log_print(ctx, "mau01", dossier_code=first)
    assert prints.log_print(ctx, "mau01", dossier_code=second)[0] == 0
    assert prints.log_print(ctx, "mau06", dossier_code=first)[0] == 0
    assert prints.print_count(ctx, "mau01", first) == 1


def test_copy_no_given_is_a_floor_not_a_reset(ctx, clerk):
    code = receive(ctx).code
    assert prints.log_print(ctx, "mau01", dossier_code=code, copy_no=3)[0] == 3
    assert prints.log_print(ctx, "mau01", dossier_code=code, copy_no=0)[0] == 1


def test_guidance_prints_are_logged_against_the_guidance(ctx, clerk):
    g, _ = reception.record_guidance(ctx, "1.001193", AN, [GuidanceItem("Giấy chứng sinh", "Còn thiếu")], "Thiếu")
    assert prints.log_print(ctx, "mau02", guidance_id=g.id)[0] == 0
    assert prints.log_print(ctx, "mau02", guidance_id=g.id)[0] == 1
    assert prints.guidance_print_count(ctx, "mau02", g.id) == 2
    assert PrintLog.get().dossier is None


def test_a_dossier_that_is_not_stored_cannot_be_printed(ctx, clerk):
    with pytest.raises(NotFound, match=re.escape("000.00.06.H56-260213-0099")):
        prints.log_print(ctx, "mau01", dossier_code="000.00.06.H56-260213-0099")
    with pytest.raises(NotFound):
        prints.log_print(ctx, "mau02", guidance_id=12345)
    assert PrintLog.select().count() == 0


def test_nothing_is_printed_from_inside_an_open_transaction(ctx, clerk):
    code = receive(ctx).code
    with ctx.database.atomic(), pytest.raises(ValidationError, match="sau khi hồ sơ đã được lưu"):
        prints.log_print(ctx, "mau01", dossier_code=code)
    assert PrintLog.select().count() == 0
