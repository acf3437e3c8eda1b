"""The Đồng bộ screen after an end-of-day batch, for ui/screenshots.py (SHOTS).

The batch runs against the reference provincial server (devtools/provincial_server) on
loopback, which refuses one procedure so the screen also shows what "Cần xử lý" looks like. This
points the data directory's sync settings at that server: use a throwaway data directory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QWidget

from counter.context import AppContext
from counter.dossiers.lookup import get_dossier, recent_dossiers
from ui.screenshots.board import _window, wait_until

CREDENTIALS = ("quay", "matkhau")


def _refused_procedure(ctx: AppContext) -> str | None:
    """The procedure of the most recent dossier: the server is told not to know it."""
    rows = recent_dossiers(ctx, limit=1)
    return get_dossier(ctx, rows[0].code).procedure_code if rows else None


def shot_sync(ctx: AppContext) -> QWidget:
    from counter.sync import settings
    from devtools.provincial_server import ProvincialServer
    from devtools.provincial_server.validate import known_procedures
    from ui.main_window.window import SYNC

    refused = _refused_procedure(ctx)
    known = known_procedures() - {refused} if refused else None
    folder = Path(tempfile.mkdtemp(prefix="province-"))
    with ProvincialServer(str(folder / "province.sqlite3"), credentials=CREDENTIALS, known=known) as server:
        settings.set_values(ctx, server.office_settings())
        window = _window(ctx)
        window.show_section(SYNC)
        background = window.sync.background
        wait_until(lambda: not background.running)  # the start-up pass, if it began
        done = []
        background.batch_finished.connect(done.append)
        background.batch_failed.connect(done.append)
        window.sync.page.batch_button.click()
        wait_until(lambda: bool(done), 120)
    return window


SHOTS = {"sync": shot_sync}
