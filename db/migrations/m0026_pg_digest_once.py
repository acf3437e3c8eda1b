"""0026: on PostgreSQL, a dossier's digest (0017) is refreshed by a plpgsql function, and once per statement that
inserts papers, instead of once per paper; nothing changes on SQLite.

0017's refresh is a SQL function, whose body PostgreSQL 15 parses and plans again each time a trigger calls it (a
SQL function's plan lives only as long as the statement that called it). A reception refreshed its new dossier's
row 2 + (its papers) times, each planned anew: about a quarter of the server's time for one reception on the
million-dossier bench database (issue 20). A plpgsql function keeps its statement's plan for the session, and the
papers' insert trigger now runs once per statement over the dossiers of the rows it inserted (a transition table).
The rows written are the same: each refresh computes the dossier's whole row, as before."""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute
from db.migrations.m0017_dossier_digest import _PG_REFRESH, _PG_ROWS

POSTGRES_STATEMENTS = (
    f'CREATE OR REPLACE FUNCTION "{_PG_REFRESH}"(target integer) RETURNS void LANGUAGE plpgsql AS $$ BEGIN '
    'INSERT INTO "dossier_digest" ("dossier_id", "papers_scanned", "reused", "sync_state") '
    + _PG_ROWS.format(where='d."id" = target')
    + ' ON CONFLICT ("dossier_id") DO UPDATE SET "papers_scanned" = excluded."papers_scanned", '
      '"reused" = excluded."reused", "sync_state" = excluded."sync_state"; END $$',
    'DROP TRIGGER IF EXISTS "dossier_digest_component_insert" ON "dossier_component"',
    'CREATE OR REPLACE FUNCTION "dossier_digest_component_insert"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
    f'PERFORM "{_PG_REFRESH}"(s."dossier_id") FROM (SELECT DISTINCT "dossier_id" FROM "inserted") s; '
    'RETURN NULL; END $$',
    'CREATE TRIGGER "dossier_digest_component_insert" AFTER INSERT ON "dossier_component" '
    'REFERENCING NEW TABLE AS "inserted" FOR EACH STATEMENT EXECUTE FUNCTION "dossier_digest_component_insert"()',
)


def apply(database: Database) -> None:
    if is_postgres(database):
        for statement in POSTGRES_STATEMENTS:
            execute(database, statement)
