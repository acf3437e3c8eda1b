"""0003: digitised papers — each stored file once under its SHA-256, and the attachments that link dossier
components and results to it (reused documents link the same file). Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute

STATEMENTS = """
CREATE TABLE "stored_file" ("id" INTEGER NOT NULL PRIMARY KEY, "sha256" VARCHAR(255) NOT NULL, "source_digest" VARCHAR(255) NOT NULL, "size" INTEGER NOT NULL, "pages" INTEGER NOT NULL, "created_at" TEXT NOT NULL, "remote_url" VARCHAR(255));
CREATE UNIQUE INDEX "stored_file_sha256" ON "stored_file" ("sha256");
CREATE INDEX "stored_file_source_digest" ON "stored_file" ("source_digest");
CREATE TABLE "attachment" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" VARCHAR(255) NOT NULL, "dossier_id" INTEGER NOT NULL, "file_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, "component_position" INTEGER, "type_code" VARCHAR(255) NOT NULL, "name" TEXT NOT NULL, "name_folded" TEXT NOT NULL, "owner_id_number" VARCHAR(255) NOT NULL, "owner_name" VARCHAR(255) NOT NULL, "valid_until" DATE, "digitised_at" TEXT NOT NULL, "digitised_by_id" INTEGER, "digitised_by_name" VARCHAR(255) NOT NULL, "reused_from_id" INTEGER, "replaced_at" TEXT, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("file_id") REFERENCES "stored_file" ("id"), FOREIGN KEY ("digitised_by_id") REFERENCES "user" ("id"), FOREIGN KEY ("reused_from_id") REFERENCES "attachment" ("id"));
CREATE UNIQUE INDEX "attachment_uuid" ON "attachment" ("uuid");
CREATE INDEX "attachment_file_id" ON "attachment" ("file_id");
CREATE INDEX "attachment_owner_id_number" ON "attachment" ("owner_id_number");
CREATE INDEX "attachment_digitised_by_id" ON "attachment" ("digitised_by_id");
CREATE INDEX "attachment_reused_from_id" ON "attachment" ("reused_from_id");
CREATE INDEX "attachment_dossier_id_kind_component_position" ON "attachment" ("dossier_id", "kind", "component_position");
"""


def apply(database: Database) -> None:
    for statement in STATEMENTS.strip().split(";\n"):  # no triggers here: one statement per line
        execute(database, statement.rstrip(";"))
