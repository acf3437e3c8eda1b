"""The set-up wizard's "Máy này dùng chung cơ sở dữ liệu của trung tâm" path against this session's real PostgreSQL
(tests/pg.py): from the keyboard, the connection tested (off the GUI thread: a server that does not answer leaves the
window live and closable), each failure said in one sentence under the page with the cursor where it is fixed, a
number another PC holds refused, then the PC joined (counter.office.centre)."""

import socket
import stat
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

import db.database
from counter.office import local_config
from counter.office.first_run import is_set_up, set_up_office
from counter.setup import open_office_database
from db.database import is_postgres
from tests.counter.test_first_run import SETUP
from tests.test_cli_database import password_role  # noqa: F401  (a login with a password, scram over the socket)
from tests.ui.keys import enter, type_text
from tests.ui.test_fits_1366 import seams, shots  # noqa: F401  (shots: SCREENSHOTS_1366 or a temporary folder)
from tests.ui.test_setup_wizard import fresh, open_wizard  # noqa: F401  # an empty database, the wizard over it
from ui import app as app_module
from ui.setup import wizard as wizard_module


@pytest.fixture
def centre(pg_url, tmp_path, clock, monkeypatch, machine_dir):
    """The centre's database, set up from another PC ("QUAY-A", workstation 2); this test is the joining PC."""
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "pc-a"))
    local_config.save(local_config.LocalConfig(machine_name="QUAY-A"))
    a = open_office_database(pg_url, tmp_path / "data-a", clock=clock)
    set_up_office(a, SETUP)
    a.database.close()
    monkeypatch.setenv("QMC_MACHINE_DIR", str(machine_dir))
    return pg_url


@pytest.fixture
def wizard(qtbot, fresh):  # noqa: F811
    w = open_wizard(qtbot, fresh)
    yield w
    if w.joined is not None:
        w.joined.database.close()


def alt(button, key):
    """The button behind Alt+`key` (its mnemonic: the offscreen platform delivers no mnemonic, so it is clicked)."""
    assert button.shortcut().toString() == f"Alt+{key}" and button.isVisible()
    button.click()


def check_connection(qtbot, wizard):
    """Kiểm tra kết nối (Alt+K), then its answer, which comes from the worker."""
    with qtbot.waitSignal(wizard.connection_checked, timeout=20000):
        alt(wizard.test_button, "K")


def finish(qtbot, wizard, box, joined=False):
    """Hoàn tất (Enter in `box`), then the join's answer, which comes from the worker."""
    with qtbot.waitSignal(wizard.accepted if joined else wizard.join_answered, timeout=20000):
        enter(box)


def fill(wizard, host, database, user="postgres", password=""):
    for box, text in ((wizard.server_host, host), (wizard.server_database, database),
                      (wizard.server_user, user), (wizard.server_password, password)):
        box.setFocus()
        box.selectAll()
        box.clear()
        type_text(box, text)


def where(url):
    parts = urlsplit(url)
    return parts.query.split("host=", 1)[1], parts.path.lstrip("/")


def test_the_pc_joins_the_centre_from_the_keyboard(qtbot, wizard, fresh, centre):  # noqa: F811
    host, database = where(centre)
    wizard.agency_id.setFocus()
    alt(wizard.join_button, "G")  # Máy này dùng chun[g] cơ sở dữ liệu của trung tâm…
    assert wizard.currentPage() is wizard.join_page and QApplication.focusWidget() is wizard.server_host

    fill(wizard, host, "khong_co_csdl")
    check_connection(qtbot, wizard)  # [K]iểm tra kết nối
    assert "không có cơ sở dữ liệu “khong_co_csdl”" in wizard.join_page.error.text()
    assert wizard.join_page.error.isVisible() and QApplication.focusWidget() is wizard.server_database

    fill(wizard, host, database)
    check_connection(qtbot, wizard)
    assert not wizard.join_page.error.isVisible()
    assert "Bộ phận Một cửa (000.00.07.H56)" in wizard.join_result.text() and "2 (QUAY-A)" in wizard.join_result.text()

    enter(wizard.server_password)  # Hoàn tất without a number
    assert wizard.isVisible() and "Hãy chọn số máy tiếp nhận" in wizard.join_page.error.text()
    assert QApplication.focusWidget() is wizard.join_workstation
    wizard.join_workstation.setValue(2)  # QUAY-A's
    finish(qtbot, wizard, wizard.join_workstation)
    assert wizard.isVisible() and wizard.joined is None
    assert "Số máy tiếp nhận 2 đang thuộc máy “QUAY-A”" in wizard.join_page.error.text()
    assert QApplication.focusWidget() is wizard.join_workstation
    assert local_config.load().database_url == ""  # nothing kept from a refused join

    wizard.join_workstation.setValue(3)
    finish(qtbot, wizard, wizard.join_workstation, joined=True)
    joined = wizard.joined
    assert is_postgres(joined.database) and joined.workstation == 3 and is_set_up(joined)
    config = local_config.load()
    assert (config.database_url, config.workstation, config.password_file) == (
        f"postgresql://postgres@/{database}?host={host.replace('/', '%2F')}", 3, "")
    assert not is_set_up(fresh)  # the data folder's own file stays as it was: no office made in it


def test_an_unreachable_server_is_said_plainly(qtbot, wizard, centre):
    wizard.start_joining()
    fill(wizard, "/tmp/khong-co-may-chu", "motcua")
    wizard.join_workstation.setValue(4)
    finish(qtbot, wizard, wizard.server_password)
    assert wizard.isVisible() and wizard.joined is None
    assert "Không kết nối được máy chủ của trung tâm" in wizard.join_page.error.text()
    assert "Traceback" not in wizard.join_page.error.text() and QApplication.focusWidget() is wizard.server_host


def test_a_wrong_password_then_the_right_one_kept_0600(qtbot, wizard, centre, password_role):  # noqa: F811
    url, password = password_role
    host, database = where(url)
    import psycopg

    with psycopg.connect(centre, autocommit=True) as conn:  # the centre's tables were made by the superuser
        role = urlsplit(url).username
        for kind in ("TABLES", "SEQUENCES"):
            conn.execute(f"GRANT ALL ON ALL {kind} IN SCHEMA public TO {role}")
    wizard.start_joining()
    fill(wizard, host, database, urlsplit(url).username, "sai-mat-khau")
    check_connection(qtbot, wizard)
    assert "Sai mật khẩu" in wizard.join_page.error.text() and "sai-mat-khau" not in wizard.join_page.error.text()
    assert QApplication.focusWidget() is wizard.server_password
    fill(wizard, host, database, urlsplit(url).username, password)
    wizard.join_workstation.setValue(5)
    finish(qtbot, wizard, wizard.server_password, joined=True)
    kept = local_config.load().password_file
    assert kept and stat.S_IMODE(local_config.check_password_file(Path(kept)).stat().st_mode) == 0o600
    assert password not in local_config.config_path().read_text(encoding="utf-8")


@pytest.fixture
def silent_server(monkeypatch):
    """A server that does not answer: a socket listening on loopback that never accepts (the kernel completes the
    handshake, then nothing ever comes back), libpq's timeout shortened to 2 s."""
    monkeypatch.setattr(db.database, "CONNECT_TIMEOUT_S", 2)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def ticking() -> tuple[list[float], QTimer]:
    """A started 50 ms timer and the times it ticked at: a gap between ticks is how long the GUI thread was busy."""
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    return ticks, timer


def silent(wizard, port):
    wizard.start_joining()
    fill(wizard, "127.0.0.1", "motcua")
    wizard.server_port.setValue(port)


def test_a_server_that_does_not_answer_leaves_the_window_live(qtbot, wizard, silent_server):
    silent(wizard, silent_server)
    ticks, timer = ticking()
    started = time.monotonic()
    alt(wizard.test_button, "K")
    assert time.monotonic() - started < 0.5  # the click returned at once: the server is reached on the worker
    assert wizard.checking and not wizard.test_button.isEnabled()
    assert wizard.join_result.isVisible() and wizard.join_result.text() == "Đang kiểm tra kết nối…"
    assert not wizard.test_connection()  # one test at a time
    with qtbot.waitSignal(wizard.connection_checked, timeout=20000) as answer:
        pass
    waited = time.monotonic() - started
    timer.stop()
    assert answer.args == [False] and waited >= 1.5  # the answer came after the timeout, not before
    during = [t for t in ticks if t < started + waited]
    assert len(during) >= 0.5 * waited / 0.05  # the timer kept ticking while the server was silent
    assert max(b - a for a, b in zip([started, *during], during, strict=False)) < 0.5  # never blocked long
    assert "Không kết nối được máy chủ của trung tâm" in wizard.join_page.error.text()
    assert wizard.join_page.error.isVisible() and not wizard.join_result.isVisible()
    assert wizard.test_button.isEnabled() and not wizard.checking
    assert QApplication.focusWidget() is wizard.server_host


def test_the_wizard_closes_while_the_server_does_not_answer(qtbot, wizard, silent_server):
    silent(wizard, silent_server)
    assert wizard.test_connection() and wizard.checking
    started = time.monotonic()
    wizard.reject()  # Thoát, Esc
    assert not wizard.isVisible() and time.monotonic() - started < 0.5
    qtbot.waitUntil(lambda: not wizard_module._CHECKS, timeout=20000)  # the worker ended alone
    qtbot.wait(100)
    assert not wizard.join_page.error.isVisible() and wizard.joined is None  # its answer went nowhere


def test_hoan_tat_against_a_server_that_does_not_answer_leaves_the_window_live(qtbot, wizard, silent_server,
                                                                               shots):  # noqa: F811
    silent(wizard, silent_server)
    wizard.join_workstation.setValue(4)
    ticks, timer = ticking()
    started = time.monotonic()
    enter(wizard.server_password)  # Hoàn tất
    assert time.monotonic() - started < 0.5  # returned at once: the join runs on the worker
    assert wizard.join_result.isVisible() and wizard.join_result.text() == wizard_module.JOINING
    finish_button = wizard.button(wizard.WizardButton.FinishButton)
    assert not finish_button.isEnabled() and not wizard.test_button.isEnabled()
    wizard.grab().save(str(shots / "1366-setup-joining.png"))
    wizard.reject()  # Esc while joining: the answer must be seen first
    assert wizard.isVisible()
    with qtbot.waitSignal(wizard.join_answered, timeout=20000) as answer:
        pass
    waited = time.monotonic() - started
    timer.stop()
    assert answer.args == [False] and waited >= 1.5
    during = [t for t in ticks if t < started + waited]
    assert max(b - a for a, b in zip([started, *during], during, strict=False)) < 0.5  # never blocked long
    assert "Không kết nối được máy chủ của trung tâm" in wizard.join_page.error.text()
    assert wizard.isVisible() and wizard.joined is None and finish_button.isEnabled()
    assert QApplication.focusWidget() is wizard.server_host
    assert local_config.load().database_url == ""  # nothing kept
    wizard.reject()  # now it closes
    assert not wizard.isVisible()


def test_back_from_the_join_page_the_office_page_leads_to_its_administrator_again(wizard):
    wizard.start_joining()
    assert wizard.currentPage() is wizard.join_page
    wizard.back()
    assert wizard.currentPage() is wizard.office_page and not wizard.joining


def test_the_join_page_reads_at_1366x768(qtbot, wizard, shots):  # noqa: F811
    wizard.start_joining()
    assert wizard.width() <= 1366 and wizard.height() <= 700
    assert wizard.join_page.minimumSizeHint().height() <= wizard.height() - 120
    assert not seams(wizard), seams(wizard)
    wizard.grab().save(str(shots / "1366-setup-join.png"))


def test_run_logs_in_to_the_centre_the_wizard_joined(monkeypatch, qapp, fresh, tmp_path, centre, clock):  # noqa: F811
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    joined = open_office_database(centre, tmp_path / "joined", clock=clock)
    logins = []

    class Joined:
        admin = None

        def __init__(self, ctx):
            self.joined = joined

        def exec(self):
            return QDialog.DialogCode.Accepted

    class Cancelled:
        user = None

        def __init__(self, ctx):
            logins.append(ctx)

        def exec(self):
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(app_module, "SetupWizard", Joined)
    monkeypatch.setattr(app_module, "LoginDialog", Cancelled)
    try:
        assert app_module.run(fresh) == 0 and logins == [joined]
    finally:
        joined.database.close()
