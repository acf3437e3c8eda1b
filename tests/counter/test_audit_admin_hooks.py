"""The administrator's changes of issue 17 leave their row in the audit log, inside the change's transaction, and
the chain still holds: users, roles and passwords (never the password itself), the calendar, the catalogue."""

from datetime import date

import pytest

from counter import audit
from counter.calendar import admin as calendar_admin
from counter.catalogue import editing
from counter.errors import ValidationError
from counter.office import users
from tests.counter.lifecycle_steps import login

SECRET = "mat-khau-moi-2026"


def rows(ctx, kind):
    return [(e.actor, e.summary) for e in audit.entries(ctx, kind=kind)]


def test_user_management_is_recorded_without_any_password(ctx):
    login(ctx, "admin")
    users.add_user(ctx, "thuha", "Phạm Thu Hà", "clerk", SECRET)
    users.set_role(ctx, "thuha", "leader")
    users.disable_user(ctx, "thuha")
    users.enable_user(ctx, "thuha")
    users.reset_password(ctx, "thuha", SECRET + "x")
    recorded = rows(ctx, "user") + rows(ctx, "password")
    assert [actor for actor, _ in recorded] == ["admin"] * 5
    assert any("Thêm người dùng “thuha”" in s for _, s in recorded)
    assert any("Lãnh đạo" in s for _, s in recorded) and any("Khóa tài khoản" in s for _, s in recorded)
    assert any("Đặt lại mật khẩu của “thuha”" in s for _, s in recorded)
    assert all(SECRET not in str(e.summary) + str(e.detail) for e in audit.entries(ctx))
    login(ctx, "thuha")
    users.change_password(ctx, SECRET + "x", SECRET + "y")
    assert rows(ctx, "password")[-1] == ("thuha", "“thuha” tự đổi mật khẩu.")
    assert audit.verify(ctx).ok


def test_a_refused_change_leaves_no_row(ctx):
    login(ctx, "admin")
    before = len(audit.entries(ctx))
    with pytest.raises(ValidationError, match="quản trị viên cuối cùng"):
        users.disable_user(ctx, "admin")  # the last active administrator
    assert len(audit.entries(ctx)) == before


def test_calendar_and_catalogue_changes_are_recorded(ctx):
    login(ctx, "admin")
    calendar_admin.add_day(ctx, date(2026, 3, 3), "holiday", "Công văn 215/UBND-VP")
    [row] = [e for e in audit.entries(ctx, kind="calendar") if "03/03/2026" in e.summary]
    assert row.actor == "admin" and "Công văn 215/UBND-VP" in row.summary and row.detail["kind"] == "holiday"
    editing.set_fee(ctx, "1.004873", 15000, source="Nghị quyết 12/2025/NQ-HĐND")
    [fee] = audit.entries(ctx, kind="catalogue")
    assert "1.004873" in fee.summary and "15000" in fee.summary and "Nghị quyết 12/2025/NQ-HĐND" in fee.summary
    assert audit.verify(ctx).ok
