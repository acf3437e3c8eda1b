"""What the UI tests share: the app's scanner filter on a clock the test moves, the main window, and the two
pages a clerk works in (the receive page and a dossier's page), each shown, active and collecting what it
would print.

A module that needs the main window built differently (with the scanner, a fake receive page, a clock)
overrides `window_options`; one that calls its page `page` aliases `receive_page` or `dossier_page`.
"""

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget

from tests.ui.dossier_steps import shown_dossier_page
from tests.ui.keys import ManualClock
from ui.app import create_main_window
from ui.reception.page import ReceivePage
from ui.scanner import ScannerFilter


@pytest.fixture(autouse=True)
def application(qapp):
    """Every UI test has the worker's QApplication, whichever tests that worker ran before it: a widget or a
    printer made before there is one aborts the whole process (pytest-xdist hands tests out in any order)."""
    return qapp


@pytest.fixture
def monotonic():
    """The monotonic clock of the scanner filter (and of the idle lock where a test passes it): moved by hand."""
    return ManualClock()


@pytest.fixture
def scanner(qapp, monotonic):
    """The app's ScannerFilter on the application, timing keys by `monotonic` (also `scanner.monotonic`)."""
    f = ScannerFilter(clock=monotonic)
    f.monotonic = monotonic
    qapp.installEventFilter(f)
    yield f
    qapp.removeEventFilter(f)


class FakeReceivePage(QWidget):
    """Stands in for the receive page where a test is about routing: records the CCCD texts it is given."""

    def __init__(self, ctx, parent):
        super().__init__(parent)
        self.filled = []

    def fill_from_cccd(self, text: str) -> bool:
        self.filled.append(text)
        return True


@pytest.fixture
def fake_receive_page():
    """For `window_options`: the main window's receive page factory that builds a FakeReceivePage."""
    return FakeReceivePage


@pytest.fixture
def window_options():
    """create_main_window's keyword arguments for `window`: none here; a module overrides this fixture."""
    return {}


@pytest.fixture
def window(qtbot, ctx, clerk, window_options):
    """The main window for the logged-in clerk at the counter's 1366×768, shown, active, its board loaded."""
    w = create_main_window(ctx, clerk, **window_options)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: w.board_page.loaded)
    yield w
    # pytest-qt has closed it by now; deleted too, so that its timers (the status bar's counts, the live board) do
    # not run on into a later test, after this test's database is gone (on PostgreSQL: dropped).
    if shiboken6.isValid(w):
        shiboken6.delete(w)


@pytest.fixture
def receive_page(qtbot, ctx, clerk):
    """The receive page on its own, active (focus and shortcuts need it); `page.jobs` collects what it would
    preview (the preview dialog is tested on its own)."""
    page = ReceivePage(ctx)
    qtbot.addWidget(page)
    page.resize(1186, 660)
    with qtbot.waitActive(page):
        page.show()
    page.jobs = []
    page.show_preview = page.jobs.append
    return page


@pytest.fixture
def dossier_page(qtbot, ctx, clerk):
    """A dossier's page on its own, active, for the logged-in clerk; `page.jobs` collects its print jobs."""
    return shown_dossier_page(qtbot, ctx)


@pytest.fixture
def logged_in_at_once(monkeypatch, clerk):
    """`ui.app.run`'s log-in answered at once by the clerk: for tests of what the start does after it."""
    from PySide6.QtWidgets import QDialog

    import ui.app

    class LoggedIn:
        user = clerk

        def __init__(self, _ctx):
            pass

        def exec(self):
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ui.app, "LoginDialog", LoggedIn)
    return clerk
