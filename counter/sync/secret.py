"""The gateway password at rest: sealed with a per-installation key kept OUT of the database file.

What this protects against: a copy of the database file alone (a backup sent for support, a file
taken off the machine) does not reveal the password — the key lives in `sync.key` next to it,
created 0600. What it does NOT protect against: anyone who can read the whole data directory or
runs code as this Windows/Linux user (they hold both the key and the sealed text), nor a memory
dump of the running app. It is obfuscation with an honest key, not a password vault.

The cipher is HMAC-SHA256 in counter mode with a random nonce, then an HMAC tag (encrypt-then-MAC),
from the standard library only: a wrong key or a damaged value is detected, never decoded to junk.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Literal, overload

from counter.errors import ValidationError

KEY_FILE = "sync.key"
PREFIX = "v1:"


class SealError(ValidationError):
    """The sealed value cannot be opened with this installation's key."""


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


@overload
def installation_key(data_dir: Path, *, create: Literal[True] = True) -> bytes: ...
@overload
def installation_key(data_dir: Path, *, create: bool) -> bytes | None: ...
def installation_key(data_dir: Path, *, create: bool = True) -> bytes | None:
    """The 32-byte key, created (0600, exclusively) on first use if `create`."""
    path = key_path(data_dir)
    if not path.exists():
        if not create:
            return None
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it meanwhile: use theirs
            return path.read_bytes()
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
    return path.read_bytes()


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (hmac.digest(key, b"enc" + nonce + i.to_bytes(4, "big"), hashlib.sha256)
              for i in range((length + 31) // 32))
    return b"".join(blocks)[:length]


def seal(data_dir: Path, text: str) -> str:
    key = installation_key(data_dir)
    nonce = secrets.token_bytes(16)
    plain = text.encode("utf-8")
    cipher = bytes(a ^ b for a, b in zip(plain, _stream(key, nonce, len(plain)), strict=True))
    tag = hmac.digest(key, b"mac" + nonce + cipher, hashlib.sha256)[:16]
    return PREFIX + base64.b64encode(nonce + cipher + tag).decode("ascii")


def unseal(data_dir: Path, token: str) -> str:
    key = installation_key(data_dir, create=False)
    try:
        raw = base64.b64decode(token.removeprefix(PREFIX), validate=True)
    except ValueError:
        raw = b""
    if key is None or not token.startswith(PREFIX) or len(raw) < 32:
        raise SealError("Không đọc được mật khẩu đồng bộ đã lưu (thiếu tệp khóa sync.key của máy này): "
                        "hãy đặt lại mật khẩu.")
    nonce, cipher, tag = raw[:16], raw[16:-16], raw[-16:]
    if not hmac.compare_digest(tag, hmac.digest(key, b"mac" + nonce + cipher, hashlib.sha256)[:16]):
        raise SealError("Mật khẩu đồng bộ đã lưu không khớp với khóa của máy này: hãy đặt lại mật khẩu.")
    return bytes(a ^ b for a, b in zip(cipher, _stream(key, nonce, len(cipher)), strict=True)).decode("utf-8")
