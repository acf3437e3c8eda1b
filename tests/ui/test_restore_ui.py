"""Restore and the numbering guard on Quản trị (issue 18): "Khôi phục…" (Ctrl+Shift+O) checks the chosen backup,
confirms, puts it in place with the current database kept aside, records it and starts the app again; "Cấp mã
tiếp…" (Ctrl+Shift+N) asks the province, else takes the code on the last printed receipt."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from counter import audit, backups
from counter.office import code_ledger
from counter.setup import open_app
from db.models import Dossier, Office
from tests.counter import backup_samples as samples
from tests.counter.lifecycle_steps import receive
from tests.ui.test_admin import open_window
from ui.backup import restore_flow
from ui.main_window.window import ADMIN

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, ctx, monkeypatch):
    """An administrator's window on a real office (the demonstration's codes are never guarded), one dossier."""
    Office.update(demo=False).execute()
    code_ledger.register(ctx)
    receive(ctx)
    return admin_page(qtbot, ctx, monkeypatch)


def admin_page(qtbot, ctx, monkeypatch):
    """The administrator's window open on Quản trị, what the restore flow says kept in `window.said`."""
    window = open_window(qtbot, ctx, "admin")
    window.show_section(ADMIN)
    said = window.said = []
    monkeypatch.setattr(restore_flow.RestoreFlow, "_say", lambda self, icon, text: said.append((icon, text)))
    return window


def test_restore_by_its_shortcut_keeps_the_database_aside_and_starts_again(qtbot, ctx, window, monkeypatch):
    made = backups.make_backup(ctx)
    lost = receive(ctx)
    flow = window.backup.restore
    assert flow.restore_button.isVisible() and flow.resume_button.isVisible()
    restarts = []
    flow.choose, flow.restart = (lambda: made.path), (lambda: restarts.append(True))
    monkeypatch.setattr(restore_flow.RestoreFlow, "_confirmed", lambda self, summary: summary.name == made.name)
    QTest.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)
    assert restarts == [True] and not window.isVisible()
    (_icon, text), = window.said
    assert text.startswith(f"Đã khôi phục {made.name}") and "truoc-khoi-phuc" in text and "Cấp mã tiếp" in text
    again = open_app(ctx.data_dir, clock=ctx.clock)
    try:
        assert not Dossier.select().where(Dossier.code == lost.code).exists() and Dossier.select().count() == 1
        (row,) = audit.entries(again, kind="restore")
        assert row.actor == "admin" and made.name in row.summary
        assert len(list((ctx.data_dir / "truoc-khoi-phuc").iterdir())) == 1
    finally:
        again.database.close()


def test_a_backup_that_does_not_verify_is_not_restored(qtbot, ctx, window, monkeypatch):
    made = backups.make_backup(ctx)
    samples.damage(samples.own_piece(made.path))
    flow = window.backup.restore
    flow.choose = lambda: made.path
    monkeypatch.setattr(restore_flow.RestoreFlow, "_confirmed", lambda self, summary: pytest.fail("not asked"))
    assert flow.restore_backup() is False
    (_icon, text), = window.said
    assert "không đạt kiểm tra nên không khôi phục" in text and Dossier.select().count() == 1


def test_the_numbering_resumes_after_the_code_the_administrator_types(qtbot, ctx, window, monkeypatch):
    code_ledger.record_issued(ctx, "000.00.06.H56-260213-0007", 0)  # handed out, lost to a restore
    typed = []

    def type_code(dialog):
        assert "Không hỏi được hệ thống tỉnh" in dialog.findChildren(restore_flow.QLabel)[0].text()
        code = "000.00.06.H56-260213-0004" if not typed else "000.00.06.H56-260213-0009"
        typed.append(code)
        if len(typed) == 1:
            dialog.edit.setText("000.00.06.H99-260213-0004")  # another office's: refused, the dialog stays
        else:
            dialog.edit.setText(code)
        dialog._typed()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(restore_flow.LastCodeDialog, "exec", type_code)
    QTest.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    assert len(typed) == 2
    (_icon, text), = window.said
    assert "cấp tiếp mã hồ sơ sau 000.00.06.H56-260213-0009" in text
    assert receive(ctx).code == "000.00.06.H56-260213-0010"


def test_a_clerk_has_neither_command(qtbot, ctx):
    window = open_window(qtbot, ctx, "canbo")
    assert window.backup.restore is None
    shortcuts = {action.shortcut().toString() for action in window.actions()}
    assert restore_flow.RESTORE_SHORTCUT not in shortcuts and restore_flow.RESUME_SHORTCUT not in shortcuts
