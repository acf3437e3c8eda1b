"""The Lịch làm việc section for docs/screenshots/calendar.png, as the database's first administrator, the day after
an announced extra holiday was entered (so the list of appointments it moves is not empty):

    python -m ui.screenshots.calendar --data-dir /tmp/calshot --out docs/screenshots/calendar.png

It writes a holiday into the data directory's calendar: use a throwaway data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path

AT = datetime.fromisoformat("2026-12-03T10:00")
HOLIDAY = date(2026, 12, 7)
SOURCE = "Công văn số 215/UBND-VP ngày 02/12/2026"


def shot_calendar(ctx):
    from counter.calendar import admin
    from counter.calendar.workdays import list_calendar_days
    from counter.office.users import list_users
    from ui.app import create_main_window
    from ui.main_window.window import CALENDAR
    from ui.screenshots.board import SCREEN

    user = next(u for u in list_users(ctx) if u.role == "admin")
    ctx.user = user
    if HOLIDAY not in {e.date for e in list_calendar_days(ctx, HOLIDAY.year)}:
        admin.add_day(ctx, HOLIDAY, "rest", SOURCE, note="Nghỉ phục vụ bầu cử bổ sung", name="Nghỉ bầu cử bổ sung")
    window = create_main_window(ctx, user)
    window.resize(SCREEN)
    window.show()
    window.show_section(CALENDAR)
    page = window.calendar.page
    page.source.setText(SOURCE)
    page.days.selectRow(len(list_calendar_days(ctx, HOLIDAY.year)) - 1)
    return window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots.calendar")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/calendar.png"))
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from counter.clock import FixedClock
    from counter.setup import open_app
    from ui.app import make_application
    from ui.screenshots.common import save_shot, seed_demo
    ctx = open_app(args.data_dir, clock=FixedClock(AT))
    seed_demo(ctx)
    make_application([sys.argv[0]])
    print(save_shot(shot_calendar(ctx), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
