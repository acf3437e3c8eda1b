"""0027: the oldest change the province has not confirmed, found by one index probe.

The status bar says how old the oldest unconfirmed record is ("cũ nhất: 2 giờ"), read again after every reception
and return (counter.sync.queue.oldest_waiting). 0023's partial index holds those entries by state and next attempt,
not by age: the query read each of them from the table and sorted them, 13 ms for 8,000 entries on the
million-dossier bench database, on the GUI thread, and more with a sync pass writing beside it. This partial index
holds the same few entries by creation time, so the oldest is the first (the query carries the index's condition,
`state != 'synced'`, as SQLite needs to use a partial index). Both engines; an existing database upgrades in
seconds."""

from peewee import Database

from db.dialect import execute

STATEMENTS = (
    'CREATE INDEX IF NOT EXISTS "outbox_entry_oldest" ON "outbox_entry" ("created_at") WHERE state != \'synced\'',
)


def apply(database: Database) -> None:
    for statement in STATEMENTS:
        execute(database, statement)
