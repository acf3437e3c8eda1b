"""Users, roles and log-in: every rule of counter/office/users.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter.errors import AuthError, NotFound, PermissionDenied, ValidationError
from counter.office import users
from counter.office.roles import require_role
from counter.office.users import LoginWait, login_wait, wait_text
from counter.setup import open_app
from db.models import User
from tests.counter.lifecycle_steps import login


def rows() -> list[tuple]:
    return sorted(tuple(r.values()) for r in User.select().dicts())


def test_an_admin_adds_a_user_who_must_change_the_password_at_the_first_log_in(ctx):
    login(ctx, "admin")
    user, changes = users.add_user(ctx, "  ThuHa ", " Phạm  Thu Hà ", "clerk", "matkhau-tam")
    assert (user.username, user.full_name, user.role, user.active, user.must_change_password) == (
        "thuha", "Phạm Thu Hà", "clerk", True, True)
    assert changes.users
    assert users.authenticate(ctx, "THUHA", "matkhau-tam").must_change_password


@pytest.mark.parametrize("username", [None, "canbo", "lanhdao"])
def test_only_an_admin_manages_users_and_nothing_is_written(ctx, username):
    ctx.user = None
    if username:
        login(ctx, username)
    before = rows()
    for call in (lambda: users.add_user(ctx, "thuha", "Phạm Thu Hà", "clerk", "matkhau-tam"),
                 lambda: users.disable_user(ctx, "canbo"),
                 lambda: users.enable_user(ctx, "canbo"),
                 lambda: users.set_role(ctx, "canbo", "admin"),
                 lambda: users.reset_password(ctx, "admin", "matkhau-moi")):
        with pytest.raises(PermissionDenied, match="Chỉ quản trị viên mới được"):
            call()
    assert rows() == before


def test_require_role_returns_the_user_or_refuses(ctx):
    admin = login(ctx, "admin")
    assert require_role(ctx, ("admin",), "xem") == admin
    login(ctx, "canbo")
    with pytest.raises(PermissionDenied, match="Chỉ quản trị viên mới được xem: hãy đăng nhập bằng tài khoản"):
        require_role(ctx, ("admin",), "xem")


@pytest.mark.parametrize("username, full_name, role, password, message", [
    ("canbo", "Nguyễn Thị Hoa", "clerk", "matkhau-tam", "Tên đăng nhập “canbo” đã có"),
    ("CANBO", "Nguyễn Thị Hoa", "clerk", "matkhau-tam", "Tên đăng nhập “canbo” đã có"),  # case-folded
    ("", "Phạm Thu Hà", "clerk", "matkhau-tam", "Hãy nhập tên đăng nhập"),
    ("thu ha", "Phạm Thu Hà", "clerk", "matkhau-tam", "không hợp lệ"),
    ("thuhà", "Phạm Thu Hà", "clerk", "matkhau-tam", "không hợp lệ"),
    ("thuha", "  ", "clerk", "matkhau-tam", "Hãy nhập họ và tên"),
    ("thuha", "Phạm Thu Hà", "boss", "matkhau-tam", "Vai trò “boss” không hợp lệ"),
    ("thuha", "Phạm Thu Hà", "clerk", "1234567", "ít nhất 8 ký tự"),
    ("thuha123", "Phạm Thu Hà", "clerk", "ThuHa123", "không được trùng với tên đăng nhập"),
])
def test_bad_new_users_are_refused_with_a_message(ctx, username, full_name, role, password, message):
    login(ctx, "admin")
    before = rows()
    with pytest.raises(ValidationError, match=message):
        users.add_user(ctx, username, full_name, role, password)
    assert rows() == before


def test_the_list_shows_role_activity_and_last_log_in(ctx, clock):
    users.authenticate(ctx, "canbo", "canbo123")
    listed = {u.username: u for u in users.list_users(ctx)}
    assert [u.username for u in users.list_users(ctx)] == ["admin", "canbo", "lanhdao"]
    assert listed["canbo"].last_login_at == clock.now() and listed["admin"].last_login_at is None
    assert (listed["lanhdao"].full_name, listed["lanhdao"].role, listed["lanhdao"].active) == (
        "Trần Văn Minh", "leader", True)


def test_a_disabled_user_cannot_log_in_until_enabled(ctx):
    login(ctx, "admin")
    assert users.disable_user(ctx, "canbo")[0].active is False
    with pytest.raises(AuthError, match="đã bị khóa"):
        users.authenticate(ctx, "canbo", "canbo123")
    with pytest.raises(AuthError, match="không đúng"):  # a wrong password says no more than that
        users.authenticate(ctx, "canbo", "saimatkhau")
    assert users.enable_user(ctx, "canbo")[0].active is True
    assert users.authenticate(ctx, "canbo", "canbo123").username == "canbo"


def test_the_last_active_admin_can_be_neither_disabled_nor_demoted(ctx):
    login(ctx, "admin")
    before = rows()
    with pytest.raises(ValidationError, match="quản trị viên cuối cùng"):
        users.disable_user(ctx, "admin")
    with pytest.raises(ValidationError, match="quản trị viên cuối cùng"):
        users.set_role(ctx, "admin", "leader")
    assert rows() == before
    users.set_role(ctx, "lanhdao", "admin")  # a second administrator: now the first may go
    assert users.set_role(ctx, "admin", "clerk")[0].role == "clerk"
    login(ctx, "lanhdao")
    users.disable_user(ctx, "canbo")
    users.set_role(ctx, "canbo", "admin")  # a disabled administrator does not count
    with pytest.raises(ValidationError, match="quản trị viên cuối cùng"):
        users.disable_user(ctx, "lanhdao")
    users.enable_user(ctx, "canbo")
    assert users.disable_user(ctx, "lanhdao")[0].active is False


def test_set_role_checks_the_role_and_the_user(ctx):
    login(ctx, "admin")
    assert users.set_role(ctx, "canbo", "leader")[0].role == "leader"
    with pytest.raises(ValidationError, match="Vai trò “chief” không hợp lệ"):
        users.set_role(ctx, "canbo", "chief")
    with pytest.raises(NotFound, match="Không có người dùng tên đăng nhập “ai”"):
        users.set_role(ctx, "ai", "clerk")


def test_a_reset_password_must_be_changed_at_the_next_log_in(ctx):
    login(ctx, "admin")
    reset, _ = users.reset_password(ctx, "canbo", "tamthoi-01")
    assert reset.must_change_password
    with pytest.raises(AuthError):
        users.authenticate(ctx, "canbo", "canbo123")  # the old password is gone
    ctx.user = users.authenticate(ctx, "canbo", "tamthoi-01")
    assert ctx.user.must_change_password
    with pytest.raises(ValidationError, match="khác mật khẩu hiện tại"):
        users.change_password(ctx, "tamthoi-01", "tamthoi-01")
    changed, changes = users.change_password(ctx, "tamthoi-01", "matkhau-rieng")
    assert not changed.must_change_password and changes.users and ctx.user == changed
    assert not users.authenticate(ctx, "canbo", "matkhau-rieng").must_change_password
    login(ctx, "admin")
    with pytest.raises(ValidationError, match="ít nhất 8 ký tự"):
        users.reset_password(ctx, "canbo", "ngan")


def test_changing_ones_own_password_checks_the_old_one_and_the_rules(ctx):
    ctx.user = users.authenticate(ctx, "canbo", "canbo123")
    before = rows()
    for old, new, message in [("sai-matkhau", "matkhau-moi", "Mật khẩu hiện tại không đúng"),
                              ("canbo123", "ngan", "ít nhất 8 ký tự"),
                              ("canbo123", "CanBo", "ít nhất 8 ký tự"),
                              ("canbo123", "canbo123", "khác mật khẩu hiện tại")]:
        with pytest.raises(ValidationError, match=message):
            users.change_password(ctx, old, new)
    assert rows() == before
    users.change_password(ctx, "canbo123", "matkhau-moi")
    assert users.authenticate(ctx, "canbo", "matkhau-moi").username == "canbo"
    ctx.user = None
    with pytest.raises(AuthError, match="Hãy đăng nhập"):
        users.change_password(ctx, "matkhau-moi", "matkhau-khac")


def test_the_wait_doubles_from_the_fifth_failure_up_to_fifteen_minutes():
    assert [login_wait(n).total_seconds() for n in range(1, 12)] == [
        0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert login_wait(1000) == timedelta(minutes=15)
    assert [wait_text(timedelta(seconds=s)) for s in (30, 60, 90, 899.2, 0.1)] == [
        "30 giây", "1 phút", "1 phút 30 giây", "15 phút", "1 giây"]


def test_five_failures_in_a_row_make_the_username_wait_and_say_how_long(ctx, clock):
    for _ in range(4):
        with pytest.raises(AuthError, match="không đúng") as error:
            users.authenticate(ctx, "canbo", "sai-matkhau")
        assert not isinstance(error.value, LoginWait)
    with pytest.raises(LoginWait, match=r"sai mật khẩu 5 lần liên tiếp.*“canbo” phải chờ 30 giây") as wait:
        users.authenticate(ctx, "canbo", "sai-matkhau")
    assert wait.value.seconds == 30
    clock.advance(seconds=10)
    with pytest.raises(LoginWait, match="phải chờ 20 giây"):  # even the right password waits
        users.authenticate(ctx, "canbo", "canbo123")
    assert users.authenticate(ctx, "lanhdao", "lanhdao123").username == "lanhdao"  # others do not wait
    clock.advance(seconds=20)
    with pytest.raises(LoginWait, match=r"6 lần liên tiếp.*phải chờ 1 phút"):
        users.authenticate(ctx, "canbo", "sai-matkhau")
    clock.advance(minutes=1)
    assert users.authenticate(ctx, "CanBo", "canbo123").username == "canbo"  # a success clears the count
    row = User.get(User.username == "canbo")
    assert (row.failed_logins, row.locked_until) == (0, None)
    for _ in range(4):
        with pytest.raises(AuthError, match="không đúng"):
            users.authenticate(ctx, "canbo", "sai-matkhau")


def test_the_wait_is_capped_at_fifteen_minutes(ctx, clock):
    User.update(failed_logins=20).where(User.username == "canbo").execute()
    with pytest.raises(LoginWait, match="phải chờ 15 phút") as wait:
        users.authenticate(ctx, "canbo", "sai-matkhau")
    assert wait.value.seconds == 900


def test_the_wait_survives_a_restart(ctx, clock, tmp_path):
    for _ in range(5):
        with pytest.raises(AuthError):
            users.authenticate(ctx, "canbo", "sai-matkhau")
    ctx.database.close()
    clock.advance(seconds=5)
    again = open_app(tmp_path / "data", clock=clock)
    try:
        with pytest.raises(LoginWait, match="phải chờ 25 giây"):
            users.authenticate(again, "canbo", "canbo123")
        clock.advance(seconds=25)
        assert users.authenticate(again, "canbo", "canbo123").username == "canbo"
    finally:
        again.database.close()


def test_an_admin_reset_or_enable_lifts_the_wait(ctx, clock):
    for _ in range(5):
        with pytest.raises(AuthError):
            users.authenticate(ctx, "canbo", "sai-matkhau")
    login(ctx, "admin")
    users.reset_password(ctx, "canbo", "tamthoi-01")
    assert users.authenticate(ctx, "canbo", "tamthoi-01").must_change_password
    for _ in range(5):
        with pytest.raises(AuthError):
            users.authenticate(ctx, "lanhdao", "sai-matkhau")
    users.enable_user(ctx, "lanhdao")
    assert users.authenticate(ctx, "lanhdao", "lanhdao123").username == "lanhdao"


def test_an_unknown_username_is_told_apart_from_nothing(ctx):
    with pytest.raises(AuthError, match="Tên đăng nhập hoặc mật khẩu không đúng"):
        users.authenticate(ctx, "khongco", "canbo123")
