"""The gateway password at rest (counter.sync.secret): the OS credential store where one works, else Fernet
under the key file; a password sealed the old way (`v1:`) is read once and sealed again."""

import base64
import hashlib
import hmac
import secrets
import shutil

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import PasswordDeleteError

from counter.sync import secret, settings
from db.database import is_postgres
from db.models import Setting
from tests.pg import all_rows_as_bytes

PASSWORD = "Mật-khẩu-Bí-mật-7391"


class MemoryKeyring(KeyringBackend):
    """An OS credential store held in memory (keyring's backend interface, as Windows Credential Manager or
    the Secret Service implement it)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not there")


@pytest.fixture
def store():
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


def stored_token(ctx) -> str:
    return Setting.get(Setting.key == "sync.password").value


def database_bytes(ctx) -> bytes:
    if is_postgres(ctx.database):
        return all_rows_as_bytes(ctx.database)
    ctx.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    files = [ctx.db_path, ctx.db_path.with_name(ctx.db_path.name + "-wal")]
    return b"".join(p.read_bytes() for p in files if p.exists())


def old_seal(data_dir, text: str) -> str:
    """What earlier versions stored (HMAC-SHA256 in counter mode under sync.key), written out here so the
    test does not lean on the code under test."""
    key_file = data_dir / "sync.key"
    if not key_file.exists():
        key_file.write_bytes(secrets.token_bytes(32))
    key, nonce, plain = key_file.read_bytes(), secrets.token_bytes(16), text.encode()
    stream = b"".join(hmac.digest(key, b"enc" + nonce + i.to_bytes(4, "big"), hashlib.sha256)
                      for i in range((len(plain) + 31) // 32))
    cipher = bytes(a ^ b for a, b in zip(plain, stream, strict=False))
    tag = hmac.digest(key, b"mac" + nonce + cipher, hashlib.sha256)[:16]
    return "v1:" + base64.b64encode(nonce + cipher + tag).decode()


def test_this_machine_has_no_credential_store_so_fernet_is_what_runs(ctx):
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    settings.set_value(ctx, "password", PASSWORD)
    token = stored_token(ctx)
    assert token.startswith("v2:") and PASSWORD not in token
    assert secret.unseal(ctx.data_dir, token) == PASSWORD and settings.load(ctx).password == PASSWORD
    assert PASSWORD.encode() not in database_bytes(ctx)


def test_with_a_credential_store_the_database_only_names_the_entry(ctx, store):
    settings.set_value(ctx, "password", PASSWORD)
    token = stored_token(ctx)
    assert token == "kr:" + secret.entry_name(ctx.data_dir, "sync.password") and PASSWORD not in token
    assert store.entries == {("quay-mot-cua", token[3:]): PASSWORD}
    assert settings.load(ctx).password == PASSWORD
    assert not (ctx.data_dir / "secret.key").exists()  # nothing sealed under a key file
    assert PASSWORD.encode() not in database_bytes(ctx)
    settings.set_value(ctx, "password", "")  # cleared: the entry is removed from the store too
    assert store.entries == {} and settings.load(ctx).password == ""


def test_a_copied_database_does_not_reveal_a_password_kept_in_the_credential_store(ctx, store, tmp_path):
    settings.set_value(ctx, "password", PASSWORD)
    token = stored_token(ctx)
    keyring.set_keyring(MemoryKeyring())  # another machine: its own store, without this entry
    with pytest.raises(secret.SealError, match="kho mật khẩu"):
        secret.unseal(tmp_path, token)
    assert settings.load(ctx).password == "" and "password" in settings.load(ctx).missing()


def test_a_store_that_does_not_keep_the_password_falls_back_to_fernet(ctx):
    before = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())  # takes everything, keeps nothing
    try:
        settings.set_value(ctx, "password", PASSWORD)
        assert stored_token(ctx).startswith("v2:") and settings.load(ctx).password == PASSWORD
    finally:
        keyring.set_keyring(before)


@pytest.mark.sqlite_only(reason="a copy of the SQLite file opened in another data folder")
def test_a_copied_database_without_the_key_file_does_not_reveal_the_password(ctx, tmp_path):
    settings.set_value(ctx, "password", PASSWORD)
    copy = tmp_path / "copy"
    copy.mkdir()
    ctx.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(ctx.db_path, copy / ctx.db_path.name)
    from counter.setup import open_app
    other = open_app(copy, clock=ctx.clock)
    try:
        assert other.data_dir != ctx.data_dir and stored_token(other).startswith("v2:")
        assert settings.load(other).password == ""
        with pytest.raises(secret.SealError, match=r"thiếu tệp khóa secret\.key"):
            secret.unseal(copy, stored_token(other))
    finally:
        other.database.close()


@pytest.mark.sqlite_only(reason=("open_app seals an old sync password again at start; office mode's start "
                                  "(open_office_database) and its sync key are another part of issue 20"))
def test_a_password_sealed_the_old_way_is_read_and_sealed_again_when_the_app_opens(ctx, tmp_path):
    token = old_seal(ctx.data_dir, PASSWORD)
    Setting.put("sync.password", token)
    assert settings.load(ctx).password == PASSWORD  # still read as it is
    ctx.database.close()
    from counter.setup import open_app
    again = open_app(ctx.data_dir, clock=ctx.clock)
    try:
        new = stored_token(again)
        assert new.startswith("v2:") and settings.load(again).password == PASSWORD
        assert settings.reseal_legacy(again) is False  # once
    finally:
        again.database.close()


def test_an_old_token_whose_key_is_gone_is_left_and_reads_as_not_set(ctx):
    token = old_seal(ctx.data_dir, PASSWORD)
    (ctx.data_dir / "sync.key").unlink()
    Setting.put("sync.password", token)
    assert settings.reseal_legacy(ctx) is False and stored_token(ctx) == token
    assert settings.load(ctx).password == ""


def test_a_refused_key_in_the_same_save_leaves_the_credential_store_untouched(ctx, store):
    errors, _ = settings.set_values(ctx, {"password": PASSWORD, "timeout": "nhanh"})
    assert set(errors) == {"timeout"} and store.entries == {}
    assert Setting.get_or_none(Setting.key == "sync.password") is None


def test_a_connection_preview_seals_nothing(ctx, store):
    config = settings.preview(ctx, {"password": PASSWORD, "username": "quay1"})
    assert config.password == PASSWORD and config.username == "quay1"
    assert store.entries == {} and Setting.get_or_none(Setting.key == "sync.password") is None
    assert not (ctx.data_dir / "secret.key").exists()
