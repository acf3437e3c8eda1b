"""0020: which PC holds each workstation number (issue 20, office mode).

A workstation number is this PC's (its local configuration, counter.office.local_config), but the codes it issues
are the database's: two PCs of one centre under one number would issue the same codes. Each number claimed is
registered here to the machine id of the PC that claimed it (a random uuid kept in that PC's configuration), with
its name and when; the primary key makes a second PC's claim of a held number fail even when both claim at once.
An administrator releases a number explicitly (counter.office.workstations.release, audited). On SQLite (one PC)
the row is written too, harmlessly. Plain SQL that both engines read (db.dialect); an existing database upgrades
with an empty table, filled the next time a number is set or the app starts in office mode.
"""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    execute(database, 'CREATE TABLE IF NOT EXISTS "workstation_claim" ("number" INTEGER NOT NULL PRIMARY KEY, '
                      '"machine_id" TEXT NOT NULL, "machine_name" TEXT NOT NULL, "claimed_at" TEXT NOT NULL)')
