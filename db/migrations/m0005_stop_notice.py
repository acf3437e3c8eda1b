"""0005: the stop notice (Mẫu 05) as it was issued — reason and signer — so it can be printed again.
Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute

STATEMENTS = """
CREATE TABLE "dossier_stop" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "stopped_at" TEXT NOT NULL, "reason" TEXT NOT NULL, "signer_name" VARCHAR(255) NOT NULL, "signer_title" VARCHAR(255) NOT NULL, "recorded_by_id" INTEGER, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("recorded_by_id") REFERENCES "user" ("id"));
CREATE UNIQUE INDEX "dossier_stop_dossier_id" ON "dossier_stop" ("dossier_id");
CREATE INDEX "dossier_stop_recorded_by_id" ON "dossier_stop" ("recorded_by_id")
"""


def apply(database: Database) -> None:
    for statement in STATEMENTS.strip().split(";\n"):
        execute(database, statement.rstrip(";"))
