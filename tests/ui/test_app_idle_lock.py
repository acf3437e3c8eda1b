"""The idle lock covers the main window after the configured idle time; the password unlocks it."""

import pytest
from PySide6.QtCore import (
    QPoint,
    Qt,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QDialog,
    QMenu,
)

from tests.ui.keys import enter, type_text
from ui import settings


@pytest.fixture
def idle_minute(ctx):
    """The idle lock set to one minute, as an administrator would, before the window starts."""
    ini = settings.ui_settings(ctx)
    settings.write(ini, settings.IDLE_MINUTES, 1)
    ini.sync()


@pytest.fixture
def window_options(idle_minute, monotonic):
    return {"receive_page_factory": lambda ctx, parent: None, "clock": monotonic}


def test_idle_minutes_come_from_the_settings(window):
    assert window.idle_lock.idle_seconds == 60


def test_locks_after_idle_time_and_input_postpones_it(qtbot, window, monotonic):
    lock = window.idle_lock
    monotonic.advance_ms(50_000)
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Down)  # the clerk is still there: a key, as the keyboard sends it
    monotonic.advance_ms(40_000)  # 90 s since start, 40 s since the key
    lock.check()
    assert not lock.is_locked
    monotonic.advance_ms(21_000)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    assert lock.cover.isVisible() and lock.cover.geometry() == window.rect()
    assert lock.dialog.username.text() == "canbo" and lock.dialog.username.isReadOnly()


def still_there_after(qtbot, lock, monotonic, give_input) -> bool:
    """Input 50 s into a minute's idle time; unlocked 40 s later (90 s since the start)?"""
    monotonic.advance_ms(50_000)
    give_input()
    monotonic.advance_ms(40_000)
    lock.check()
    return not lock.is_locked


def test_input_in_a_dialog_postpones_it(qtbot, window, monotonic):
    dialog = QDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is dialog.windowHandle())  # it took the focus
    assert still_there_after(qtbot, window.idle_lock, monotonic,
                             lambda: QTest.mouseMove(dialog.windowHandle(), QPoint(20, 20)))


def test_input_in_a_popup_menu_postpones_it(qtbot, window, monotonic):
    menu = QMenu(window)
    menu.addAction("Một")
    menu.popup(window.mapToGlobal(QPoint(40, 40)))
    qtbot.waitExposed(menu)
    window.idle_lock.check()  # the poll: a popup never takes the focus, it is found among the windows
    assert still_there_after(qtbot, window.idle_lock, monotonic,
                             lambda: QTest.mouseMove(menu.windowHandle(), QPoint(10, 10)))
    menu.close()


def test_unlock_needs_the_right_password(qtbot, window):
    lock = window.idle_lock
    window.main_actions.lock.trigger()  # Ctrl+L
    assert lock.is_locked
    dialog = lock.dialog
    type_text(dialog.password, "nham-mat-khau")
    enter(dialog.password)
    assert lock.is_locked and dialog.error.text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    type_text(dialog.password, "canbo123")
    with qtbot.waitSignal(lock.unlocked, timeout=3000):
        enter(dialog.password)
    assert not lock.is_locked and not lock.cover.isVisible()


def test_quit_from_the_lock_closes_the_window(qtbot, window):
    window.idle_lock.lock()
    window.idle_lock.dialog.leave()
    assert not window.isVisible()


def test_scans_are_ignored_while_locked(qtbot, window):
    window.idle_lock.lock()
    window.on_scanned("XYZ-0000000001")
    assert window.scan_message is None
