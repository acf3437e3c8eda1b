"""0024: on PostgreSQL (office mode), an index that answers a period's dossiers by itself (issue 20: Biểu 06 of a
centre). SQLite's `dossier_report` (0013, 0022) answers them so because every SQLite index holds the row's id; a
PostgreSQL index holds no `id`, so the period's dossiers were read from the table — every dossier for the received
figures, a bitmap scan for each part of the table. `dossier_period` is the columns those queries read, keyed by the
reception time, with `id` and the rest INCLUDEd (index-only scans; autovacuum keeps the table's visibility map).

On the million-dossier bench database a year's Biểu 06 by field took 1.62–1.80 s without it, 1.29–1.53 s with it
(its table vacuumed in both). Nothing on SQLite."""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute

POSTGRES_STATEMENTS = (
    'CREATE INDEX IF NOT EXISTS "dossier_period" ON "dossier" ("received_at") '
    'INCLUDE ("id", "status", "channel", "procedure_id", "received_by_id", "due_at", "workstation")',
)


def apply(database: Database) -> None:
    if is_postgres(database):
        for statement in POSTGRES_STATEMENTS:
            execute(database, statement)
