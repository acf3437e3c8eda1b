"""0019: a dossier's register number is unique in its book (per receiving workstation), as the dossier code already
is (m0001's "dossier_code"). In office mode several counters take numbers from one book's row, under a row lock
(counter.dossiers.reception): this index is the database's own guarantee behind that lock, on both engines.

The workstation is part of the key because a counter that worked alone kept a book of its own: when it joins the
centre, its past numbers stay as printed beside the centre's (a refused dossier has no number: NULL, never equal)."""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    execute(database, 'CREATE UNIQUE INDEX IF NOT EXISTS "dossier_register_number" '
                      'ON "dossier" ("register_book", "workstation", "register_number")')
