"""0015: what Tra cứu (F3) reads, newest first a page at a time by keyset. Frozen SQL, like 0001.

- dossier_search: an FTS5 trigram index of each dossier's applicant name, folded, after a space (" nguyen van an"),
  its rowid the dossier's id. A name search reads it in rowid order, newest dossier first, and stops at the page's
  end: a page costs the same whether a name matches 300 or 300,000 dossiers (listing the people from
  applicant_search first, then their dossiers, cost a read of every match: 80–370 ms at 1,000,000 dossiers). The
  leading space makes a word's start a trigram (" vu": "Vũ Văn Hải" and "Nguyễn Vũ An"). Triggers keep it: a new
  dossier, a dossier moved to another applicant or deleted, an applicant's name corrected. It is filled from
  the applicant table at the upgrade: about a minute on 1,000,000 dossiers (once, after the usual backup).
- dossier_status_received_at, dossier_procedure_received_at: one status, one procedure newest first (95 % of a
  year's dossiers are returned: the (status) index alone made SQLite sort them all for a page). Each index ends
  with the rowid, so (received_at, id) keyset paging reads it in order.
"""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute, pg_trigger

STATEMENTS = (
    'CREATE INDEX IF NOT EXISTS "dossier_status_received_at" ON "dossier" ("status", "received_at")',
    'CREATE INDEX IF NOT EXISTS "dossier_procedure_received_at" ON "dossier" ("procedure_id", "received_at")',
    "CREATE VIRTUAL TABLE \"dossier_search\" USING fts5(name, tokenize='trigram')",
    'INSERT INTO "dossier_search" (rowid, name) '
    "SELECT d.id, ' ' || a.name_folded FROM dossier d JOIN applicant a ON a.id = d.applicant_id",
    """CREATE TRIGGER "dossier_search_ai" AFTER INSERT ON "dossier" BEGIN
  INSERT INTO "dossier_search" (rowid, name)
    SELECT new.id, ' ' || name_folded FROM applicant WHERE id = new.applicant_id;
END""",
    """CREATE TRIGGER "dossier_search_ad" AFTER DELETE ON "dossier" BEGIN
  DELETE FROM "dossier_search" WHERE rowid = old.id;
END""",
    """CREATE TRIGGER "dossier_search_au" AFTER UPDATE OF "applicant_id" ON "dossier" BEGIN
  DELETE FROM "dossier_search" WHERE rowid = old.id;
  INSERT INTO "dossier_search" (rowid, name)
    SELECT new.id, ' ' || name_folded FROM applicant WHERE id = new.applicant_id;
END""",
    """CREATE TRIGGER "dossier_search_renamed" AFTER UPDATE OF "name_folded" ON "applicant" BEGIN
  DELETE FROM "dossier_search" WHERE rowid IN (SELECT id FROM dossier WHERE applicant_id = new.id);
  INSERT INTO "dossier_search" (rowid, name)
    SELECT id, ' ' || new.name_folded FROM dossier WHERE applicant_id = new.id;
END""",
)


# PostgreSQL (office mode) has no FTS5: `dossier_search` is a plain table with the same "rowid" and "name", kept in
# step by the same triggers (plpgsql), its names searched through a pg_trgm GIN index (LIKE '%…%' uses it; the
# extension is created by 0001). The lookup's query on PostgreSQL (LIKE instead of MATCH) is the search's to port.
_FILL = ('INSERT INTO "dossier_search" ("rowid", "name") '
         "SELECT d.id, ' ' || a.name_folded FROM dossier d JOIN applicant a ON a.id = d.applicant_id")
POSTGRES_STATEMENTS = (
    *STATEMENTS[:2],
    'CREATE TABLE "dossier_search" ("rowid" INTEGER NOT NULL PRIMARY KEY, "name" TEXT NOT NULL)',
    'CREATE INDEX "dossier_search_name_trgm" ON "dossier_search" USING gin ("name" gin_trgm_ops)',
    _FILL,
    *pg_trigger("dossier_search_ai", 'AFTER INSERT ON "dossier"',
                'INSERT INTO "dossier_search" ("rowid", "name") '
                "SELECT NEW.id, ' ' || name_folded FROM applicant WHERE id = NEW.applicant_id;"),
    *pg_trigger("dossier_search_ad", 'AFTER DELETE ON "dossier"',
                'DELETE FROM "dossier_search" WHERE "rowid" = OLD.id;'),
    *pg_trigger("dossier_search_au", 'AFTER UPDATE OF "applicant_id" ON "dossier"',
                'DELETE FROM "dossier_search" WHERE "rowid" = OLD.id; '
                'INSERT INTO "dossier_search" ("rowid", "name") '
                "SELECT NEW.id, ' ' || name_folded FROM applicant WHERE id = NEW.applicant_id;"),
    *pg_trigger("dossier_search_renamed", 'AFTER UPDATE OF "name_folded" ON "applicant"',
                'DELETE FROM "dossier_search" WHERE "rowid" IN (SELECT id FROM dossier WHERE applicant_id = NEW.id); '
                'INSERT INTO "dossier_search" ("rowid", "name") '
                "SELECT id, ' ' || NEW.name_folded FROM dossier WHERE applicant_id = NEW.id;"),
)


def apply(database: Database) -> None:
    for statement in POSTGRES_STATEMENTS if is_postgres(database) else STATEMENTS:
        execute(database, statement)
