"""The province clients (both dialects) against the real reference server on loopback, one test per fault."""

import httpx
import pytest

from counter.sync.client import Exists, check, error_code
from counter.sync.dialects import connect
from counter.sync.errors import OfflineError, PermanentError, TransientError
from counter.sync.payload import dossier_payload, step_payload
from tests.sync.conftest import settings_for


def payload(dossier):
    return dossier_payload(dossier, office_name="Bộ phận một cửa xã Quảng Hùng")


def rows(province):
    return province.state()["dossiers"]


def test_insert_then_look_up_then_update_one_row(province, client, dossier):
    assert client.lookup(dossier.code) is None
    client.insert_dossier(payload(dossier))
    assert client.lookup(dossier.code)["MaHoSo"] == dossier.code
    client.update_dossier({**payload(dossier), "TrangThaiHoSo": "4"})
    [row] = rows(province)
    assert row["TrangThaiHoSo"] == "4" and row["_writes"] == 2
    assert client.lookup(dossier.code)["TrangThaiHoSo"] == "4"


def test_inserting_a_code_the_province_holds_says_it_exists_whatever_the_code(province, client, dossier):
    client.insert_dossier(payload(dossier))
    with pytest.raises(Exists, match="đã tồn tại"):
        client.insert_dossier(payload(dossier))
    assert rows(province)[0]["_writes"] == 1


@pytest.mark.parametrize("answer, outcome", [
    ({"error_code": "0", "message": "Thành công"}, None), ({"error_code": "00", "message": "Thành công"}, None),
    ({"error_code": 0, "message": ""}, None), ({"error_code": " 00 ", "message": "ok"}, None),
    ({"error_code": "3", "message": "Hồ sơ X đã tồn tại"}, Exists),
    ({"error_code": "-3", "message": "Hồ sơ X Đã tồn tại"}, Exists),
    ({"error_code": "0", "message": "Hồ sơ X đã tồn tại"}, Exists),
    ({"error_code": "-1", "message": "Dữ liệu không hợp lệ"}, PermanentError),
    ({"error_code": "503", "message": "Bảo trì"}, TransientError),
])
def test_answers_are_read_as_the_peers_read_them(answer, outcome):
    if outcome is None:
        assert check(answer) is answer and error_code(answer) == 0
    else:
        with pytest.raises(outcome):
            check(answer)


def test_lost_answer_then_retry_gives_exactly_one_row_and_one_step(province, client, dossier):
    client.login()
    province.faults.arm("lose")
    with pytest.raises(TransientError):
        client.insert_dossier(payload(dossier))
    assert len(rows(province)) == 1  # the province applied it; we could not know
    assert client.lookup(dossier.code) is not None  # so the next pass looks first, and updates
    client.update_dossier(payload(dossier))
    steps = [step_payload(dossier.history[0], dossier)]
    province.faults.arm("lose")
    with pytest.raises(TransientError):
        client.send_steps(steps)
    client.send_steps(steps)  # the same bytes: kept once
    assert len(rows(province)) == 1 and len(province.state()["steps"]) == 1


def test_nonsense_answer_is_offline_and_the_resend_is_not_doubled(province, client, dossier):
    client.login()
    province.faults.arm("garble")
    with pytest.raises(OfflineError, match="không phải của hệ thống tỉnh"):
        client.send_steps([step_payload(dossier.history[0], dossier)]) if rows(province) else \
            client.insert_dossier(payload(dossier))
    assert len(rows(province)) == 1


@pytest.mark.parametrize("fault", ["500", "429", "reset"])
def test_server_errors_and_resets_are_transient_and_store_nothing(province, client, dossier, fault):
    client.login()
    province.faults.arm(fault)
    with pytest.raises(TransientError) as caught:
        client.insert_dossier(payload(dossier))
    assert not isinstance(caught.value, OfflineError) and rows(province) == []
    client.insert_dossier(payload(dossier))
    assert len(rows(province)) == 1


def test_timeout_is_transient(province, dossier):
    province.faults.delay_ms = 600
    with connect(settings_for(province, timeout=0.2)) as slow, pytest.raises(TransientError, match="không trả lời kịp"):
        slow.login()
        slow.lookup(dossier.code)


def test_refused_connection_is_transient_until_the_server_listens_again(province, client, dossier):
    client.lookup(dossier.code)  # a pooled keep-alive connection exists: it must not hide the outage
    province.stop_listening()
    with pytest.raises(TransientError, match="Không kết nối được"):
        client.insert_dossier(payload(dossier))
    assert client.is_online() is False
    province.start_listening()
    assert client.is_online() is True
    client.insert_dossier(payload(dossier))
    assert len(rows(province)) == 1


def test_captive_portal_is_offline_and_nothing_is_sent(province, client, dossier):
    province.faults.captive = True
    with pytest.raises(OfflineError, match="đăng nhập"):
        client.insert_dossier(payload(dossier))
    assert client.is_online() is False
    assert rows(province) == []


def test_validation_error_is_permanent_and_names_the_field(province, client, dossier):
    with pytest.raises(PermanentError, match="NgayTiepNhan") as caught:
        client.insert_dossier({**payload(dossier), "NgayTiepNhan": "2026-02-13"})
    assert error_code({"error_code": caught.value.code}) != 0 and rows(province) == []


def test_a_refused_step_call_applies_none_of_its_steps(province, client, dossier):
    client.insert_dossier(payload(dossier))
    good = step_payload(dossier.history[0], dossier)
    with pytest.raises(PermanentError, match="NguoiXuLy"):
        client.send_steps([good, {**good, "NguoiXuLy": ""}])
    assert province.state()["steps"] == []


def test_step_before_its_dossier_is_permanent(province, client, dossier):
    with pytest.raises(PermanentError):
        client.send_steps([step_payload(dossier.history[0], dossier)])
    assert province.state()["steps"] == []


def test_online_and_lookup_of_an_unknown_code(client):
    assert client.is_online() is True
    assert client.lookup("000.00.06.H56-260213-0999") is None


@pytest.mark.parametrize("province_dialect", ["opencps"])
def test_expired_session_logs_in_again(province, client, dossier):
    client.login()
    province.expire_sessions()
    client.insert_dossier(payload(dossier))
    province.faults.session_calls = 1  # from now on each session serves a single call
    client.login()
    client.send_steps([step_payload(dossier.history[0], dossier)])
    assert client.lookup(dossier.code)["MaHoSo"] == dossier.code
    assert len(province.state()["steps"]) == 1


@pytest.mark.parametrize("province_dialect", ["opencps"])
def test_wrong_password_is_permanent_and_offline(province):
    with connect(settings_for(province, password="sai")) as wrong:
        with pytest.raises(PermanentError, match="Đăng nhập"):
            wrong.login()
        assert wrong.is_online() is False


@pytest.mark.parametrize("province_dialect", ["opencps"])
def test_opencps_bodies_name_the_service_session_and_unit(province, client, dossier):
    """A body without madonvi is refused (the server is strict); ours carries it, and the headers OC sets."""
    client.login()
    sent = []
    client.transport._http.event_hooks["request"].append(sent.append)
    client.lookup(dossier.code)
    [request] = sent
    assert request.url == province.endpoint
    assert request.headers["dstcode"] == "H56" and request.headers["charset"] == "utf-8"
    assert request.headers["accept"] == "application/json"
    import json
    body = json.loads(request.content)
    assert list(body)[:3] == ["service", "session", "madonvi"] and body["mahoso"] == dossier.code
    assert body["service"] == "TraCuuHoSo" and body["madonvi"] == "000.00.06.H56"


@pytest.mark.parametrize("province_dialect", ["gateway"])
def test_gateway_bodies_are_bare_arrays_to_one_url_per_action(province, client, dossier):
    sent = []
    client.transport._http.event_hooks["request"].append(sent.append)
    client.insert_dossier(payload(dossier))
    client.send_steps([step_payload(dossier.history[0], dossier)])
    client.lookup(dossier.code)
    import json
    assert [str(r.url).removeprefix(province.url) for r in sent] == ["/ThemMoi", "/DongBoTienTrinh", "/TraCuu"]
    assert all(isinstance(json.loads(r.content), list) for r in sent)
    assert all("session" not in r.headers and "dstcode" not in r.headers for r in sent)


@pytest.mark.parametrize("status, body, kind, says", [
    (408, b"", TransientError, "HTTP 408"),
    (429, b"", TransientError, "HTTP 429"),
    (403, "<html>Truy cập bị chặn</html>".encode(), OfflineError, "Thiết bị mạng trả lời HTTP 403"),
    (400, b'{"error_code": "400", "message": "Sai"}', PermanentError, "từ chối yêu cầu (HTTP 400)"),
    (200, b'{"ok": true}', OfflineError, "không phải của hệ thống tỉnh"),
    (200, b'{"error_code": "abc"}', OfflineError, "không phải của hệ thống tỉnh"),
])
def test_http_answers_are_classed_by_who_gave_them(status, body, kind, says):
    from counter.sync import client as client_module
    content_type = "application/json" if body.startswith(b"{") else "text/html"
    response = httpx.Response(status, headers={"content-type": content_type}, content=body)
    with pytest.raises(Exception) as caught:
        client_module._answer(response)
    assert type(caught.value) is kind and says in str(caught.value)
