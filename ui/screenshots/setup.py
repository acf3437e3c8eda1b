"""The first-run set-up wizard's screenshot for the README: `python -m ui.screenshots.setup` writes
docs/screenshots/setup.png (the office page, filled in as a commune would) over a new, empty database."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from counter.context import AppContext
from ui.setup.wizard import SetupWizard

EXAMPLE = {"agency_id": "000.00.07.H56", "office_name": "Bộ phận Một cửa", "parent_name": "UBND XÃ HOẰNG HÓA",
           "place_name": "Hoằng Hóa", "address": "Thôn 1, xã Hoằng Hóa, tỉnh Thanh Hóa", "phone": "0237 3860 000"}


def shot_setup(ctx: AppContext) -> SetupWizard:
    wizard = SetupWizard(ctx)
    for name, text in EXAMPLE.items():
        getattr(wizard, name).setText(text)
    wizard.workstation.setValue(1)
    wizard.show()
    wizard.agency_id.setFocus()
    QApplication.processEvents()
    return wizard


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.setup")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/setup.png"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.setup import open_app
    from ui.app import make_application
    from ui.screenshots.common import save_shot
    ctx = open_app(Path(tempfile.mkdtemp()) / "data")  # a new database: nothing set up yet
    make_application([sys.argv[0]])
    print(save_shot(shot_setup(ctx), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
