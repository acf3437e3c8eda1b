"""`show CODE --json` data: the whole story of a dossier as plain JSON."""

import json

import pytest

from cli.show_json import dossier_json
from counter.dossiers import lifecycle
from counter.dossiers.detail import load_detail
from counter.errors import NotFound, ValidationError
from counter.records import GuidanceItem
from counter.status import Status
from tests.conftest import at
from tests.counter.lifecycle_steps import CERTIFIED_COPIES, UNIT, dossier_in, login, receive


def test_a_fresh_dossier(ctx):
    login(ctx, "canbo")
    d = receive(ctx)
    data = dossier_json(ctx, d.code)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data  # plain JSON types only
    assert data == {
        "code": "000.00.06.H56-260213-0001",
        "status": 2,
        "status_label": "Được tiếp nhận",
        "procedure_code": "1.004873",
        "procedure_name": "Cấp Giấy xác nhận tình trạng hôn nhân",
        "applicant": {"name": "Nguyễn Văn An", "id_number": "038090012345", "phone": "0912345678",
                      "address": "Thôn 3, Xã Quảng Hùng, Thanh Hóa"},
        "received_at": "2026-02-13T10:00",
        "due_at": "2026-02-25T10:00",
        "original_due_at": "2026-02-25T10:00",
        "unit": "Trung tâm Phục vụ hành chính công",
        "history": [{"at": "2026-02-13T10:00", "action": "receive", "action_label": "Tiếp nhận hồ sơ",
                     "from_status": None, "to_status": 2, "from_unit": "",
                     "to_unit": "Trung tâm Phục vụ hành chính công", "actor": "Nguyễn Thị Hoa",
                     "note": "Tiếp nhận hồ sơ"}],
        "attachments": [],
        "fees": [],
        "pauses": [],
    }


def test_the_whole_story(ctx):
    login(ctx, "canbo")
    d = receive(ctx, "2.000815", components=CERTIFIED_COPIES)  # chứng thực: 14.000 đ, due 17:00 today
    lifecycle.handover(ctx, d.code, UNIT)
    ctx.clock.advance(minutes=30)
    lifecycle.request_supplement(ctx, d.code, [GuidanceItem("Bản sao", "Mờ")], "Bản sao bị mờ")
    ctx.clock.advance(minutes=60)
    lifecycle.receive_supplement(ctx, d.code)
    login(ctx, "lanhdao")
    lifecycle.apologise(ctx, d.code, "Chờ xác minh bản chính", at("2026-02-23 10:00"))
    login(ctx, "canbo")
    lifecycle.record_result(ctx, d.code, "CT-125/2026")
    lifecycle.request_payment(ctx, d.code)
    lifecycle.record_payment(ctx, d.code)
    lifecycle.return_result(ctx, d.code, "Lê Thị Bình", "038190054321")
    lifecycle.rate_service(ctx, d.code, "dissatisfied", "Phải chờ lâu")

    data = dossier_json(ctx, d.code)
    assert data["status"] == 10 and data["status_label"] == "Đã trả kết quả"
    assert data["due_at"] == "2026-02-23T10:00" and data["original_due_at"] == "2026-02-13T17:00"
    assert [h["action"] for h in data["history"]] == [
        "receive", "handover", "request_supplement", "receive_supplement", "apologise", "record_result",
        "request_payment", "record_payment", "return_result", "rate_service"]
    assert data["history"][1] == {
        "at": "2026-02-13T10:00", "action": "handover", "action_label": "Chuyển xử lý", "from_status": 2,
        "to_status": 4, "from_unit": "Trung tâm Phục vụ hành chính công", "to_unit": UNIT,
        "actor": "Nguyễn Thị Hoa", "note": f"Chuyển hồ sơ đến {UNIT}"}
    assert data["history"][4]["actor"] == "Trần Văn Minh"
    assert data["fees"] == [{"name": "Lệ phí chứng thực bản sao", "code": "", "amount": 14_000,
                             "paid_at": "2026-02-13T11:30"}]
    # Paused 10:30 with 10:30–11:30 and 13:30–17:00 left (270 min). Back at 11:30, lunch: the clock restarts
    # at 13:30; 13:30–17:00 uses 210, the last 60 run Mon 23/02 (after Tết) 07:00–08:00.
    assert data["pauses"] == [{
        "unit": UNIT, "paused_at": "2026-02-13T10:30", "reason": "Bản sao bị mờ",
        "items": [{"name": "Bản sao", "problem": "Mờ"}], "due_before": "2026-02-13T17:00",
        "remaining_minutes": 270, "resumed_at": "2026-02-13T11:30", "due_after": "2026-02-23T08:00"}]
    assert data["apology"] == {"issued_at": "2026-02-13T11:30", "reason": "Chờ xác minh bản chính",
                               "due_before": "2026-02-23T08:00", "new_due": "2026-02-23T10:00",
                               "signer": "Trần Văn Minh"}
    assert data["result"] == {"number": "CT-125/2026", "result_code": "", "result_name": "",
                              "recorded_at": "2026-02-13T11:30", "note": ""}
    assert data["return"] == {"returned_at": "2026-02-13T11:30", "collector_name": "Lê Thị Bình",
                              "collector_id_number": "038190054321", "authorised": True}
    assert data["rating"] == {"level": "dissatisfied", "label": "KHÔNG HÀI LÒNG", "reason": "Phải chờ lâu",
                              "rated_at": "2026-02-13T11:30"}


def test_outcomes_appear_only_when_present(ctx):
    data = dossier_json(ctx, dossier_in(ctx, Status.RESULT_READY).code)
    assert "result" in data and not {"return", "rating", "apology"} & data.keys()


def test_unknown_and_malformed_codes(ctx):
    with pytest.raises(NotFound):
        dossier_json(ctx, "000.00.06.H56-260213-0999")
    with pytest.raises(ValidationError):
        dossier_json(ctx, "not-a-code")


def test_the_detail_offers_the_users_actions(ctx):
    d = dossier_in(ctx, Status.IN_PROGRESS)
    clerk, leader = login(ctx, "canbo"), login(ctx, "lanhdao")
    assert "apologise" not in load_detail(ctx, d.code, clerk).allowed_actions
    assert "apologise" in load_detail(ctx, d.code, leader).allowed_actions
    assert load_detail(ctx, d.code).dossier.code == d.code
