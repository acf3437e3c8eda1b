"""0009: the audit log — one append-only table, each row chained to the previous by its SHA-256 (counter.audit).
The triggers refuse UPDATE and DELETE, so nothing in the app can rewrite it; a hand edit must drop them first,
and `main.py audit verify` then names the first row that no longer holds. Frozen SQL, like 0001."""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute, pg_trigger

STATEMENTS = [
    'CREATE TABLE "audit_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, "actor" VARCHAR(255) NOT NULL, '
    '"kind" VARCHAR(255) NOT NULL, "summary" TEXT NOT NULL, "detail" TEXT NOT NULL, "prev_hash" VARCHAR(255) NOT NULL, '
    '"hash" VARCHAR(255) NOT NULL)',
    'CREATE INDEX "audit_entry_at" ON "audit_entry" ("at")',
    'CREATE INDEX "audit_entry_actor" ON "audit_entry" ("actor")',
    'CREATE INDEX "audit_entry_kind" ON "audit_entry" ("kind")',
    'CREATE TRIGGER "audit_entry_no_update" BEFORE UPDATE ON "audit_entry" BEGIN\n'
    "  SELECT RAISE(ABORT, 'audit log is append-only');\nEND",
    'CREATE TRIGGER "audit_entry_no_delete" BEFORE DELETE ON "audit_entry" BEGIN\n'
    "  SELECT RAISE(ABORT, 'audit log is append-only');\nEND",
]


# PostgreSQL (office mode): the same two refusals as plpgsql triggers.
POSTGRES_TRIGGERS = (
    *pg_trigger("audit_entry_no_update", 'BEFORE UPDATE ON "audit_entry"',
                "RAISE EXCEPTION 'audit log is append-only';"),
    *pg_trigger("audit_entry_no_delete", 'BEFORE DELETE ON "audit_entry"',
                "RAISE EXCEPTION 'audit log is append-only';"),
)


def apply(database: Database) -> None:
    postgres = is_postgres(database)
    for statement in STATEMENTS:
        if not (postgres and statement.startswith("CREATE TRIGGER")):
            execute(database, statement)
    if postgres:
        for statement in POSTGRES_TRIGGERS:
            execute(database, statement)
