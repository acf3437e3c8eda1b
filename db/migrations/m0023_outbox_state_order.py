"""0023: the sync queue's entries of one state in the order the Đồng bộ page lists them (newest change first).

The page lists a state's entries by `updated_at` descending, 500 at a time, and "Tất cả" lists the states one after
another. With only m0001's index on the state, the 5.4 million synced entries of the benchmark database were all
read and sorted for the first 500 (1.9 s on the GUI thread): this index, on the state then the time and the id,
gives them in order, and replaces m0001's (the same first column: every query that used it uses this one).
"""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    execute(database, 'CREATE INDEX IF NOT EXISTS "outbox_entry_state_updated" '
                      'ON "outbox_entry" ("state", "updated_at", "id")')
    execute(database, 'DROP INDEX IF EXISTS "outbox_entry_state"')
