"""0002: what happens after reception — supplement pauses, results, returns, ratings, apologies —
and the (status, due_at) index that serves today's board. Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute

STATEMENTS = """
CREATE TABLE "dossier_pause" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "unit" VARCHAR(255) NOT NULL, "paused_at" TEXT NOT NULL, "reason" TEXT NOT NULL, "items" TEXT NOT NULL, "due_before" TEXT, "remaining_minutes" INTEGER, "resumed_at" TEXT, "due_after" TEXT, "requested_by_id" INTEGER, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("requested_by_id") REFERENCES "user" ("id"));
CREATE INDEX "dossier_pause_dossier_id" ON "dossier_pause" ("dossier_id");
CREATE INDEX "dossier_pause_requested_by_id" ON "dossier_pause" ("requested_by_id");
CREATE TABLE "dossier_result" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "recorded_at" TEXT NOT NULL, "number" VARCHAR(255) NOT NULL, "result_code" VARCHAR(255) NOT NULL, "result_name" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "recorded_by_id" INTEGER, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("recorded_by_id") REFERENCES "user" ("id"));
CREATE UNIQUE INDEX "dossier_result_dossier_id" ON "dossier_result" ("dossier_id");
CREATE INDEX "dossier_result_recorded_by_id" ON "dossier_result" ("recorded_by_id");
CREATE TABLE "dossier_return" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "returned_at" TEXT NOT NULL, "collector_name" VARCHAR(255) NOT NULL, "collector_id_number" VARCHAR(255) NOT NULL, "authorised" INTEGER NOT NULL, "returned_by_id" INTEGER, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("returned_by_id") REFERENCES "user" ("id"));
CREATE UNIQUE INDEX "dossier_return_dossier_id" ON "dossier_return" ("dossier_id");
CREATE INDEX "dossier_return_returned_by_id" ON "dossier_return" ("returned_by_id");
CREATE TABLE "service_rating" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "rated_at" TEXT NOT NULL, "level" VARCHAR(255) NOT NULL, "reason" TEXT NOT NULL, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX "service_rating_dossier_id" ON "service_rating" ("dossier_id");
CREATE TABLE "dossier_apology" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "issued_at" TEXT NOT NULL, "reason" TEXT NOT NULL, "due_before" TEXT NOT NULL, "new_due" TEXT NOT NULL, "signed_by_id" INTEGER, "signer_name" VARCHAR(255) NOT NULL, "signer_title" VARCHAR(255) NOT NULL, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("signed_by_id") REFERENCES "user" ("id"));
CREATE UNIQUE INDEX "dossier_apology_dossier_id" ON "dossier_apology" ("dossier_id");
CREATE INDEX "dossier_apology_signed_by_id" ON "dossier_apology" ("signed_by_id");
CREATE INDEX "dossier_status_due_at" ON "dossier" ("status", "due_at");
"""


def apply(database: Database) -> None:
    for statement in STATEMENTS.strip().split(";\n"):  # no triggers here: one statement per line
        execute(database, statement.rstrip(";"))
