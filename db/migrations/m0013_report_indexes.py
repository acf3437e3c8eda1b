"""0013: indexes for the reports (Biểu số 06 over a year of a million dossiers in under a second). Frozen SQL, like
0001. Only indexes: nothing is rewritten, so an existing database upgrades by SQLite building them (a few seconds
each on a million dossiers).

- dossier_report: the dossiers received in a period with every column the statistics read (covering: the table's
  wide rows are not read);
- dossier_updated_at_received_at: those received before the period and touched since (the carried-over candidates);
- dossier_history_concluded: each dossier's steps out of the books (withdrawn, stopped, result, returned) in time
  order with what the statistics compare (partial and covering: its first one is one index probe);
- dossier_history_{supplement,withdraw}_at, dossier_return_returned_at, dossier_result_recorded_at,
  service_rating_rated_at: the counts beside the table by date;
- dossier_component_handed_over, outbox_entry_dossier_state: digitisation and sync shares without reading the rows.
"""

from peewee import Database

from db.dialect import execute

INDEXES = (
    'CREATE INDEX IF NOT EXISTS "dossier_report" ON "dossier" '
    '("received_at", "status", "channel", "procedure_id", "received_by_id", "due_at", "code")',
    'CREATE INDEX IF NOT EXISTS "dossier_updated_at_received_at" ON "dossier" ("updated_at", "received_at")',
    'CREATE INDEX IF NOT EXISTS "dossier_history_concluded" ON "dossier_history" '
    '("dossier_id", "at", "id", "to_status", "due_at") WHERE to_status IN (7, 8, 9, 10)',
    'CREATE INDEX IF NOT EXISTS "dossier_history_supplement_at" ON "dossier_history" ("at") '
    "WHERE action = 'request_supplement'",
    'CREATE INDEX IF NOT EXISTS "dossier_history_withdraw_at" ON "dossier_history" ("at") WHERE action = \'withdraw\'',
    'CREATE INDEX IF NOT EXISTS "dossier_return_returned_at" ON "dossier_return" ("returned_at")',
    'CREATE INDEX IF NOT EXISTS "dossier_result_recorded_at" ON "dossier_result" ("recorded_at", "dossier_id")',
    'CREATE INDEX IF NOT EXISTS "service_rating_rated_at" ON "service_rating" ("rated_at", "id", "level", "reason")',
    'CREATE INDEX IF NOT EXISTS "dossier_component_handed_over" ON "dossier_component" '
    '("dossier_id", "handed_over", "position")',
    'CREATE INDEX IF NOT EXISTS "outbox_entry_dossier_state" ON "outbox_entry" ("kind", "key", "state") '
    "WHERE kind = 'dossier'",
)


def apply(database: Database) -> None:
    for statement in INDEXES:
        execute(database, statement)
