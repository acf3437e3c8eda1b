"""The first-run set-up wizard: a database with no office opens it; typed from the keyboard, it writes the office
and its administrator through `counter`, refuses a bad value in place, and reads at 1366×768. The window titles
of a demonstration database say so."""

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from counter.office.first_run import is_set_up, set_up_office
from counter.office.profile import get_office
from counter.office.users import list_users
from counter.records import Office, OfficeSetup
from counter.setup import open_app
from tests.ui.keys import enter, press, type_text
from ui import app as app_module
from ui.app import create_main_window
from ui.login.dialog import LoginDialog
from ui.setup.wizard import SetupWizard
from ui.title import DEMO_TITLE

OFFICE = {"agency_id": "000.00.07.H56", "office_name": "Bộ phận Một cửa", "parent_name": "UBND XÃ HOẰNG HÓA",
          "place_name": "Hoằng Hóa", "address": "Thôn 1, xã Hoằng Hóa", "phone": "0237 3860 000"}
ADMIN = {"username": "quantri", "full_name": "Lê Thị Mai", "password": "mat-khau-dai", "password_again": "mat-khau-dai"}


@pytest.fixture
def fresh(tmp_path, clock):
    context = open_app(tmp_path / "fresh", clock=clock)
    yield context
    context.database.close()


def open_wizard(qtbot, ctx) -> SetupWizard:
    """The set-up wizard over `ctx`, shown and active (tests/ui/test_setup_join.py's too)."""
    w = SetupWizard(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    return w


@pytest.fixture
def wizard(qtbot, fresh):
    return open_wizard(qtbot, fresh)


def fill(wizard, values):
    for name, text in values.items():
        box = getattr(wizard, name)
        box.setFocus()
        box.selectAll()
        type_text(box, text)


def test_typed_from_the_keyboard_it_sets_the_office_and_its_administrator_up(qtbot, wizard, fresh):
    assert wizard.currentPage() is wizard.office_page and wizard.register_book.text() == "01/2026"
    fill(wizard, OFFICE)
    wizard.workstation.setFocus()
    assert wizard.workstation.text() == "— chọn số máy —"  # no number until one is chosen
    for _ in range(3):
        press(wizard.workstation, int(Qt.Key.Key_Up.value))  # 0, 1, 2
    enter(wizard.workstation)  # Enter: Tiếp theo
    assert wizard.currentPage() is wizard.admin_page
    fill(wizard, ADMIN)
    with qtbot.waitSignal(wizard.accepted, timeout=3000):
        enter(wizard.password_again)  # Enter: Hoàn tất
    assert wizard.admin.username == "quantri" and wizard.admin.role == "admin"
    assert is_set_up(fresh)
    assert get_office(fresh) == Office(**OFFICE, workstation=2, register_book="01/2026")


def test_the_workstation_number_must_be_chosen(wizard, fresh):
    fill(wizard, OFFICE)
    enter(wizard.office_name)
    assert wizard.currentPage() is wizard.office_page and "Hãy chọn số máy tiếp nhận" in wizard.office_page.error.text()
    assert QApplication.focusWidget() is wizard.workstation
    wizard.workstation.setValue(0)
    enter(wizard.workstation)
    assert wizard.currentPage() is wizard.admin_page


def test_a_bad_agency_id_stays_on_the_page_with_the_cursor_in_it(wizard, fresh):
    wizard.workstation.setValue(3)
    fill(wizard, {**OFFICE, "agency_id": "000.00.07"})
    enter(wizard.office_name)
    assert wizard.currentPage() is wizard.office_page
    assert wizard.office_page.error.isVisible() and "000.00.00.H00" in wizard.office_page.error.text()
    assert QApplication.focusWidget() is wizard.agency_id
    fill(wizard, {"agency_id": "000.00.07.H56"})
    enter(wizard.agency_id)
    assert wizard.currentPage() is wizard.admin_page and not wizard.admin_page.error.isVisible()


@pytest.mark.parametrize("change, focus, message", [
    ({"password_again": "mat-khau-khac"}, "password_again", "không khớp"),
    ({"password": "ngan", "password_again": "ngan"}, "password", "ít nhất 8"),
    ({"password": "quantri1", "password_again": "quantri1", "username": "quantri1"}, "password", "trùng với tên"),
    ({"full_name": " "}, "full_name", "Họ tên"),
])
def test_a_refused_administrator_writes_nothing_and_says_why(wizard, fresh, change, focus, message):
    wizard.workstation.setValue(1)
    fill(wizard, OFFICE)
    enter(wizard.phone)
    fill(wizard, {**ADMIN, **change})
    enter(wizard.password_again)
    assert wizard.isVisible() and wizard.currentPage() is wizard.admin_page and wizard.admin is None
    assert message in wizard.admin_page.error.text() and QApplication.focusWidget() is getattr(wizard, focus)
    assert not is_set_up(fresh) and list_users(fresh) == []


def test_it_reads_at_1366x768(wizard):
    assert wizard.width() <= 1366 and wizard.height() <= 700  # the taskbar takes the rest
    for page in (wizard.office_page, wizard.admin_page):
        assert page.minimumSizeHint().height() <= wizard.height() - 120  # title band and buttons


def test_run_opens_the_wizard_on_a_database_with_no_office_and_stops_if_it_is_left(monkeypatch, qapp, fresh):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    opened = []

    class Left:
        admin = None

        def __init__(self, ctx):
            opened.append(ctx)

        def exec(self):
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(app_module, "SetupWizard", Left)
    monkeypatch.setattr(app_module, "LoginDialog", lambda ctx: pytest.fail("no log-in before the set-up"))
    assert app_module.run(fresh) == 0 and opened == [fresh]


def test_run_goes_straight_to_the_log_in_once_set_up(monkeypatch, qapp, ctx):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app_module, "SetupWizard", lambda ctx: pytest.fail("the demo is set up"))
    logins = []

    class Cancelled:
        user = None

        def __init__(self, ctx):
            logins.append(ctx)

        def exec(self):
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(app_module, "LoginDialog", Cancelled)
    assert app_module.run(ctx) == 0 and logins == [ctx]


def test_a_demo_says_so_in_the_window_titles_and_a_real_office_does_not(qtbot, ctx, clerk, fresh):
    demo = create_main_window(ctx, clerk)
    qtbot.addWidget(demo)
    assert DEMO_TITLE in demo.windowTitle() and "Nguyễn Thị Hoa" in demo.windowTitle()
    demo_login = LoginDialog(ctx)
    qtbot.addWidget(demo_login)
    assert DEMO_TITLE in demo_login.windowTitle()
    admin, _ = set_up_office(fresh, OfficeSetup(Office(**OFFICE), *ADMIN.values()))
    real = create_main_window(fresh, admin)
    qtbot.addWidget(real)
    assert DEMO_TITLE not in real.windowTitle() and "Lê Thị Mai" in real.windowTitle()
    real_login = LoginDialog(fresh)
    qtbot.addWidget(real_login)
    assert DEMO_TITLE not in real_login.windowTitle()
