"""Users, passwords and log-in. Passwords are argon2 hashes; a failed log-in never says which part was wrong.

Rules (each one a test in tests/counter/test_users.py):
- a user name is unique, compared case-folded (stored folded); a full name and a role (clerk, leader, admin);
- a password has at least 8 characters and is not the user name; a password set by an administrator (a new
  user's, a reset) must be changed by its user at the next log-in;
- after 5 failed log-ins in a row a user name waits 30 seconds, then twice as long after each further failure,
  at most 15 minutes; the wait is stored on the user row (it survives a restart); a successful log-in clears it;
- managing users is for administrators (`counter.office.roles.require_role`); the last active administrator
  can be neither disabled nor given another role.

Audit seam (counter/audit.py is written elsewhere): `authenticate` (log-in, failed log-in, refused while
waiting), `add_user`, `disable_user`/`enable_user`, `set_role`, `reset_password`, `change_password` are the
points where an event happens; each knows the actor (ctx.user) and the user concerned.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from counter import audit, records
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import AuthError, NotFound, ValidationError
from counter.office.roles import ADMIN, ADMINS, ROLES, require_role
from counter.text import nfc
from db.database import is_postgres
from db.models import User

__all__ = [
    "MIN_PASSWORD",
    "ROLES",
    "active_user",
    "add_user",
    "authenticate",
    "change_password",
    "create_user",
    "disable_user",
    "enable_user",
    "list_users",
    "reset_password",
    "set_role",
    "wait_text",
]

MIN_PASSWORD = 8
FREE_FAILURES = 5  # failed log-ins in a row before the first wait
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)
USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."

_hasher = PasswordHasher()


class LoginWait(AuthError):
    """Too many failed log-ins in a row: the user name must wait `seconds` before the next try."""

    def __init__(self, message: str, seconds: int):
        super().__init__(message)
        self.seconds = seconds


def _record(row: User) -> records.User:
    return records.User(id=row.id, username=row.username, full_name=row.full_name, title=row.title, role=row.role,
                        active=row.active, must_change_password=row.must_change_password,
                        last_login_at=row.last_login_at)


def fold_username(username: str) -> str:
    """The stored form of a user name: trimmed, NFC, case-folded ("CanBo " → "canbo")."""
    return nfc(username.strip()).casefold()


def _check_username(username: str) -> str:
    folded = fold_username(username)
    if not folded:
        raise ValidationError("Hãy nhập tên đăng nhập.")
    if not USERNAME_RE.fullmatch(folded):
        raise ValidationError(f"Tên đăng nhập “{folded}” không hợp lệ: 2–32 ký tự gồm chữ cái không dấu, chữ số, "
                              "dấu chấm, gạch dưới hoặc gạch ngang, bắt đầu bằng chữ cái hoặc chữ số.")
    return folded


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"Vai trò “{role}” không hợp lệ (clerk, leader hoặc admin).")
    return role


def check_password(username: str, password: str) -> None:
    """A password the rules accept for `username`, else a ValidationError saying which rule."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")
    if password.strip().casefold() == fold_username(username):
        raise ValidationError("Mật khẩu không được trùng với tên đăng nhập.")


def _user(username: str) -> User:
    row = User.get_or_none(User.username == fold_username(username))
    if row is None:
        raise NotFound(f"Không có người dùng tên đăng nhập “{fold_username(username)}”.")
    return row


# Creating users --------------------------------------------------------------------------------


@bound
def create_user(ctx: AppContext, username: str, full_name: str, password: str, role: str = "clerk", title: str = "",
                *, now: datetime, must_change_password: bool = False) -> tuple[records.User, Changes]:
    """A new user, without a role check: for seeding a demo and the first administrator at set-up, before anyone
    can log in. Everyone else is added by an administrator through `add_user`."""
    username = _check_username(username)
    full_name = nfc(full_name)
    if not full_name:
        raise ValidationError("Hãy nhập họ và tên người dùng.")
    _check_role(role)
    check_password(username, password)
    password_hash = _hasher.hash(password)  # slow: before the write lock
    with ctx.transaction():
        if User.select().where(User.username == username).exists():
            raise ValidationError(f"Tên đăng nhập “{username}” đã có.")
        row = User.create(username=username, full_name=full_name, title=nfc(title), role=role,
                          password_hash=password_hash, created_at=now, must_change_password=must_change_password)
    return _record(row), Changes(users=True)


@bound
def add_user(ctx: AppContext, username: str, full_name: str, role: str, password: str,
             title: str = "") -> tuple[records.User, Changes]:
    """An administrator adds a user; the password he sets must be changed by the user at the first log-in."""
    require_role(ctx, ADMINS, "thêm người dùng")
    with ctx.transaction():
        user, changes = create_user(ctx, username, full_name, password, role, title, now=ctx.clock.now(),
                                    must_change_password=True)
        audit.record(ctx, "user", f"Thêm người dùng “{user.username}” ({user.full_name}), vai trò {ROLES[user.role]}.",
                     detail={"username": user.username, "role": user.role})
    return user, changes


@bound
def list_users(ctx: AppContext) -> list[records.User]:
    """Every user, active or not, by user name."""
    return [_record(u) for u in User.select().order_by(User.username)]


@bound
def active_user(ctx: AppContext, username: str) -> records.User:
    """An active user by user name, for scripts that act on someone's behalf (main.py attach --by)."""
    row = User.get_or_none((User.username == fold_username(username)) & (User.active == True))  # noqa: E712 (peewee builds SQL from ==)
    if row is None:
        raise ValidationError(f"Không có người dùng đang hoạt động tên đăng nhập “{nfc(username.strip())}”.")
    return _record(row)


# An administrator's changes -------------------------------------------------------------------


@bound
def disable_user(ctx: AppContext, username: str) -> tuple[records.User, Changes]:
    """The user can no longer log in (his dossiers and history stay). Not the last active administrator."""
    require_role(ctx, ADMINS, "khóa tài khoản người dùng")
    with ctx.transaction():
        _lock_administrators(ctx)
        row = _user(username)
        if row.active and row.role == ADMIN:
            _keep_an_administrator(row, f"khóa tài khoản “{row.username}”")
        User.update(active=False).where(User.id == row.id).execute()
        audit.record(ctx, "user", f"Khóa tài khoản “{row.username}”.", detail={"username": row.username})
    return _record(User.get_by_id(row.id)), Changes(users=True)


@bound
def enable_user(ctx: AppContext, username: str) -> tuple[records.User, Changes]:
    """The user can log in again, without a wait left from before."""
    require_role(ctx, ADMINS, "mở lại tài khoản người dùng")
    with ctx.transaction():
        row = _user(username)
        User.update(active=True, failed_logins=0, locked_until=None).where(User.id == row.id).execute()
        audit.record(ctx, "user", f"Mở lại tài khoản “{row.username}”.", detail={"username": row.username})
    return _record(User.get_by_id(row.id)), Changes(users=True)


@bound
def set_role(ctx: AppContext, username: str, role: str) -> tuple[records.User, Changes]:
    """A new role for the user. The last active administrator keeps his."""
    require_role(ctx, ADMINS, "đổi vai trò người dùng")
    _check_role(role)
    with ctx.transaction():
        _lock_administrators(ctx)
        row = _user(username)
        if row.active and row.role == ADMIN and role != ADMIN:
            _keep_an_administrator(row, f"đổi vai trò của “{row.username}” thành {ROLES[role]}")
        User.update(role=role).where(User.id == row.id).execute()
        audit.record(ctx, "user", f"Đổi vai trò của “{row.username}”: {ROLES[row.role]} → {ROLES[role]}.",
                     detail={"username": row.username, "old": row.role, "new": role})
    return _record(User.get_by_id(row.id)), Changes(users=True)


@bound
def reset_password(ctx: AppContext, username: str, password: str) -> tuple[records.User, Changes]:
    """An administrator sets a temporary password (a user who forgot his): the user must change it at the next
    log-in. Any wait after failed log-ins is lifted."""
    require_role(ctx, ADMINS, "đặt lại mật khẩu người dùng")
    row = _user(username)
    check_password(row.username, password)
    password_hash = _hasher.hash(password)
    with ctx.transaction():
        User.update(password_hash=password_hash, must_change_password=True, failed_logins=0,
                    locked_until=None).where(User.id == row.id).execute()
        audit.record(ctx, "password", f"Đặt lại mật khẩu của “{row.username}” (phải đổi khi đăng nhập).",
                     detail={"username": row.username})
    return _record(User.get_by_id(row.id)), Changes(users=True)


def _lock_administrators(ctx: AppContext) -> None:
    """On PostgreSQL the active administrators' rows locked (FOR UPDATE, in id order) before `_keep_an_administrator`
    looks at them: two counters each taking a different administrator away at once take turns, and the second sees
    the first's change, so the centre is never left without one. On SQLite the IMMEDIATE transaction holds the file."""
    if is_postgres(ctx.database):
        list(User.select(User.id).where((User.role == ADMIN) & (User.active == True))  # noqa: E712
             .order_by(User.id).for_update())


def _keep_an_administrator(row: User, doing: str) -> None:
    others = User.select().where((User.role == ADMIN) & (User.active == True) & (User.id != row.id))  # noqa: E712
    if not others.exists():
        raise ValidationError(f"Không thể {doing}: đây là quản trị viên cuối cùng đang hoạt động. "
                              "Hãy thêm hoặc mở lại một quản trị viên khác trước.")


# Log-in and one's own password ----------------------------------------------------------------


@bound
def authenticate(ctx: AppContext, username: str, password: str) -> records.User:
    """The user whose password this is (log-in, unlock). Refused with `LoginWait` while the user name waits after
    too many failures, else `AuthError` that never says whether the name or the password was wrong. The record
    says when the password must be changed before the app opens."""
    now = ctx.clock.now()
    folded = fold_username(username)
    row = User.get_or_none(User.username == folded)
    if row is None:
        _verify_dummy(password)  # the same time as a wrong password: no hint that the name does not exist
        raise AuthError(WRONG)
    if row.locked_until is not None and row.locked_until > now:
        raise _wait_error(folded, row.locked_until - now)
    if not _verify(row.password_hash, password):
        with ctx.transaction():  # on PostgreSQL the row locked first: two counters' failures both count
            mine = User.select(User.failed_logins).where(User.id == row.id)
            failures = (mine.for_update() if is_postgres(ctx.database) else mine).get().failed_logins + 1
            wait = login_wait(failures)
            User.update(failed_logins=failures, locked_until=now + wait if wait else None) \
                .where(User.id == row.id).execute()
        if wait:
            raise _wait_error(folded, wait, failures=failures)
        raise AuthError(WRONG)
    if not row.active:
        raise AuthError(f"Tài khoản “{folded}” đã bị khóa. Hãy liên hệ quản trị viên.")
    with ctx.transaction():
        User.update(failed_logins=0, locked_until=None, last_login_at=now).where(User.id == row.id).execute()
    return _record(User.get_by_id(row.id))


def login_wait(failures: int) -> timedelta:
    """How long a user name waits after `failures` failed log-ins in a row: nothing for the first four, then
    30 s, 1 min, 2 min… at most 15 min."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 10)  # 30 s × 2¹⁰ is well past the cap
    wait: timedelta = FIRST_WAIT * 2 ** doublings
    return min(wait, LONGEST_WAIT)


def wait_text(wait: timedelta) -> str:
    """ "30 giây", "2 phút", "1 phút 30 giây" (rounded up to the second)."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    parts = ([f"{minutes} phút"] if minutes else []) + ([f"{seconds} giây"] if seconds else [])
    return " ".join(parts)


def _wait_error(username: str, wait: timedelta, *, failures: int | None = None) -> LoginWait:
    why = (f"Đã nhập sai mật khẩu {failures} lần liên tiếp. " if failures
           else "Đã nhập sai mật khẩu nhiều lần liên tiếp. ")
    return LoginWait(f"{why}Tên đăng nhập “{username}” phải chờ {wait_text(wait)} nữa mới được thử lại.",
                     max(1, math.ceil(wait.total_seconds())))


@bound
def change_password(ctx: AppContext, old_password: str, new_password: str) -> tuple[records.User, Changes]:
    """The logged-in user changes his own password: the old one checked, the new one by the rules and not the
    old one. Ends the obligation to change it after a reset."""
    if ctx.user is None:
        raise AuthError("Hãy đăng nhập trước khi đổi mật khẩu.")
    row = User.get_by_id(ctx.user.id)
    if not _verify(row.password_hash, old_password):
        raise ValidationError("Mật khẩu hiện tại không đúng.")
    check_password(row.username, new_password)
    if new_password == old_password:
        raise ValidationError("Mật khẩu mới phải khác mật khẩu hiện tại.")
    password_hash = _hasher.hash(new_password)
    with ctx.transaction():
        User.update(password_hash=password_hash, must_change_password=False).where(User.id == row.id).execute()
        audit.record(ctx, "password", f"“{row.username}” tự đổi mật khẩu.", detail={"username": row.username})
    ctx.user = _record(User.get_by_id(row.id))
    return ctx.user, Changes(users=True)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` is the one `password_hash` was made from (a backup's administrator, counter.restore)."""
    return _verify(password_hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: list[str] = []


def _verify_dummy(password: str) -> None:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(_hasher.hash("not a password of anyone"))
    _verify(_DUMMY_HASH[0], password)
