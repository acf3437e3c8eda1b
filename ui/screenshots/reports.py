"""The Báo cáo section for docs/screenshots/reports.png, on the demo data, logged in as its first user:

    python -m ui.screenshots.reports --data-dir /tmp/shotdata --out docs/screenshots/reports.png
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def shot_reports(ctx):
    from counter.office.users import list_users
    from ui.app import create_main_window
    from ui.screenshots.board import SCREEN, wait_until

    user = list_users(ctx)[0]
    ctx.user = user
    window = create_main_window(ctx, user)
    window.resize(SCREEN)
    window.show()
    window.reports.action.trigger()  # F5
    page = window.reports.page
    wait_until(lambda: page.card is not None)
    return window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.reports")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/reports.png"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.setup import open_demo
    from ui.app import make_application
    from ui.screenshots.common import save_shot
    ctx = open_demo(args.data_dir)
    make_application([sys.argv[0]])
    print(save_shot(shot_reports(ctx), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
