"""A clerk's working session as the audit log sees it: log-in (and failed attempts), idle lock, unlock, log-out.

The log-in dialog calls `log_in` rather than `users.authenticate` directly, so every attempt leaves a row whatever
`authenticate` decides (a wrong password, a disabled user, a username made to wait after failed attempts).
"""

from __future__ import annotations

from counter import audit, records
from counter.context import AppContext, bound
from counter.errors import CounterError
from counter.office.users import authenticate
from counter.text import nfc

MANUAL, IDLE = "manual", "idle"


@bound
def log_in(ctx: AppContext, username: str, password: str, *, unlocking: bool = False) -> records.User:
    """The user `username` names when `password` is theirs (recorded as a log-in, or an unlock of a locked
    session); otherwise the refusal is recorded (never the password typed) and raised."""
    typed = nfc(username).lower()[:64]
    try:
        user = authenticate(ctx, username, password)
    except CounterError as refusal:
        what = "Mở khóa không thành công" if unlocking else "Đăng nhập không thành công"
        audit.record(ctx, "login_failed", f"{what} với tên đăng nhập “{typed}”: {refusal}", actor=typed,
                     detail={"unlocking": unlocking})
        raise
    if unlocking:
        audit.record(ctx, "unlock", f"{user.full_name} mở khóa máy.", actor=user.username)
    else:
        audit.record(ctx, "login", f"{user.full_name} đăng nhập.", actor=user.username, detail={"role": user.role})
    return user


@bound
def lock(ctx: AppContext, user: records.User, *, reason: str = MANUAL) -> None:
    """The screen was locked: by the clerk (Ctrl+L) or after the idle time."""
    why = "sau thời gian không thao tác" if reason == IDLE else "theo yêu cầu"
    audit.record(ctx, "lock", f"Khóa máy của {user.full_name} {why}.", actor=user.username, detail={"reason": reason})


@bound
def log_out(ctx: AppContext, user: records.User) -> None:
    audit.record(ctx, "logout", f"{user.full_name} đăng xuất.", actor=user.username)
