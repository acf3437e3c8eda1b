"""A return visit end to end, in the real main window with the app's ScannerFilter and the real print preview:
a dossier received by counter.dossiers.reception is handed over and its result recorded through the page's actions;
days later the citizen comes back with the receipt, the clerk scans its code from the board, returns the
result (fees settled first, the domain insists), prints the return receipt, and the citizen rates the service.
"""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.dossiers import reception
from counter.dossiers.lookup import get_dossier
from counter.records import ApplicantInput, ComponentInput, DossierDraft
from counter.status import Status
from db.models import PrintLog, ServiceRating
from tests.conftest import at
from tests.counter.lifecycle_steps import UNIT
from tests.ui.keys import enter, press, type_text
from tests.ui.printed import pdf_text, printing_to
from ui.dossier_page import jobs
from ui.dossier_page.actions import BY_KEY
from ui.printing import preview as preview_module
from ui.printing.preview import PreviewDialog

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")
COPIES = (ComponentInput(name="Bản chính giấy tờ, văn bản làm cơ sở chứng thực"),
          ComponentInput(name="Bản sao cần chứng thực", form="bản sao", quantity=2, pages=5))  # 14.000 đ


@pytest.fixture(autouse=True)
def printer(monkeypatch, tmp_path):
    """The print dialog answered with a PDF printer: what is printed lands in tmp_path/printed.pdf."""
    monkeypatch.setattr(preview_module, "choose_printer", printing_to(tmp_path / "printed.pdf"))


@pytest.fixture
def window_options(scanner):
    return {"scanner": scanner}


def key(qtbot, window, scanner, action: str) -> None:
    """A clerk's key press, a moment after the last one (the scanner filter must not take it for a scan)."""
    scanner.monotonic.advance_ms(1000)
    name = BY_KEY[action].shortcut
    qtbot.keyClick(QApplication.focusWidget() or window, getattr(Qt.Key, f"Key_{name}"))


def typed(scanner, field, text: str) -> None:
    """Typed by hand, at a person's pace."""
    scanner.monotonic.advance_ms(1000)
    field.setFocus()
    type_text(field, text, gap_ms=90, clock=scanner.monotonic)


def hit_enter(scanner, field) -> None:
    scanner.monotonic.advance_ms(1000)
    enter(field)


def printed_and_closed(qtbot, page) -> PreviewDialog:
    """The preview the action opened: print it (to a PDF file, logged), then close it."""
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible())
    dialog = page.preview
    assert dialog.print_now()
    dialog.close_button.click()
    qtbot.waitUntil(lambda: page.preview is None)
    return dialog


def test_a_return_visit_from_scan_to_rating(qtbot, ctx, window, scanner):
    ctx.clock.at = at("2026-02-13 10:00")
    dossier, changes = reception.receive_dossier(ctx, DossierDraft(procedure_code="2.000815", applicant=AN,
                                                                   components=COPIES))
    page = window.detail_page

    # The clerk opens it from the board (Enter on the row), hands it over (F4) and prints Mẫu 06.
    board = window.board_page
    board.on_changed(changes)
    qtbot.waitUntil(lambda: dossier.code in board.views["received"].codes())
    board.show_list("received")
    board.current_view().setFocus()
    hit_enter(scanner, board.current_view())
    qtbot.waitUntil(lambda: window.current_section() == "dossier" and page.code == dossier.code)
    key(qtbot, window, scanner, "handover")
    dialog = page.dialog
    typed(scanner, dialog.unit_edit, UNIT)
    hit_enter(scanner, dialog.unit_edit)
    hit_enter(scanner, dialog.note_edit)
    assert printed_and_closed(qtbot, page).job.form == "mau06"

    # The unit's result comes back to the desk (F9).
    key(qtbot, window, scanner, "record_result")
    dialog = page.dialog
    typed(scanner, dialog.number_edit, "SCT-15/2026")
    hit_enter(scanner, dialog.number_edit)
    typed(scanner, dialog.name_edit, "Bản sao được chứng thực từ bản chính")
    for field in (dialog.name_edit, dialog.code_edit, dialog.note_edit):
        hit_enter(scanner, field)
    assert get_dossier(ctx, dossier.code).status == Status.RESULT_READY
    window.show_section("board")
    qtbot.waitUntil(lambda: dossier.code in board.views["ready"].codes())  # with the phone to call

    # Days later, the citizen is back. From the board, the clerk scans the code on the receipt.
    ctx.clock.at = at("2026-02-24 09:00")
    scanner.monotonic.advance_ms(1000)
    with qtbot.waitSignal(window.navigator.opened, timeout=3000):
        type_text(QApplication.focusWidget() or window, dossier.code + "\n", gap_ms=5, clock=scanner.monotonic)
    assert window.current_section() == "dossier" and page.code == dossier.code

    # Fees first: the return is refused in the domain's words until they are paid.
    message = ("Không thể trả kết quả: hồ sơ còn 14.000 đồng phí, lệ phí chưa nộp. "
               "Hãy thu phí, lệ phí trước khi trả kết quả.")
    assert page.notice.plain_text() == message
    key(qtbot, window, scanner, "return_result")
    assert page.dialog is None and page.message.plain_text() == message
    key(qtbot, window, scanner, "request_payment")
    hit_enter(scanner, page.dialog.name_edit)
    hit_enter(scanner, page.dialog.amount_edit)
    key(qtbot, window, scanner, "record_payment")
    hit_enter(scanner, page.dialog.ok_button)

    # F10, Enter: the applicant collects it; the receipt is printed, then the rating.
    key(qtbot, window, scanner, "return_result")
    dialog = page.dialog
    assert dialog.self_radio.isChecked()
    hit_enter(scanner, dialog.self_radio)
    receipt = printed_and_closed(qtbot, page)
    text = pdf_text(receipt.job.pdf)
    assert "GIẤY BIÊN NHẬN TRẢ KẾT QUẢ" in text and "Nguyễn Văn An" in text and "SCT-15/2026" in text
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.action == "rate_service")
    rating = page.dialog
    scanner.monotonic.advance_ms(1000)
    press(rating.focusWidget(), ord("2"), "2")  # HÀI LÒNG
    hit_enter(scanner, rating.focusWidget())

    stored = get_dossier(ctx, dossier.code)
    assert stored.status == Status.RETURNED and int(stored.status) == 10
    assert [(r.level, r.dossier.code) for r in ServiceRating.select()] == [("satisfied", dossier.code)]
    assert [(p.form, p.copy_no) for p in PrintLog.select().order_by(PrintLog.id)] == [
        ("mau06", 0), ("return_receipt", 0)]
    assert page.offered() == ["print_slip", "reprint"] and page.header.status_badge.text() == "Đã trả kết quả"
    slip = pdf_text(jobs.control_slip_job(page.ctx, page.detail).pdf)  # Ctrl+P's Mẫu 06: one row per hand-over
    assert slip.count("Giao:") == 2 and "Trả kết quả cho" in slip  # to the unit, back to the desk, to him
    assert "Đánh giá" not in slip and "nộp phí" not in slip and "Tiếp nhận hồ sơ\n" not in slip, slip
    assert window.sync_count.text().startswith("Chờ đồng bộ:")
    window.main_actions.board.trigger()  # F1
    qtbot.waitUntil(lambda: dossier.code not in board.views["ready"].codes())
