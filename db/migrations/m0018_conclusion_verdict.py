"""0018: each conclusion's verdict (early, on time, late — Biểu số 06's columns 8–10), kept by triggers in
`dossier_conclusion.verdict`, and the count of each month's verdicts in `conclusion_month`.

The scorecard's trend counted six months of conclusions (120,000 on the benchmark database) every time F5 opened,
each joined to its dossier for the appointment: most of the screen's time. Biểu 06 classified each concluded
dossier with the same join to its apology. A conclusion's verdict depends only on its row (when, into which status,
the appointment its step recorded), its dossier's appointment and status, and its apology (the appointment it
replaced, if issued before the conclusion); triggers on those three tables refresh it in the same transaction as
any write to them, whoever writes (the intents, sync, the demo builder, a restore), and the month counts follow the
verdicts. NULL verdict: a dossier Biểu 06 leaves out (online never received 1, refused 3).

The rule is counter/reports/stats.py's, compared to the minute (seconds dropped): withdrawn (7) or without an
appointment on time; concluded on a day before the appointment's early; on its day and not after its minute on
time; after it late. Frozen SQL, like 0014. An existing database upgrades by computing every verdict: seconds on a
million dossiers.
"""

from peewee import Database

from db.database import is_postgres
from db.dialect import execute, pg_trigger

# The verdict of the dossier_conclusion row in scope (`dossier_conclusion` unqualified: the row being updated).
_VERDICT = """(SELECT CASE WHEN d."status" IN (1, 3) THEN NULL
    WHEN "dossier_conclusion"."to_status" = 7 OR due IS NULL THEN 'on_time'
    WHEN substr("dossier_conclusion"."at", 1, 10) < substr(due, 1, 10) THEN 'early'
    WHEN substr("dossier_conclusion"."at", 1, 16) <= substr(due, 1, 16) THEN 'on_time'
    ELSE 'late' END
  FROM (SELECT d."status", COALESCE(
      (SELECT a."due_before" FROM "dossier_apology" a WHERE a."dossier_id" = d."id"
          AND a."issued_at" <= "dossier_conclusion"."at"),
      "dossier_conclusion"."due_at", d."due_at") AS due, d."id"
    FROM "dossier" d WHERE d."id" = "dossier_conclusion"."dossier_id") d)"""


def _refresh(dossier_id: str) -> str:
    """The statement refreshing the verdict of the dossier `dossier_id`'s conclusion (an SQL expression)."""
    return f'UPDATE "dossier_conclusion" SET "verdict" = {_VERDICT} WHERE "dossier_id" = {dossier_id};'


def _count(row: str, step: int) -> str:
    """`step` (+1 or -1) on the month and verdict of the conclusion `row` (NEW or OLD), when it has a verdict."""
    return ('INSERT INTO "conclusion_month" ("month", "verdict", "n") '
            f'SELECT substr({row}."at", 1, 7), {row}."verdict", {step} WHERE {row}."verdict" IS NOT NULL '
            f'ON CONFLICT ("month", "verdict") DO UPDATE SET "n" = "conclusion_month"."n" + {step};')


STATEMENTS = (
    'ALTER TABLE "dossier_conclusion" ADD COLUMN "verdict" TEXT',
    'CREATE TABLE IF NOT EXISTS "conclusion_month" ("month" TEXT NOT NULL, "verdict" TEXT NOT NULL, '
    '"n" INTEGER NOT NULL, PRIMARY KEY ("month", "verdict")) WITHOUT ROWID',
    # Filled before the triggers exist, so the fill is counted once, by the GROUP BY.
    f'UPDATE "dossier_conclusion" SET "verdict" = {_VERDICT}',
    'DELETE FROM "conclusion_month"',
    'INSERT INTO "conclusion_month" ("month", "verdict", "n") SELECT substr("at", 1, 7), "verdict", COUNT(*) '
    'FROM "dossier_conclusion" WHERE "verdict" IS NOT NULL GROUP BY 1, 2',
    # A conclusion written or moved (0014's triggers write them): its verdict again.
    'CREATE TRIGGER IF NOT EXISTS "conclusion_verdict_insert" AFTER INSERT ON "dossier_conclusion" BEGIN '
    + _refresh('NEW."dossier_id"') + ' END',
    'CREATE TRIGGER IF NOT EXISTS "conclusion_verdict_update" AFTER UPDATE OF "dossier_id", "at", "to_status", '
    '"due_at" ON "dossier_conclusion" BEGIN ' + _refresh('NEW."dossier_id"') + ' END',
    # What the verdict reads besides the conclusion: the dossier's appointment and status, its apology.
    'CREATE TRIGGER IF NOT EXISTS "conclusion_verdict_dossier" AFTER UPDATE OF "status", "due_at" ON "dossier" '
    'WHEN OLD."status" IS NOT NEW."status" OR OLD."due_at" IS NOT NEW."due_at" BEGIN '
    + _refresh('NEW."id"') + ' END',
    'CREATE TRIGGER IF NOT EXISTS "conclusion_verdict_apology_insert" AFTER INSERT ON "dossier_apology" BEGIN '
    + _refresh('NEW."dossier_id"') + ' END',
    'CREATE TRIGGER IF NOT EXISTS "conclusion_verdict_apology_update" AFTER UPDATE OF "dossier_id", "issued_at", '
    '"due_before" ON "dossier_apology" BEGIN ' + _refresh('OLD."dossier_id"') + _refresh('NEW."dossier_id"')
    + ' END',
    'CREATE TRIGGER IF NOT EXISTS "conclusion_verdict_apology_delete" AFTER DELETE ON "dossier_apology" BEGIN '
    + _refresh('OLD."dossier_id"') + ' END',
    # The months' counts follow the verdicts.
    'CREATE TRIGGER IF NOT EXISTS "conclusion_month_insert" AFTER INSERT ON "dossier_conclusion" '
    'WHEN NEW."verdict" IS NOT NULL BEGIN ' + _count("NEW", 1) + ' END',
    'CREATE TRIGGER IF NOT EXISTS "conclusion_month_delete" AFTER DELETE ON "dossier_conclusion" '
    'WHEN OLD."verdict" IS NOT NULL BEGIN ' + _count("OLD", -1) + ' END',
    'CREATE TRIGGER IF NOT EXISTS "conclusion_month_update" AFTER UPDATE OF "at", "verdict" ON "dossier_conclusion" '
    'WHEN OLD."verdict" IS NOT NEW."verdict" OR substr(OLD."at", 1, 7) IS NOT substr(NEW."at", 1, 7) BEGIN '
    + _count("OLD", -1) + _count("NEW", 1) + ' END',
)


# PostgreSQL (office mode): the same columns, fill and triggers, as plpgsql functions (IS DISTINCT FROM for SQLite's
# IS NOT between values; an UPDATE OF trigger fires only for the columns an UPDATE sets, as in SQLite, so setting the
# verdict does not set it again).
POSTGRES_STATEMENTS = (
    STATEMENTS[0],
    STATEMENTS[1].removesuffix(" WITHOUT ROWID"),
    *STATEMENTS[2:5],
    *pg_trigger("conclusion_verdict_insert", 'AFTER INSERT ON "dossier_conclusion"', _refresh('NEW."dossier_id"')),
    *pg_trigger("conclusion_verdict_update", 'AFTER UPDATE OF "dossier_id", "at", "to_status", "due_at" ON '
                '"dossier_conclusion"', _refresh('NEW."dossier_id"')),
    *pg_trigger("conclusion_verdict_dossier", 'AFTER UPDATE OF "status", "due_at" ON "dossier"', _refresh('NEW."id"'),
                when='OLD."status" IS DISTINCT FROM NEW."status" OR OLD."due_at" IS DISTINCT FROM NEW."due_at"'),
    *pg_trigger("conclusion_verdict_apology_insert", 'AFTER INSERT ON "dossier_apology"',
                _refresh('NEW."dossier_id"')),
    *pg_trigger("conclusion_verdict_apology_update", 'AFTER UPDATE OF "dossier_id", "issued_at", "due_before" ON '
                '"dossier_apology"', _refresh('OLD."dossier_id"') + _refresh('NEW."dossier_id"')),
    *pg_trigger("conclusion_verdict_apology_delete", 'AFTER DELETE ON "dossier_apology"',
                _refresh('OLD."dossier_id"')),
    *pg_trigger("conclusion_month_insert", 'AFTER INSERT ON "dossier_conclusion"', _count("NEW", 1),
                when='NEW."verdict" IS NOT NULL'),
    *pg_trigger("conclusion_month_delete", 'AFTER DELETE ON "dossier_conclusion"', _count("OLD", -1),
                when='OLD."verdict" IS NOT NULL'),
    *pg_trigger("conclusion_month_update", 'AFTER UPDATE OF "at", "verdict" ON "dossier_conclusion"',
                _count("OLD", -1) + _count("NEW", 1),
                when='OLD."verdict" IS DISTINCT FROM NEW."verdict" '
                     'OR substr(OLD."at", 1, 7) IS DISTINCT FROM substr(NEW."at", 1, 7)'),
)


def apply(database: Database) -> None:
    for statement in POSTGRES_STATEMENTS if is_postgres(database) else STATEMENTS:
        execute(database, statement)
