"""0007: the procedure's field code (mã lĩnh vực, the national catalogue's LINHVUCTHUCHIEN[].MALINHVUC), sent to
the province as MaLinhVuc; "" until a catalogue import gives it. Frozen SQL, like 0001."""

from peewee import Database

from db.dialect import execute


def apply(database: Database) -> None:
    execute(database, 'ALTER TABLE "procedure" ADD COLUMN "field_code" VARCHAR(255) NOT NULL DEFAULT \'\'')
