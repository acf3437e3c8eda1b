"""0025: on PostgreSQL, the live board's feed (0022) is pruned once every PRUNE_EVERY rows instead of on each one.

Each row's prune deleted the rows KEEP behind it, and two counters receiving at once both tried to delete the same
old row: the second waited on the first's row lock until the first committed, from its dossier's insert to the
end of its transaction, so the centre's receptions went one at a time (issue 20: four clerks receiving at once).
Pruned on one row in PRUNE_EVERY, the feed holds between KEEP and KEEP + PRUNE_EVERY rows, and two prunes meet only
when two counters write rows PRUNE_EVERY apart at the same moment. counter.live reads only the last KEEP rows:
the few older ones left are never read. SQLite writes one transaction at a time: its trigger stays as it was."""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute, pg_trigger
from db.migrations.m0022_live_change import KEEP

PRUNE_EVERY = 100

POSTGRES_STATEMENTS = (
    'DROP TRIGGER IF EXISTS "live_change_prune" ON "live_change"',
    *pg_trigger("live_change_prune", 'AFTER INSERT ON "live_change"',
                f'DELETE FROM "live_change" WHERE "id" <= NEW."id" - {KEEP};', when=f'NEW."id" % {PRUNE_EVERY} = 0'),
)


def apply(database: Database) -> None:
    if is_postgres(database):
        for statement in POSTGRES_STATEMENTS:
            execute(database, statement)
