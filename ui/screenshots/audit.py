"""The Nhật ký section for docs/screenshots/audit.png, after a morning's work recorded through the real intents:

    python -m ui.screenshots.audit --data-dir /tmp/auditshot --out docs/screenshots/audit.png

Use a throwaway data directory: it logs users in and out, changes settings and prints a receipt there.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from datetime import datetime
from pathlib import Path

START = datetime.fromisoformat("2026-12-03T07:25")


def morning(ctx) -> None:
    """What a counter's morning leaves in the log, a few minutes apart."""
    from counter.clock import FixedClock
    from counter.code_guard import resume_numbering
    from counter.dossiers.lookup import count_dossiers, recent_dossiers
    from counter.dossiers.prints import log_print
    from counter.errors import AuthError
    from counter.office import sessions
    from counter.sync import settings
    from devtools.demo.build import add_demo_dossiers

    clock = ctx.clock = FixedClock(START)
    if count_dossiers(ctx) == 0:
        add_demo_dossiers(ctx, 20, seed=7, recent=True)
    steps = [
        lambda: _refused(ctx, sessions, AuthError, "canbo", "canbo"),
        lambda: sessions.log_in(ctx, "canbo", "canbo123"),
        lambda: sessions.log_in(ctx, "admin", "admin123"),
        lambda: _as(ctx, "admin", lambda: settings.set_value(ctx, "gateway_url",
                                                             "https://dichvucong.thanhhoa.gov.vn/lgsp")),
        lambda: _as(ctx, "admin", lambda: settings.set_value(ctx, "password", "Mat-khau-tinh-2026")),
        lambda: _as(ctx, "admin", lambda: settings.set_value(ctx, "phone", "0237 3861 235")),
        lambda: _as(ctx, "admin", lambda: resume_numbering(ctx, none_issued=True)),  # no province settings yet
        lambda: _as(ctx, "canbo", lambda: log_print(ctx, "mau01", dossier_code=recent_dossiers(ctx)[0].code,
                                                    target="Canon LBP2900 (quầy 1)")),
        lambda: sessions.lock(ctx, _user(ctx, "canbo"), reason=sessions.IDLE),
        lambda: sessions.log_in(ctx, "canbo", "canbo123", unlocking=True),
        lambda: _refused(ctx, sessions, AuthError, "lanhdao", "lanhdao"),
    ]
    for step in steps:
        clock.advance(minutes=7)
        step()


def _refused(ctx, sessions, error, username, password) -> None:
    with contextlib.suppress(error):  # a wrong password: the refusal is what the log keeps
        sessions.log_in(ctx, username, password)


def _user(ctx, username):
    from counter.office.users import active_user
    return active_user(ctx, username)


def _as(ctx, username, action):
    ctx.user = _user(ctx, username)
    try:
        return action()
    finally:
        ctx.user = None


def shot_audit(ctx):
    from ui.app import create_main_window
    from ui.main_window.window import AUDIT
    from ui.screenshots.board import SCREEN

    morning(ctx)
    admin = _user(ctx, "admin")
    window = create_main_window(ctx, admin)
    window.resize(SCREEN)
    window.show()
    window.show_section(AUDIT)
    window.audit.page.verify()
    window.audit.page.view.setFocus()
    return window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.audit")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/audit.png"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.clock import FixedClock
    from counter.setup import open_app
    from ui.app import make_application
    from ui.screenshots.common import save_shot
    ctx = open_app(args.data_dir, clock=FixedClock(START))
    make_application([sys.argv[0]])
    print(save_shot(shot_audit(ctx), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
