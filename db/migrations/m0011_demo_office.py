"""0011: the office row says whether this database is a demonstration (forms then carry a "BẢN DÙNG THỬ"
watermark, the window title says so). Until now every new database was seeded with the demo commune of Quảng
Hùng: an office row still carrying its agency id and its parent body is that demo, so it is marked as one (a real
office that started from it has replaced both). Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute

DEMO_AGENCY_ID = "000.00.06.H56"  # resources/data/demo_office.json as shipped (db/ reads no resources)
DEMO_PARENT_NAME = "UBND XÃ QUẢNG HÙNG"


def apply(database: Database) -> None:
    execute(database, 'ALTER TABLE "office" ADD COLUMN "demo" INTEGER NOT NULL DEFAULT 0')
    execute(database, 'UPDATE "office" SET "demo" = 1 WHERE "agency_id" = ? AND "parent_name" = ?',
                         (DEMO_AGENCY_ID, DEMO_PARENT_NAME))
