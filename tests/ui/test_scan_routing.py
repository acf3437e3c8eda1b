"""Scans from any screen, through the app's ScannerFilter: a dossier code opens its page, an unknown
well-formed code says it is not here, a CCCD lists that person's dossiers (or fills the receive form
when that form is on screen), anything else is shown with why; typing by hand is never a scan."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from counter.status import Status
from tests.counter.lifecycle_steps import AN, dossier_in, receive
from tests.ui.dossier_steps import collecting
from tests.ui.keys import type_text

CCCD = "038090012345|123456789|Nguyễn Văn An|15031990|Nam|Thôn 3, Xã Quảng Hùng, Thanh Hóa|20042021"
STRANGER = "001099000111||Lê Thị Lạ|01011999|Nữ|Hà Nội|01012021"
UNKNOWN_CODE = "000.00.06.H56-260213-0999"


@pytest.fixture
def window_options(scanner, fake_receive_page):
    return {"scanner": scanner, "receive_page_factory": fake_receive_page}


@pytest.fixture
def window(window):
    """The shared main window, its dossier page collecting print jobs."""
    collecting(window.detail_page)
    return window


def scan(qtbot, window, scanner, text: str, target: QWidget | None = None) -> None:
    """A scanner's burst (5 ms between keys, then Enter) into whatever has the focus."""
    target = target or QApplication.focusWidget() or window
    with qtbot.waitSignal(scanner.scanned, timeout=2000):
        type_text(target, text + "\n", gap_ms=5, clock=scanner.monotonic)


def test_a_dossier_code_opens_its_page_from_any_screen(qtbot, ctx, window, scanner):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    for section in ("board", "receive", "dossiers", "sync"):
        window.show_section(section)
        scan(qtbot, window, scanner, dossier.code)
        qtbot.waitUntil(lambda: window.current_section() == "dossier")
        assert window.detail_page.code == dossier.code
        assert "record_result" in window.detail_page.offered()
        window.detail_page.back.emit()  # Esc
        assert window.current_section() == section


def test_a_code_scanned_on_a_dossier_page_opens_the_other_dossier(qtbot, ctx, window, scanner):
    first, second = dossier_in(ctx, Status.RECEIVED), dossier_in(ctx, Status.IN_PROGRESS)
    scan(qtbot, window, scanner, first.code)
    qtbot.waitUntil(lambda: window.detail_page.code == first.code)
    scan(qtbot, window, scanner, second.code)
    qtbot.waitUntil(lambda: window.detail_page.code == second.code)


def test_the_lookup_qr_beside_the_barcode_opens_the_dossier_too(qtbot, ctx, window, scanner):
    dossier = dossier_in(ctx, Status.RECEIVED)
    scan(qtbot, window, scanner, f"https://dichvucong.thanhhoa.gov.vn/tra-cuu?MHS={dossier.code}")
    qtbot.waitUntil(lambda: window.current_section() == "dossier" and window.detail_page.code == dossier.code)


def test_a_code_with_an_impossible_date_says_so_before_any_lookup(qtbot, window, scanner):
    scan(qtbot, window, scanner, "000.00.06.H56-261303-0001")  # month 13: a digit misread
    box = window.scan_message
    assert box.isVisible() and box.text().startswith("Đã quét: 000.00.06.H56-261303-0001")
    assert "ngày tiếp nhận “261303” (yyMMdd) không có thật" in box.informativeText()


def test_a_code_read_in_lower_case_still_opens(qtbot, ctx, window, scanner):
    dossier = dossier_in(ctx, Status.RECEIVED)
    scan(qtbot, window, scanner, dossier.code.lower())
    qtbot.waitUntil(lambda: window.detail_page.code == dossier.code)


def test_an_unknown_well_formed_code_says_it_is_not_on_this_machine(qtbot, window, scanner):
    scan(qtbot, window, scanner, UNKNOWN_CODE)
    qtbot.waitUntil(lambda: window.scan_message is not None and window.scan_message.isVisible())
    assert window.scan_message.text() == f"Không có hồ sơ mã {UNKNOWN_CODE} trên máy này."
    assert window.current_section() == "board"


def test_a_cccd_outside_the_receive_screen_lists_that_persons_dossiers(qtbot, ctx, window, scanner):
    first, second = receive(ctx), receive(ctx, "1.001193")
    window.show_section("dossiers")
    scan(qtbot, window, scanner, CCCD)
    board = window.board_page
    assert window.current_section() == "board" and board.search_edit.text() == AN.id_number
    qtbot.waitUntil(lambda: board.current_view() is board.views["search"] and board.models["search"].rowCount() == 2)
    assert sorted(board.views["search"].codes()) == sorted([first.code, second.code])
    assert "Hồ sơ của Nguyễn Văn An (số định danh 038090012345): 2 hồ sơ" in board.banner.plain_text()
    assert board.receive_button.isVisible()  # they may have come with a new dossier too
    assert window.receive_page.filled == []


def test_a_cccd_of_someone_with_no_dossier_offers_to_receive_one(qtbot, window, scanner):
    scan(qtbot, window, scanner, STRANGER)
    board = window.board_page
    qtbot.waitUntil(lambda: board.receive_button.isVisible())
    assert "Chưa có hồ sơ nào của Lê Thị Lạ (số định danh 001099000111) trên máy này." in board.banner.plain_text()
    board.receive_button.click()
    assert window.current_section() == "receive" and window.receive_page.filled == [STRANGER]


def test_a_cccd_while_the_receive_screen_is_shown_fills_the_form(qtbot, window, scanner):
    window.show_section("receive")
    window.receive_page.setFocus()
    scan(qtbot, window, scanner, CCCD)
    assert window.receive_page.filled == [CCCD] and window.current_section() == "receive"


def test_anything_else_is_shown_as_read_with_why(qtbot, window, scanner):
    scan(qtbot, window, scanner, "HELLO-WORLD-42")
    box = window.scan_message
    assert box.isVisible() and box.text() == "Đã quét: HELLO-WORLD-42 — chưa nhận ra mã này"
    assert box.informativeText() == "Không đúng dạng mã hồ sơ 000.00.00.H00-yyMMdd-NNNN."
    scan(qtbot, window, scanner, "038090012345|Nguyễn Văn An|Nam")  # a card read half
    assert window.scan_message.text().startswith("Đã quét: 038090012345|Nguyễn Văn An|Nam")
    assert window.scan_message.informativeText().startswith("Có vẻ là mã QR trên thẻ căn cước nhưng đọc không đủ")
    assert window.current_section() == "board"


def test_a_code_typed_by_hand_is_never_routed(qtbot, ctx, window, scanner):
    dossier = dossier_in(ctx, Status.RECEIVED)
    edit = window.board_page.search_edit
    edit.setFocus()
    seen = []
    scanner.scanned.connect(seen.append)
    type_text(edit, dossier.code + "\n", gap_ms=120, clock=scanner.monotonic)  # a person's pace
    qtbot.wait(50)
    assert seen == [] and edit.text() == dossier.code and window.current_section() == "board"
    board = window.board_page
    qtbot.waitUntil(lambda: board.views["search"].codes() == [dossier.code])  # Enter searched instead


def test_a_later_scan_drops_the_answer_to_an_earlier_one(qtbot, ctx, window):
    dossier = dossier_in(ctx, Status.RECEIVED)
    window.on_scanned(dossier.code)  # its lookup is on its way…
    window.on_scanned(STRANGER)  # …when the clerk scans a card instead
    board = window.board_page
    qtbot.waitUntil(lambda: board.receive_button.isVisible())
    qtbot.wait(100)
    assert window.current_section() == "board" and window.detail_page.code == ""


def test_a_card_scanned_into_the_return_dialog_names_the_collector(qtbot, ctx, window, scanner):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    scan(qtbot, window, scanner, dossier.code)
    qtbot.waitUntil(lambda: window.detail_page.code == dossier.code)
    dialog = window.detail_page.start("return_result")
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    window.on_scanned(STRANGER)
    assert dialog.proxy_radio.isChecked() and dialog.id_edit.text() == "001099000111"
    assert window.current_section() == "dossier" and window.scan_message is None
    window.on_scanned(UNKNOWN_CODE)  # any other scan leaves the dialog and the screen alone
    assert "đóng hộp thoại rồi quét lại" in window.statusBar().currentMessage() and window.scan_message is None
    dialog.reject()


def test_enter_on_a_row_of_the_dossier_list_opens_it(qtbot, ctx, window):
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    window.show_section("dossiers")
    view = window.dossier_page.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail_page.code == dossier.code)
    qtbot.keyClick(window.detail_page.focusWidget(), Qt.Key.Key_Escape)
    assert window.current_section() == "dossiers"
