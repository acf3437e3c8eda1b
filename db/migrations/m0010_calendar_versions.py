"""0010: the calendar's versions — every change to the holidays, rest days and make-up working days is a new
version (who, when, on which document), the old ones kept whole — and on each dossier the calendar version its
due date was computed with (NULL: computed before versions existed). A database that already has a calendar gets
its first version from the table as it stands. Frozen SQL, like 0001."""

import json
from datetime import datetime

from peewee import Database

from db.dialect import execute
from db.timezone import VN_TZ

STATEMENTS = """
CREATE TABLE "calendar_version" ("id" INTEGER NOT NULL PRIMARY KEY, "number" INTEGER NOT NULL, "created_at" TEXT NOT NULL, "actor_id" INTEGER, "actor_name" VARCHAR(255) NOT NULL, "action" VARCHAR(255) NOT NULL, "day" DATE, "kind" VARCHAR(255) NOT NULL, "source" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "days" TEXT NOT NULL, FOREIGN KEY ("actor_id") REFERENCES "user" ("id"));
CREATE UNIQUE INDEX "calendar_version_number" ON "calendar_version" ("number");
CREATE INDEX "calendar_version_actor_id" ON "calendar_version" ("actor_id");
ALTER TABLE "dossier" ADD COLUMN "calendar_version" INTEGER
"""


def apply(database: Database) -> None:
    for statement in STATEMENTS.strip().split(";\n"):
        execute(database, statement.rstrip(";"))
    rows = execute(database,
        'SELECT "date", "kind", "name", "source", "status", "origin" FROM "calendar_day" ORDER BY "date"').fetchall()
    if rows:
        days = json.dumps([list(row) for row in rows], ensure_ascii=False, default=str)  # PostgreSQL: DATE read as date
        now = datetime.now(VN_TZ).isoformat(timespec="seconds")
        execute(database,
            'INSERT INTO "calendar_version" ("number", "created_at", "actor_id", "actor_name", "action", "day", '
            '"kind", "source", "note", "days") VALUES (1, ?, NULL, \'\', \'initial\', NULL, \'\', \'\', ?, ?)',
            (now, "Lịch có sẵn khi nâng cấp cơ sở dữ liệu", days))
