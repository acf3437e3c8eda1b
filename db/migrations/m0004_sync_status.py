"""0004: the status the province last confirmed for a dossier, so a pull can tell a change made at
the province from our own change not yet sent. Frozen SQL, like 0001."""

from peewee import SqliteDatabase


def apply(database: SqliteDatabase) -> None:
    database.execute_sql('ALTER TABLE "outbox_entry" ADD COLUMN "sent_status" INTEGER')
