"""Issue 21's seams seen on a 1366×768 counter PC: the window's title and size at start, the menus, a bad scan's
warning, the sync count, the end-of-day batch without settings, the focus after the print preview."""

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ui.app import make_application


def test_qt_does_not_append_the_app_name_to_titles_that_already_say_it(qtbot):
    """A display name set on the application makes Qt append it to every title: "Quầy Một Cửa — … — Quầy Một Cửa"."""
    app = make_application()
    name = app.applicationName()
    try:
        app.setApplicationName("thu-ten-khac")
        assert QGuiApplication.applicationDisplayName() == "thu-ten-khac"  # follows the name: never pinned
    finally:
        app.setApplicationName(name)


def test_first_start_fills_the_screen_even_without_a_window_manager(qtbot, ctx, clerk, monkeypatch):
    from ui.app import create_main_window

    window = create_main_window(ctx, clerk)
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "restore_geometry", lambda: False)
    area = QRect(0, 0, 1366, 740)
    monkeypatch.setattr(type(window.screen()), "availableGeometry", lambda self: area)
    window.show_at_start()
    qtbot.waitExposed(window)
    assert window.width() >= 1366 - 20 and window.height() >= 740 - 60


def test_the_sync_page_and_the_status_bar_count_what_waits_the_same_way(qtbot, window, ctx):
    """One definition of "Chờ đồng bộ" (counter.sync.outbox.waiting_counts): the status bar shows its sum, the
    Đồng bộ page the same sum first and then each state."""
    from counter.sync import queue
    from counter.sync.outbox import ATTENTION
    from db.models import OutboxEntry
    from tests.sync.conftest import receive

    first, second = receive(ctx), receive(ctx)
    OutboxEntry.update(state=ATTENTION, last_error="Hệ thống tỉnh từ chối").where(
        (OutboxEntry.key == second.code) & (OutboxEntry.kind == "dossier")).execute()
    window.sync_count.refresh()
    window.show_section("sync")
    window.sync.page.refresh()
    qtbot.waitUntil(lambda: not window.sync.page.reader.busy)  # read on a worker thread
    assert window.sync_count.text() == "Chờ đồng bộ: 4"  # two dossiers: each its upsert and its first step
    assert window.sync.page.counts.text().startswith("Chờ đồng bộ: 4  ·  Chờ gửi: 3  ·  ")
    assert "Cần xử lý: 1" in window.sync.page.counts.text()
    assert queue.counts(ctx) == {"pending": 3, "sending": 0, "attention": 1, "synced": 0}
    assert first.code != second.code


def menu_entries(window) -> dict[str, list[tuple[str, str]]]:
    """Each menu's entries: (text without its & and tab, the key shown)."""
    return {m.title(): [(a.text().replace("&", ""), a.shortcut().toString())
                        for a in m.actions() if not a.isSeparator()] for m in window.menus}


def every_action_with_a_key(window):
    """The window's own commands and those of its pages: whatever has a shortcut."""
    pages = (window.receive_page, window.detail_page)
    found = [*window.main_actions.all(), *window.actions(), *(a for p in pages for a in p.actions())]
    return {a for a in found if not a.shortcut().isEmpty() and not a.property("refusal")}


def test_the_menus_list_every_screen_and_command_with_its_key(window):
    shown = {a for m in window.menus for a in m.actions()}
    assert every_action_with_a_key(window) <= shown  # nothing with a key is missing from the menus
    entries = menu_entries(window)
    assert [t for t, _ in entries["&Màn hình"]] == ["Hôm nay", "Tiếp nhận hồ sơ", "Tra cứu hồ sơ", "Đồng bộ với tỉnh",
                                                    "Báo cáo"]
    assert [k for _, k in entries["&Màn hình"]] == ["F1", "F2", "F3", "Ctrl+Shift+S", "F5"]
    assert ("Tiếp nhận, in giấy biên nhận", "F9") in entries["&Tiếp nhận"]
    assert ("Bàn giao, chuyển xử lý", "F4") in entries["&Hồ sơ"] and ("Gắn tệp quét…", "Ctrl+O") in entries["&Hồ sơ"]
    assert [k for _, k in entries["Hệ thố&ng"]] == ["Ctrl+Shift+M", "Ctrl+L", "Ctrl+Q"]
    assert "&Quản trị" not in entries  # a clerk has no administrators' menu


def test_a_page_command_in_the_menus_is_enabled_only_while_its_page_shows(qtbot, window):
    receive = window.receive_page.page_actions[0]
    assert not receive.isEnabled()  # the board shows
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert receive.isEnabled() and not window.detail_page.page_actions[0].isEnabled()


def test_an_administrator_sees_every_administrators_screen_and_command(qtbot, ctx):
    from counter.office.users import authenticate
    from ui.app import create_main_window

    admin = authenticate(ctx, "admin", "admin123")
    window = create_main_window(ctx, admin)
    qtbot.addWidget(window)
    shown = {a for m in window.menus for a in m.actions()}
    assert every_action_with_a_key(window) <= shown
    keys = [k for _, k in menu_entries(window)["&Quản trị"]]
    assert {"Ctrl+Shift+A", "Ctrl+Shift+K"} <= set(keys) and len(keys) >= 8  # five screens, backup, restore, resume


def test_a_bad_scan_is_a_warning_the_clerk_also_hears(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.main_window import scan_routing

    sounds = []
    monkeypatch.setattr(scan_routing, "alert_sound", lambda: sounds.append(1))
    window.on_scanned("000.00.06.H56-261341-0001")  # no 41st of December: a misread digit
    box = window.scan_message
    assert box is not None and box.icon() == QMessageBox.Icon.Warning and sounds == [1]
    assert "không có thật" in box.informativeText()
    box.close()


def test_ctrl_shift_a_as_a_clerk_says_why_nothing_opens(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_section() == "board"
    said = window.statusBar().currentMessage()
    assert "Quản trị" in said and "chỉ dành cho quản trị viên" in said and "gọi quản trị viên" in said


def test_the_end_of_day_batch_without_settings_tells_a_clerk_in_words_to_call_the_administrator(qtbot, window):
    window.show_section("sync")
    window.sync.page.batch_button.click()
    said = window.sync.page.message.text()
    assert "gọi quản trị viên" in said and "địa chỉ gửi dữ liệu" in said and "mật khẩu" in said
    assert not any(key in said for key in ("gateway_url", "username", "password", "dstcode"))
    assert window.current_section() == "sync"
    assert "gateway_url" not in window.sync.status.toolTip() + window.sync.background.connection.reason


def test_the_end_of_day_batch_without_settings_takes_an_administrator_to_the_field(qtbot, ctx):
    from counter.office.users import authenticate
    from ui.app import create_main_window

    window = create_main_window(ctx, authenticate(ctx, "admin", "admin123"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.show_section("sync")
    window.sync.page.batch_button.click()
    assert window.current_section() == "admin"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.admin.page.form.edits["gateway_url"])
    assert "gateway_url" not in window.sync.page.message.text()
    assert "địa chỉ gửi dữ liệu" in window.sync.page.message.text()


def test_closing_the_print_preview_gives_the_keyboard_back_to_the_screen(qtbot, ctx, clerk):
    """The main window active again and the key focus where the clerk types next (the receive page's first box)."""
    from counter.catalogue import procedures
    from ui.app import create_main_window

    window = create_main_window(ctx, clerk)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    page = window.receive_page
    page.fill_from_cccd("038090012345||Nguyễn Văn An|15031990|Nam|Thôn 3|20042021")
    page.picker.pick(procedures.get_procedure(ctx, "1.001193"))
    page.receive()
    dialog = page.preview
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    with qtbot.waitSignal(dialog.destroyed):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert QApplication.focusWidget() is page.applicant.id_edit
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)  # typing goes to the screen at once
    assert page.applicant.id_edit.text().endswith("3") or page.applicant.id_edit.text() == "3"
