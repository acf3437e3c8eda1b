"""0021: the scans' bytes inside the centre's database, keyed by their SHA-256 (issue 20, office mode).

In office mode a scan attached at one counter must open at every other: each stored file's PDF and its page-1
thumbnail are kept in `scan_blob` (BYTEA), written in the same transaction as the attachment row, so pg_dump
backs up rows and files in one consistent snapshot and no row is ever committed without its bytes. Each PC's data
folder keeps its content-addressed store as a cache (counter.scans.blobs). On SQLite (one PC) the table exists
but stays empty: the data folder's store is the scans, as before. An existing database upgrades with an empty
table; on PostgreSQL the files a PC still holds are published by `counter.scans.blobs.publish_local`.
"""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute


def apply(database: Database) -> None:
    binary = "BYTEA" if is_postgres(database) else "BLOB"
    execute(database, f'CREATE TABLE IF NOT EXISTS "scan_blob" ("sha256" VARCHAR(64) NOT NULL PRIMARY KEY, '
                      f'"data" {binary} NOT NULL, "thumbnail" {binary} NOT NULL)')
