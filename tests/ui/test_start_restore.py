"""The start's offer (issue 18): a database that cannot be opened safely, the newest verified backup offered in
the dialog, restored once an administrator of the office gives his password, and the app starts on it."""

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

import main
import ui.app
from counter import backups
from counter.setup import DB_FILE
from db.models import Office
from tests.counter.lifecycle_steps import receive
from ui.backup import start_restore


@pytest.fixture
def damaged(ctx, monkeypatch):
    """A data folder with a verified backup, whose database is then replaced by garbage."""
    Office.update(demo=False).execute()
    receive(ctx)
    made = backups.make_backup(ctx)
    ctx.database.close()
    for extra in ("-wal", "-shm"):
        (ctx.data_dir / (DB_FILE + extra)).unlink(missing_ok=True)
    (ctx.data_dir / DB_FILE).write_bytes(b"khong phai co so du lieu " * 200)
    said = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()) or (
        box.restore_button.click() if getattr(box, "restore_button", None) else None) or 0)
    return ctx.data_dir, made, said


def log_in_as(username, password):
    def fill(dialog):
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.check()
        return dialog.result()
    return fill


def test_the_dialog_offers_the_newest_verified_backup_and_restores_it(qtbot, damaged, monkeypatch):
    data_dir, made, said = damaged
    monkeypatch.setattr(start_restore.AdminCheck, "exec", log_in_as("admin", "admin123"))
    started = []
    monkeypatch.setattr(ui.app, "run", lambda ctx, **_: started.append(ctx.data_dir) or 0)
    assert main.main(["--data-dir", str(data_dir)]) == 0
    assert started == [data_dir]  # the app went on, on the restored database
    assert "không phải cơ sở dữ liệu" in said[0] and said[1].startswith(f"Đã khôi phục {made.name}")
    (aside,) = (data_dir / "truoc-khoi-phuc").iterdir()
    assert (aside / DB_FILE).read_bytes().startswith(b"khong phai")  # the damaged file kept, not overwritten


def test_a_wrong_password_restores_nothing(qtbot, damaged, monkeypatch):
    data_dir, _made, _ = damaged
    tries = []

    def wrong_then_cancel(dialog):
        log_in_as("admin", "sai-mat-khau")(dialog)
        tries.append(dialog.error.text())
        return QDialog.DialogCode.Rejected
    monkeypatch.setattr(start_restore.AdminCheck, "exec", wrong_then_cancel)
    assert main.main(["--data-dir", str(data_dir)]) == ui.app.START_ERROR_EXIT
    assert "Sai tên đăng nhập hoặc mật khẩu" in tries[0]
    assert (data_dir / DB_FILE).read_bytes().startswith(b"khong phai") and not (data_dir / "truoc-khoi-phuc").exists()


def test_without_a_backup_the_dialog_only_says_why(qtbot, tmp_path):
    box = ui.app.start_error_box("Tệp X hỏng.", None)
    assert box.restore_button is None and "giữ nguyên" in box.informativeText()
