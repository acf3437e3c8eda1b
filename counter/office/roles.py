"""Who may do what: the three roles and the one check every restricted intent makes of `ctx.user`.

The screens hide what a role may not do, but the rule is here: an intent refuses with `PermissionDenied`
whatever called it (a screen, the command line, a script). A context with no logged-in user (`ctx.user` is
None) holds no role.
"""

from __future__ import annotations

from counter import records
from counter.context import AppContext
from counter.errors import PermissionDenied

CLERK, LEADER, ADMIN = "clerk", "leader", "admin"
ROLES = {CLERK: "Cán bộ tiếp nhận", LEADER: "Lãnh đạo", ADMIN: "Quản trị"}
ADMINS = (ADMIN,)  # manage users and roles
SIGNERS = (LEADER, ADMIN)  # sign for the head of the agency: Mẫu 04 (apology), Mẫu 05 (stop notice)

_WHO = {ADMINS: "quản trị viên", SIGNERS: "lãnh đạo"}


def has_role(user: records.User | None, roles: tuple[str, ...]) -> bool:
    return user is not None and user.role in roles


def permission_error(user: records.User | None, roles: tuple[str, ...], doing: str) -> PermissionDenied | None:
    """The error refusing `doing` (a verb phrase: "thêm người dùng") to `user`, or None when one of `roles` is his."""
    if has_role(user, roles):
        return None
    who = _WHO.get(roles) or " hoặc ".join(ROLES[r].lower() for r in roles)
    return PermissionDenied(f"Chỉ {who} mới được {doing}: hãy đăng nhập bằng tài khoản {who}.")


def require_role(ctx: AppContext, roles: tuple[str, ...], doing: str) -> records.User:
    """The logged-in user when his role is one of `roles`; else `PermissionDenied` saying who may `doing`."""
    error = permission_error(ctx.user, roles, doing)
    if error is not None:
        raise error
    assert ctx.user is not None  # has_role said so
    return ctx.user
