"""Opening the app's database: create, migrate, and give a fresh one everything it needs to work."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import platformdirs

import resources
from counter import APP_ID, records
from counter.calendar.workdays import seed_calendar
from counter.catalogue import procedures
from counter.clock import Clock
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.office.profile import save_office
from counter.office.users import create_user
from db.database import bind, make_database
from db.migrate import migrate
from db.models import Office, User

log = logging.getLogger(__name__)
DB_FILE = "quaymotcua.sqlite3"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def open_app(data_dir: Path | None = None, clock: Clock | None = None) -> AppContext:
    """Open (creating if needed) the database in `data_dir`, migrated, with the calendar and the catalogue."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_FILE
    database = bind(make_database(path))
    migrate(database, path)
    ctx = AppContext(database=database, data_dir=data_dir, clock=clock or Clock())
    seed(ctx)
    return ctx


def open_demo(data_dir: Path | None = None, clock: Clock | None = None) -> AppContext:
    """`open_app`, then the demo office and users if the database has none (`seed_demo`): the tests, the
    screenshot tools and the demo commands start from this."""
    ctx = open_app(data_dir, clock)
    seed_demo(ctx)
    return ctx


@bound
def seed(ctx: AppContext) -> None:
    """Calendar and catalogue, into every database. No office and no user: a real office sets itself up
    (`counter.office.first_run`), a demonstration gets its office from `seed_demo`."""
    with ctx.transaction():
        seed_calendar(ctx)
        procedures.seed_catalogue(ctx)


@bound
def seed_demo(ctx: AppContext) -> bool:
    """Make this database the demonstration: the demo office of Quảng Hùng, marked as a demo (forms watermarked,
    the window title says so), and its users canbo/canbo123, lanhdao/lanhdao123, admin/admin123. Only
    `demo-init`/`demo-data` (and the tests) call this. True when it created them; a database already the demo is
    left as it is; one set up for a real office is refused (its dossiers are not to be mixed with made-up ones)."""
    demo = json.loads(resources.path("data", "demo_office.json").read_text(encoding="utf-8"))
    with ctx.transaction():
        row = Office.get_or_none()
        if row is not None and row.demo:
            return False
        if row is not None and row.agency_id:
            raise ValidationError(f"Cơ sở dữ liệu {ctx.db_path} đã thiết lập cho cơ quan {row.agency_id} "
                                  f"({row.office_name}): không thêm dữ liệu mẫu vào cơ quan thật. Chạy thử trong "
                                  "một thư mục dữ liệu khác (main.py --data-dir THƯ_MỤC demo-init).")
        save_office(ctx, records.Office(**demo["office"]))
        Office.update(demo=True).execute()
        for user in demo["users"]:
            if not User.select().where(User.username == user["username"]).exists():
                create_user(ctx, user["username"], user["full_name"], user["password"], user["role"], user["title"],
                            now=ctx.clock.now())
    log.info("demo office %s and demo users created", demo["office"]["agency_id"])
    return True
