"""Sync settings: stored in the Setting table, the password sealed with a key kept outside the database."""

import re
import shutil
import stat

import pytest

from counter.errors import ValidationError
from counter.office.profile import get_office
from counter.sync import secret, settings
from db.database import is_postgres
from db.models import Setting
from tests.pg import all_rows_as_bytes

PASSWORD = "Mật-khẩu-Bí-mật-7391"


def database_bytes(ctx) -> bytes:
    if is_postgres(ctx.database):
        return all_rows_as_bytes(ctx.database)
    ctx.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [ctx.db_path, ctx.db_path.with_name(ctx.db_path.name + "-wal")]
    return b"".join(p.read_bytes() for p in files if p.exists())


def stored_token(ctx) -> str:
    """The sealed password as stored: `sync.password` on SQLite; this PC's own key in office mode (PostgreSQL)."""
    return Setting.get(Setting.key == settings.PREFIX + settings.password_key(ctx)).value


def test_round_trip_and_the_password_is_sealed(ctx):
    for key, value in {"gateway_url": "https://lgsp.thanhhoa.gov.vn/api", "login_url": "https://lgsp.thanhhoa.gov.vn/auth",
                       "username": "quay1", "password": PASSWORD, "dstcode": "H56", "timeout": "20"}.items():
        settings.set_value(ctx, key, value)
    loaded = settings.load(ctx)
    assert (loaded.dialect, loaded.gateway_url, loaded.login_url) == (
        "opencps", "https://lgsp.thanhhoa.gov.vn/api", "https://lgsp.thanhhoa.gov.vn/auth")
    assert (loaded.username, loaded.password, loaded.dstcode, loaded.timeout) == ("quay1", PASSWORD, "H56", 20.0)
    assert loaded.madonvi == get_office(ctx).agency_id and loaded.missing() == []
    stored = stored_token(ctx)
    assert stored.startswith("v2:") and PASSWORD not in stored  # no credential store here: Fernet under the key
    raw = database_bytes(ctx)
    assert PASSWORD.encode() not in raw and b"lgsp.thanhhoa" in raw  # the check can see stored text
    key_file = ctx.data_dir / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_bytes()) == 44  # a Fernet key


def test_a_copied_database_without_its_key_does_not_reveal_the_password(ctx, tmp_path):
    settings.set_value(ctx, "password", PASSWORD)
    token = stored_token(ctx)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(secret.SealError, match=r"secret\.key"):
        secret.unseal(elsewhere, token)
    shutil.copy(ctx.data_dir / "secret.key", elsewhere / "secret.key")
    assert secret.unseal(elsewhere, token) == PASSWORD
    from cryptography.fernet import Fernet
    (elsewhere / "secret.key").write_bytes(Fernet.generate_key())  # another machine's key: detected, not junk
    with pytest.raises(secret.SealError, match="không khớp"):
        secret.unseal(elsewhere, token)


def test_a_password_from_another_installation_reads_as_not_set(ctx):
    settings.set_value(ctx, "password", PASSWORD)
    (ctx.data_dir / "secret.key").unlink()
    assert settings.load(ctx).password == "" and "password" in settings.load(ctx).missing()


def test_shown_hides_the_password(ctx):
    shown = {key: value for key, _, value in settings.shown(ctx)}
    unset = settings.NO_PASSWORD_HERE_SHOWN if is_postgres(ctx.database) else "(chưa đặt)"  # office mode: this PC's
    assert shown["password"] == unset and shown["gateway_url"] == "(chưa đặt)"
    assert shown["agency_id"] == get_office(ctx).agency_id
    settings.set_value(ctx, "password", PASSWORD)
    assert {k: v for k, _, v in settings.shown(ctx)}["password"] == "********"


def test_office_keys_go_through_the_office_validation(ctx):
    settings.set_value(ctx, "workstation", "3")
    settings.set_value(ctx, "office_name", "Bộ phận Một cửa xã Quảng Hùng")
    assert get_office(ctx).workstation == 3 and get_office(ctx).office_name == "Bộ phận Một cửa xã Quảng Hùng"
    with pytest.raises(ValidationError, match=re.escape("000.00.00.H00")):
        settings.set_value(ctx, "agency_id", "H56")
    with pytest.raises(ValidationError, match="0 đến 9"):
        settings.set_value(ctx, "workstation", "12")


@pytest.mark.parametrize("key, value, message", [
    ("colour", "xanh", "gateway_url, login_url, username, password"), ("gateway_url", "lgsp.gov.vn", "http"),
    ("timeout", "0", "giây"), ("timeout", "nhanh", "giây"),
    ("lookup_url", "https://dichvucong.gov.vn/tra-cuu", "có {code} ở chỗ mã hồ sơ"),
    ("lookup_url", "dichvucong.gov.vn/{code}", "http:// hoặc https://"),
])
def test_bad_keys_and_values_are_refused(ctx, key, value, message):
    with pytest.raises(ValidationError, match=message):
        settings.set_value(ctx, key, value)


def test_a_lookup_address_with_the_code_is_kept(ctx):
    settings.set_value(ctx, "lookup_url", "https://dichvucong.thanhhoa.gov.vn/tra-cuu?ma={code}")
    assert get_office(ctx).lookup_url == "https://dichvucong.thanhhoa.gov.vn/tra-cuu?ma={code}"


def test_an_empty_value_clears_a_setting(ctx):
    settings.set_value(ctx, "username", "quay1")
    settings.set_value(ctx, "username", "")
    assert settings.load(ctx).username == ""
    with pytest.raises(settings.SettingsMissing, match="tên đăng nhập" if is_postgres(ctx.database) else "username"):
        settings.require(ctx)  # in office mode said in words (the PC's password apart)


def test_the_scan_size_limit_is_set_in_megabytes_and_cleared_back_to_the_default(ctx):
    from counter.scans import files as scan_files
    settings.set_value(ctx, "scan_max_mb", "12,5")
    assert scan_files.max_file_bytes(ctx) == int(12.5 * 1024 * 1024)
    assert ("scan_max_mb", settings.KEYS["scan_max_mb"], "12,5 MB") in settings.shown(ctx)
    for bad in ("0", "-5", "nhiều", "5000", "nan", "inf"):
        with pytest.raises(ValidationError, match="Dung lượng tối đa của tệp số hóa"):
            settings.set_value(ctx, "scan_max_mb", bad)
    assert scan_files.max_file_bytes(ctx) == int(12.5 * 1024 * 1024)
    settings.set_value(ctx, "scan_max_mb", "20 MB")
    assert scan_files.max_file_bytes(ctx) == 20 * 1024 * 1024
    settings.set_value(ctx, "scan_max_mb", "")
    assert scan_files.max_file_bytes(ctx) == scan_files.DEFAULT_MAX_BYTES


def test_the_dialect_brings_its_profile_and_each_setting_overrides_it(ctx):
    opencps = settings.load(ctx)
    assert opencps.dialect == "opencps" and str(opencps.statuses) == "" and opencps.steps_per_call == 10
    assert opencps.missing() == ["gateway_url", "login_url", "username", "password", "dstcode"]
    settings.set_value(ctx, "dialect", " Gateway ")
    gateway = settings.load(ctx)
    assert gateway.dialect == "gateway" and str(gateway.statuses) == "5=9,6=9,8=9"
    assert dict(gateway.paths) == {"insert": "/ThemMoi", "update": "/CapNhat", "steps": "/DongBoTienTrinh",
                                   "lookup": "/TraCuu"}
    assert gateway.missing() == ["gateway_url"]  # no log-in, no dstcode
    settings.set_values(ctx, {"status_map": "8:9; 5=9", "steps_per_call": "1", "path_steps": "/v2/tien-trinh",
                              "madonvi": "G22.56"})
    tuned = settings.load(ctx)
    assert str(tuned.statuses) == "5=9,8=9" and tuned.statuses.to_portal(6) == 6 and tuned.steps_per_call == 1
    assert tuned.paths["steps"] == "/v2/tien-trinh" and tuned.madonvi == "G22.56"
    settings.set_value(ctx, "status_map", "không")
    assert str(settings.load(ctx).statuses) == ""  # every status as it is, over the profile's mapping


@pytest.mark.parametrize("key, value, says", [
    ("dialect", "soap", "opencps hoặc gateway"), ("status_map", "5=11", "5=9,6=9"), ("status_map", "năm=chín", "5=9"),
    ("steps_per_call", "11", "từ 1 đến 10"), ("steps_per_call", "0", "từ 1 đến 10"),
    ("path_insert", "ThemMoi", "bắt đầu bằng /"), ("login_url", "lgsp/auth", "http://"),
    ("file_url", "tep/{sha256}", "http://"), ("upload_url", "ftp://x", "http://"),
])
def test_a_bad_sync_setting_is_refused_with_what_is_expected(ctx, key, value, says):
    with pytest.raises(ValidationError, match=re.escape(says)):
        settings.set_value(ctx, key, value)


def test_the_status_mapping_reads_the_provinces_answer_back():
    from counter.sync.profiles import StatusMap
    th = StatusMap.parse("5=9,6=9,8=9")
    assert [th.to_portal(s) for s in (4, 5, 6, 8, 9, 10)] == [4, 9, 9, 9, 9, 10]
    assert th.to_local(9, current=5) == 5  # what we sent for our 5: unchanged
    assert th.to_local(9, current=4) == 9 and th.to_local(10, current=5) == 10
    assert th.to_local(5) is None  # nothing of ours is sent as 5 here
