"""0016: an index on the dossier's workstation. A backup's manifest names the last code of each workstation
(counter.backups): without it that was a scan of every dossier (5.6 s on the million-dossier database, more than
half of the backup four hours after the last one); with it, one pass over a small index."""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    execute(database, 'CREATE INDEX IF NOT EXISTS "dossier_workstation" ON "dossier" ("workstation")')
