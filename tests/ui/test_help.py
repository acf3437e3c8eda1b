"""Trợ giúp: Giới thiệu, Phím tắt (generated from the actions themselves), Mở thư mục nhật ký, Tạo gói hỗ trợ."""

import zipfile

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton

from counter.version import label, version
from ui.help import wiring
from ui.help.shortcuts import WHOLE_APP


def _help_menu(window):
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    return menus["Trợ &giúp"]


def test_the_help_menu_has_its_four_actions_each_with_a_shortcut_and_f1_stays_the_board(window):
    actions = [a for a in _help_menu(window).actions() if not a.isSeparator()]
    assert [(a.text(), a.shortcut().toString()) for a in actions] == [
        ("&Phím tắt…", "Ctrl+F1"), ("&Giới thiệu…", "Shift+F1"),
        ("Mở thư mục &nhật ký", "Ctrl+Alt+N"), ("Tạo gói &hỗ trợ…", "Ctrl+Alt+H")]
    assert window.main_actions.board.shortcut().toString() == "F1"


def test_about_names_the_version_the_files_and_the_licences(window, ctx, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    about = window.help.dialog
    qtbot.waitUntil(about.isVisible)
    assert about.windowTitle() == f"Giới thiệu — Quầy Một Cửa {version()}"
    text = about.text()
    for expected in (label(), str(ctx.db_path), str(ctx.data_dir), str(ctx.data_dir / "logs" / "quaymotcua.log"),
                     "SQLite 3.", "Ngày dựng: chạy từ mã nguồn", "Qt 6", "LGPL v3", "Open Font License", "reportlab"):
        assert expected in text, expected
    assert about.width() <= 1366 and about.height() <= 700
    qtbot.keyClick(about, Qt.Key.Key_Escape)
    assert not about.isVisible()


def test_the_keyboard_card_lists_the_screens_shortcuts_and_an_added_action_shows_up(window, qtbot):
    window.help.keys.trigger()
    rows = window.help.dialog.rows()
    assert ("F1", "Hôm nay", WHOLE_APP) in rows and ("Ctrl+F1", "Phím tắt", WHOLE_APP) in rows
    assert ("Ctrl+Q", "Thoát", WHOLE_APP) in rows and ("Ctrl+F", "Tìm hồ sơ, người nộp", "Hôm nay") in rows
    assert all(keys for keys, _text, _group in rows)
    window.help.dialog.close()

    page = window.stack.currentWidget()
    added = QAction("In danh sách hôm nay", page)
    added.setShortcut(QKeySequence("Ctrl+Shift+J"))
    page.addAction(added)
    QShortcut(QKeySequence("Ctrl+Shift+U"), page).setWhatsThis("Làm mới bảng")
    window.help.keys.trigger()
    rows = window.help.dialog.rows()
    assert ("Ctrl+Shift+J", "In danh sách hôm nay", "Hôm nay") in rows
    assert ("Ctrl+Shift+U", "Làm mới bảng", "Hôm nay") in rows
    window.help.dialog.close()
    added.setEnabled(False)  # a disabled action does nothing now: not on the card
    window.help.keys.trigger()
    assert ("Ctrl+Shift+J", "In danh sách hôm nay", "Hôm nay") not in window.help.dialog.rows()


def test_a_shortcut_without_a_label_takes_its_buttons_text(window, qtbot):
    window.show_receive()
    page = window.stack.currentWidget()
    button = QPushButton("Đọc lại căn cước  (Ctrl+Shift+K)", page)
    QShortcut(QKeySequence("Ctrl+Shift+K"), page, button.click)
    window.help.keys.trigger()
    rows = window.help.dialog.rows()
    assert ("Ctrl+Shift+K", "Đọc lại căn cước", "Tiếp nhận") in rows
    assert ("F1", "Hôm nay", WHOLE_APP) in rows
    assert ("F9", "Tiếp nhận, in giấy biên nhận", "Tiếp nhận") in rows
    assert ("Ctrl+N", "Tiếp nhận hồ sơ mới", "Tiếp nhận") in rows  # the page's own actions (also in the menus)
    assert ("Ctrl+Return", "Tiếp nhận, in giấy biên nhận", "Tiếp nhận") in rows
    assert not [row for row in rows if row[0] in ("Return", "Enter")]  # the hidden scan offer bar's are not shown


def test_open_the_logs_folder(window, ctx, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    window.help.logs.trigger()
    assert opened == [str(ctx.data_dir / "logs")] and (ctx.data_dir / "logs").is_dir()


def test_the_support_bundle_is_saved_where_the_clerk_says(window, tmp_path, monkeypatch, qtbot):
    asked = []
    monkeypatch.setattr(wiring, "ask_destination", lambda parent, suggested: asked.append(suggested) or
                        tmp_path / "gui-ho-tro")
    path = window.help.make_bundle()
    assert path == tmp_path / "gui-ho-tro.zip" and asked[0].name.startswith("quay-mot-cua-ho-tro-")
    with zipfile.ZipFile(path) as archive:
        assert {"about.json", "settings.json", "check.json", "README.txt"} <= set(archive.namelist())
    assert str(path) in window.help.dialog.text()
    window.help.dialog.close()
    monkeypatch.setattr(wiring, "ask_destination", lambda parent, suggested: None)  # cancelled: nothing written
    assert window.help.make_bundle() is None
    monkeypatch.setattr(wiring, "ask_destination", lambda parent, suggested: tmp_path / "khong-co" / "a.zip")
    assert window.help.make_bundle() is None
    assert "Không có thư mục" in window.help.dialog.text()
