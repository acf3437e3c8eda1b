"""The login dialog against the seeded demo users."""

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
)

from tests.ui.keys import enter, type_text
from ui.login.dialog import LoginDialog

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.fixture
def dialog(qtbot, ctx):
    d = LoginDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    d.username.setFocus()
    return d


def test_shows_the_office(dialog):
    assert dialog.heading.text() == "UBND XÃ QUẢNG HÙNG\nTRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    assert not dialog.error.isVisible()


def test_good_password_logs_in_with_enter(qtbot, dialog):
    type_text(dialog.username, "canbo")
    enter(dialog.username)
    assert QApplication.focusWidget() is dialog.password  # Enter moved on, did not submit
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    type_text(dialog.password, "canbo123")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        enter(dialog.password)
    assert dialog.user.username == "canbo"
    assert dialog.user.full_name == "Nguyễn Thị Hoa"


@pytest.mark.parametrize("username, password", [("canbo", "sai-mat-khau"), ("khongco", "canbo123")])
def test_wrong_credentials_say_the_same_thing(qtbot, dialog, username, password):
    type_text(dialog.username, username)
    type_text(dialog.password, password)
    enter(dialog.password)
    assert dialog.isVisible() and dialog.user is None
    assert dialog.error.isVisible() and dialog.error.text() == WRONG
    assert dialog.password.text() == "" and QApplication.focusWidget() is dialog.password


def test_unlock_mode_fixes_the_username_and_ignores_escape(qtbot, ctx):
    d = LoginDialog(ctx, username="canbo")
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert d.username.text() == "canbo" and d.username.isReadOnly()
    d.reject()  # what Escape does
    assert d.isVisible()
    type_text(d.password, "canbo123")
    with qtbot.waitSignal(d.accepted, timeout=3000):
        enter(d.password)
    assert d.user.username == "canbo" and not d.quit_requested
