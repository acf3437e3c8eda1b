"""0012: where a version's fee and time limit come from when an administrator entered them (the province's
decision, e.g. "Nghị quyết 12/2025/NQ-HĐND"); "" when they came with the version's file (its `source`).
Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    for column in ("fee_source", "time_source"):
        execute(database, f'ALTER TABLE "procedure_version" ADD COLUMN "{column}" VARCHAR(255) NOT NULL DEFAULT \'\'')
