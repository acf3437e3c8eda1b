"""0001: the initial schema, frozen as SQL so later model changes cannot alter what it creates."""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute

STATEMENTS = """
CREATE TABLE "meta" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
CREATE TABLE "office" ("id" INTEGER NOT NULL PRIMARY KEY, "agency_id" VARCHAR(255) NOT NULL, "parent_name" VARCHAR(255) NOT NULL, "office_name" VARCHAR(255) NOT NULL, "place_name" VARCHAR(255) NOT NULL, "address" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "morning_start" VARCHAR(255) NOT NULL, "morning_end" VARCHAR(255) NOT NULL, "afternoon_start" VARCHAR(255) NOT NULL, "afternoon_end" VARCHAR(255) NOT NULL, "same_day_cutoff" VARCHAR(255) NOT NULL, "workstation" INTEGER NOT NULL, "register_book" VARCHAR(255) NOT NULL, "lookup_url" VARCHAR(255));
CREATE TABLE "user" ("id" INTEGER NOT NULL PRIMARY KEY, "username" VARCHAR(255) NOT NULL, "full_name" VARCHAR(255) NOT NULL, "title" VARCHAR(255) NOT NULL, "role" VARCHAR(255) NOT NULL, "password_hash" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "created_at" TEXT NOT NULL);
CREATE UNIQUE INDEX "user_username" ON "user" ("username");
CREATE TABLE "procedure" ("id" INTEGER NOT NULL PRIMARY KEY, "code" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "name_folded" VARCHAR(255) NOT NULL, "field" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "use_count" INTEGER NOT NULL);
CREATE UNIQUE INDEX "procedure_code" ON "procedure" ("code");
CREATE INDEX "procedure_name_folded" ON "procedure" ("name_folded");
CREATE TABLE "procedure_version" ("id" INTEGER NOT NULL PRIMARY KEY, "procedure_id" INTEGER NOT NULL, "version" INTEGER NOT NULL, "effective_from" DATE NOT NULL, "name" VARCHAR(255) NOT NULL, "time_rule_kind" VARCHAR(255) NOT NULL, "time_rule_days" INTEGER NOT NULL, "fee_amount" INTEGER, "fee_per" VARCHAR(255) NOT NULL, "fee_formula" VARCHAR(255) NOT NULL, "fee_note" VARCHAR(255) NOT NULL, "result_name" VARCHAR(255) NOT NULL, "result_code" VARCHAR(255) NOT NULL, "verified" INTEGER NOT NULL, "note" TEXT NOT NULL, "source" VARCHAR(255) NOT NULL, FOREIGN KEY ("procedure_id") REFERENCES "procedure" ("id") ON DELETE CASCADE);
CREATE INDEX "procedure_version_procedure_id" ON "procedure_version" ("procedure_id");
CREATE UNIQUE INDEX "procedure_version_procedure_id_version" ON "procedure_version" ("procedure_id", "version");
CREATE TABLE "procedure_component" ("id" INTEGER NOT NULL PRIMARY KEY, "version_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "code" VARCHAR(255) NOT NULL, "name" TEXT NOT NULL, "form" VARCHAR(255) NOT NULL, "optional" INTEGER NOT NULL, FOREIGN KEY ("version_id") REFERENCES "procedure_version" ("id") ON DELETE CASCADE);
CREATE INDEX "procedure_component_version_id" ON "procedure_component" ("version_id");
CREATE TABLE "calendar_day" ("id" INTEGER NOT NULL PRIMARY KEY, "date" DATE NOT NULL, "kind" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "source" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, "origin" VARCHAR(255) NOT NULL);
CREATE UNIQUE INDEX "calendar_day_date" ON "calendar_day" ("date");
CREATE TABLE "applicant" ("id" INTEGER NOT NULL PRIMARY KEY, "id_number" VARCHAR(255) NOT NULL, "old_id_number" VARCHAR(255), "full_name" VARCHAR(255) NOT NULL, "name_folded" VARCHAR(255) NOT NULL, "birth_date" DATE, "sex" VARCHAR(255) NOT NULL, "address" TEXT NOT NULL, "address_folded" TEXT NOT NULL, "phone" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL);
CREATE UNIQUE INDEX "applicant_id_number" ON "applicant" ("id_number");
CREATE INDEX "applicant_name_folded" ON "applicant" ("name_folded");
CREATE INDEX "applicant_phone" ON "applicant" ("phone");
CREATE TABLE "dossier" ("id" INTEGER NOT NULL PRIMARY KEY, "code" VARCHAR(255) NOT NULL, "procedure_id" INTEGER NOT NULL, "procedure_version_id" INTEGER NOT NULL, "applicant_id" INTEGER NOT NULL, "applicant_name" VARCHAR(255) NOT NULL, "applicant_id_number" VARCHAR(255) NOT NULL, "applicant_address" TEXT NOT NULL, "applicant_phone" VARCHAR(255) NOT NULL, "applicant_email" VARCHAR(255) NOT NULL, "applicant_kind" INTEGER NOT NULL, "channel" INTEGER NOT NULL, "return_method" INTEGER NOT NULL, "summary" TEXT NOT NULL, "sets" INTEGER NOT NULL, "fee_total" INTEGER NOT NULL, "fee_exempt_reason" VARCHAR(255) NOT NULL, "received_at" TEXT NOT NULL, "due_at" TEXT, "original_due_at" TEXT, "status" INTEGER NOT NULL, "unit" VARCHAR(255) NOT NULL, "register_book" VARCHAR(255) NOT NULL, "register_number" INTEGER, "received_by_id" INTEGER, "workstation" INTEGER NOT NULL, "has_digitised" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, FOREIGN KEY ("procedure_id") REFERENCES "procedure" ("id"), FOREIGN KEY ("procedure_version_id") REFERENCES "procedure_version" ("id"), FOREIGN KEY ("applicant_id") REFERENCES "applicant" ("id"), FOREIGN KEY ("received_by_id") REFERENCES "user" ("id"));
CREATE UNIQUE INDEX "dossier_code" ON "dossier" ("code");
CREATE INDEX "dossier_procedure_id" ON "dossier" ("procedure_id");
CREATE INDEX "dossier_procedure_version_id" ON "dossier" ("procedure_version_id");
CREATE INDEX "dossier_applicant_id" ON "dossier" ("applicant_id");
CREATE INDEX "dossier_received_at" ON "dossier" ("received_at");
CREATE INDEX "dossier_due_at" ON "dossier" ("due_at");
CREATE INDEX "dossier_status" ON "dossier" ("status");
CREATE INDEX "dossier_received_by_id" ON "dossier" ("received_by_id");
CREATE TABLE "dossier_component" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "code" VARCHAR(255) NOT NULL, "name" TEXT NOT NULL, "form" VARCHAR(255) NOT NULL, "quantity" INTEGER NOT NULL, "pages" INTEGER NOT NULL, "handed_over" INTEGER NOT NULL, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE);
CREATE INDEX "dossier_component_dossier_id" ON "dossier_component" ("dossier_id");
CREATE TABLE "dossier_fee" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL, "code" VARCHAR(255) NOT NULL, "amount" INTEGER NOT NULL, "kind" INTEGER NOT NULL, "paid_at" TEXT, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE);
CREATE INDEX "dossier_fee_dossier_id" ON "dossier_fee" ("dossier_id");
CREATE TABLE "dossier_history" ("id" INTEGER NOT NULL PRIMARY KEY, "dossier_id" INTEGER NOT NULL, "at" TEXT NOT NULL, "action" VARCHAR(255) NOT NULL, "from_status" INTEGER, "to_status" INTEGER NOT NULL, "from_unit" VARCHAR(255) NOT NULL, "to_unit" VARCHAR(255) NOT NULL, "actor_id" INTEGER, "actor_name" VARCHAR(255) NOT NULL, "note" TEXT NOT NULL, "step_uuid" VARCHAR(255) NOT NULL, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("actor_id") REFERENCES "user" ("id"));
CREATE INDEX "dossier_history_dossier_id" ON "dossier_history" ("dossier_id");
CREATE INDEX "dossier_history_actor_id" ON "dossier_history" ("actor_id");
CREATE UNIQUE INDEX "dossier_history_step_uuid" ON "dossier_history" ("step_uuid");
CREATE TABLE "outbox_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(255) NOT NULL, "key" VARCHAR(255) NOT NULL, "dossier_id" INTEGER, "state" VARCHAR(255) NOT NULL, "revision" INTEGER NOT NULL, "sent_revision" INTEGER NOT NULL, "attempts" INTEGER NOT NULL, "next_attempt_at" TEXT, "last_error" TEXT NOT NULL, "created_at" TEXT NOT NULL, "updated_at" TEXT NOT NULL, FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE);
CREATE INDEX "outbox_entry_dossier_id" ON "outbox_entry" ("dossier_id");
CREATE INDEX "outbox_entry_state" ON "outbox_entry" ("state");
CREATE UNIQUE INDEX "outbox_entry_kind_key" ON "outbox_entry" ("kind", "key");
CREATE TABLE "code_counter" ("id" INTEGER NOT NULL PRIMARY KEY, "agency_id" VARCHAR(255) NOT NULL, "day" VARCHAR(255) NOT NULL, "workstation" INTEGER NOT NULL, "last_seq" INTEGER NOT NULL);
CREATE UNIQUE INDEX "code_counter_agency_id_day_workstation" ON "code_counter" ("agency_id", "day", "workstation");
CREATE TABLE "register_counter" ("book" VARCHAR(255) NOT NULL PRIMARY KEY, "last_number" INTEGER NOT NULL);
CREATE TABLE "guidance" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, "user_id" INTEGER, "applicant_id" INTEGER, "applicant_name" VARCHAR(255) NOT NULL, "id_number" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "procedure_id" INTEGER NOT NULL, "items" TEXT NOT NULL, "reason" TEXT NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id"), FOREIGN KEY ("applicant_id") REFERENCES "applicant" ("id"), FOREIGN KEY ("procedure_id") REFERENCES "procedure" ("id"));
CREATE INDEX "guidance_at" ON "guidance" ("at");
CREATE INDEX "guidance_user_id" ON "guidance" ("user_id");
CREATE INDEX "guidance_applicant_id" ON "guidance" ("applicant_id");
CREATE INDEX "guidance_id_number" ON "guidance" ("id_number");
CREATE INDEX "guidance_procedure_id" ON "guidance" ("procedure_id");
CREATE TABLE "print_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, "user_id" INTEGER, "dossier_id" INTEGER, "guidance_id" INTEGER, "form" VARCHAR(255) NOT NULL, "copy_no" INTEGER NOT NULL, "target" VARCHAR(255) NOT NULL, FOREIGN KEY ("user_id") REFERENCES "user" ("id"), FOREIGN KEY ("dossier_id") REFERENCES "dossier" ("id") ON DELETE CASCADE, FOREIGN KEY ("guidance_id") REFERENCES "guidance" ("id") ON DELETE CASCADE);
CREATE INDEX "print_log_user_id" ON "print_log" ("user_id");
CREATE INDEX "print_log_dossier_id" ON "print_log" ("dossier_id");
CREATE INDEX "print_log_guidance_id" ON "print_log" ("guidance_id");
CREATE VIRTUAL TABLE "applicant_search" USING fts5(name_folded, content='applicant', content_rowid='id', tokenize='trigram');
CREATE TRIGGER "applicant_search_ai" AFTER INSERT ON "applicant" BEGIN
  INSERT INTO "applicant_search"(rowid, name_folded) VALUES (new.id, new.name_folded);
END;
CREATE TRIGGER "applicant_search_ad" AFTER DELETE ON "applicant" BEGIN
  INSERT INTO "applicant_search"("applicant_search", rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
END;
CREATE TRIGGER "applicant_search_au" AFTER UPDATE OF "name_folded" ON "applicant" BEGIN
  INSERT INTO "applicant_search"("applicant_search", rowid, name_folded) VALUES ('delete', old.id, old.name_folded);
  INSERT INTO "applicant_search"(rowid, name_folded) VALUES (new.id, new.name_folded);
END;
"""


# PostgreSQL (office mode) has no FTS5: `applicant_search` is a view of the folded names, searched through a pg_trgm
# GIN index on applicant.name_folded (LIKE '%…%' uses it); nothing to keep in step, so no triggers.
POSTGRES_SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE VIEW "applicant_search" AS SELECT "id" AS "rowid", "name_folded" FROM "applicant"',
    'CREATE INDEX "applicant_name_folded_trgm" ON "applicant" USING gin ("name_folded" gin_trgm_ops)',
)


def apply(database: Database) -> None:
    # Split on the statement terminator at line ends; trigger bodies end with "END;".
    postgres = is_postgres(database)
    for statement in _split(STATEMENTS):
        if postgres and statement.startswith(("CREATE VIRTUAL TABLE", "CREATE TRIGGER")):
            continue  # SQLite's full-text index and its triggers: POSTGRES_SEARCH instead
        execute(database, statement)
    if postgres:
        for statement in POSTGRES_SEARCH:
            execute(database, statement)


def _split(script: str) -> list[str]:
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current)
        in_trigger = text.lstrip().upper().startswith("CREATE TRIGGER")
        if line.rstrip().endswith(";") and (not in_trigger or line.strip().upper() == "END;"):
            statements.append(text)
            current = []
    return statements
