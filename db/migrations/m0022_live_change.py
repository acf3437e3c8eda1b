"""0022: the live board's change feed (issue 20). Every insert or update of a dossier, whoever writes it (an intent at
any counter, the command line, a sync, a restore's later writes), adds one row `live_change` (an increasing id, the
dossier's code) in the same transaction, by trigger; each running app polls the feed's largest id once a second (one
read of the primary key's last entry) and reads the few new rows only when it moved (counter/live.py). A trigger on
the feed keeps only its last KEEP rows, so it stays a few hundred kilobytes on any database. On PostgreSQL the
same as plpgsql triggers. An existing database upgrades with an empty feed: nothing to compute.

Also Biểu 06 by receiving counter (issue 20, counter/reports/stats.py): 0013's covering index `dossier_report` made
again, under its name, with the dossier's workstation last, so that the period's receptions are still counted from
the index alone (a few seconds on the million-dossier database, once)."""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute, pg_trigger

KEEP = 10_000  # rows kept: an app more than this many changes behind refreshes whole (counter.live)

_TABLE = 'CREATE TABLE IF NOT EXISTS "live_change" ("id" INTEGER NOT NULL PRIMARY KEY, "code" TEXT NOT NULL)'
_ADD = 'INSERT INTO "live_change" ("code") VALUES (NEW."code");'
_PRUNE = f'DELETE FROM "live_change" WHERE "id" <= NEW."id" - {KEEP};'

_REPORT_INDEX = (
    'DROP INDEX IF EXISTS "dossier_report"',
    'CREATE INDEX IF NOT EXISTS "dossier_report" ON "dossier" '
    '("received_at", "status", "channel", "procedure_id", "received_by_id", "due_at", "code", "workstation")',
)

STATEMENTS = (
    _TABLE,
    *_REPORT_INDEX,
    f'CREATE TRIGGER IF NOT EXISTS "live_change_dossier_insert" AFTER INSERT ON "dossier" BEGIN {_ADD} END',
    f'CREATE TRIGGER IF NOT EXISTS "live_change_dossier_update" AFTER UPDATE ON "dossier" BEGIN {_ADD} END',
    f'CREATE TRIGGER IF NOT EXISTS "live_change_prune" AFTER INSERT ON "live_change" BEGIN {_PRUNE} END',
)

POSTGRES_STATEMENTS = (
    _TABLE,
    *_REPORT_INDEX,
    *pg_trigger("live_change_dossier_insert", 'AFTER INSERT ON "dossier"', _ADD),
    *pg_trigger("live_change_dossier_update", 'AFTER UPDATE ON "dossier"', _ADD),
    *pg_trigger("live_change_prune", 'AFTER INSERT ON "live_change"', _PRUNE),
)


def apply(database: Database) -> None:
    for statement in POSTGRES_STATEMENTS if is_postgres(database) else STATEMENTS:
        execute(database, statement)
