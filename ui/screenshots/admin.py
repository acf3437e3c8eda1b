"""The Quản trị section for docs/screenshots/admin.png, logged in as the database's first administrator:

    python -m ui.screenshots.admin --data-dir /tmp/shotdata --out docs/screenshots/admin.png

The connection test runs against the reference provincial server (devtools/provincial_server)
on loopback, and this points the data directory's sync settings at it: use a throwaway data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

CREDENTIALS = ("quay", "matkhau")


def shot_admin(ctx):
    from counter.office.users import list_users
    from counter.sync import settings
    from devtools.provincial_server import ProvincialServer
    from ui.app import create_main_window
    from ui.main_window.window import ADMIN
    from ui.screenshots.board import SCREEN, wait_until

    admin = next(u for u in list_users(ctx) if u.role == "admin")
    ctx.user = admin
    folder = Path(tempfile.mkdtemp(prefix="province-"))
    with ProvincialServer(str(folder / "province.sqlite3"), credentials=CREDENTIALS) as server:
        settings.set_values(ctx, server.office_settings())
        window = create_main_window(ctx, admin)
        window.resize(SCREEN)
        window.show()
        window.show_section(ADMIN)
        page = window.admin.page
        backup = window.backup.background
        backup.run_now()  # the "Sao lưu" box with a verified backup
        wait_until(lambda: not backup.running)
        page.form.load()
        page.check_button.click()
        wait_until(lambda: not page.checker.running)
    return window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.admin")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/admin.png"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.setup import open_demo
    from ui.app import make_application
    from ui.screenshots.common import save_shot
    ctx = open_demo(args.data_dir)
    make_application([sys.argv[0]])
    print(save_shot(shot_admin(ctx), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
