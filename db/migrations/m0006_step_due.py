"""0006: the due date in force when each history step happened, so a progress step sent again after the
dossier's due date moved (supplement, apology) is the same step, not a conflicting one. Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    execute(database, 'ALTER TABLE "dossier_history" ADD COLUMN "due_at" TEXT')
