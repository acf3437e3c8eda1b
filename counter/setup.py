"""Opening the app's database: create, migrate, and give a fresh one everything it needs to work."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import platformdirs
from peewee import DatabaseError as PeeweeDatabaseError
from peewee import OperationalError as PeeweeOperationalError

import resources
from counter import APP_ID, audit, integrity, records, restore
from counter.calendar.workdays import seed_calendar
from counter.catalogue import procedures
from counter.clock import Clock
from counter.context import AppContext, bound
from counter.database_file import check_database_file, opening
from counter.errors import CounterError, ValidationError
from counter.office import code_ledger, connection, local_config
from counter.office.profile import save_office
from counter.office.users import create_user
from counter.scans import blobs, leftovers
from counter.sync import secret
from counter.sync import settings as sync_settings
from db.database import (
    UnsupportedDatabaseUrl,
    application_name,
    bind,
    is_postgres,
    make_database,
    make_database_from_url,
    redact_url,
)
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
    files = [*sqlite_files(data_dir / DB_FILE), data_dir / code_ledger.LEGACY_FILE_NAME, data_dir / secret.KEY_FILE,
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


def open_app(data_dir: Path | None = None, clock: Clock | None = None, *, check_later: bool = False) -> AppContext:
    """Open (creating if needed) the database in `data_dir`, migrated, with the calendar and the catalogue.
    `check_later`: the desktop app's start, whose quick_check of a file it will not migrate runs in the background
    once the log-in window shows (counter.integrity.check_at_start)."""
    data_dir = private_dir(Path(data_dir) if data_dir else default_data_dir())
    path = data_dir / DB_FILE
    check_database_file(path)  # not a database, cut short, read-only: said in one sentence, the file untouched
    integrity.check_at_start(path, later_if_current=check_later)  # a damaged file: said in plain words, and
    # nothing below writes to it
    if not path.exists():
        os.close(open_private(path))  # an empty file is a new database to SQLite; made 0600 before it writes
    with opening(path):
        database = bind(make_database(path))
        backups: list[Path] = []
        applied = migrate(database, path, on_backup=backups.append)
        make_private(data_dir)
        ctx = AppContext(database=database, data_dir=data_dir, clock=clock or Clock())
        for backup in backups:
            audit.record(ctx, "backup", f"Sao lưu cơ sở dữ liệu trước khi nâng cấp lên phiên bản {applied[-1]}: "
                                        f"{backup.name}.", detail={"path": str(backup), "migrations": applied})
        seed(ctx)
    _clean_leftovers(ctx)
    if sync_settings.reseal_legacy(ctx):
        log.info("the sync password sealed by an earlier version was sealed again (counter.sync.secret)")
    return ctx


def open_office_database(url: str, data_dir: Path | None = None, clock: Clock | None = None, *,
                         password: str | None = None) -> AppContext:
    """Open the centre's shared PostgreSQL database (office mode) named by `url`, migrated, with the calendar and
    the catalogue; `data_dir` is this PC's own folder (logs, the code ledger). A `sqlite:///` URL is refused here:
    the embedded file is opened by `open_app`, which backs it up and checks it first.

    `password` is given apart from the URL (counter.office.local_config keeps it in a 0600 file). A server that
    cannot be reached, a wrong password, a missing database: `CentreUnreachable`, one Vietnamese sentence.
    The URL and this PC's workstation number are kept in the PC's local configuration (counter.office.local_config)
    and read at start by `counter.office.centre.open_configured`, which chooses between this and `open_app` and
    takes this PC's number (`ctx.workstation`). The scans' bytes live in the centre's database (counter.scans.blobs;
    the data folder's store is this PC's cache): files this PC holds that the database lacks are published here,
    then what a killed process of this PC left in its folders is removed, as `open_app` does (`_clean_leftovers`).
    Backups (pg_dump) are counter.office.server_backups': nothing here touches the data folder's database file."""
    config = local_config.load()
    try:
        database = make_database_from_url(url, password, application_name(config.workstation, config.machine_name))
    except UnsupportedDatabaseUrl as e:
        raise ValidationError(str(e)) from None
    if not is_postgres(database):
        database.close()
        raise ValidationError(f"“{redact_url(url)}” là tệp SQLite của một máy: mở bằng thư mục dữ liệu, không phải "
                              "bằng địa chỉ cơ sở dữ liệu của trung tâm.")
    try:
        database.connect(reuse_if_open=True)
    except PeeweeOperationalError as e:
        database.close()
        raise connection.explain(e, url) from None
    data_dir = private_dir(Path(data_dir) if data_dir else default_data_dir())
    bind(database)
    migrate(database)  # no file to copy first: the server's backups are pg_dump's (counter.office.server_backups)
    ctx = AppContext(database=database, data_dir=data_dir, clock=clock or Clock())
    seed(ctx)
    _publish_scans(ctx)
    _clean_leftovers(ctx)
    return ctx


def _clean_leftovers(ctx: AppContext) -> None:
    """What a process of this PC killed midway left in its folders, removed at start (both engines): the code
    ledger's temporary files (the machine folder's, and an earlier version's beside the database), a restore's
    temporary database, and what an attach killed before its commit left in the scans store — on PostgreSQL the
    store is this PC's cache of the centre's blobs, and a file no row of the centre names is such a leftover (the
    attach writes its row and its blob in one transaction: a killed one left neither)."""
    data_dir = Path(ctx.data_dir)
    code_ledger.remove_stray_temp_files(data_dir)  # an earlier version's, beside the database
    code_ledger.remove_stray_temp_files()
    restore.discard_temporary(data_dir)
    leftovers.clean(ctx)  # what an attach killed midway left in the scans store


def _publish_scans(ctx: AppContext) -> None:
    """The scans this PC holds that the centre's database has no bytes for (a database upgraded to 0021, or
    copied from a PC's file): published now, so every counter opens them. A failure leaves them for the next start:
    the rows open elsewhere say the server lacks their file until then."""
    try:
        blobs.publish_local(ctx)
    except (CounterError, PeeweeDatabaseError, OSError) as e:
        log.warning("could not publish this PC's scans to the centre's database: %s", e)


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
