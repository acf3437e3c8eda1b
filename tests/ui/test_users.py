"""The Người dùng section (administrators only), Hệ thống → Đổi mật khẩu, and log-in after a reset or too many
failures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from counter.office import users
from db.models import User
from tests.counter.lifecycle_steps import login
from tests.ui.keys import enter, type_text
from ui.app import create_main_window
from ui.login.dialog import MUST_CHANGE, LoginDialog
from ui.users.page import AddUserDialog, ResetPasswordDialog, RoleDialog
from ui.users.wiring import SECTION


def open_window(qtbot, ctx, username: str):
    login(ctx, username)
    window = create_main_window(ctx, ctx.user)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.board_page.loaded)
    return window


@pytest.fixture
def window(qtbot, ctx):
    return open_window(qtbot, ctx, "admin")


@pytest.fixture
def page(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_section() == SECTION and window.stack.currentWidget() is window.users.page
    return window.users.page


def select(page, username: str) -> None:
    page.view.selectRow(next(i for i, u in enumerate(page.model.rows) if u.username == username))


def row_of(page, username: str) -> list[str]:
    i = next(i for i, u in enumerate(page.model.rows) if u.username == username)
    return [page.model.index(i, c).data() for c in range(page.model.columnCount())]


def test_only_an_admin_has_the_section(qtbot, ctx, window):
    assert SECTION in window.sections() and window.users is not None
    for username in ("canbo", "lanhdao"):
        other = open_window(qtbot, ctx, username)
        assert SECTION not in other.sections() and other.users is None


def test_the_list_shows_name_username_role_state_and_last_log_in(page, ctx):
    users.authenticate(ctx, "canbo", "canbo123")
    page.reload()
    assert row_of(page, "canbo") == ["Nguyễn Thị Hoa", "canbo", "Cán bộ tiếp nhận", "Đang hoạt động",
                                     "10:00 13/02/2026"]
    assert row_of(page, "lanhdao")[2:] == ["Lãnh đạo", "Đang hoạt động", "Chưa đăng nhập"]


def test_add_a_user_through_the_form(qtbot, page, ctx):
    QTest.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, AddUserDialog)
    type_text(dialog.full_name, "Phạm Thu Hà")
    type_text(dialog.username, "thuha")
    dialog.role.setCurrentIndex(dialog.role.findData("leader"))
    type_text(dialog.password, "matkhau-01")
    type_text(dialog.again, "matkhau-02")
    dialog.submit()
    assert dialog.isVisible() and "không giống nhau" in dialog.error.text()
    type_text(dialog.again, "matkhau-01")
    with qtbot.waitSignal(page.changed):
        dialog.submit()
    assert not dialog.isVisible()
    assert row_of(page, "thuha")[:4] == ["Phạm Thu Hà", "thuha", "Lãnh đạo", "Đang hoạt động (phải đổi mật khẩu)"]
    assert page.selected().username == "thuha" and "Đã thêm thuha" in page.message.text()


def test_a_refused_user_stays_in_the_form_with_the_message(page):
    page.add_user()
    dialog = page.dialog
    type_text(dialog.full_name, "Nguyễn Thị Hoa")
    type_text(dialog.username, "CANBO")
    for edit in (dialog.password, dialog.again):
        type_text(edit, "matkhau-01")
    before = len(page.model.rows)
    dialog.submit()
    assert dialog.isVisible() and dialog.error.text() == "Tên đăng nhập “canbo” đã có."
    assert len(page.model.rows) == before


def test_disable_enable_and_the_last_admin(qtbot, page):
    select(page, "canbo")
    assert page.disable_button.isEnabled() and not page.enable_button.isEnabled()
    QTest.keyClick(page, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert row_of(page, "canbo")[3] == "Đã khóa" and page.enable_button.isEnabled()
    QTest.keyClick(page, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert row_of(page, "canbo")[3] == "Đang hoạt động"
    select(page, "admin")
    page.disable_user()
    assert "quản trị viên cuối cùng" in page.message.text() and row_of(page, "admin")[3] == "Đang hoạt động"


def test_set_role_and_reset_password(qtbot, page, ctx):
    select(page, "canbo")
    QTest.keyClick(page, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, RoleDialog)
    dialog.role.setCurrentIndex(dialog.role.findData("leader"))
    dialog.submit()
    assert row_of(page, "canbo")[2] == "Lãnh đạo"
    QTest.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = page.dialog
    assert isinstance(dialog, ResetPasswordDialog)
    for edit in (dialog.password, dialog.again):
        type_text(edit, "canbo")
    dialog.submit()
    assert "ít nhất 8 ký tự" in dialog.error.text()
    for edit in (dialog.password, dialog.again):
        edit.clear()
        type_text(edit, "tamthoi-01")
    dialog.submit()
    assert not dialog.isVisible() and "phải đổi mật khẩu" in row_of(page, "canbo")[3]
    assert users.authenticate(ctx, "canbo", "tamthoi-01").must_change_password
    select(page, "admin")
    page.set_role()
    page.dialog.role.setCurrentIndex(page.dialog.role.findData("clerk"))
    page.dialog.submit()
    assert page.dialog.isVisible() and "quản trị viên cuối cùng" in page.dialog.error.text()


def test_any_user_changes_the_password_from_the_system_menu(qtbot, ctx):
    window = open_window(qtbot, ctx, "canbo")
    system = next(m for m in window.menuBar().actions() if m.text() == "Hệ thố&ng").menu()
    assert window.main_actions.password in system.actions()
    assert window.main_actions.password.shortcut().toString() == "Ctrl+Shift+M"
    window.main_actions.password.trigger()
    dialog = window.password_dialog
    type_text(dialog.old, "sai-matkhau")
    type_text(dialog.new, "matkhau-moi")
    type_text(dialog.again, "matkhau-moi")
    dialog.submit()
    assert dialog.isVisible() and dialog.error.text() == "Mật khẩu hiện tại không đúng."
    type_text(dialog.old, "canbo123")
    type_text(dialog.new, "matkhau-moi")
    type_text(dialog.again, "matkhau-khac")
    dialog.submit()
    assert dialog.error.text() == "Hai lần nhập mật khẩu mới không giống nhau."
    dialog.new.clear()
    type_text(dialog.new, "matkhau-moi")
    type_text(dialog.again, "matkhau-moi")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert users.authenticate(ctx, "canbo", "matkhau-moi").username == "canbo"


@pytest.fixture
def login_dialog(qtbot, ctx):
    d = LoginDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    return d


def test_after_a_reset_the_password_is_changed_before_the_app_opens(qtbot, ctx, login_dialog):
    login(ctx, "admin")
    users.reset_password(ctx, "canbo", "tamthoi-01")
    ctx.user = None
    type_text(login_dialog.username, "canbo")
    type_text(login_dialog.password, "tamthoi-01")
    enter(login_dialog.password)
    change = login_dialog.change_dialog
    assert change.isVisible() and login_dialog.user is None and login_dialog.isVisible()
    change.reject()  # not changed: not logged in
    assert login_dialog.user is None and login_dialog.error.text() == MUST_CHANGE and ctx.user is None
    type_text(login_dialog.password, "tamthoi-01")
    enter(login_dialog.password)
    change = login_dialog.change_dialog
    type_text(change.new, "matkhau-rieng")
    type_text(change.again, "matkhau-rieng")
    with qtbot.waitSignal(login_dialog.accepted):
        change.submit()
    assert login_dialog.user.username == "canbo" and not login_dialog.user.must_change_password
    assert users.authenticate(ctx, "canbo", "matkhau-rieng").username == "canbo"


def test_the_login_dialog_says_how_long_to_wait(qtbot, ctx, clock, login_dialog):
    type_text(login_dialog.username, "canbo")
    for _ in range(5):
        type_text(login_dialog.password, "sai-matkhau")
        enter(login_dialog.password)
    assert login_dialog.error.text() == ("Đã nhập sai mật khẩu 5 lần liên tiếp. Tên đăng nhập “canbo” phải chờ "
                                         "30 giây nữa mới được thử lại.")
    clock.advance(seconds=12)
    type_text(login_dialog.password, "canbo123")
    enter(login_dialog.password)
    assert login_dialog.user is None and "phải chờ 18 giây nữa" in login_dialog.error.text()
    assert User.get(User.username == "canbo").locked_until is not None
    clock.advance(seconds=18)
    type_text(login_dialog.password, "canbo123")
    with qtbot.waitSignal(login_dialog.accepted):
        enter(login_dialog.password)
    assert login_dialog.user.username == "canbo"
