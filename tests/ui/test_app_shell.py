"""The main window's wiring: sections and shortcuts, header, sync count, scan routing; app set-up."""

import importlib.util
import logging
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
)

from counter.dossiers import reception
from counter.errors import ValidationError
from counter.records import ApplicantInput, DossierDraft
from counter.sync.outbox import waiting_count
from tests.ui.keys import type_text
from ui import app as app_module
from ui import dialogs
from ui.app import make_application
from ui.main_window.window import MainWindow

CCCD = "038090012345|123456789|Nguyễn Văn An|15031990|Nam|Thôn 3, Xã Quảng Hùng, Thanh Hóa|20042021"


@pytest.fixture
def window_options(fake_receive_page):
    return {"receive_page_factory": fake_receive_page}


def test_sections_and_shortcuts(qtbot, window):
    assert window.sections() == ["board", "receive", "dossiers", "sync", "reports"]
    assert window.current_section() == "board"
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.current_section() == "dossiers"
    assert window.stack.currentWidget() is window.dossier_page
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.current_section() == "receive" and window.stack.currentWidget() is window.receive_page
    window.show_section("dossiers")
    assert window.nav.currentItem().text().startswith("Tra cứu")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.current_section() == "board" and window.stack.currentWidget() is window.board_page
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.current_section() == "reports"


@pytest.mark.parametrize("window_options", [{"receive_page_factory": lambda ctx, parent: None}])
def test_without_a_receive_page_only_the_list_is_shown(window):
    assert window.sections() == ["board", "dossiers", "sync", "reports"]
    assert window.receive_page is None and window.main_actions.receive is None
    with pytest.raises(ValueError):
        window.show_section("receive")


@pytest.mark.parametrize("window_options", [{}])
def test_the_real_receive_page_is_shown_when_it_exists(window):
    exists = importlib.util.find_spec("ui.reception.page") is not None
    assert (window.receive_page is not None) == exists
    assert ("receive" in window.sections()) == exists


def test_ctrl_q_closes(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_header_names_the_clerk_and_role(window):
    assert window.header.clerk.text() == "Nguyễn Thị Hoa · Cán bộ tiếp nhận"
    assert "UBND XÃ QUẢNG HÙNG" in window.header.office.text()
    assert "Nguyễn Thị Hoa" in window.windowTitle()


def test_status_bar_counts_what_waits_for_sync(qtbot, ctx, window):
    assert window.sync_count.text() == "Chờ đồng bộ: 0"
    dossier, changes = reception.receive_dossier(ctx, DossierDraft(
        procedure_code="1.001193", applicant=ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An")))
    window.signals.changed.emit(changes)
    assert waiting_count(ctx) == 2  # one dossier: its upsert and its first step, as the Đồng bộ page lists them
    assert window.sync_count.text() == "Chờ đồng bộ: 2"
    window.show_section("dossiers")  # Tra cứu, hidden until now, reads the change when shown
    assert [r.code for r in window.dossier_page.model.rows()] == [dossier.code]


def test_a_cccd_scan_fills_the_receive_page_when_it_is_shown(qtbot, window, scanner):
    window.connect_scanner(scanner)
    window.show_section("receive")
    window.receive_page.setFocus()
    with qtbot.waitSignal(scanner.scanned, timeout=2000):
        type_text(window.receive_page, CCCD + "\n", gap_ms=5, clock=scanner.monotonic)
    assert window.receive_page.filled == [CCCD]
    assert window.current_section() == "receive"


def test_an_unknown_scan_is_shown_as_read(qtbot, window, scanner):
    window.connect_scanner(scanner)
    with qtbot.waitSignal(scanner.scanned, timeout=2000):
        type_text(window.dossier_page.view, "ABC-123-XYZ\n", gap_ms=5, clock=scanner.monotonic)
    assert window.scan_message.isVisible()
    assert window.scan_message.text() == "Đã quét: ABC-123-XYZ — chưa nhận ra mã này"
    assert window.receive_page.filled == []


def test_qt_strings_are_vietnamese(qapp):
    app = make_application()
    assert app.applicationName() == "Quầy Một Cửa" and app.font().pointSize() == 11
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in box.buttons()) == ["Hủy", "Đồng ý"]
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    assert [a.text().split("\t")[0] for a in menu.actions() if a.text()][:5] == [
        "&Hoàn tác", "&Làm lại", "&Cắt", "&Sao chép", "&Dán"]


def test_typed_errors_show_their_message_and_faults_the_traceback(tmp_path):
    box = dialogs.error_box(None, ValidationError("Số định danh cá nhân phải gồm đúng 12 chữ số."))
    assert box.text() == "Số định danh cá nhân phải gồm đúng 12 chữ số." and box.detailedText() == ""
    try:
        raise RuntimeError("boom")
    except RuntimeError as e:
        box = dialogs.error_box(None, e, tmp_path / "app.log")
    assert box.icon() == QMessageBox.Icon.Critical
    assert str(tmp_path / "app.log") in box.text() and "RuntimeError: boom" in box.detailedText()


def test_excepthook_logs_and_shows(monkeypatch, caplog, qapp):
    shown = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc, log_file=None: shown.append(exc))
    dialogs.install_excepthook()
    error = KeyError("x")
    with caplog.at_level(logging.ERROR):
        sys.excepthook(KeyError, error, None)
    assert shown == [error] and "uncaught exception" in caplog.text
    QApplication.processEvents()


class FakeLogin:
    """Stands in for LoginDialog.exec(): answers at once."""

    def __init__(self, user):
        self.user = user

    def exec(self):
        return QDialog.DialogCode.Accepted if self.user else QDialog.DialogCode.Rejected


def test_run_ends_when_login_is_cancelled(monkeypatch, qapp, ctx):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app_module, "LoginDialog", lambda ctx: FakeLogin(None))
    assert app_module.run(ctx) == 0
    assert ctx.user is None


def test_run_shows_the_main_window_for_the_logged_in_clerk(monkeypatch, qtbot, qapp, ctx, clerk):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app_module, "LoginDialog", lambda ctx: FakeLogin(clerk))
    shown = []
    monkeypatch.setattr(QApplication, "exec", lambda *args: shown.extend(
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()) or 0)
    assert app_module.run(ctx) == 0
    assert len(shown) == 1 and shown[0].user == clerk and ctx.user == clerk
    qtbot.addWidget(shown[0])


def test_ui_text_is_nfc():
    """Vietnamese typed with a decomposing keyboard would look right and compare wrong."""
    root = Path(__file__).resolve().parents[2] / "ui"
    offenders = [str(p) for p in root.rglob("*.py")
                 if unicodedata.normalize("NFC", text := p.read_text(encoding="utf-8")) != text]
    assert offenders == []
