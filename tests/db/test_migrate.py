from pathlib import Path

from db.database import bind, make_database
from db.migrate import instance_id, latest_version, migrate, schema_version
from db.migrations import MIGRATIONS
from db.models import MODELS, Office, Procedure


def test_fresh_database_gets_every_table_and_pragmas(database):
    tables = set(database.get_tables())
    assert {m._meta.table_name for m in MODELS} <= tables
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert schema_version(database) == latest_version()


def test_migrated_columns_match_the_models(database):
    """The frozen SQL of the migrations and the peewee models describe the same tables."""
    for model in MODELS:
        columns = {c.name for c in database.get_columns(model._meta.table_name)}
        assert columns == set(model._meta.columns), model.__name__


def test_instance_id_is_created_once(database, tmp_path):
    first = instance_id(database)
    assert len(first) == 36
    assert migrate(database, Path(database.database)) == []
    assert instance_id(database) == first


def test_existing_file_is_backed_up_before_a_migration_runs(tmp_path, monkeypatch):
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    migrate(database, path)
    database.execute_sql("INSERT INTO setting (key, value) VALUES ('marker', 'before')")

    class Noop:
        @staticmethod
        def apply(db):
            db.execute_sql("CREATE TABLE probe (x INTEGER)")

    number = latest_version() + 1
    monkeypatch.setattr("db.migrate.MIGRATIONS", [*MIGRATIONS, (number, Noop)])
    assert migrate(database, path) == [number]
    backups = list((tmp_path / "backups").glob("q-*-before-v*.sqlite3"))
    assert len(backups) == 1
    copy = make_database(backups[0])
    assert copy.execute_sql("SELECT value FROM setting WHERE key='marker'").fetchone()[0] == "before"
    assert "probe" not in copy.get_tables()
    copy.close()
    database.close()


def test_the_field_code_migration_keeps_the_procedures_of_an_older_database(tmp_path, monkeypatch):
    """0007 on a database made at version 6: its procedures stay, with an empty field code the model reads."""
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 6])
    assert migrate(database, path)[-1] == 6
    assert "field_code" not in {c.name for c in database.get_columns("procedure")}
    database.execute_sql('INSERT INTO "procedure" (code, name, name_folded, field, active, use_count) '
                         "VALUES ('1.001193', 'Đăng ký khai sinh', 'dang ky khai sinh', 'Hộ tịch', 1, 4)")
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 7])
    assert migrate(database, path) == [7]
    row = Procedure.get(Procedure.code == "1.001193")
    assert (row.name, row.field, row.field_code, row.use_count) == ("Đăng ký khai sinh", "Hộ tịch", "", 4)
    Procedure.update(field_code="HT-01").where(Procedure.id == row.id).execute()
    assert Procedure.get_by_id(row.id).field_code == "HT-01"
    assert list((tmp_path / "backups").glob("q-*-before-v7.sqlite3"))  # backed up first, like every migration
    database.close()


def _office_at_version_7(tmp_path, monkeypatch, name, agency_id, parent_name):
    path = tmp_path / f"{name}.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 7])
    assert migrate(database, path)[-1] == 7
    database.execute_sql('INSERT INTO "office" (agency_id, parent_name, office_name, place_name, address, phone, '
                         "morning_start, morning_end, afternoon_start, afternoon_end, same_day_cutoff, workstation, "
                         "register_book) VALUES (?, ?, 'Bộ phận Một cửa', 'Hoằng Hóa', '', '', '07:00', '11:30', "
                         "'13:30', '17:00', '15:00', 3, '01/2026')", (agency_id, parent_name))
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert 11 in migrate(database, path)
    return database


def test_the_demo_migration_marks_the_office_every_older_database_was_seeded_with(tmp_path, monkeypatch):
    """0011 on a database made at version 7: the demo commune of Quảng Hùng (its agency id and parent body) is
    marked as a demo; an office that replaced them is real; the rest of the row stays."""
    demo = _office_at_version_7(tmp_path, monkeypatch, "demo", "000.00.06.H56", "UBND XÃ QUẢNG HÙNG")
    row = Office.get()
    assert (row.demo, row.workstation, row.register_book) == (True, 3, "01/2026")
    demo.close()
    real = _office_at_version_7(tmp_path, monkeypatch, "real", "000.00.07.H56", "UBND XÃ HOẰNG HÓA")
    assert Office.get().demo is False
    real.close()
