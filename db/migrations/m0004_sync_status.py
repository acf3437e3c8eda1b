"""0004: the status the province last confirmed for a dossier, so a pull can tell a change made at
the province from our own change not yet sent. Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    execute(database, 'ALTER TABLE "outbox_entry" ADD COLUMN "sent_status" INTEGER')
