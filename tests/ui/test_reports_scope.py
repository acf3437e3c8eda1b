"""F5 Báo cáo follows the window's Quầy của tôi / Cả trung tâm switch (issue 20, Ctrl+Alt+Q): a clerk's scorecard
is their counter's, the centre's after the switch; the register and Biểu 06 exported are of the scope shown, and
say it in the file and in its name; a single counter's page says nothing and its files are as before.

As in tests/ui/test_scope_ui.py the SQLite test database plays a centre (`workstations.office_mode` answered yes);
tests/reports/test_report_scope.py checks the figures themselves on both engines."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from counter.office import workstations
from db.models import Dossier, User
from printing.register_pdf import COUNTER_COLUMN
from tests.counter.lifecycle_steps import receive
from tests.ui.test_fits_1366 import check_screen, open_window, shots  # noqa: F401  (shots: the screenshots' folder)
from ui.live.scope_switch import SHORTCUT


@pytest.fixture
def centre(ctx, clerk, monkeypatch):
    """This PC is counter 2 of a centre; two dossiers received here, one at counter 5."""
    monkeypatch.setattr(workstations, "office_mode", lambda c: True)
    ctx.workstation = 2
    mine, mine_too, theirs = receive(ctx), receive(ctx), receive(ctx)
    with ctx.bound():
        Dossier.update(workstation=2).where(Dossier.code.in_([mine.code, mine_too.code])).execute()
        Dossier.update(workstation=5).where(Dossier.code == theirs.code).execute()
        name = User.get(User.username == "canbo").full_name
    return (mine.code, mine_too.code), theirs.code, name


def f5(qtbot, window):
    page = window.reports.page
    QTest.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.card is not None and not page.work.running, timeout=10000)
    return page


def export(qtbot, page, key, folder, monkeypatch):
    """The export `key` with the file dialog answering in `folder` with the name it suggested; the file's path."""
    import ui.reports.page as page_module
    from ui.reports.export import BY_KEY

    asked = []
    real = page_module.QFileDialog.getSaveFileName
    monkeypatch.setattr(page_module.QFileDialog, "getSaveFileName",
                        lambda parent, title, name, filter_: (asked.append((title, name)), str(folder / name), "")[1:])
    assert page.choose_export(key)
    monkeypatch.setattr(page_module.QFileDialog, "getSaveFileName", real)
    qtbot.waitUntil(lambda: not page.work.running, timeout=30000)
    [(title, name)] = asked
    assert page.status.text().startswith(f"Đã ghi {BY_KEY[key].what}"), page.status.text()
    return title, folder / name


def sheet(path):
    return load_workbook(io.BytesIO(path.read_bytes())).active


def test_the_reports_follow_the_switch_and_say_it_in_their_files(qtbot, ctx, clerk, centre, tmp_path, monkeypatch):
    mine, theirs, name = centre
    window = open_window(qtbot, ctx, clerk)
    page = f5(qtbot, window)
    assert page.card.stats.workstation == 2 and page.card.figure("received").value == 2  # a clerk: their counter
    assert page.scope_label.isVisible() and page.scope_label.text() == f"Quầy số 2 ({SHORTCUT})"

    title, path = export(qtbot, page, "stats_xlsx", tmp_path, monkeypatch)
    assert path.name.startswith("bieu-06-quay-2-") and "Quầy số 2" in title
    ws = sheet(path)
    assert ws["A5"].value.endswith("Phạm vi: Quầy số 2")
    total = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Tổng cộng")
    assert ws.cell(total, 3).value == 2

    QTest.keySequence(window, QKeySequence(SHORTCUT))  # the whole centre
    qtbot.waitUntil(lambda: page.card.stats.workstation is None and not page.work.running, timeout=10000)
    assert page.card.figure("received").value == 3 and page.scope_label.text() == f"Cả trung tâm ({SHORTCUT})"
    title, path = export(qtbot, page, "register_xlsx", tmp_path, monkeypatch)
    assert path.name.startswith("so-theo-doi-ho-so-ca-trung-tam-") and "Cả trung tâm" in title
    ws = sheet(path)
    assert ws["A6"].value == "Phạm vi: Cả trung tâm" and ws.cell(7, 16).value == COUNTER_COLUMN[0]
    lines = {ws.cell(r, 2).value: ws.cell(r, 16).value for r in range(10, 13)}
    assert lines == {mine[0]: f"Quầy 2 — {name}", mine[1]: f"Quầy 2 — {name}", theirs: f"Quầy 5 — {name}"}

    window.show_section("board")  # switched while the page is hidden: recomputed when it is shown again
    QTest.keySequence(window, QKeySequence(SHORTCUT))
    assert page.workstation == 2 and page.card.stats.workstation is None
    window.show_section("reports")
    qtbot.waitUntil(lambda: page.card.stats.workstation == 2 and not page.work.running, timeout=10000)
    assert page.card.figure("received").value == 2
    page.show_figure("received")
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=10000)
    assert sorted(r.code for r in page.dialog.rows) == sorted(mine) and "Quầy số 2" in page.dialog.title
    assert page.dialog.file_name == "danh-sach-ho-so-quay-2.xlsx"
    page.dialog.export_to(tmp_path / "list.xlsx")
    assert "Quầy số 2" in str(sheet(tmp_path / "list.xlsx")["A1"].value)
    page.dialog.reject()


def test_a_single_counter_says_nothing_of_counters(qtbot, ctx, clerk, tmp_path, monkeypatch):
    receive(ctx)
    window = open_window(qtbot, ctx, clerk)
    page = f5(qtbot, window)
    assert page.scope_label.isHidden() and page.card.stats.scope == "" and page.card.stats.workstation is None
    _, path = export(qtbot, page, "register_xlsx", tmp_path, monkeypatch)
    assert path.name.startswith("so-theo-doi-ho-so-2") and path.name.endswith(".xlsx")
    ws = sheet(path)
    assert ws.max_column == 15 and not ws["A6"].value
    page.show_figure("received")
    qtbot.waitUntil(lambda: page.dialog is not None and page.dialog.isVisible(), timeout=10000)
    assert page.dialog.file_name == "danh-sach-ho-so.xlsx" and page.dialog.title == "Số hồ sơ nhận giải quyết (cột 3)"
    page.dialog.reject()


def test_the_centres_reports_page_fits_1366_by_768(qtbot, ctx, clerk, centre, shots):  # noqa: F811
    window = open_window(qtbot, ctx, clerk)
    page = f5(qtbot, window)
    assert page.scope_label.isVisible()
    assert not check_screen(qtbot, window, "1366-reports-quay-2", shots)
    QTest.keySequence(window, QKeySequence(SHORTCUT))
    qtbot.waitUntil(lambda: page.card.stats.workstation is None and not page.work.running, timeout=10000)
    assert not check_screen(qtbot, window, "1366-reports-ca-trung-tam", shots)
    label = page.scope_label
    assert label.visibleRegion().boundingRect().width() >= label.sizeHint().width()  # read whole
