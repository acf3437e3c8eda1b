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
