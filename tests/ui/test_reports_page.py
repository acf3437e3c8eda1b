"""The Báo cáo section: F5 opens it on the current month, computed off the GUI thread; a figure opens the list of
dossiers behind it, which exports to Excel; Enter on a late dossier opens its page."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter.clock import FixedClock
from tests.conftest import at
from tests.reports import stats_history as h
from ui.reports.wiring import SECTION


@pytest.fixture
def clock():
    return FixedClock(at("2026-10-29 09:00"))


@pytest.fixture
def page(qtbot, ctx, window):
    h.october(ctx, with_office=False)
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert window.stack.currentWidget() is window.reports.page
    assert window.sections()[window.nav.currentRow()] == SECTION
    p = window.reports.page
    qtbot.waitUntil(lambda: p.card is not None, timeout=10000)
    return p


def test_f5_opens_the_current_month(page):
    assert page.card.period.start.isoformat() == "2026-10-01" and page.card.period.end.isoformat() == "2026-10-31"
    assert page.rate.text() == "77,8 %  (7/9 hồ sơ)"
    assert page.chart.months[-1].label == "T10/2026"
    assert page.late.rowCount() == 2 and page.soon.rowCount() == 0
    labels = {page.figures.item(r, 0).text(): page.figures.item(r, 1).text() for r in range(page.figures.rowCount())}
    assert labels["Giải quyết quá hạn (cột 10)"] == "2" and labels["Số hồ sơ nhận giải quyết (cột 3)"] == "15"
    assert page.indicators.item(0, 2).text() == "12/20"


def test_a_figure_opens_its_dossiers_and_exports_them(qtbot, page, tmp_path):
    row = next(r for r in range(page.figures.rowCount()) if page.figures.item(r, 0).data(Qt.ItemDataRole.UserRole)
               == "late")
    page.figures.setFocus()
    page.figures.setCurrentCell(row, 0)
    QTest.keyClick(page.figures, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=10000)  # read on the worker
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.table.rowCount() == 2
    target = tmp_path / "late.xlsx"
    dialog.export_to(target)
    ws = openpyxl.load_workbook(target).active
    assert ws["A1"].value == "Giải quyết quá hạn (cột 10)"
    assert ws["A2"].value == "Từ ngày 01/10/2026 đến ngày 31/10/2026"
    assert [c.value for c in ws[4]][:2] == ["STT", "Mã hồ sơ"]
    assert ws["E5"].value == at("2026-10-03 08:00").replace(tzinfo=None) and ws["E5"].is_date
    assert ws["F6"].value == at("2026-10-19 10:00").replace(tzinfo=None)
    assert ws.freeze_panes == "A5" and ws.page_setup.orientation == "landscape" and ws.max_row == 6
    dialog.reject()


def test_enter_on_a_late_dossier_opens_its_page(qtbot, window, page):
    page.late.setFocus()
    page.late.setCurrentCell(0, 0)
    code = page.late.item(0, 0).text()
    QTest.keyClick(page.late, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.detail_page, timeout=5000)
    assert window.detail_page.code == code


def _slow_query(ctx):
    """A query that runs for minutes unless it is interrupted."""
    ctx.database.execute_sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                             "SELECT count(*) FROM n WHERE i < 2000000000").fetchone()
    raise AssertionError("the slow query ended by itself")


def test_the_figure_list_is_read_off_the_gui_thread_without_a_progress_when_quick(qtbot, page, monkeypatch):
    import threading

    import ui.reports.page as page_module

    threads, shown = [], []
    real = page_module.figure_dossiers
    monkeypatch.setattr(page_module, "figure_dossiers",
                        lambda *a: (threads.append(threading.current_thread()), real(*a))[1])
    page.work.busy.connect(shown.append)
    assert page.show_figure("late")
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=10000)
    assert threads and threads[0] is not threading.main_thread()
    assert page.dialog.table.rowCount() == 2 and True not in shown and not page.busy
    page.dialog.reject()


def test_a_slow_list_shows_its_progress_past_600_ms(qtbot, page, monkeypatch):
    import threading

    import ui.reports.page as page_module

    release = threading.Event()
    real = page_module.figure_dossiers
    monkeypatch.setattr(page_module, "figure_dossiers", lambda *a: (release.wait(20), real(*a))[1])
    assert page.show_figure("late")
    qtbot.wait(300)
    assert not page.busy and page.dialog is None  # under 600 ms nothing flickers
    qtbot.waitUntil(lambda: page.busy, timeout=3000)
    assert page.busy_label.text() == "Đang tính…" and page.cancel_button.isVisible()
    assert not page.show_figure("early") and "chờ xong" in page.status.text()  # one computation at a time
    release.set()
    qtbot.waitUntil(lambda: page.dialog is not None, timeout=10000)
    assert not page.busy and page.dialog.table.rowCount() == 2
    page.dialog.reject()


def test_esc_cancels_a_slow_computation_and_its_query_stops(qtbot, page, monkeypatch, caplog):
    import ui.reports.page as page_module

    monkeypatch.setattr(page_module, "compute_scorecard", lambda ctx, period: _slow_query(ctx))
    card = page.card
    page.load()
    qtbot.waitUntil(lambda: page.busy, timeout=3000)
    QTest.keyClick(page, Qt.Key.Key_Escape)
    assert not page.busy and page.status.text() == "Đã hủy."
    qtbot.waitUntil(lambda: not page.work.running, timeout=5000)  # the query was interrupted, not left to run
    assert page.card is card and page.status.text() == "Đã hủy."  # the interrupted work's error is not shown
    assert "background work failed" not in caplog.text  # a cancel is not a failure
    page.load()  # the screen works again, on a fresh connection
    assert page.work.running


def test_ctrl_p_previews_the_scorecard_pdf_and_saves_it(qtbot, ctx, page, monkeypatch, tmp_path):
    import ui.printing.preview as preview_module
    from db.models import PrintLog
    from tests.printing.pdf import page_texts

    QTest.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.preview is not None, timeout=10000)  # made on the worker
    preview = page.preview
    assert preview.isVisible() and preview.page_count >= 1
    assert "Từ ngày 01/10/2026 đến ngày 31/10/2026" in preview.windowTitle()
    target = tmp_path / "bao-cao.pdf"
    monkeypatch.setattr(preview_module, "ask_save_path", lambda parent, suggested: str(target))
    assert preview.save_pdf() == str(target)
    text = " ".join(page_texts(target.read_bytes()))
    assert "BÁO CÁO CỦA BỘ PHẬN MỘT CỬA" in text and "Tỷ lệ giải quyết đúng hạn: 77,8 % (7/9 hồ sơ)" in text
    assert [(r.form, r.target, r.dossier_id) for r in PrintLog.select()] == [("scorecard", str(target), None)]
    preview.reject()


def test_a_long_list_is_filled_again_without_blocking_the_screen(qtbot):
    """Filling a list a second time empties it first: replacing 200 rows' items re-measured the columns at each
    item (19 s on this machine; 800 soon-late dossiers on the benchmark database blocked the screen for minutes)."""
    import time

    from ui.reports.page import DUE_HEADERS, _fill, _table

    table = _table(DUE_HEADERS)
    qtbot.addWidget(table)
    table.show()
    lines = [(f"H{i}", (f"H56-261201-{i:04d}", "Nguyễn Văn An", "Đăng ký khai sinh", "10:00 07/12/2026", "Mới"))
             for i in range(200)]
    _fill(table, lines)
    start = time.perf_counter()
    _fill(table, lines[::-1])
    assert time.perf_counter() - start < 3
    assert table.rowCount() == 200 and table.item(0, 0).text() == "H56-261201-0199"
