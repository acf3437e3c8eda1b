"""Backups in the app in office mode (issue 20), over this session's throwaway PostgreSQL (tests/pg.py): "Sao lưu
ngay" (Ctrl+Shift+B) on Quản trị makes a verified pg_dump of the centre's database off the GUI thread; "Khôi phục…"
(Ctrl+Shift+O) says the centre is restored from the command line once every counter is closed."""

import json

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from counter import backups
from counter.setup import open_office_database, seed_demo
from tests.seeded_centre import seeded_centre  # noqa: F401  (pg_url: the seeded centre)
from tests.ui.test_restore_ui import admin_page

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, pg_url, tmp_path, clock, monkeypatch):
    ctx = open_office_database(pg_url, tmp_path / "data", clock)
    seed_demo(ctx)
    window = admin_page(qtbot, ctx, monkeypatch)
    yield window
    window.close()
    shiboken6.delete(window)  # its timers gone before the database is dropped
    ctx.database.close()


def test_sao_luu_ngay_dumps_the_centres_database_and_khoi_phuc_points_to_the_command(qtbot, window):
    ctx, panel = window.ctx, window.backup.panel
    with qtbot.waitSignal(window.backup.background.finished, timeout=60_000):
        QTest.keyClick(window, Qt.Key.Key_B, CTRL_SHIFT)
    assert panel.outcome.kind == "info" and panel.outcome.plain_text().startswith("Trong máy: đã sao lưu và kiểm tra")
    [made] = backups.backups_in(backups.default_destination(ctx))
    assert json.loads((made / backups.MANIFEST_FILE).read_text(encoding="utf-8"))["format"] == "pg_dump"
    assert window.backup.status.text().strip() == "Sao lưu: vừa xong"

    chosen = []
    window.backup.restore.choose = lambda: chosen.append(True)
    QTest.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)
    (_icon, text), = window.said
    assert "main.py restore" in text and "mọi quầy đã đóng chương trình" in text and chosen == []
