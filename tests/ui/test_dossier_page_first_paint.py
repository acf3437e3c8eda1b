"""A dossier opened by a scan paints first what the clerk reads at once — the code, status and time left, the
applicant, the procedure and its deadline, the fees, the actions — from the dossier's own rows; its history, papers,
scans, what happened after reception and the sync conflict are filled right after that frame. Meanwhile nothing of
the dossier shown before stays in view, an earlier scan's rest never lands on a later dossier, and an action taken
before the rest is read acts on the whole dossier."""

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from counter.dossiers.lookup import get_dossier
from counter.status import Status
from counter.sync import queue
from tests.counter.lifecycle_steps import dossier_in
from tests.ui.dossier_steps import collecting
from tests.ui.keys import type_text
from ui.dossier_page.after_paint import FALLBACK_MS
from ui.dossier_page.page import DossierPage
from ui.dossier_page.summary import FactsBox

CONFLICT = "Xung đột: tỉnh đã đổi trạng thái hồ sơ thành “Đã có kết quả”."


@pytest.fixture
def window_options(scanner):
    return {"scanner": scanner}


@pytest.fixture
def window(window):
    collecting(window.detail_page)
    return window


class Seen(QObject):
    """What happened, in order: the header's code painted, and the page made whole (`populated`)."""

    def __init__(self, page: DossierPage):
        super().__init__()
        self.events: list[str] = []
        page.header.code_label.installEventFilter(self)
        page.populated.connect(lambda code: self.events.append(f"whole {code}"))

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.events.append(f"paint {obj.text()}")
        return False


def shown_at_first(page: DossierPage) -> dict:
    """The page as the first frame paints it (read when `opened` is emitted, before any paint)."""
    return {"code": page.header.code_label.text(), "status": page.header.status_badge.text(),
            "applicant": page.applicant_box.values().get("Họ tên:", ""),
            "due": page.procedure_box.values().get("Hẹn trả:", ""), "offered": page.offered(),
            "detail": page.detail, "history_rows": page.timeline.rowCount(), "scan_rows": page.scans.table.rowCount(),
            "slots": list(page.scans.slots), "progress": page.progress_box.isVisibleTo(page),
            "notice": page.notice.plain_text()}


def scan(qtbot, window, scanner, code: str) -> dict:
    """A scanner's burst and Enter; returns the page as its first frame showed it."""
    first = {}

    def on_opened(_code: str) -> None:
        first.update(shown_at_first(window.detail_page))

    window.navigator.opened.connect(on_opened)
    scanner.monotonic.advance_ms(1000)
    with qtbot.waitSignal(window.navigator.opened, timeout=3000):
        type_text(QApplication.focusWidget() or window, code + "\n", gap_ms=5, clock=scanner.monotonic)
    window.navigator.opened.disconnect(on_opened)
    return first


def test_the_first_frame_shows_the_dossier_and_the_rest_follows_it(qtbot, ctx, window, scanner, monkeypatch):
    earlier, dossier = dossier_in(ctx, Status.RESULT_READY), dossier_in(ctx, Status.IN_PROGRESS)
    monkeypatch.setattr(queue, "conflict_of", lambda _ctx, code: CONFLICT if code == dossier.code else None)
    page = window.detail_page
    scan(qtbot, window, scanner, earlier.code)
    qtbot.waitUntil(lambda: page.detail is not None)
    assert page.timeline.rowCount() == len(earlier.history) and "Kết quả:" in page.progress_box.values()
    seen = Seen(page)

    first = scan(qtbot, window, scanner, dossier.code)
    assert first["code"] == dossier.code and first["status"] == "Đang xử lý"
    assert "Nguyễn Văn An" in first["applicant"] and first["due"]
    assert first["offered"] == ["handover", "request_supplement", "request_payment", "record_result", "withdraw",
                                "print_slip", "reprint"]
    # Nothing of the dossier shown before, and nothing yet of this one's rest.
    assert first["detail"] is None and first["history_rows"] == 0 and first["scan_rows"] == 0
    assert first["slots"] == [] and not first["progress"] and first["notice"] == ""
    assert QApplication.focusWidget() is page.panel.buttons["handover"]  # Enter hands it over, as before

    qtbot.waitUntil(lambda: page.detail is not None)
    ours = [event for event in seen.events if event.endswith(dossier.code)]
    assert ours[:2] == [f"paint {dossier.code}", f"whole {dossier.code}"]  # painted first, then made whole
    assert page.detail.dossier.code == dossier.code and page.timeline.rowCount() == len(dossier.history)
    assert len(page.scans.slots) == len(dossier.components) == page.components_box.table.rowCount()
    assert page.lower.tabText(2) == f"Bản số hóa (0/{len(dossier.components)})"
    assert not page.progress_box.isVisibleTo(page)
    assert page.notice.plain_text().startswith(CONFLICT) and "mục Đồng bộ (Ctrl+Shift+S)" in page.notice.plain_text()
    assert QApplication.focusWidget() is page.panel.buttons["handover"]


def test_an_action_taken_before_the_rest_is_read_acts_on_the_whole_dossier(qtbot, ctx, dossier_page):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    page = dossier_page
    page.open_dossier(get_dossier(ctx, dossier.code))
    assert page.detail is None
    dialog = page.start("request_payment")  # F7 pressed before the frame was painted
    assert dialog is page.dialog and dialog.detail is page.detail and page.detail.result is not None
    assert page.timeline.rowCount() == len(dossier.history)
    dialog.reject()


def test_an_earlier_dossier_s_rest_never_lands_on_a_later_one(qtbot, ctx, dossier_page):
    earlier, later = dossier_in(ctx, Status.RESULT_READY), dossier_in(ctx, Status.RECEIVED)
    page = dossier_page
    whole = []
    page.populated.connect(whole.append)
    page.open_dossier(get_dossier(ctx, earlier.code))
    page.open_dossier(get_dossier(ctx, later.code))  # scanned before the first was painted
    qtbot.waitUntil(lambda: page.detail is not None)
    qtbot.wait(FALLBACK_MS + 50)
    assert whole == [later.code] and page.detail.dossier.code == later.code
    assert page.timeline.rowCount() == len(later.history) and not page.progress_box.isVisibleTo(page)

    page.open_dossier(get_dossier(ctx, earlier.code))
    page.load(later.code)  # read whole meanwhile (a change announced for it): the pending rest is dropped
    qtbot.wait(FALLBACK_MS + 50)
    assert whole == [later.code, later.code] and page.code == later.code
    assert page.header.code_label.text() == later.code and page.detail.dossier.code == later.code


def test_the_same_dossier_scanned_again_keeps_its_parts_in_view_until_they_are_read_again(qtbot, ctx, dossier_page):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    page = dossier_page
    page.load(dossier.code)
    page.open_dossier(get_dossier(ctx, dossier.code))
    assert page.timeline.rowCount() == len(dossier.history) and page.progress_box.isVisibleTo(page)  # no flicker
    qtbot.waitUntil(lambda: page.detail is not None)
    assert page.timeline.rowCount() == len(dossier.history)


def test_a_page_that_is_not_painted_is_filled_all_the_same(qtbot, ctx, clerk):
    page = DossierPage(ctx)  # never shown: no paint comes
    qtbot.addWidget(page)
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    page.open_dossier(get_dossier(ctx, dossier.code))
    qtbot.waitUntil(lambda: page.detail is not None, timeout=FALLBACK_MS * 10)
    assert page.timeline.rowCount() == len(dossier.history)


def test_a_failure_reading_the_rest_is_said_and_the_dossier_stays(qtbot, ctx, dossier_page, monkeypatch):
    import ui.dossier_page.page as page_module

    def broken(*_args, **_kw):
        raise OSError("ổ đĩa không đọc được")

    monkeypatch.setattr(page_module, "detail_of", broken)
    dossier = dossier_in(ctx, Status.IN_PROGRESS)
    page = dossier_page
    page.open_dossier(get_dossier(ctx, dossier.code))
    qtbot.waitUntil(lambda: page.message.kind == "error")
    assert "Chưa đọc được quá trình giải quyết" in page.message.plain_text() and "ổ đĩa không đọc được" in (
        page.message.plain_text())
    assert page.code == dossier.code and page.header.code_label.text() == dossier.code and page.detail is None


def test_a_fact_box_keeps_its_labels_and_shows_only_the_rows_given(qtbot):
    box = FactsBox("Phí, lệ phí")  # its labels are set anew for each dossier, not made anew
    qtbot.addWidget(box)
    box.show()
    box.set_rows([("", "Lệ phí A: <b>10.000 đ</b>"), ("", "Phí B: <b>4.000 đ</b>"), ("Tổng cộng:", "<b>14.000 đ</b>")])
    kept = box.rows[0][1]
    box.set_rows([("", "Lệ phí C: <b>5.000 đ</b>"), ("Tổng cộng:", "<b>5.000 đ</b>")])  # a row of the other kind
    assert box.lines() == ["Lệ phí C: <b>5.000 đ</b>"] and box.values() == {"Tổng cộng:": "<b>5.000 đ</b>"}
    assert box.rows[0][1] is kept and box.rows[1][0] is not None
    box.set_rows([("", "Lệ phí D: <b>6.000 đ</b>")])  # fewer rows: the others go
    assert box.lines() == ["Lệ phí D: <b>6.000 đ</b>"] and box.values() == {}
    assert len(box.rows) == box.form.rowCount() == 1 and box.rows[0][1] is kept
    box.set_rows([("Phí, lệ phí:", "Không thu")])
    assert box.values() == {"Phí, lệ phí:": "Không thu"} and box.lines() == []
    total = box.rows[0]
    box.set_rows([("", "Lệ phí E: <b>7.000 đ</b>"), ("Tổng cộng:", "<b>7.000 đ</b>")])  # rows taken out come back
    assert box.rows == [(None, kept), total] and box.form.rowCount() == 2
    assert box.lines() == ["Lệ phí E: <b>7.000 đ</b>"] and box.values() == {"Tổng cộng:": "<b>7.000 đ</b>"}
    assert all(widget.isVisible() for row in box.rows for widget in row if widget is not None)
