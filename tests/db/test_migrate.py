from pathlib import Path

from db.database import bind, make_database
from db.migrate import instance_id, latest_version, migrate, schema_version
from db.migrations import MIGRATIONS
from db.models import MODELS, Procedure


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
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert migrate(database, path)[0] == 7  # and the later ones
    row = Procedure.get(Procedure.code == "1.001193")
    assert (row.name, row.field, row.field_code, row.use_count) == ("Đăng ký khai sinh", "Hộ tịch", "", 4)
    Procedure.update(field_code="HT-01").where(Procedure.id == row.id).execute()
    assert Procedure.get_by_id(row.id).field_code == "HT-01"
    assert list((tmp_path / "backups").glob("q-*-before-v7.sqlite3"))  # backed up first, like every migration
    database.close()


def test_the_fee_and_time_source_migration_keeps_the_versions_of_an_older_database(tmp_path, monkeypatch):
    """0012 on a database made before it: its versions stay, with empty fee and time sources the model reads."""
    from db.models import ProcedureVersion
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] < 12])
    migrate(database, path)
    assert "fee_source" not in {c.name for c in database.get_columns("procedure_version")}
    database.execute_sql('INSERT INTO "procedure" (code, name, name_folded, field, active, use_count) '
                         "VALUES ('1.004873', 'Cấp Giấy xác nhận tình trạng hôn nhân', 'cap', 'Hộ tịch', 1, 0)")
    database.execute_sql('INSERT INTO "procedure_version" (procedure_id, version, effective_from, name, '
                         "time_rule_kind, time_rule_days, fee_amount, fee_per, fee_formula, fee_note, result_name, "
                         "result_code, verified, note, source) VALUES (1, 1, '2025-07-01', 'Cấp Giấy xác nhận', "
                         "'working_days', 3, NULL, '', '', 'Theo mức HĐND tỉnh', '', '', 0, '', 'seed')")
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert 12 in migrate(database, path)
    version = ProcedureVersion.get(ProcedureVersion.version == 1)
    assert (version.fee_amount, version.source, version.fee_source, version.time_source) == (None, "seed", "", "")
    assert list((tmp_path / "backups").glob("q-*-before-v12.sqlite3"))
    database.close()
