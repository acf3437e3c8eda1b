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
from counter.office.profile import save_office
from counter.office.users import create_user
from counter.sync import settings as sync_settings
from db.database import bind, make_database
from db.migrate import migrate
from db.models import Office, User

log = logging.getLogger(__name__)
DB_FILE = "quaymotcua.sqlite3"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def open_app(data_dir: Path | None = None, clock: Clock | None = None) -> AppContext:
    """Open (creating if needed) the database in `data_dir`, migrated and seeded."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_FILE
    database = bind(make_database(path))
    migrate(database, path)
    ctx = AppContext(database=database, data_dir=data_dir, clock=clock or Clock())
    seed(ctx)
    if sync_settings.reseal_legacy(ctx):
        log.info("the sync password sealed by an earlier version was sealed again (counter.sync.secret)")
    return ctx


@bound
def seed(ctx: AppContext) -> None:
    """Calendar and catalogue always; the demo office and users only into a database that has none."""
    with ctx.transaction():
        seed_calendar(ctx)
        procedures.seed_catalogue(ctx)
        if Office.select().count() == 0:
            _seed_demo_office(ctx)


def _seed_demo_office(ctx: AppContext) -> None:
    demo = json.loads(resources.path("data", "demo_office.json").read_text(encoding="utf-8"))
    save_office(ctx, records.Office(**demo["office"]))
    if User.select().count() == 0:
        for user in demo["users"]:
            create_user(ctx, user["username"], user["full_name"], user["password"], user["role"], user["title"],
                        now=ctx.clock.now())
    log.info("new database: demo office %s and demo users created", demo["office"]["agency_id"])
