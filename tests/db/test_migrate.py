from datetime import date, datetime
from pathlib import Path

import pytest

from db.database import bind, make_database
from db.migrate import instance_id, latest_version, migrate, schema_version
from db.migrations import MIGRATIONS
from db.models import MODELS, Applicant, Dossier, Office, Procedure, ProcedureVersion, User
from db.timezone import VN_TZ


@pytest.mark.sqlite_only(reason="the SQLite file's tables and PRAGMAs (tests/db/test_postgres.py compares "
                                "PostgreSQL's with them)")
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
    assert migrate(database, path)[0] == 7  # then the later ones
    row = Procedure.get(Procedure.code == "1.001193")
    assert (row.name, row.field, row.field_code, row.use_count) == ("Đăng ký khai sinh", "Hộ tịch", "", 4)
    Procedure.update(field_code="HT-01").where(Procedure.id == row.id).execute()
    assert Procedure.get_by_id(row.id).field_code == "HT-01"
    assert list((tmp_path / "backups").glob("q-*-before-v7.sqlite3"))  # backed up first, like every migration
    database.close()


def test_the_calendar_versions_migration_makes_the_existing_calendar_version_one(tmp_path, monkeypatch):
    """0010 on a database made at version 7: its calendar table becomes version 1, kept whole; dossiers get an
    empty calendar_version (their due dates were computed before versions existed)."""
    import json

    from db.models import CalendarVersion, Dossier

    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 7])
    assert migrate(database, path)[-1] == 7
    database.execute_sql("INSERT INTO calendar_day (date, kind, name, source, status, origin) VALUES "
                         "('2026-09-02', 'holiday', 'Quốc khánh', 'Bộ luật Lao động', 'official', 'seed'), "
                         "('2026-09-01', 'rest_day', 'Nghỉ liền Quốc khánh', 'CV 1', 'official', 'admin')")
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert 10 in migrate(database, path)
    version = CalendarVersion.get()
    assert (version.number, version.action, version.actor_id) == (1, "initial", None)
    assert json.loads(version.days) == [
        ["2026-09-01", "rest_day", "Nghỉ liền Quốc khánh", "CV 1", "official", "admin"],
        ["2026-09-02", "holiday", "Quốc khánh", "Bộ luật Lao động", "official", "seed"],
    ]
    assert "calendar_version" in {c.name for c in database.get_columns(Dossier._meta.table_name)}
    database.close()


def test_the_calendar_versions_migration_on_an_empty_calendar_makes_no_version(database):
    from db.models import CalendarVersion

    assert CalendarVersion.select().count() == 0  # the first seed of the calendar will be version 1


def test_the_audit_migration_upgrades_a_version_7_database(tmp_path, monkeypatch):
    """0009 on a database made at version 7: its data stays, the audit table starts empty and append-only."""
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 7])
    assert migrate(database, path)[-1] == 7
    assert "audit_entry" not in database.get_tables()
    database.execute_sql("INSERT INTO setting (key, value) VALUES ('marker', 'kept')")
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert 9 in migrate(database, path)
    assert database.execute_sql("SELECT value FROM setting WHERE key='marker'").fetchone()[0] == "kept"
    assert database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0] == 0
    database.execute_sql("INSERT INTO audit_entry (at, actor, kind, summary, detail, prev_hash, hash) "
                         "VALUES ('2026-02-13T10:00:00+07:00', '', 'login', 'x', '{}', 'a', 'b')")
    try:
        database.execute_sql("UPDATE audit_entry SET summary = 'y'")
    except Exception as e:  # peewee passes sqlite3's IntegrityError through
        assert "append-only" in str(e)
    else:
        raise AssertionError("an audit row was changed")
    assert list((tmp_path / "backups").glob("q-*-before-v*.sqlite3"))
    database.close()


def test_the_user_logins_migration_keeps_the_users_of_an_older_database(tmp_path, monkeypatch):
    """0008 on a database made at version 7: its users keep their passwords, with no wait and nothing to change."""
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 7])
    assert migrate(database, path)[-1] == 7
    assert "failed_logins" not in {c.name for c in database.get_columns("user")}
    database.execute_sql('INSERT INTO "user" (username, full_name, title, role, password_hash, active, created_at) '
                         "VALUES ('canbo', 'Nguyễn Thị Hoa', '', 'clerk', 'argon2-hash', 1, "
                         "'2026-02-13T10:00:00+07:00')")
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 8])
    assert migrate(database, path) == [8]
    row = User.get(User.username == "canbo")
    assert (row.full_name, row.password_hash, row.active) == ("Nguyễn Thị Hoa", "argon2-hash", True)
    assert (row.failed_logins, row.locked_until, row.must_change_password, row.last_login_at) == (0, None, False, None)
    assert list((tmp_path / "backups").glob("q-*-before-v8.sqlite3"))
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


def test_the_report_indexes_migration_upgrades_a_version_12_database(tmp_path, monkeypatch):
    """0013 on a database made before it: its dossiers and steps stay, and the report indexes are built over them."""
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 12])
    assert migrate(database, path)[-1] == 12
    database.execute_sql("INSERT INTO outbox_entry (kind, \"key\", state, revision, sent_revision, attempts, "
                         "last_error, created_at, updated_at) VALUES ('dossier', 'H01.01-250101-0001', 'synced', 1, "
                         "1, 0, '', '2025-01-01T08:00:00+07:00', '2025-01-01T08:00:00+07:00')")
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 13])
    assert migrate(database, path) == [13]
    names = {row[0] for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"dossier_report", "dossier_updated_at_received_at", "dossier_history_concluded",
            "dossier_history_supplement_at", "dossier_history_withdraw_at", "dossier_return_returned_at",
            "dossier_result_recorded_at", "service_rating_rated_at", "dossier_component_handed_over",
            "outbox_entry_dossier_state"} <= names
    assert database.execute_sql("SELECT state FROM outbox_entry INDEXED BY outbox_entry_dossier_state "
                                "WHERE kind = 'dossier' AND \"key\" = 'H01.01-250101-0001'").fetchone() == ("synced",)
    assert database.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    database.close()


def test_the_lookup_indexes_migration_upgrades_a_version_13_database(tmp_path, monkeypatch):
    """0015 on a database made before it: its dossiers stay, their names are in the names' index, and Tra cứu's
    lists read them in order from the indexes (no sort of a status's or a procedure's every dossier)."""
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 13])
    assert migrate(database, path)[-1] == 13
    procedure = Procedure.create(code="1.1", name="Thủ tục", name_folded="thu tuc", field="Hộ tịch")
    version = ProcedureVersion.create(procedure=procedure, version=1, effective_from=date(2025, 1, 1), name="Thủ tục",
                                      time_rule_kind="working_days", time_rule_days=1)
    when = datetime(2025, 1, 1, 8, tzinfo=VN_TZ)
    person = Applicant.create(id_number="038090012345", full_name="Vũ Văn Hải", name_folded="vu van hai",
                              created_at=when, updated_at=when)
    Dossier.create(code="H01.01-250101-0001", procedure=procedure, procedure_version=version, applicant=person,
                   applicant_name="Vũ Văn Hải", applicant_id_number="038090012345", received_at=when, status=2,
                   updated_at=when)
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 15])
    assert migrate(database, path)[-1] == 15
    assert database.execute_sql("SELECT rowid, name FROM dossier_search WHERE dossier_search MATCH '\" va\"'"
                                ).fetchall() == [(1, " vu van hai")]
    for where in ("status = 10", "procedure_id = 1"):
        plan = " ".join(str(r) for r in database.execute_sql(
            f"EXPLAIN QUERY PLAN SELECT id FROM dossier WHERE {where} AND received_at < '2026' "
            "ORDER BY received_at DESC, id DESC LIMIT 200"))
        assert "_received_at" in plan and "TEMP B-TREE" not in plan, plan
    assert database.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    database.close()


def test_the_lean_indexes_migration_keeps_every_query_on_an_index(tmp_path, monkeypatch):
    """0023 drops the dossier indexes a wider one begins with and keeps only the unconfirmed sync entries in the
    queue's index of states: the lists of a status, a procedure or a period still read an index in order, and the
    sync's questions about waiting entries read the new partial index (as the queries spell its condition)."""
    from counter.sync.outbox import PENDING, WAITING, in_state
    from db.models import OutboxEntry
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 22])
    assert migrate(database, path)[-1] == 22
    database.execute_sql("INSERT INTO outbox_entry (kind, \"key\", state, revision, sent_revision, attempts, "
                         "last_error, created_at, updated_at, next_attempt_at) VALUES ('dossier', 'A', 'pending', 1, "
                         "0, 0, '', '2025-01-01T08:00:00+07:00', '2025-01-01T08:00:00+07:00', "
                         "'2025-01-01T08:00:00+07:00'), ('dossier', 'B', 'synced', 1, 1, 0, '', "
                         "'2025-01-01T08:00:00+07:00', '2025-01-01T08:00:00+07:00', NULL)")
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert 23 in migrate(database, path)
    names = {row[0] for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert not {"dossier_status", "dossier_procedure_id", "dossier_received_at", "outbox_entry_state",
                "dossier_history_actor_id", "dossier_history_concluded"} & names
    assert "outbox_entry_waiting" in names

    def plan(sql: str, params: tuple = ()) -> str:
        return " ".join(str(r) for r in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    for where in ("status = 10", "procedure_id = 1", "1 = 1"):
        found = plan(f"SELECT id FROM dossier WHERE {where} AND received_at < '2026' "
                     "ORDER BY received_at DESC, id DESC LIMIT 200")
        assert "_received_at" in found or "dossier_report" in found, found
        assert "TEMP B-TREE FOR ORDER BY" not in found, found  # read in order (the period's ties sorted, at most)
    due = in_state(PENDING) & (OutboxEntry.next_attempt_at <= datetime(2026, 1, 1, tzinfo=VN_TZ))
    with database.bind_ctx([OutboxEntry]):
        for query in (OutboxEntry.select(OutboxEntry.key).where(due),
                      OutboxEntry.select(OutboxEntry.key).where(in_state(*WAITING))):
            assert "outbox_entry_waiting" in plan(*query.sql())
            assert [e.key for e in query] == ["A"]
    assert database.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
    database.close()


def test_the_period_index_is_postgresqls_own(database):
    """0024: PostgreSQL's indexes hold no row id, so a period's dossiers have an index with `id` included there;
    SQLite's dossier_report already answers them."""
    from db.database import is_postgres
    names = {index.name for index in database.get_indexes("dossier")}
    assert ("dossier_period" in names) == is_postgres(database)
    assert "dossier_report" in names


def test_the_oldest_unconfirmed_change_is_one_probe_of_its_partial_index(tmp_path):
    """0027: the status bar's "cũ nhất" reads the first entry of the unconfirmed ones by age, not all of them sorted
    (13 ms on the GUI thread at a million dossiers)."""
    from counter.sync.outbox import UNCONFIRMED
    from db.models import OutboxEntry
    path = tmp_path / "o.sqlite3"
    database = bind(make_database(path))
    migrate(database, path)
    names = {row[0] for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "outbox_entry_oldest" in names
    with database.bind_ctx([OutboxEntry]):
        query = OutboxEntry.select(OutboxEntry.created_at).where(UNCONFIRMED).order_by(OutboxEntry.created_at).limit(1)
        found = " ".join(str(r) for r in database.execute_sql(f"EXPLAIN QUERY PLAN {query.sql()[0]}",
                                                              query.sql()[1]))
    assert "outbox_entry_oldest" in found and "TEMP B-TREE" not in found, found
    database.close()
