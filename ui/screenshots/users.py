"""The Người dùng section for docs/screenshots/users.png, logged in as the database's first administrator:

    python -m ui.screenshots.users --data-dir /tmp/shotdata --out docs/screenshots/users.png

It adds two users (one disabled, one whose password was reset) and logs the clerk in, so every column shows:
use a throwaway data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def shot_users(ctx):
    from counter.office import users
    from ui.app import create_main_window
    from ui.screenshots.board import SCREEN
    from ui.users.wiring import SECTION

    users.authenticate(ctx, "canbo", "canbo123")
    users.authenticate(ctx, "lanhdao", "lanhdao123")
    admin = users.authenticate(ctx, "admin", "admin123")
    ctx.user = admin
    known = {u.username for u in users.list_users(ctx)}
    if "thuha" not in known:
        users.add_user(ctx, "thuha", "Phạm Thu Hà", "clerk", "matkhau-tam", "Công chức một cửa")
    if "vanbinh" not in known:
        users.add_user(ctx, "vanbinh", "Đỗ Văn Bình", "clerk", "matkhau-tam", "Công chức một cửa")
        users.disable_user(ctx, "vanbinh")
    window = create_main_window(ctx, admin)
    window.resize(SCREEN)
    window.show()
    window.show_section(SECTION)
    window.users.page.reload(select="thuha")
    return window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.users")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/users.png"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.setup import open_app
    from ui.app import make_application
    from ui.screenshots.common import save_shot
    ctx = open_app(args.data_dir)
    make_application([sys.argv[0]])
    print(save_shot(shot_users(ctx), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
