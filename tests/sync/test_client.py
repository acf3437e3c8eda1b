"""ProvinceClient against the real reference server on loopback, one test per fault."""

import httpx
import pytest

from counter.sync.client import ProvinceClient
from counter.sync.errors import OfflineError, PermanentError, TransientError
from counter.sync.payload import dossier_payload, step_payload


def payload(dossier):
    return dossier_payload(dossier, agency_id="000.00.06.H56")


def rows(province):
    return province.state()["dossiers"]


def test_upsert_inserts_then_updates_one_row(province, client, dossier):
    client.upsert_dossier(payload(dossier))
    client.upsert_dossier({**payload(dossier), "TrangThaiHoSo": "4"})
    [row] = rows(province)
    assert row["TrangThaiHoSo"] == "4" and row["_writes"] == 2
    assert client.lookup(dossier.code)["TrangThaiHoSo"] == "4"


def test_lost_response_then_retry_gives_exactly_one_row_and_one_step(province, client, dossier):
    client.login()
    province.faults.arm("lose")
    with pytest.raises(TransientError):
        client.upsert_dossier(payload(dossier))
    assert len(rows(province)) == 1  # the province applied it; we could not know
    client.upsert_dossier(payload(dossier))
    step = step_payload(dossier.history[0], dossier)
    province.faults.arm("lose")
    with pytest.raises(TransientError):
        client.send_step(step)
    client.send_step(step)
    assert len(rows(province)) == 1 and len(province.state()["steps"]) == 1


@pytest.mark.parametrize("fault", ["500", "429", "reset"])
def test_server_errors_and_resets_are_transient_and_store_nothing(province, client, dossier, fault):
    client.login()
    province.faults.arm(fault)
    with pytest.raises(TransientError) as caught:
        client.upsert_dossier(payload(dossier))
    assert not isinstance(caught.value, OfflineError) and rows(province) == []
    client.upsert_dossier(payload(dossier))
    assert len(rows(province)) == 1


def test_timeout_is_transient(province, dossier):
    province.faults.delay_ms = 600
    with (ProvinceClient(province.url, "quay", "matkhau", dstcode="H56", timeout=0.2) as slow,
          pytest.raises(TransientError, match="không trả lời kịp")):
        slow.login()


def test_refused_connection_is_transient_until_the_server_listens_again(province, client, dossier):
    client.login()  # a pooled keep-alive connection exists: it must not hide the outage
    province.stop_listening()
    with pytest.raises(TransientError, match="Không kết nối được"):
        client.upsert_dossier(payload(dossier))
    assert client.is_online() is False
    province.start_listening()
    assert client.is_online() is True
    client.upsert_dossier(payload(dossier))
    assert len(rows(province)) == 1


def test_captive_portal_is_offline_and_nothing_is_sent(province, client, dossier):
    province.faults.captive = True
    with pytest.raises(OfflineError, match="đăng nhập"):
        client.upsert_dossier(payload(dossier))
    assert client.is_online() is False
    assert rows(province) == []


def test_expired_session_logs_in_again(province, client, dossier):
    client.login()
    province.expire_sessions()
    client.upsert_dossier(payload(dossier))
    province.faults.session_calls = 1  # from now on each session serves a single call
    client.login()
    client.send_step(step_payload(dossier.history[0], dossier))
    assert client.lookup(dossier.code)["MaHoSo"] == dossier.code
    assert len(province.state()["steps"]) == 1


def test_validation_error_is_permanent_and_names_the_field(province, client, dossier):
    with pytest.raises(PermanentError, match="NgayTiepNhan") as caught:
        client.upsert_dossier({**payload(dossier), "NgayTiepNhan": "2026-02-13"})
    assert caught.value.code == "400" and rows(province) == []


def test_step_before_its_dossier_is_permanent(client, dossier):
    with pytest.raises(PermanentError) as caught:
        client.send_step(step_payload(dossier.history[0], dossier))
    assert caught.value.code == "404"


def test_wrong_password_is_permanent_and_offline(province):
    with ProvinceClient(province.url, "quay", "sai", dstcode="H56") as wrong:
        with pytest.raises(PermanentError, match="Đăng nhập"):
            wrong.login()
        assert wrong.is_online() is False


def test_online_and_lookup_of_an_unknown_code(client):
    assert client.is_online() is True
    assert client.lookup("000.00.06.H56-260213-0999") is None


@pytest.mark.parametrize("status, body, kind, says", [
    (408, b"", TransientError, "HTTP 408"),
    (429, b"", TransientError, "HTTP 429"),
    (403, "<html>Truy cập bị chặn</html>".encode(), OfflineError, "Thiết bị mạng trả lời HTTP 403"),
    (400, b'{"error_code": "400", "message": "Sai"}', PermanentError, "từ chối yêu cầu (HTTP 400)"),
])
def test_http_answers_are_classed_by_who_gave_them(status, body, kind, says):
    from counter.sync import client as client_module
    content_type = "application/json" if body.startswith(b"{") else "text/html"
    response = httpx.Response(status, headers={"content-type": content_type}, content=body)
    with pytest.raises(Exception) as caught:
        client_module._answer(response)
    assert type(caught.value) is kind and says in str(caught.value)
