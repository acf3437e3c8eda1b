"""The reception issue's flow, end to end in the real main window: log in → a scanner burst of a
CCCD QR with a Vietnamese name fills the applicant → `khai sinh` typed without diacritics picks the
procedure → one of the three outcomes → its PDF: title and name intact, barcode = the dossier code."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.records import GuidanceItem
from counter.status import Status
from db.models import Dossier, Guidance
from tests.ui.keys import type_text
from tests.ui.printed import barcodes, pdf_text
from ui.app import create_main_window
from ui.login.dialog import LoginDialog
from ui.reception import dialogs

CCCD = "001190012345||Đặng Thị Ánh Tuyết|02091991|Nữ|Xóm Đồi, Xã Quảng Hùng, Thanh Hóa|12052022"
NAME = "Đặng Thị Ánh Tuyết"


def log_in(qtbot, ctx, scanner):
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.username.setFocus()
    human = {"gap_ms": 150, "clock": scanner.monotonic}  # typed by hand: never taken for a scan
    type_text(dialog.username, "canbo\n", **human)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        type_text(dialog.password, "canbo123\n", **human)
    return dialog.user


def reach_the_outcome(qtbot, ctx, scanner):
    user = log_in(qtbot, ctx, scanner)
    window = create_main_window(ctx, user, scanner=scanner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.show_section("receive")
    page = window.receive_page
    page.jobs = []
    page.show_preview = page.jobs.append  # the preview dialog is tested on its own
    focused = QApplication.focusWidget() or page
    with qtbot.waitSignal(scanner.scanned, timeout=2000):
        type_text(focused, CCCD + "\n", gap_ms=5, clock=scanner.monotonic)
    qtbot.waitUntil(lambda: page.applicant.name_edit.text() == NAME)
    assert page.applicant.id_edit.text() == "001190012345"
    page.picker.edit.setFocus()
    type_text(page.picker.edit, "khai sinh", gap_ms=150, clock=scanner.monotonic)  # no diacritics typed
    scanner.monotonic.advance_ms(150)  # the hand pauses: the filter releases the last key it held
    qtbot.waitUntil(lambda: page.picker.edit.text() == "khai sinh" and bool(page.picker.model.rows))
    codes = [p.code for p in page.picker.model.rows]
    for _ in range(codes.index("1.001193")):
        qtbot.keyClick(page.picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(page.picker.edit, Qt.Key.Key_Return)
    assert page.picker.procedure().name == "Đăng ký khai sinh"
    return page


def test_receive_prints_mau01_with_the_name_and_a_readable_barcode(qtbot, ctx, scanner):
    page = reach_the_outcome(qtbot, ctx, scanner)
    qtbot.keyClick(page.applicant.name_edit, Qt.Key.Key_F9)
    dossier = Dossier.get()
    assert dossier.status == Status.RECEIVED and dossier.applicant_name == NAME
    [job] = page.jobs
    text = pdf_text(job.pdf)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and NAME in text
    assert barcodes(job.pdf, 0) == [dossier.code]  # decoded from a 300 dpi rendering


def test_incomplete_prints_mau02_and_receives_nothing(qtbot, ctx, scanner, monkeypatch):
    page = reach_the_outcome(qtbot, ctx, scanner)
    monkeypatch.setattr(dialogs, "ask_guidance", lambda parent, missing: (
        [GuidanceItem("Giấy chứng sinh", "Chưa có bản chính")], "Thiếu giấy chứng sinh"))
    qtbot.keyClick(page.applicant.name_edit, Qt.Key.Key_F7)
    assert Dossier.select().count() == 0 and Guidance.get().applicant_name == NAME
    [job] = page.jobs
    text = pdf_text(job.pdf)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and NAME in text and "Chưa có bản chính" in text


def test_refuse_prints_mau03_with_the_code_as_barcode(qtbot, ctx, scanner, monkeypatch):
    page = reach_the_outcome(qtbot, ctx, scanner)
    monkeypatch.setattr(dialogs, "ask_refusal_reason", lambda parent: "Người yêu cầu không thuộc địa bàn")
    qtbot.keyClick(page.applicant.name_edit, Qt.Key.Key_F8)
    dossier = Dossier.get()
    assert dossier.status == Status.REFUSED
    [job] = page.jobs
    text = pdf_text(job.pdf)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and NAME in text
    assert "Người yêu cầu không thuộc địa bàn" in text
    assert barcodes(job.pdf, 0) == [dossier.code]  # decoded from a 300 dpi rendering
