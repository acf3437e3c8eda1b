"""Users and log-in. Passwords are argon2 hashes; a failed log-in never says which part was wrong."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from counter import records
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import AuthError, ValidationError
from counter.text import nfc
from db.models import User

ROLES = {"clerk": "Cán bộ tiếp nhận", "leader": "Lãnh đạo", "admin": "Quản trị"}
_hasher = PasswordHasher()


def _record(row: User) -> records.User:
    return records.User(id=row.id, username=row.username, full_name=row.full_name, title=row.title, role=row.role)


@bound
def create_user(ctx: AppContext, username: str, full_name: str, password: str, role: str = "clerk", title: str = "", *,
                now: datetime) -> tuple[records.User, Changes]:
    username = username.strip().lower()
    if not username or not full_name.strip():
        raise ValidationError("Tên đăng nhập và họ tên không được để trống.")
    if role not in ROLES:
        raise ValidationError(f"Vai trò “{role}” không hợp lệ (clerk, leader, admin).")
    if len(password) < 6:
        raise ValidationError("Mật khẩu phải có ít nhất 6 ký tự.")
    if User.select().where(User.username == username).exists():
        raise ValidationError(f"Tên đăng nhập “{username}” đã có.")
    row = User.create(
        username=username, full_name=nfc(full_name), title=nfc(title), role=role,
        password_hash=_hasher.hash(password), created_at=now,
    )
    return _record(row), Changes(users=True)


@bound
def authenticate(ctx: AppContext, username: str, password: str) -> records.User:
    row = User.get_or_none((User.username == username.strip().lower()) & (User.active == True))  # noqa: E712 (peewee builds SQL from ==)
    try:
        if row is None or not _hasher.verify(row.password_hash, password):
            raise AuthError("Tên đăng nhập hoặc mật khẩu không đúng.")
    except (VerificationError, InvalidHashError):
        raise AuthError("Tên đăng nhập hoặc mật khẩu không đúng.") from None
    return _record(row)


@bound
def list_users(ctx: AppContext) -> list[records.User]:
    return [_record(u) for u in User.select().order_by(User.username)]


@bound
def active_user(ctx: AppContext, username: str) -> records.User:
    """An active user by user name, for scripts that act on someone's behalf (main.py attach --by)."""
    row = User.get_or_none((User.username == username.strip().lower()) & (User.active == True))  # noqa: E712 (peewee builds SQL from ==)
    if row is None:
        raise ValidationError(f"Không có người dùng đang hoạt động tên đăng nhập “{nfc(username.strip())}”.")
    return _record(row)
