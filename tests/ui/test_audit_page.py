"""The Nhật ký section: administrators only; it lists and filters the audit log and checks its chain. The log-in
dialog, the lock and closing the window leave their rows."""

import sqlite3

import pytest
from PySide6.QtCore import QDate, Qt

from counter import audit
from counter.clock import FixedClock
from counter.sync import settings
from tests.conftest import at
from tests.counter.lifecycle_steps import login
from tests.ui.keys import enter, type_text
from ui.app import create_main_window
from ui.login.dialog import LoginDialog
from ui.main_window.window import AUDIT


def open_window(qtbot, ctx, username: str):
    login(ctx, username)
    window = create_main_window(ctx, ctx.user, receive_page_factory=lambda ctx, parent: None)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.board_page.loaded)
    return window


@pytest.fixture
def page(qtbot, ctx):
    for day, key, value in ((10, "dstcode", "QH1"), (11, "dstcode", "QH2"), (12, "madonvi", "000.00.06.H56")):
        ctx.clock = FixedClock(at(f"2026-02-{day} 09:30"))
        login(ctx, "admin" if day != 11 else "lanhdao")
        settings.set_value(ctx, key, value)
    ctx.clock = FixedClock(at("2026-02-13 10:00"))
    window = open_window(qtbot, ctx, "admin")
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_section() == AUDIT
    return window.audit.page


def shown_rows(page):
    return [(e.kind, e.actor) for e in page.model.rows]


def test_an_admin_sees_the_section_and_a_clerk_does_not(qtbot, ctx):
    assert AUDIT in open_window(qtbot, ctx, "admin").sections()
    clerk = open_window(qtbot, ctx, "canbo")
    assert AUDIT not in clerk.sections() and clerk.audit is None


def test_lists_newest_first_and_filters_by_user_kind_and_day(qtbot, page):
    assert page.loaded and shown_rows(page)[:3] == [("settings", "admin"), ("settings", "lanhdao"),
                                                    ("settings", "admin")]
    assert page.model.data(page.model.index(0, 4)) == "Đổi Mã đơn vị gửi kèm (madonvi): “(trống)” → “000.00.06.H56”."
    page.user.setCurrentIndex(page.user.findData("lanhdao"))
    assert shown_rows(page) == [("settings", "lanhdao")]
    assert page.detail.text() == "Dòng #3: Đổi Mã định tuyến dstcode (opencps): “QH1” → “QH2”."
    assert page.detail.toolTip() == "key: dstcode\nnew: QH2\nold: QH1"
    page.user.setCurrentIndex(0)
    page.kind.setCurrentIndex(page.kind.findData("setup"))
    assert [kind for kind, _ in shown_rows(page)] == ["setup"]
    page.kind.setCurrentIndex(0)
    page.from_day.setDate(QDate(2026, 2, 11))
    page.to_day.setDate(QDate(2026, 2, 11))
    assert shown_rows(page) == [("settings", "lanhdao")] and page.count.text().startswith("1 dòng từ 11/02/2026")


def test_verify_says_whole_then_names_a_hand_edited_row(qtbot, ctx, page):
    qtbot.keyClick(page.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert page.check.text().startswith("Nhật ký nguyên vẹn: 4 dòng")
    ctx.database.close()
    con = sqlite3.connect(ctx.db_path)
    con.execute("DROP TRIGGER audit_entry_no_update")
    con.execute("UPDATE audit_entry SET actor = 'canbo' WHERE id = 3")
    con.commit()
    con.close()
    ctx.database.connect(reuse_if_open=True)
    assert not page.verify()
    assert "Dòng #3 đã bị sửa" in page.check.text()


def test_a_new_row_shows_when_something_changes(qtbot, ctx, page):
    before = len(page.model.rows)
    window = page.window()
    window.signals.changed.emit(settings.set_value(ctx, "dstcode", "QH3"))
    assert len(page.model.rows) == before + 1


def test_the_login_dialog_records_failed_and_good_log_ins(qtbot, ctx):
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_text(dialog.username, "canbo")
    type_text(dialog.password, "sai-mat-khau")
    enter(dialog.password)
    assert dialog.error.isVisible()
    type_text(dialog.password, "canbo123")
    enter(dialog.password)
    assert dialog.user is not None
    assert [(e.kind, e.actor) for e in audit.entries(ctx)][-2:] == [("login_failed", "canbo"), ("login", "canbo")]


def test_lock_unlock_and_closing_the_window_are_recorded(qtbot, ctx):
    window = open_window(qtbot, ctx, "canbo")
    window.main_actions.lock.trigger()  # Ctrl+L
    dialog = window.idle_lock.dialog
    type_text(dialog.password, "canbo123")
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=3000):
        enter(dialog.password)
    window.close()
    window.close()  # a second close records nothing more
    rows = [(e.kind, e.actor) for e in audit.entries(ctx)][-3:]
    assert rows == [("lock", "canbo"), ("unlock", "canbo"), ("logout", "canbo")]
    assert "theo yêu cầu" in audit.entries(ctx, kind="lock")[0].summary


def test_the_screen_locks_and_the_window_closes_even_when_the_log_cannot_be_written(qtbot, ctx, monkeypatch):
    from counter.office import sessions

    def fail(*args, **kwargs):
        raise RuntimeError("database is locked")

    window = open_window(qtbot, ctx, "canbo")
    monkeypatch.setattr(sessions, "lock", fail)
    monkeypatch.setattr("ui.main_window.window.log_out", fail)
    window.main_actions.lock.trigger()
    assert window.idle_lock.is_locked and window.idle_lock.cover.isVisible()
    window.idle_lock.dialog.leave()
    assert not window.isVisible()
