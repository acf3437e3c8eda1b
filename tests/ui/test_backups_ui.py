"""Backups in the app (issue 18): "Sao lưu ngay" (Ctrl+Shift+B) on Quản trị runs off the GUI thread and says what
it did; on a timer, after the end-of-day batch and on close once started; the board and the status bar warn of an
old backup, a missing second destination and a failed backup; the settings in the Quản trị form."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter import backup_schedule, backup_settings, backups
from counter.backups import BackupError
from counter.sync import settings
from counter.sync.batch import SyncReport
from tests.ui.test_admin import open_window, retype
from ui.backup import background as background_module
from ui.main_window.window import ADMIN

SERIES = "000.00.06.H56-may0"


def local_backups(ctx):
    return backups.backups_in(backups.default_destination(ctx), SERIES)


@pytest.fixture
def window(qtbot, ctx):
    window = open_window(qtbot, ctx, "admin")
    window.show_section(ADMIN)
    return window


def test_sao_luu_ngay_by_its_shortcut_backs_up_off_the_gui_thread_and_says_so(qtbot, ctx, window):
    panel = window.backup.panel
    assert panel is not None and panel.isVisible()
    assert "Trong máy" in panel.lines.text() and "chưa có bản sao lưu đã kiểm tra" in panel.lines.text()
    assert "Lần tự động kế tiếp: ngay bây giờ (mỗi 4 giờ" in panel.lines.text()
    ticks = []
    window.backup.background.started.connect(lambda _reason: ticks.append("started"))
    with qtbot.waitSignal(window.backup.background.finished, timeout=20_000):
        QTest.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert ticks == ["started"] and window.backup.background.running  # the click returned at once
        assert not panel.backup_button.isEnabled() and "Đang sao lưu (sao lưu ngay)" in panel.outcome.plain_text()
        assert window.backup.status.text().startswith("Đang sao lưu")
    assert len(local_backups(ctx)) == 1 and panel.backup_button.isEnabled()
    assert panel.outcome.kind == "info" and panel.outcome.plain_text().startswith("Trong máy: đã sao lưu và kiểm tra")
    assert "bản đã kiểm tra gần nhất lúc 10:00 13/02/2026 (vừa xong)" in panel.lines.text()
    assert "Lần tự động kế tiếp: lúc 14:00 13/02/2026" in panel.lines.text()
    assert window.backup.status.text().strip() == "Sao lưu: vừa xong"
    assert not window.board_page.backup_note.isVisible() and window.board_page.backup_note.plain_text() == ""


def test_one_backup_at_a_time(qtbot, ctx, window):
    background = window.backup.background
    with qtbot.waitSignal(background.finished, timeout=20_000):
        assert background.run_now()
        assert not background.run_now()
    assert len(local_backups(ctx)) == 1


def test_a_clerk_has_no_backup_box_but_the_board_and_status_bar_warn(qtbot, ctx):
    window = open_window(qtbot, ctx, "canbo")
    assert window.backup.panel is None
    note = window.board_page.backup_note
    assert note.isVisible() and note.plain_text().startswith("Chưa có bản sao lưu nào đã kiểm tra")
    assert window.backup.status.text().strip() == "⚠ Sao lưu: chưa có bản sao lưu"


def test_an_old_backup_is_a_warning_on_the_board(qtbot, ctx, clock, window):
    with qtbot.waitSignal(window.backup.background.finished, timeout=20_000):
        window.backup.background.run_now()
    clock.advance(days=3)
    window.backup.background.refresh()
    window.show_board()
    note = window.board_page.backup_note
    assert note.isVisible() and "đã cũ 3 ngày (lúc 10:00 13/02/2026)" in note.plain_text()
    assert window.backup.status.text().strip() == "⚠ Sao lưu: bản sao lưu cũ 3 ngày"


def test_a_missing_usb_drive_is_said_on_the_board_status_bar_and_page(qtbot, ctx, tmp_path, window):
    usb = tmp_path / "usb"
    settings.set_value(ctx, "backup_dir", str(usb))  # set while plugged in or not: it is not there now
    with qtbot.waitSignal(window.backup.background.finished, timeout=20_000):
        window.backup.panel.back_up_now()
    panel = window.backup.panel
    assert len(local_backups(ctx)) == 1  # the local one is kept
    assert panel.outcome.kind == "warn" and "Thư mục thứ hai: không thấy thư mục" in panel.outcome.plain_text()
    assert f"Thư mục thứ hai ({usb}): không thấy thư mục" in panel.lines.text()
    assert "chưa cắm ổ sao lưu thứ hai" in window.backup.status.text()
    assert f"Không thấy thư mục sao lưu thứ hai “{usb}”" in window.board_page.backup_note.plain_text()
    usb.mkdir()  # plugged in
    with qtbot.waitSignal(window.backup.background.finished, timeout=20_000):
        window.backup.panel.back_up_now()
    assert panel.outcome.kind == "info" and len(backups.backups_in(usb, SERIES)) == 1
    assert window.backup.status.text().strip() == "Sao lưu: vừa xong"
    assert not window.board_page.backup_note.isVisible()


def test_a_failed_backup_is_shown_not_silent(qtbot, ctx, window, monkeypatch):
    def full(ctx):
        raise BackupError("Ổ đĩa đã đầy: không ghi được bản sao lưu.")

    monkeypatch.setattr(backup_schedule, "backup_all", full)
    with qtbot.waitSignal(window.backup.background.failed, timeout=20_000):
        window.backup.panel.back_up_now()
    panel = window.backup.panel
    assert panel.outcome.kind == "error"
    assert panel.outcome.plain_text() == "Sao lưu thất bại: Ổ đĩa đã đầy: không ghi được bản sao lưu."
    assert "lần sao lưu vừa rồi lỗi" in window.backup.status.text() and panel.backup_button.isEnabled()


def test_once_started_a_due_backup_runs_on_the_timer_and_then_is_not_due(qtbot, ctx, window):
    background = window.backup.background
    background._timer.setInterval(20)
    reasons = []
    background.started.connect(reasons.append)
    with qtbot.waitSignal(background.finished, timeout=20_000):
        background.start()
    qtbot.wait(200)  # several more ticks: nothing is due for 4 hours
    assert reasons == [background_module.TIMED] and len(local_backups(ctx)) == 1


def test_no_timer_until_started_and_no_timed_backup_when_the_interval_is_0(qtbot, ctx, window):
    background = window.backup.background
    assert not background.automatic and not background._timer.isActive()
    background.after_batch()
    assert not background.running  # a window built for a test backs up only when asked
    settings.set_value(ctx, "backup_hours", "0")
    assert not background.run_if_due() and not background.running
    assert "Tự động sao lưu theo giờ: tắt" in window.backup.panel.lines.text()


def test_after_the_end_of_day_batch(qtbot, ctx, window):
    background = window.backup.background
    background.automatic = True
    now = ctx.clock.now()
    report = SyncReport(started_at=now, finished_at=now, agency_id="000.00.06.H56", sent_dossiers=0, sent_steps=0,
                        failed=(), waiting=(), applied=(), conflicts=(), sent_today=0, confirmed=0, unconfirmed=())
    with qtbot.waitSignal(background.started, timeout=5_000) as started:
        window.sync.background.batch_finished.emit(report)
    assert started.args == [background_module.AFTER_BATCH]
    qtbot.waitUntil(lambda: not background.running, timeout=20_000)
    assert len(local_backups(ctx)) == 1


def test_on_close_the_window_waits_for_a_backup(qtbot, ctx, window):
    window.backup.background.start()
    window.close()
    assert len(local_backups(ctx)) == 1 and not window.backup.background.running


def test_the_backup_settings_in_the_quan_tri_form(qtbot, ctx, window):
    page = window.admin.page
    edit = page.form.edits["backup_hours"]
    assert edit.text() == "" and edit.placeholderText() == "4 (mặc định)"
    retype(edit, "mười")
    assert not page.save() and "từ 0 đến 168" in page.form.errors["backup_hours"].text()
    retype(edit, "6")
    assert page.save() and backup_settings.load(ctx).interval_hours == 6
    qtbot.waitUntil(lambda: "mỗi 6 giờ" in window.backup.panel.lines.text(), timeout=2_000)
