"""Screenshots of the app's screens, rendered offscreen at a counter PC's 1366×768.

    python -m ui.screenshots.common --data-dir /tmp/shotdata --out docs/screenshots [--only main]

Each entry of SHOTS builds one widget over the data directory's database; add a screen by
adding a function. Fill the data directory first (`main.py --data-dir D demo-init`), or give
`--at 2026-12-03T10:00`: the clock stops there and an empty database gets the demo dossiers of
the 30 days before it, so the pictures do not depend on the hour they are taken.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

from counter.clock import FixedClock
from counter.context import AppContext
from counter.office.users import list_users

SCREEN = QSize(1366, 768)


def clerk(ctx: AppContext):
    """The first counter clerk of the database (any user if there is none)."""
    users = list_users(ctx)
    return next((u for u in users if u.role == "clerk"), users[0])


def shot_login(ctx: AppContext) -> QWidget:
    from ui.login.dialog import LoginDialog
    dialog = LoginDialog(ctx)
    dialog.username.setText(clerk(ctx).username)
    dialog.password.setFocus()
    return dialog


def shot_main(ctx: AppContext) -> QWidget:
    from ui.app import create_main_window
    from ui.main_window.window import DOSSIERS
    window = create_main_window(ctx, clerk(ctx))
    window.resize(SCREEN)
    window.show_section(DOSSIERS)
    return window


def _board_shots() -> dict[str, Callable[[AppContext], QWidget]]:
    from ui.screenshots.board import SHOTS as board_shots  # the board and the dossier page
    return board_shots


def _sync_shots() -> dict[str, Callable[[AppContext], QWidget]]:
    from ui.screenshots.sync import SHOTS as sync_shots  # the Đồng bộ screen after a batch
    return sync_shots


SHOTS: dict[str, Callable[[AppContext], QWidget]] = {"login": shot_login, "main": shot_main, **_board_shots(),
                                                     **_sync_shots()}


def save_shot(widget: QWidget, path: Path) -> Path:
    widget.show()
    QTest.qWait(100)  # let layouts, style sheets and the first data load settle
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    widget.close()
    return path


def seed_demo(ctx: AppContext) -> None:
    from counter.dossiers.lookup import count_dossiers
    from devtools.demo.build import add_demo_dossiers
    if count_dossiers(ctx) == 0:
        add_demo_dossiers(ctx, 60, seed=7, recent=True)  # what `make run`'s demo-init adds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.common", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", choices=sorted(SHOTS), help="only these screens")
    parser.add_argument("--at", type=datetime.fromisoformat, help="a fixed Vietnam time, e.g. 2026-12-03T10:00")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before the QApplication exists
    from counter.setup import open_demo
    from ui.app import make_application
    ctx = open_demo(args.data_dir, clock=FixedClock(args.at) if args.at else None)
    if args.at:
        seed_demo(ctx)
    make_application([sys.argv[0]])
    for name in args.only or SHOTS:
        print(save_shot(SHOTS[name](ctx), args.out / f"{name}.png"))
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
