"""Screenshots of the board and of a dossier page in two states, for ui/screenshots.py (SHOTS).

Each builds the main window over the data directory's database (fill it with `main.py demo-init`),
waits for its lookups (run from the event loop), and returns the window at 1366×768.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import (
    QEventLoop,
    QSize,
    QTimer,
)
from PySide6.QtWidgets import QWidget

from counter.context import AppContext
from counter.dossiers import board
from counter.office.users import list_users
from counter.records import DossierRow

SCREEN = QSize(1366, 768)
TIMEOUT_S = 30


def wait_until(done: Callable[[], bool], timeout_s: float = TIMEOUT_S) -> None:
    """Run the event loop until `done()`: the lookups run from it."""
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not finish loading")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def _window(ctx: AppContext):
    from ui.app import create_main_window
    users = list_users(ctx)
    clerk = next((u for u in users if u.role == "clerk"), users[0])
    window = create_main_window(ctx, clerk)
    window.resize(SCREEN)
    window.show()
    wait_until(lambda: window.board_page.loaded)
    return window


def shot_board(ctx: AppContext) -> QWidget:
    return _window(ctx)


def _dossier(ctx: AppContext, rows: list[DossierRow], state: str) -> QWidget:
    if not rows:
        raise LookupError(f"no dossier {state} in this database: fill it with main.py demo-init")
    window = _window(ctx)
    window.navigator.open_code(rows[0].code)
    page = window.detail_page  # whole: its history and scans are read right after its first frame
    wait_until(lambda: page.code == rows[0].code and window.current_section() == "dossier" and page.detail is not None)
    return window


def shot_dossier_in_progress(ctx: AppContext) -> QWidget:
    """The most urgent dossier still being processed (late ones first)."""
    now = ctx.clock.now()
    rows = [r for r in board.overdue(ctx, now) + board.due_today(ctx, now) + board.received_today(ctx, now)
            if r.status.name == "IN_PROGRESS"]
    return _dossier(ctx, rows, "in progress")


def shot_dossier_ready(ctx: AppContext) -> QWidget:
    return _dossier(ctx, board.ready_to_return(ctx), "ready to return")


SHOTS = {"board": shot_board, "dossier-in-progress": shot_dossier_in_progress, "dossier-ready": shot_dossier_ready}
