"""The gateway password at rest, never in the database file in clear.

Where it goes, in this order:

1. The operating system's credential store, through `keyring` (Windows Credential Manager, the Secret Service
   of a Linux desktop, the macOS keychain). The database then holds only `kr:NAME`, naming the entry; the entry
   is named after the data directory, so another folder or another machine finds nothing there.
2. Where no credential store works (a Linux machine without a desktop session, a service account: keyring's
   "fail" backend, or one that does not keep what it is given), `cryptography`'s Fernet (AES-128-CBC with an
   HMAC-SHA256 tag, reviewed and maintained) under a random key in `secret.key` beside the database, created
   0600. The database holds `v2:` and the Fernet token.

What this protects against: a copy of the database file alone (a backup sent for support, a file taken off the
machine) does not reveal the password. What it does NOT protect against: anyone who runs code as this
Windows/Linux user (they can ask the credential store, or read `secret.key`), nor a memory dump of the running
app.

Tokens sealed by earlier versions (`v1:`, a home-made HMAC-SHA256 stream cipher under `sync.key`) are still
opened, so an existing installation keeps working, and `counter.sync.settings.reseal_legacy` seals them again
the new way when the app opens. `sync.key` is kept: an older backup restored later still holds a `v1:` token.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import os
from pathlib import Path

import keyring
import keyring.errors
from cryptography.fernet import Fernet, InvalidToken

from counter import APP_ID
from counter.errors import ValidationError

log = logging.getLogger(__name__)

KEY_FILE = "secret.key"  # the Fernet key (its own base64 text), 0600
LEGACY_KEY_FILE = "sync.key"  # 32 raw bytes: opens `v1:` tokens only
FERNET = "v2:"
KEYRING = "kr:"
LEGACY = "v1:"
SERVICE = APP_ID


class SealError(ValidationError):
    """The sealed value cannot be opened on this installation."""


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def _create_private(path: Path, content: bytes) -> None:
    """Write `content` to a new file readable by its owner only; if another process made it first, keep theirs."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())


def _fernet(data_dir: Path, *, create: bool) -> Fernet | None:
    path = key_path(data_dir)
    if not path.exists():
        if not create:
            return None
        _create_private(path, Fernet.generate_key())
    try:
        return Fernet(path.read_bytes().strip())
    except ValueError:  # not a Fernet key: a damaged or foreign file
        raise SealError(f"Tệp khóa {KEY_FILE} của máy này bị hỏng: hãy xóa tệp đó rồi đặt lại mật khẩu đồng bộ.") \
            from None


def entry_name(data_dir: Path, name: str) -> str:
    """The credential store's entry for `name` (e.g. "sync.password") of the installation in `data_dir`."""
    return f"{name}@{Path(data_dir).resolve()}"


def _keyring_set(entry: str, text: str) -> bool:
    """Store `text` in the OS credential store; False when there is none that works (nothing is then kept)."""
    try:
        keyring.set_password(SERVICE, entry, text)
        kept = keyring.get_password(SERVICE, entry) == text  # a backend that silently drops is no store
    except keyring.errors.KeyringError as exc:  # NoKeyringError on a machine without one; a locked store
        log.info("no usable credential store (%s): the password is sealed under %s", type(exc).__name__, KEY_FILE)
        return False
    if not kept:
        log.info("the credential store did not keep the password: it is sealed under %s", KEY_FILE)
    return kept


def seal(data_dir: Path, text: str, name: str = "sync.password") -> str:
    """The token to store in the database for `text`: `kr:ENTRY` when the credential store took it, else
    `v2:` and a Fernet token under `secret.key` (created on first use)."""
    entry = entry_name(data_dir, name)
    if _keyring_set(entry, text):
        return KEYRING + entry
    fernet = _fernet(data_dir, create=True)
    assert fernet is not None  # created above
    return FERNET + fernet.encrypt(text.encode("utf-8")).decode("ascii")


def unseal(data_dir: Path, token: str) -> str:
    """The text a token stands for, or a SealError when this installation cannot open it."""
    if token.startswith(KEYRING):
        try:
            text = keyring.get_password(SERVICE, token.removeprefix(KEYRING))
        except keyring.errors.KeyringError:
            text = None
        if text is None:
            raise SealError("Không đọc được mật khẩu đồng bộ đã lưu trong kho mật khẩu của hệ điều hành "
                            "(cơ sở dữ liệu chép từ máy hoặc thư mục khác?): hãy đặt lại mật khẩu.")
        return text
    if token.startswith(FERNET):
        fernet = _fernet(data_dir, create=False)
        if fernet is None:
            raise SealError(f"Không đọc được mật khẩu đồng bộ đã lưu (thiếu tệp khóa {KEY_FILE} của máy này): "
                            "hãy đặt lại mật khẩu.")
        try:
            return fernet.decrypt(token.removeprefix(FERNET).encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise SealError("Mật khẩu đồng bộ đã lưu không khớp với khóa của máy này: hãy đặt lại mật khẩu.") \
                from None
    if token.startswith(LEGACY):
        return _unseal_v1(data_dir, token)
    raise SealError("Mật khẩu đồng bộ đã lưu không đúng dạng: hãy đặt lại mật khẩu.")


def forget(token: str) -> None:
    """Remove what a `kr:` token names from the credential store (nothing to do for a `v2:` one)."""
    if not token.startswith(KEYRING):
        return
    with contextlib.suppress(keyring.errors.KeyringError):  # PasswordDeleteError when it is not there
        keyring.delete_password(SERVICE, token.removeprefix(KEYRING))


def is_legacy(token: str) -> bool:
    return token.startswith(LEGACY)


def _unseal_v1(data_dir: Path, token: str) -> str:
    """Read-only: the earlier versions' HMAC-SHA256 counter-mode stream with an HMAC tag, under `sync.key`.
    Kept only so that a password sealed that way can be read once and sealed again the new way."""
    path = Path(data_dir) / LEGACY_KEY_FILE
    key = path.read_bytes() if path.exists() else None
    try:
        raw = base64.b64decode(token.removeprefix(LEGACY), validate=True)
    except ValueError:
        raw = b""
    if key is None or len(raw) < 32:
        raise SealError(f"Không đọc được mật khẩu đồng bộ đã lưu (thiếu tệp khóa {LEGACY_KEY_FILE} của máy này): "
                        "hãy đặt lại mật khẩu.")
    nonce, cipher, tag = raw[:16], raw[16:-16], raw[-16:]
    if not hmac.compare_digest(tag, hmac.digest(key, b"mac" + nonce + cipher, hashlib.sha256)[:16]):
        raise SealError("Mật khẩu đồng bộ đã lưu không khớp với khóa của máy này: hãy đặt lại mật khẩu.")
    stream = b"".join(hmac.digest(key, b"enc" + nonce + i.to_bytes(4, "big"), hashlib.sha256)
                      for i in range((len(cipher) + 31) // 32))[:len(cipher)]
    return bytes(a ^ b for a, b in zip(cipher, stream, strict=True)).decode("utf-8")
