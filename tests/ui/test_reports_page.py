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
    assert labels["Giải quyết quá hạn (cột 10)"] == "2 hồ sơ"
    assert labels["Số hồ sơ nhận giải quyết (cột 3)"] == "15 hồ sơ"
    assert labels["Lượt yêu cầu bổ sung (Mẫu 02)"] == "2 lượt" and labels["– từ chối, lĩnh vực Chứng thực"] == "1 hồ sơ"
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
    scope = f" — {page.report_scope}" if page.report_scope else ""  # office mode: whose dossiers, "Quầy số N"
    assert ws["A1"].value == f"Giải quyết quá hạn (cột 10){scope}"
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

    monkeypatch.setattr(page_module, "compute_scorecard", lambda ctx, period, workstation=None: _slow_query(ctx))
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


def test_every_figure_on_the_screen_opens_a_list_as_long_as_it(qtbot, ctx, page):
    """A dossier asked twice for papers: "lượt" lists it twice; every other figure lists one line per dossier."""
    from tests.reports.test_scorecard import events_and_refusals

    events_and_refusals(ctx)
    page.card = None
    page.load()
    qtbot.waitUntil(lambda: page.card is not None, timeout=10000)
    seen = {}
    for r in range(page.figures.rowCount()):
        key, text = page.figures.item(r, 0).data(Qt.ItemDataRole.UserRole), page.figures.item(r, 1).text()
        page.dialog = None
        page.figures.setFocus()
        page.figures.setCurrentCell(r, 0)
        QTest.keyClick(page.figures, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.dialog is not None, timeout=10000)
        number, unit = text.split(" ", 1)
        assert page.dialog.table.rowCount() == int(number), key
        assert page.dialog.count_label.text().startswith(f"{number} {unit}"), key
        page.dialog.reject()
        seen[key] = text
    assert seen["supplements"] == "4 lượt" and seen["refused"] == "3 hồ sơ" and seen["refused@Hộ tịch"] == "2 hồ sơ"
    assert len(seen) == len(page.card.figures)


def _export(qtbot, page, monkeypatch, key, target):
    """The export `key` through its shortcut, the file dialog answering `target`; waits for the worker."""
    import ui.reports.page as page_module
    from ui.reports.export import BY_KEY

    asked = []
    monkeypatch.setattr(page_module, "ask_export_path", lambda parent, export, period, scope="": (
        asked.append(export), str(target))[1])
    page.setFocus()
    sequence = BY_KEY[key].shortcut
    QTest.keyClick(page, Qt.Key(Qt.Key.Key_0 + int(sequence[-1])), Qt.KeyboardModifier.ControlModifier)
    assert [e.key for e in asked] == [key]
    qtbot.waitUntil(lambda: not page.work.running, timeout=60000)


def test_the_register_and_bieu_06_export_as_pdf_and_excel(qtbot, page, monkeypatch, tmp_path):
    from tests.printing.pdf import page_texts

    tmp_path = tmp_path / "out"  # the window's data folder is beside it
    tmp_path.mkdir()

    _export(qtbot, page, monkeypatch, "register_xlsx", tmp_path / "so")  # the suffix is added
    ws = openpyxl.load_workbook(tmp_path / "so.xlsx").active
    assert "Tổng số: 13 hồ sơ." in [c.value for c in ws["A"]]  # every dossier received in October (not refused)
    assert page.status.text() == f"Đã ghi sổ theo dõi hồ sơ (Mẫu 07) vào {tmp_path / 'so.xlsx'}."
    _export(qtbot, page, monkeypatch, "register_pdf", tmp_path / "so.pdf")
    text = " ".join(page_texts((tmp_path / "so.pdf").read_bytes()))
    assert "SỔ THEO DÕI" in text.upper() and "Từ ngày 01/10/2026 đến ngày 31/10/2026" in text
    _export(qtbot, page, monkeypatch, "stats_pdf", tmp_path / "b06.pdf")
    text = " ".join(page_texts((tmp_path / "b06.pdf").read_bytes()))
    assert "Tổng cộng 15 1 12 2 9 4 3 2 6 2 4" in text and "– lĩnh vực Chứng thực: 1" in text
    _export(qtbot, page, monkeypatch, "stats_xlsx", tmp_path / "b06.xlsx")
    from printing.stats_xlsx import FIRST_LINE
    ws = openpyxl.load_workbook(tmp_path / "b06.xlsx")["Biểu 06"]
    assert [ws.cell(FIRST_LINE + 2, c).value for c in range(2, 14)] == ["Tổng cộng", 15, 1, 12, 2, 9, 4, 3, 2, 6, 2, 4]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b06.pdf", "b06.xlsx", "so.pdf", "so.xlsx"]  # no temp left


def test_export_shortcuts_are_in_the_tooltips_and_the_window_menu(window, page):
    sorts, bieu = page.export_buttons
    assert "Ctrl+1" in sorts.toolTip() and "Ctrl+2" in sorts.toolTip() and "Excel" in sorts.toolTip()
    assert "Ctrl+3" in bieu.toolTip() and "Ctrl+4" in bieu.toolTip()
    menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Báo cáo")
    shortcuts = [a.shortcut().toString() for a in menu.actions() if not a.isSeparator()]
    assert shortcuts == ["F5", "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]


def test_an_unwritable_target_is_refused_in_vietnamese_and_nothing_is_half_written(qtbot, page, monkeypatch,
                                                                                 tmp_path):
    import errno
    import os

    import ui.reports.export as export_module

    tmp_path = tmp_path / "out"  # the window's data folder is beside it
    tmp_path.mkdir()
    assert not page.export_to("stats_pdf", tmp_path / "missing" / "b06.pdf")
    assert page.status.text().startswith("Không xuất được Biểu số 06: Thư mục") and "không tồn tại" in \
        page.status.text()
    assert not page.export_to("stats_pdf", tmp_path)
    assert "là một thư mục" in page.status.text() and not page.work.running

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export_module.os, "replace", full)
    target = tmp_path / "b06.xlsx"
    target.write_bytes(b"the old file")
    assert page.export_to("stats_xlsx", target)
    qtbot.waitUntil(lambda: not page.work.running, timeout=30000)
    assert page.status.text() == f"Không xuất được Biểu số 06: Không ghi được vào {target}: ổ đĩa đã đầy."
    assert target.read_bytes() == b"the old file" and [p.name for p in tmp_path.iterdir()] == ["b06.xlsx"]


def test_a_slow_register_shows_its_progress_and_esc_cancels_without_writing(qtbot, page, monkeypatch, tmp_path):
    import time

    import printing.register_pdf as pdf_module  # the export imports it when it runs (ui.reports.export.make)

    def slow_pdf(register, progress):
        for done in range(0, 200):
            time.sleep(0.02)
            if not progress(done, 200):
                raise pdf_module.Cancelled
        return b"%PDF"

    monkeypatch.setattr(pdf_module, "build_register_pdf", slow_pdf)
    tmp_path = tmp_path / "out"  # the window's data folder is beside it
    tmp_path.mkdir()
    target = tmp_path / "so.pdf"
    assert page.export_to("register_pdf", target)
    qtbot.wait(300)
    assert not page.busy
    qtbot.waitUntil(lambda: page.busy, timeout=3000)
    qtbot.waitUntil(lambda: page.progress.maximum() == 200 and page.progress.value() > 0, timeout=3000)
    QTest.keyClick(page, Qt.Key.Key_Escape)
    assert not page.busy and page.status.text() == "Đã hủy: không ghi tệp nào."
    qtbot.waitUntil(lambda: not page.work.running, timeout=5000)  # the layout stopped at its next step
    assert list(tmp_path.iterdir()) == [] and page.progress.maximum() == 0


def test_at_1366_by_768_every_column_and_button_shows_whole(qtbot, ctx, window, page):
    """The late and soon-late lists fit their width with every column in view (no horizontal scrollbar: the status
    column is not hidden behind one), and no button of the bar is squeezed below its text; in the app's font, with
    more late dossiers than the list shows and the longest status there is."""
    from PySide6.QtWidgets import QApplication

    from db.models import Procedure
    from ui.app import FONT_POINTS

    with ctx.bound():
        proc = Procedure.get(Procedure.code == "9.000001")
        for day in range(1, 10):
            h.dossier(proc, f"2026-10-{day:02d} 08:00", f"2026-10-{day + 5:02d} 10:00", status=6)
    app = QApplication.instance()
    font = app.font()
    bigger = app.font()
    bigger.setPointSize(FONT_POINTS)
    app.setFont(bigger)
    try:
        page.load()
        qtbot.waitUntil(lambda: page.late.rowCount() > 9, timeout=10000)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        QApplication.processEvents()
        for table in (page.late, page.soon):
            header = table.horizontalHeader()
            assert header.length() <= table.viewport().width()
            assert not table.horizontalScrollBar().isVisible()
            for column in (0, 3, 4):  # the code, the due date and the status are never elided
                assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
        assert page.late.verticalScrollBar().isVisible()
        header = page.late.horizontalHeader()
        assert header.sectionSize(1) >= 90 and header.sectionSize(2) >= 90  # the elided name and procedure
        for button in (page.show_button, page.pdf_button, *page.export_buttons):
            assert button.width() >= button.sizeHint().width(), button.text()
        late = {page.late.item(r, 0).text(): page.late.item(r, 4) for r in range(page.late.rowCount())}
        item = late[next(r.code for r in page.card.late if r.status == 6)]
        assert (item.text(), item.toolTip()) == ("Chờ nộp thuế, phí", "Yêu cầu thực hiện nghĩa vụ tài chính")
    finally:
        app.setFont(font)


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


def test_the_late_list_shows_its_first_dossiers_and_ctrl_shift_q_lists_them_all(qtbot, ctx, window, page,
                                                                               monkeypatch):
    """The late and soon-late lists show their first SHOWN dossiers (the screen is not blocked filling hundreds);
    "Xem tất cả (N)" (Ctrl+Shift+Q, Ctrl+Shift+W) opens every one in the figure dialog, from the scorecard already
    computed, and Enter there opens the dossier's page."""
    from db.models import Procedure
    from ui.reports import page as page_module

    monkeypatch.setattr(page_module, "SHOWN", 3)
    with ctx.bound():
        proc = Procedure.get(Procedure.code == "9.000001")
        for day in range(1, 6):
            h.dossier(proc, f"2026-10-{day:02d} 08:00", f"2026-10-{day + 5:02d} 10:00", status=4)
    page.card = None
    page.load()
    qtbot.waitUntil(lambda: page.card is not None, timeout=10000)
    assert len(page.card.late) == 7 and page.late.rowCount() == 3
    assert [page.late.item(r, 0).text() for r in range(3)] == [r.code for r in page.card.late[:3]]
    assert page.all_late.text() == "Xem tất cả (7) (Ctrl+Shift+Q)" and page.all_late.isEnabled()
    assert page.all_soon.text() == "Xem tất cả (0) (Ctrl+Shift+W)" and not page.all_soon.isEnabled()
    assert not page.show_all("soon")
    page.late.setFocus()
    QTest.keyClick(page.late, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=5000)
    dialog = page.dialog
    scope = f" — {page.report_scope}" if page.report_scope else ""  # office mode: whose dossiers, "Quầy số N"
    assert dialog.table.rowCount() == 7 and dialog.title == f"Đang quá hạn (lúc này){scope}"
    assert [dialog.table.item(r, 0).text() for r in range(7)] == [r.code for r in page.card.late]
    dialog.table.setFocus()
    dialog.table.setCurrentCell(6, 0)
    QTest.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.detail_page, timeout=5000)
    assert window.detail_page.code == page.card.late[6].code
