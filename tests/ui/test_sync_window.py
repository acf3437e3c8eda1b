"""Sync in the main window: the Đồng bộ section and its shortcut, the status bar, a change syncing soon."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.dossiers import reception
from counter.records import DossierDraft
from devtools.provincial_server import ProvincialServer
from tests.sync.conftest import AN, CREDENTIALS, configure, receive
from ui.app import create_main_window
from ui.main_window.window import SYNC


def window_for(qtbot, ctx, clerk):
    window = create_main_window(ctx, clerk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def test_ctrl_shift_s_opens_the_sync_section_and_the_status_bar_says_not_configured(qtbot, ctx, clerk):
    window = window_for(qtbot, ctx, clerk)
    assert SYNC in window.sections()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_section() == SYNC and window.stack.currentWidget() is window.sync.page
    assert window.sync.status.plain_text().startswith("● Chưa cấu hình đồng bộ")
    assert window.sync.status.parent() is not None and window.sync.status.isVisible()


def test_a_change_in_the_window_is_sent_in_the_background(qtbot, ctx, clerk, tmp_path):
    with ProvincialServer(str(tmp_path / "province.sqlite3"), credentials=CREDENTIALS) as province:
        configure(ctx, province)
        window = window_for(qtbot, ctx, clerk)
        window.sync.background._soon.setInterval(10)
        dossier, changes = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN))
        with qtbot.waitSignal(window.sync.background.synced, timeout=20_000):
            window.signals.changed.emit(changes)
        assert [d["MaHoSo"] for d in province.state()["dossiers"]] == [dossier.code]
        qtbot.waitUntil(lambda: window.sync_count.text() == "Chờ đồng bộ: 0")
        assert window.sync.status.plain_text().startswith("● Trực tuyến")
        window.close()
        assert not window.sync.background.running


def test_the_last_sync_is_known_after_a_restart_even_one_run_from_the_command_line(qtbot, ctx, clerk, tmp_path):
    from counter.sync.batch import last_success, sync_once
    with ProvincialServer(str(tmp_path / "province.sqlite3"), credentials=CREDENTIALS) as province:
        configure(ctx, province)
        receive(ctx)
        assert last_success(ctx) is None
        report = sync_once(ctx)  # what `main.py sync` from a scheduled task does
        assert last_success(ctx) == report.finished_at
        window = window_for(qtbot, ctx, clerk)  # the app opened afterwards, before its own first pass
        assert window.sync.background.connection.last_success == report.finished_at
        assert f"đồng bộ lúc {report.finished_at:%H:%M}" in window.sync.status.plain_text()
        window.close()
