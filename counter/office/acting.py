"""Who a command-line action is recorded as: `--by USER` or this workstation's configured user.

The desktop app acts as whoever logged in (ctx.user). A script has no log-in, so each command that writes
something a person answers for (a reception's history row, a scan, a printed receipt, an accepted database, a
setting) names its user: `--by USERNAME`, else the user an administrator set for this workstation
(`settings set workstation_user USERNAME`, Quản trị). Without either the command is refused: a row with no
one behind it is what this exists to prevent. Either way the user must be active.
"""

from __future__ import annotations

from counter import records
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import SetupRequired, ValidationError
from counter.office.first_run import SETUP_HOW, is_set_up
from counter.office.users import active_user
from counter.text import nfc
from db.models import Setting

KEY = "cli.workstation_user"


class NoActingUser(ValidationError):
    """A command-line action with neither --by nor a workstation user."""


@bound
def workstation_user(ctx: AppContext) -> str:
    """The configured user name, "" when none is set."""
    row = Setting.get_or_none(Setting.key == KEY)
    return str(row.value) if row else ""


@bound
def set_workstation_user(ctx: AppContext, username: str) -> Changes:
    """Set (an active user's name) or clear ("") the user command-line actions are recorded as by default."""
    username = nfc(username.strip().lower())
    with ctx.transaction():
        if not username:
            Setting.delete().where(Setting.key == KEY).execute()
        else:
            active_user(ctx, username)  # a name no active user has is refused
            Setting.put(KEY, username)
    return Changes(settings=True)


@bound
def acting_user(ctx: AppContext, by: str | None) -> records.User:
    """The active user named by `--by`, else the workstation user; NoActingUser when there is neither, and
    SetupRequired before the office is set up (there is nobody to act yet: that comes first)."""
    if not is_set_up(ctx):
        raise SetupRequired(f"Chưa thiết lập cơ quan tiếp nhận nên chưa ai thực hiện được lệnh này. {SETUP_HOW}")
    username = (by or "").strip() or workstation_user(ctx)
    if not username:
        raise NoActingUser("Chưa biết ai thực hiện lệnh này: thêm --by TÊN_ĐĂNG_NHẬP, hoặc quản trị viên đặt người "
                           "dùng của máy (main.py settings set workstation_user TÊN_ĐĂNG_NHẬP --by QUẢN_TRỊ).")
    try:
        return active_user(ctx, username)
    except ValidationError as e:
        source = "--by" if (by or "").strip() else "workstation_user, người dùng của máy"
        raise ValidationError(f"{str(e).rstrip('.')} (từ {source}).") from None
