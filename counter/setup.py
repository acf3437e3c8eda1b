"""Opening the app's database: create, migrate, and give a fresh one everything it needs to work."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import platformdirs

import resources
from counter import APP_ID, audit, records
from counter.calendar.workdays import seed_calendar
from counter.catalogue import procedures
from counter.clock import Clock
from counter.context import AppContext, bound
from counter.office import code_ledger
from counter.office.profile import save_office
from counter.office.users import create_user
from counter.sync import secret
from counter.sync import settings as sync_settings
from db.database import bind, make_database
from db.migrate import migrate
from db.models import Office, User
from db.private import open_private, private_dir, private_file, sqlite_files

log = logging.getLogger(__name__)
DB_FILE = "quaymotcua.sqlite3"


def make_private(data_dir: Path) -> None:
    """The data directory and what the app keeps in it readable by its owner only (Linux: 0700 folders, 0600
    files; Windows: the per-user data folder is private already, db.private). New files are created so; this
    also tightens an installation made by an earlier version."""
    private_dir(data_dir)
    files = [*sqlite_files(data_dir / DB_FILE), data_dir / code_ledger.FILE_NAME, data_dir / secret.KEY_FILE,
             data_dir / secret.LEGACY_KEY_FILE]
    for folder in ("backups", "logs"):
        if (data_dir / folder).is_dir():
            private_dir(data_dir / folder)
            files += (data_dir / folder).iterdir()
    for path in files:
        if not path.is_dir():
            private_file(path)


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def open_app(data_dir: Path | None = None, clock: Clock | None = None) -> AppContext:
    """Open (creating if needed) the database in `data_dir`, migrated and seeded."""
    data_dir = private_dir(Path(data_dir) if data_dir else default_data_dir())
    path = data_dir / DB_FILE
    if not path.exists():
        os.close(open_private(path))  # an empty file is a new database to SQLite; made 0600 before it writes
    database = bind(make_database(path))
    backups: list[Path] = []
    applied = migrate(database, path, on_backup=backups.append)
    make_private(data_dir)
    ctx = AppContext(database=database, data_dir=data_dir, clock=clock or Clock())
    for backup in backups:
        audit.record(ctx, "backup", f"Sao lưu cơ sở dữ liệu trước khi nâng cấp lên phiên bản {applied[-1]}: "
                                    f"{backup.name}.", detail={"path": str(backup), "migrations": applied})
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
