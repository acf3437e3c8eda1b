"""Screenshots of the reception screen and its print preview, offscreen at 1366×768.

    python -m ui.screenshots.reception [--data-dir D] --out docs/screenshots

Without --data-dir a fresh temporary database is used. The preview shot receives one dossier
(a Friday 10:00 clock, so the due date on the pictures does not depend on the day they are taken).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

from counter.context import AppContext

CCCD = "038090012345|123456789|Nguyễn Văn An|15031990|Nam|Thôn 3, Xã Quảng Hùng, Thanh Hóa|20042021"
KHAI_SINH = "1.001193"


def _window(ctx: AppContext):
    from ui.app import create_main_window
    from ui.main_window.window import RECEIVE
    from ui.screenshots.common import SCREEN, clerk
    window = create_main_window(ctx, clerk(ctx))
    window.resize(SCREEN)
    window.show_section(RECEIVE)
    return window


def _fill(window) -> None:
    from counter.catalogue import procedures
    page = window.receive_page
    page.fill_from_cccd(CCCD)
    page.applicant.phone_edit.setText("0912345678")
    page.picker.edit.setFocus()
    page.picker.edit.setText("khai sinh")
    page.picker.search("khai sinh")
    page.picker.pick(procedures.get_procedure(window.ctx, KHAI_SINH))
    page.table.setFocus()  # where Enter takes the clerk after the pick


def shot_receive(ctx: AppContext) -> QWidget:
    return _window(ctx)


def shot_receive_filled(ctx: AppContext) -> QWidget:
    window = _window(ctx)
    window.show()
    _fill(window)
    return window


def shot_receive_preview(ctx: AppContext) -> QWidget:
    from ui.printing.preview import preferred_size
    from ui.screenshots.common import SCREEN
    window = _window(ctx)
    window.show()
    _fill(window)
    window.receive_page.receive()
    dialog = window.receive_page.preview
    dialog.resize(preferred_size(QSize(SCREEN.width(), SCREEN.height() - 40)))  # a taskbar's worth less
    return dialog


SHOTS = {"receive": shot_receive, "receive-filled": shot_receive_filled, "receive-preview": shot_receive_preview}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.reception", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.clock import VN_TZ, FixedClock
    from counter.setup import open_demo
    from ui.app import make_application
    from ui.screenshots.common import save_shot
    friday = FixedClock(datetime(2026, 3, 6, 10, 0, tzinfo=VN_TZ))
    ctx = open_demo(args.data_dir or Path(tempfile.mkdtemp()) / "data", clock=friday)
    make_application([sys.argv[0]])
    for name, build in SHOTS.items():
        print(save_shot(build(ctx), args.out / f"{name}.png"))
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
