"""The way to the province is encrypted: http:// to another machine only on a network the administrator marks
trusted (`trusted_lan`), and certificates always verified."""

import re
import ssl
from pathlib import Path

import pytest

from counter.errors import ValidationError
from counter.sync import settings
from counter.sync.client import Transport
from counter.sync.dialects import connect
from db.models import Setting

ROOT = Path(__file__).resolve().parents[2]
ADDRESSES = {"gateway_url": "http://10.0.0.5/api", "login_url": "http://lgsp.local/auth",
             "upload_url": "http://192.168.1.20/tep", "file_url": "http://lgsp.local/tep/{sha256}"}


@pytest.mark.parametrize("key", list(ADDRESSES))
def test_plain_http_to_another_machine_is_refused_unless_the_network_is_trusted(ctx, key):
    with pytest.raises(ValidationError, match=r"http:// \(không mã hóa\).*trusted_lan.*Cảnh báo"):
        settings.set_value(ctx, key, ADDRESSES[key])
    assert Setting.get_or_none(Setting.key == "sync." + key) is None
    settings.set_value(ctx, "trusted_lan", "có")
    settings.set_value(ctx, key, ADDRESSES[key])
    assert getattr(settings.load(ctx), key) == ADDRESSES[key] and settings.load(ctx).trusted_lan


@pytest.mark.parametrize("address", ["http://127.0.0.1:8080/api", "http://localhost/api", "http://[::1]:80/api",
                                     "http://127.5.6.7/api", "https://10.0.0.5/api", "https://lgsp.thanhhoa.gov.vn"])
def test_https_and_this_machine_need_no_trust(ctx, address):
    settings.set_value(ctx, "gateway_url", address)
    assert settings.load(ctx).gateway_url == address


def test_one_save_can_mark_the_network_trusted_and_set_an_http_address(ctx):
    errors, _ = settings.set_values(ctx, {"gateway_url": "http://10.0.0.5/api", "trusted_lan": "có"})
    assert errors == {} and settings.load(ctx).gateway_url == "http://10.0.0.5/api"
    shown = {key: value for key, _label, value in settings.shown(ctx)}
    assert shown["trusted_lan"] == "có"


def test_the_trust_cannot_be_withdrawn_while_an_http_address_is_stored(ctx):
    settings.set_values(ctx, {"gateway_url": "http://10.0.0.5/api", "trusted_lan": "có"})
    with pytest.raises(ValidationError, match=r"Chưa tắt được mạng nội bộ tin cậy.*gateway_url"):
        settings.set_value(ctx, "trusted_lan", "không")
    settings.set_value(ctx, "gateway_url", "https://10.0.0.5/api")
    settings.set_value(ctx, "trusted_lan", "không")
    assert not settings.load(ctx).trusted_lan
    assert {key: value for key, _label, value in settings.shown(ctx)}["trusted_lan"] == "không"
    with pytest.raises(ValidationError, match="“có” hoặc “không”"):
        settings.set_value(ctx, "trusted_lan", "có lẽ")


def test_an_http_address_stored_by_hand_or_by_an_earlier_version_stops_the_sync_before_sending(ctx):
    settings.set_values(ctx, {"dialect": "gateway", "gateway_url": "https://lgsp.thanhhoa.gov.vn/api"})
    Setting.update(value="http://10.0.0.5/api").where(Setting.key == "sync.gateway_url").execute()
    with pytest.raises(ValidationError, match=r"gateway_url.*http://"):
        settings.require(ctx)
    with pytest.raises(ValidationError, match="trusted_lan"):
        connect(settings.load(ctx))
    from ui.admin.connection import check_connection
    assert check_connection(settings.load(ctx)).startswith("Không kết nối được: Địa chỉ gateway_url")


def test_certificates_are_verified():
    transport = Transport(timeout=5, headers={})
    try:
        context = transport._http._transport._pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    finally:
        transport.close()
    turned_off = [str(path.relative_to(ROOT)) for folder in ("counter", "ui", "cli", "printing")
                  for path in (ROOT / folder).rglob("*.py")
                  if re.search(r"verify\s*=|CERT_NONE|check_hostname\s*=\s*False", path.read_text(encoding="utf-8"))]
    assert turned_off == []
