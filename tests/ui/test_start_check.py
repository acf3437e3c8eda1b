"""The database file's quick_check after the log-in window shows (ui/start_check.py): the desktop app's start
opens a file it will not migrate without checking it first (counter.integrity.check_at_start, later_if_current);
damage found by the background check is said in the start's own words, with the newest verified backup offered,
and nothing more is written to the file."""

import sqlite3

import pytest
from peewee import OperationalError
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

import ui.app
from counter import backups, integrity
from counter.dossiers import reception
from counter.records import ApplicantInput, DossierDraft
from counter.setup import DB_FILE, open_app
from db.models import Office
from tests.counter.test_integrity import corrupt_a_page
from ui.main_window.window import MainWindow
from ui.start_check import StartCheck

pytestmark = pytest.mark.sqlite_only(reason="about the SQLite file itself (its pages, PRAGMA quick_check)")


@pytest.fixture
def opened_damaged(ctx, clock):
    """A verified backup, then a page of the file damaged; opened as the desktop app's start opens it."""
    Office.update(demo=False).execute()
    made = backups.make_backup(ctx)
    ctx.database.close()
    corrupt_a_page(ctx.db_path)
    damaged = open_app(ctx.data_dir, clock, check_later=True)  # the opening itself does not look
    yield damaged, made
    damaged.database.close()


def files(ctx):
    return {p.name: p.read_bytes() for p in ctx.data_dir.glob(DB_FILE + "*")}


def draft():
    return DossierDraft(procedure_code="2.001035", applicant=ApplicantInput(id_number="001190000009",
                                                                            full_name="Trần Thị Bích"))


def test_a_command_still_checks_the_file_before_opening_it(opened_damaged):
    ctx, _made = opened_damaged
    assert integrity.owed(ctx.db_path)
    ctx.database.close()
    with pytest.raises(integrity.DatabaseDamaged):
        open_app(ctx.data_dir)


def test_the_background_check_names_the_damage_and_every_write_after_it_is_refused(qtbot, opened_damaged):
    ctx, _made = opened_damaged
    check = StartCheck(ctx)
    with qtbot.waitSignal(check.damaged, timeout=20_000) as said:
        assert check.start()
    message = said.args[0]
    assert message == check.message and message.startswith(f"Cơ sở dữ liệu “{ctx.db_path}” bị hỏng (")
    assert "main.py restore" in message
    before = files(ctx)
    with pytest.raises(OperationalError, match="readonly database"):  # SQLite refuses it: query_only
        reception.receive_dossier(ctx, draft())
    assert files(ctx) == before


def test_a_sound_file_passes_and_a_file_checked_at_opening_is_not_checked_again(qtbot, ctx, clock):
    ctx.database.close()
    sound = open_app(ctx.data_dir, clock, check_later=True)
    try:
        check = StartCheck(sound)
        assert check.start()
        qtbot.waitUntil(lambda: not check.running, timeout=20_000)
        assert check.message is None and not integrity.owed(sound.db_path)
        assert not StartCheck(sound).start()  # passed: nothing owed any more
        reception.receive_dossier(sound, draft())  # and writing goes on
    finally:
        sound.database.close()


def said_boxes(monkeypatch):
    """The start error's box, recorded and closed instead of shown."""
    boxes = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    return boxes


def test_damage_found_while_the_log_in_is_shown_closes_it_and_offers_the_backup(qtbot, opened_damaged, monkeypatch):
    ctx, made = opened_damaged
    boxes = said_boxes(monkeypatch)
    assert ui.app.run(ctx) == ui.app.START_ERROR_EXIT  # the real log-in, closed by the check
    [box] = boxes
    assert box.text().startswith(f"Cơ sở dữ liệu “{ctx.db_path}” bị hỏng (") and "main.py restore" in box.text()
    assert box.restore_button is not None and made.name in box.restore_button.text()


def test_damage_found_after_the_log_in_closes_the_main_window_without_writing(qtbot, opened_damaged, clerk,
                                                                               logged_in_at_once, monkeypatch):
    ctx, _made = opened_damaged
    boxes = said_boxes(monkeypatch)

    # the log-in answers at once (logged_in_at_once): the check starts once the main window's loop runs
    windows, dialogs = [], []

    def window_with_a_dialog_open(*args, _real=ui.app.create_main_window, **kwargs):
        windows.append(_real(*args, **kwargs))
        dialogs.append(QDialog())  # a window of its own the clerk has open beside it (not the main window's child)
        QTimer.singleShot(0, dialogs[-1].open)
        return windows[-1]

    monkeypatch.setattr(ui.app, "create_main_window", window_with_a_dialog_open)
    open_at_damage = []
    real_close = MainWindow.close_damaged
    monkeypatch.setattr(MainWindow, "close_damaged", lambda self: (
        open_at_damage.append(dialogs[0].isVisible()), real_close(self)))
    timed_out = []
    safety = QTimer(singleShot=True, interval=15_000)  # the damage ends the loop long before
    safety.timeout.connect(lambda: (timed_out.append(True), QApplication.quit()))
    safety.start()
    audit_before = ctx.database.execute_sql("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
    try:
        assert ui.app.run(ctx) == ui.app.START_ERROR_EXIT
    finally:
        safety.stop()
    [window], [dialog] = windows, dialogs
    qtbot.addWidget(window)
    qtbot.addWidget(dialog)
    assert open_at_damage == [True] and not timed_out  # the damage closed both and ended the loop
    assert not window.isVisible() and not dialog.isVisible()
    assert len(boxes) == 1 and "bị hỏng" in boxes[0].text()
    reopened = sqlite3.connect(f"file:{ctx.db_path}?mode=ro", uri=True)
    try:
        assert reopened.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0] == audit_before  # no log-out row
    finally:
        reopened.close()


def test_main_py_opens_a_damaged_file_for_the_app_and_the_check_says_so_over_the_log_in(qtbot, ctx, monkeypatch):
    import main

    ctx.database.close()
    corrupt_a_page(ctx.db_path)
    boxes = said_boxes(monkeypatch)
    assert main.main(["--data-dir", str(ctx.data_dir)]) == ui.app.START_ERROR_EXIT  # the real log-in, closed
    [box] = boxes
    assert box.text().startswith(f"Cơ sở dữ liệu “{ctx.db_path}” bị hỏng (")
    assert main.main(["--data-dir", str(ctx.data_dir), "check"]) == 1  # a command checks before it opens
