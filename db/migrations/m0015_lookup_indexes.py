"""0015: indexes for Tra cứu (F3), whose lists run newest first (received_at, then id) a page at a time by keyset.
Frozen SQL, like 0001. Only indexes: an existing database upgrades by SQLite building them (seconds on a million
dossiers), nothing is rewritten.

- dossier_status_received_at: one status newest first (95% of a year's dossiers are returned: the (status) index
  alone made SQLite sort them all for a page);
- dossier_procedure_received_at: one procedure newest first.

Each index ends with the rowid (the id), so (received_at, id) keyset paging reads it in order.
"""

from peewee import SqliteDatabase

INDEXES = (
    'CREATE INDEX IF NOT EXISTS "dossier_status_received_at" ON "dossier" ("status", "received_at")',
    'CREATE INDEX IF NOT EXISTS "dossier_procedure_received_at" ON "dossier" ("procedure_id", "received_at")',
)


def apply(database: SqliteDatabase) -> None:
    for statement in INDEXES:
        database.execute_sql(statement)
