"""0006: the due date in force when each history step happened, so a progress step sent again after the
dossier's due date moved (supplement, apology) is the same step, not a conflicting one. Frozen SQL, like 0001."""

from peewee import SqliteDatabase


def apply(database: SqliteDatabase) -> None:
    database.execute_sql('ALTER TABLE "dossier_history" ADD COLUMN "due_at" TEXT')
