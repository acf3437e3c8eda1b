"""0023: fewer index entries to write and to check (issue 18: `check --full` of the million-dossier database has
SQLite verify every index entry against its row, and read every index page once more in the whole-file check).

- Three dossier indexes are the first column of a wider one and answer nothing it does not: `dossier_status`
  (`dossier_status_due_at`, `dossier_status_received_at`), `dossier_procedure_id` (`dossier_procedure_received_at`,
  which also serves the foreign key) and `dossier_received_at` (`dossier_report`). 3 of the dossier's 14 indexes.
- Two history indexes no query reads any more: `dossier_history_actor_id` (no list is by who took a step; users are
  disabled, never deleted, so the foreign key never searches by it) and `dossier_history_concluded` (0013's, for
  Biểu 06 before 0014 kept each dossier's conclusion in `dossier_conclusion`; 0014's triggers find a dossier's
  steps by `dossier_history_dossier_id`). 2.2 million and 4.4 million entries on the million-dossier database.
- The sync queue's index of states held every entry, millions of them 'synced', while every query it serves asks
  for the few not synced yet (the synced ones are counted as all minus those, and listed newest first along the
  table). It becomes `outbox_entry_waiting`, partial: only the entries not confirmed, with their next attempt time.
  A query uses it by carrying its condition `state != 'synced'` as written here (counter.sync.outbox.UNCONFIRMED):
  SQLite matches a partial index's condition only against the query's own terms, literal included.

On the million-dossier database, CPU of `integrity_check(table)`: the dossier table's 18.2 s → 15.6 s, the queue's
22.3 s → 17.7 s, the history's 22.1 s → 11.9 s. An existing database upgrades in seconds (the new index holds a few thousand entries)."""

from peewee import Database

from db.dialect import execute

STATEMENTS = (
    'DROP INDEX IF EXISTS "dossier_status"',
    'DROP INDEX IF EXISTS "dossier_procedure_id"',
    'DROP INDEX IF EXISTS "dossier_received_at"',
    'DROP INDEX IF EXISTS "dossier_history_actor_id"',
    'DROP INDEX IF EXISTS "dossier_history_concluded"',
    'DROP INDEX IF EXISTS "outbox_entry_state"',
    'CREATE INDEX IF NOT EXISTS "outbox_entry_waiting" ON "outbox_entry" ("state", "next_attempt_at") '
    "WHERE state != 'synced'",
)


def apply(database: Database) -> None:
    for statement in STATEMENTS:
        execute(database, statement)
