"""Start-up entry: back the file up, apply pending migrations in order, record the version."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import cast

from peewee import Database

from db.backup import backup_file, backup_path
from db.database import write_lock
from db.dialect import execute
from db.migrations import MIGRATIONS
from db.timezone import VN_TZ

log = logging.getLogger(__name__)


def schema_version(database: Database) -> int:
    if not database.table_exists("meta"):
        return 0
    row = database.execute_sql("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def latest_version() -> int:
    return MIGRATIONS[-1][0]


def migrate(database: Database, path: Path | None = None,
            on_backup: Callable[[Path], None] | None = None) -> list[int]:
    """Apply every pending migration; returns the numbers applied. Backs up a non-empty file first and tells
    `on_backup` where (after the migrations: the caller records it in the audit log)."""
    current = schema_version(database)
    pending = [(n, module) for n, module in MIGRATIONS if n > current]
    if not pending:
        return []
    if current > 0 and path is not None and path.exists():
        dest = backup_file(path, backup_path(path, f"before-v{pending[0][0]}", datetime.now(VN_TZ)))
        log.info("backed up %s to %s before migrating", path, dest)
    else:
        dest = None
    for number, module in pending:
        with database.atomic(write_lock(database)):  # on PostgreSQL the DDL too is undone if a migration fails midway
            module.apply(database)
            execute(database, "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(number),))
            if number == 1:
                execute(database, "INSERT INTO meta (key, value) VALUES ('instance_id', ?)", (str(uuid.uuid4()),))
        log.info("migrated database to version %d", number)
    if dest is not None and on_backup is not None:
        on_backup(dest)
    return [n for n, _ in pending]


def instance_id(database: Database) -> str:
    row = database.execute_sql("SELECT value FROM meta WHERE key = 'instance_id'").fetchone()
    return cast(str, row[0])  # a DB-API row is untyped by design; meta.value is TEXT NOT NULL
