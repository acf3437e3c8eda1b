"""0017: each dossier's digitisation and sync state, kept by triggers in `dossier_digest` (one row per dossier):
- papers_scanned: 1 when it has a current scan of a paper and every paper handed over has one (0 otherwise, and
  when no paper was handed over);
- reused: 1 when a current scan of it reuses a paper digitised earlier;
- sync_state: its sync-queue entry's state (outbox_entry kind 'dossier' keyed by its code), NULL without one.

Biểu số 06's "beside the table" shares read it with one lookup by the dossier's id instead of searching the sync
queue by code (five million entries on the benchmark database) and the papers and their scans for every dossier
received, which took a third of a year's computation. SQLite's triggers refresh a dossier's row in the same
transaction as any write to its scans, its papers, its queue entry or its code, whoever writes (the intents, sync,
the demo builder, a restore); nothing else writes it. Frozen SQL, like 0001 and 0014. An existing database upgrades
by computing every dossier's row: seconds on a million dossiers.
"""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute, pg_trigger

# The row of the dossiers `d` for which {where} holds, as Biểu 06 counted them before (counter/reports/stats.py).
_ROWS = """SELECT d."id",
  COALESCE(CASE WHEN EXISTS (SELECT 1 FROM "attachment" t WHERE t."dossier_id" = d."id" AND t."kind" = 'component'
                              AND t."replaced_at" IS NULL)
    THEN (SELECT MIN(EXISTS (SELECT 1 FROM "attachment" t WHERE t."dossier_id" = d."id" AND t."kind" = 'component'
                               AND t."component_position" = c."position" AND t."replaced_at" IS NULL))
            FROM "dossier_component" c WHERE c."dossier_id" = d."id" AND c."handed_over") END, 0),
  EXISTS (SELECT 1 FROM "attachment" t WHERE t."dossier_id" = d."id" AND t."reused_from_id" IS NOT NULL
           AND t."replaced_at" IS NULL),
  (SELECT o."state" FROM "outbox_entry" o WHERE o."kind" = 'dossier' AND o."key" = d."code")
FROM "dossier" d WHERE {where}"""
_UPSERT = ('INSERT INTO "dossier_digest" ("dossier_id", "papers_scanned", "reused", "sync_state") ' + _ROWS
           + ' ON CONFLICT ("dossier_id") DO UPDATE SET "papers_scanned" = excluded."papers_scanned", '
             '"reused" = excluded."reused", "sync_state" = excluded."sync_state"')


def _refresh(*ids: str) -> str:
    """The statements refreshing the rows of the dossiers `ids` (SQL expressions in a trigger's body)."""
    return " ".join(_UPSERT.format(where=f'd."id" = {i}') + ";" for i in ids)


def _by_code(code: str) -> str:
    return f'(SELECT "id" FROM "dossier" WHERE "code" = {code})'


_OUTBOX_DOSSIER = "\"kind\" = 'dossier'"

STATEMENTS = (
    'CREATE TABLE IF NOT EXISTS "dossier_digest" ("dossier_id" INTEGER NOT NULL PRIMARY KEY, '
    '"papers_scanned" INTEGER NOT NULL, "reused" INTEGER NOT NULL, "sync_state" TEXT)',
    'DELETE FROM "dossier_digest"',
    # Not an upsert: SQLite's parser needs a WHERE before ON CONFLICT after a SELECT, and the table is empty here.
    'INSERT INTO "dossier_digest" ("dossier_id", "papers_scanned", "reused", "sync_state") '
    + _ROWS.format(where="1") + ' ORDER BY d."id"',
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_dossier_insert" AFTER INSERT ON "dossier" BEGIN '
    + _refresh('NEW."id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_dossier_code" AFTER UPDATE OF "code" ON "dossier" '
    'WHEN OLD."code" IS NOT NEW."code" BEGIN ' + _refresh('NEW."id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_dossier_delete" AFTER DELETE ON "dossier" BEGIN '
    'DELETE FROM "dossier_digest" WHERE "dossier_id" = OLD."id"; END',
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_attachment_insert" AFTER INSERT ON "attachment" BEGIN '
    + _refresh('NEW."dossier_id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_attachment_update" AFTER UPDATE OF "dossier_id", "kind", '
    '"component_position", "replaced_at", "reused_from_id" ON "attachment" BEGIN '
    + _refresh('OLD."dossier_id"', 'NEW."dossier_id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_attachment_delete" AFTER DELETE ON "attachment" BEGIN '
    + _refresh('OLD."dossier_id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_component_insert" AFTER INSERT ON "dossier_component" BEGIN '
    + _refresh('NEW."dossier_id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_component_update" AFTER UPDATE OF "dossier_id", "position", '
    '"handed_over" ON "dossier_component" BEGIN ' + _refresh('OLD."dossier_id"', 'NEW."dossier_id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_component_delete" AFTER DELETE ON "dossier_component" BEGIN '
    + _refresh('OLD."dossier_id"') + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_outbox_insert" AFTER INSERT ON "outbox_entry" '
    f'WHEN NEW.{_OUTBOX_DOSSIER} BEGIN ' + _refresh(_by_code('NEW."key"')) + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_outbox_update" AFTER UPDATE OF "kind", "key", "state" '
    f'ON "outbox_entry" WHEN (OLD.{_OUTBOX_DOSSIER} OR NEW.{_OUTBOX_DOSSIER}) AND (OLD."kind" IS NOT NEW."kind" '
    'OR OLD."key" IS NOT NEW."key" OR OLD."state" IS NOT NEW."state") BEGIN '
    + _refresh(_by_code('OLD."key"'), _by_code('NEW."key"')) + " END",
    'CREATE TRIGGER IF NOT EXISTS "dossier_digest_outbox_delete" AFTER DELETE ON "outbox_entry" '
    f'WHEN OLD.{_OUTBOX_DOSSIER} BEGIN ' + _refresh(_by_code('OLD."key"')) + " END",
)


# PostgreSQL (office mode): the same rows (EXISTS is a boolean there: cast to 0/1; MIN over booleans is bool_and;
# an integer flag is compared with 0), one SQL function refreshing a dossier's row, and the triggers as plpgsql
# functions calling it.
_PG_ROWS = """SELECT d."id",
  COALESCE(CASE WHEN EXISTS (SELECT 1 FROM "attachment" t WHERE t."dossier_id" = d."id" AND t."kind" = 'component'
                              AND t."replaced_at" IS NULL)
    THEN (SELECT bool_and(EXISTS (SELECT 1 FROM "attachment" t WHERE t."dossier_id" = d."id"
                                  AND t."kind" = 'component' AND t."component_position" = c."position"
                                  AND t."replaced_at" IS NULL))::integer
            FROM "dossier_component" c WHERE c."dossier_id" = d."id" AND c."handed_over" <> 0) END, 0),
  (EXISTS (SELECT 1 FROM "attachment" t WHERE t."dossier_id" = d."id" AND t."reused_from_id" IS NOT NULL
           AND t."replaced_at" IS NULL))::integer,
  (SELECT o."state" FROM "outbox_entry" o WHERE o."kind" = 'dossier' AND o."key" = d."code")
FROM "dossier" d WHERE {where}"""
_PG_REFRESH = "dossier_digest_refresh"


def _pg_refresh(*ids: str) -> str:
    return " ".join(f'PERFORM "{_PG_REFRESH}"({i});' for i in ids)


POSTGRES_STATEMENTS = (
    STATEMENTS[0],
    STATEMENTS[1],
    'INSERT INTO "dossier_digest" ("dossier_id", "papers_scanned", "reused", "sync_state") '
    + _PG_ROWS.format(where="TRUE") + ' ORDER BY d."id"',
    f'CREATE OR REPLACE FUNCTION "{_PG_REFRESH}"(target integer) RETURNS void LANGUAGE sql AS $$ '
    'INSERT INTO "dossier_digest" ("dossier_id", "papers_scanned", "reused", "sync_state") '
    + _PG_ROWS.format(where='d."id" = target')
    + ' ON CONFLICT ("dossier_id") DO UPDATE SET "papers_scanned" = excluded."papers_scanned", '
      '"reused" = excluded."reused", "sync_state" = excluded."sync_state" $$',
    *pg_trigger("dossier_digest_dossier_insert", 'AFTER INSERT ON "dossier"', _pg_refresh('NEW."id"')),
    *pg_trigger("dossier_digest_dossier_code", 'AFTER UPDATE OF "code" ON "dossier"', _pg_refresh('NEW."id"'),
                when='OLD."code" IS DISTINCT FROM NEW."code"'),
    *pg_trigger("dossier_digest_dossier_delete", 'AFTER DELETE ON "dossier"',
                'DELETE FROM "dossier_digest" WHERE "dossier_id" = OLD."id";'),
    *pg_trigger("dossier_digest_attachment_insert", 'AFTER INSERT ON "attachment"', _pg_refresh('NEW."dossier_id"')),
    *pg_trigger("dossier_digest_attachment_update", 'AFTER UPDATE OF "dossier_id", "kind", "component_position", '
                '"replaced_at", "reused_from_id" ON "attachment"', _pg_refresh('OLD."dossier_id"', 'NEW."dossier_id"')),
    *pg_trigger("dossier_digest_attachment_delete", 'AFTER DELETE ON "attachment"', _pg_refresh('OLD."dossier_id"')),
    *pg_trigger("dossier_digest_component_insert", 'AFTER INSERT ON "dossier_component"',
                _pg_refresh('NEW."dossier_id"')),
    *pg_trigger("dossier_digest_component_update", 'AFTER UPDATE OF "dossier_id", "position", "handed_over" '
                'ON "dossier_component"', _pg_refresh('OLD."dossier_id"', 'NEW."dossier_id"')),
    *pg_trigger("dossier_digest_component_delete", 'AFTER DELETE ON "dossier_component"',
                _pg_refresh('OLD."dossier_id"')),
    *pg_trigger("dossier_digest_outbox_insert", 'AFTER INSERT ON "outbox_entry"', _pg_refresh(_by_code('NEW."key"')),
                when=f"NEW.{_OUTBOX_DOSSIER}"),
    *pg_trigger("dossier_digest_outbox_update", 'AFTER UPDATE OF "kind", "key", "state" ON "outbox_entry"',
                _pg_refresh(_by_code('OLD."key"'), _by_code('NEW."key"')),
                when=f'(OLD.{_OUTBOX_DOSSIER} OR NEW.{_OUTBOX_DOSSIER}) AND (OLD."kind" IS DISTINCT FROM NEW."kind" '
                     'OR OLD."key" IS DISTINCT FROM NEW."key" OR OLD."state" IS DISTINCT FROM NEW."state")'),
    *pg_trigger("dossier_digest_outbox_delete", 'AFTER DELETE ON "outbox_entry"', _pg_refresh(_by_code('OLD."key"')),
                when=f"OLD.{_OUTBOX_DOSSIER}"),
)


def apply(database: Database) -> None:
    for statement in POSTGRES_STATEMENTS if is_postgres(database) else STATEMENTS:
        execute(database, statement)
