"""0014: each dossier's conclusion, kept by triggers: its first step out of the books (withdrawn 7, stopped 8, result
ready 9, returned 10; the first by time, then by step id), one row per concluded dossier in `dossier_conclusion`.

Biểu số 06 reads it with one lookup by the dossier's id instead of searching the dossier's steps twice, which took
most of a year's computation on a million dossiers; the scorecard's trend reads the months' conclusions by date. SQLite's triggers keep it in the same transaction as every step
written, moved or deleted, whoever writes it (the intents, sync, the demo builder, a restore); nothing else writes it.
Frozen SQL, like 0001. An existing database upgrades by filling it from the history (in the steps' order, the first
one of each dossier kept): seconds on a million dossiers.
"""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute, pg_trigger

CONCLUDED = "7, 8, 9, 10"  # counter.status: withdrawn, stopped, result ready, returned

STATEMENTS = (
    'CREATE TABLE IF NOT EXISTS "dossier_conclusion" ("dossier_id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, '
    '"to_status" INTEGER NOT NULL, "due_at" TEXT, "step_id" INTEGER NOT NULL)',
    # The first of each dossier's concluding steps: rows come in (dossier, time, id) order, later ones ignored.
    'INSERT OR IGNORE INTO "dossier_conclusion" ("dossier_id", "at", "to_status", "due_at", "step_id") '
    'SELECT "dossier_id", "at", "to_status", "due_at", "id" FROM "dossier_history" '
    f'WHERE "to_status" IN ({CONCLUDED}) ORDER BY "dossier_id", "at", "id"',
    # The conclusions of a period by date (the scorecard's trend by month).
    'CREATE INDEX IF NOT EXISTS "dossier_conclusion_at" ON "dossier_conclusion" ("at", "to_status", "due_at")',
    'CREATE TRIGGER IF NOT EXISTS "dossier_history_conclusion_insert" AFTER INSERT ON "dossier_history" '
    f'WHEN NEW."to_status" IN ({CONCLUDED}) BEGIN '
    'INSERT INTO "dossier_conclusion" ("dossier_id", "at", "to_status", "due_at", "step_id") '
    'VALUES (NEW."dossier_id", NEW."at", NEW."to_status", NEW."due_at", NEW."id") '
    'ON CONFLICT ("dossier_id") DO UPDATE SET "at" = excluded."at", "to_status" = excluded."to_status", '
    '"due_at" = excluded."due_at", "step_id" = excluded."step_id" '
    'WHERE excluded."at" < "dossier_conclusion"."at" '
    'OR (excluded."at" = "dossier_conclusion"."at" AND excluded."step_id" < "dossier_conclusion"."step_id"); END',
    'CREATE TRIGGER IF NOT EXISTS "dossier_history_conclusion_delete" AFTER DELETE ON "dossier_history" '
    f'WHEN OLD."to_status" IN ({CONCLUDED}) BEGIN '
    'DELETE FROM "dossier_conclusion" WHERE "dossier_id" = OLD."dossier_id" AND "step_id" = OLD."id"; '
    'INSERT OR IGNORE INTO "dossier_conclusion" ("dossier_id", "at", "to_status", "due_at", "step_id") '
    'SELECT "dossier_id", "at", "to_status", "due_at", "id" FROM "dossier_history" '
    f'WHERE "dossier_id" = OLD."dossier_id" AND "to_status" IN ({CONCLUDED}) ORDER BY "at", "id" LIMIT 1; END',
    'CREATE TRIGGER IF NOT EXISTS "dossier_history_conclusion_update" '
    'AFTER UPDATE OF "dossier_id", "at", "to_status", "due_at" ON "dossier_history" BEGIN '
    'DELETE FROM "dossier_conclusion" WHERE "dossier_id" IN (OLD."dossier_id", NEW."dossier_id"); '
    'INSERT OR IGNORE INTO "dossier_conclusion" ("dossier_id", "at", "to_status", "due_at", "step_id") '
    'SELECT "dossier_id", "at", "to_status", "due_at", "id" FROM "dossier_history" '
    f'WHERE "dossier_id" IN (OLD."dossier_id", NEW."dossier_id") AND "to_status" IN ({CONCLUDED}) '
    'ORDER BY "dossier_id", "at", "id"; END',
    'CREATE TRIGGER IF NOT EXISTS "dossier_conclusion_dossier_delete" AFTER DELETE ON "dossier" BEGIN '
    'DELETE FROM "dossier_conclusion" WHERE "dossier_id" = OLD."id"; END',
)


# PostgreSQL (office mode): the same table, filled and kept the same way; the first concluding step of each
# dossier picked by DISTINCT ON (SQLite's INSERT OR IGNORE in order), the triggers as plpgsql functions.
_COLUMNS = '"dossier_id", "at", "to_status", "due_at", "step_id"'
_FIRST = ('INSERT INTO "dossier_conclusion" (' + _COLUMNS + ') '
          'SELECT DISTINCT ON ("dossier_id") "dossier_id", "at", "to_status", "due_at", "id" FROM "dossier_history" '
          f'WHERE {{where}} "to_status" IN ({CONCLUDED}) ORDER BY "dossier_id", "at", "id" '
          'ON CONFLICT ("dossier_id") DO NOTHING')
POSTGRES_STATEMENTS = (
    STATEMENTS[0],
    _FIRST.format(where=""),
    STATEMENTS[2],
    *pg_trigger(
        "dossier_history_conclusion_insert", 'AFTER INSERT ON "dossier_history"',
        'INSERT INTO "dossier_conclusion" (' + _COLUMNS + ') '
        'VALUES (NEW."dossier_id", NEW."at", NEW."to_status", NEW."due_at", NEW."id") '
        'ON CONFLICT ("dossier_id") DO UPDATE SET "at" = excluded."at", "to_status" = excluded."to_status", '
        '"due_at" = excluded."due_at", "step_id" = excluded."step_id" '
        'WHERE excluded."at" < "dossier_conclusion"."at" '
        'OR (excluded."at" = "dossier_conclusion"."at" AND excluded."step_id" < "dossier_conclusion"."step_id");',
        when=f'NEW."to_status" IN ({CONCLUDED})'),
    *pg_trigger(
        "dossier_history_conclusion_delete", 'AFTER DELETE ON "dossier_history"',
        'DELETE FROM "dossier_conclusion" WHERE "dossier_id" = OLD."dossier_id" AND "step_id" = OLD."id"; '
        + _FIRST.format(where='"dossier_id" = OLD."dossier_id" AND') + ";",
        when=f'OLD."to_status" IN ({CONCLUDED})'),
    *pg_trigger(
        "dossier_history_conclusion_update",
        'AFTER UPDATE OF "dossier_id", "at", "to_status", "due_at" ON "dossier_history"',
        'DELETE FROM "dossier_conclusion" WHERE "dossier_id" IN (OLD."dossier_id", NEW."dossier_id"); '
        + _FIRST.format(where='"dossier_id" IN (OLD."dossier_id", NEW."dossier_id") AND') + ";"),
    *pg_trigger(
        "dossier_conclusion_dossier_delete", 'AFTER DELETE ON "dossier"',
        'DELETE FROM "dossier_conclusion" WHERE "dossier_id" = OLD."id";'),
)


def apply(database: Database) -> None:
    for statement in POSTGRES_STATEMENTS if is_postgres(database) else STATEMENTS:
        execute(database, statement)
