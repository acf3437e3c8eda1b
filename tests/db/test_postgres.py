"""Office mode's foundation on PostgreSQL: every migration runs there to the latest schema, the same tables and
columns as SQLite's, a second run changes nothing, and the SQLite-only parts (triggers, full-text tables) have
their PostgreSQL counterparts that behave the same. Each test has a fresh database in this session's throwaway
cluster (tests/pg.py)."""

from __future__ import annotations

import pytest

from db.database import is_postgres, make_database_from_url
from db.migrate import instance_id, latest_version, migrate, schema_version
from db.migrations import MIGRATIONS

# SQLite's FTS5 tables keep their index in shadow tables of their own: not part of the schema we wrote.
FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


def sqlite_schema(database) -> dict[str, set[str]]:
    virtual = {row[0] for row in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")}
    tables = [t for t in database.get_tables() if not any(t == v + s for v in virtual for s in FTS_SHADOWS)]
    return {t: {row[1] for row in database.execute_sql(f'PRAGMA table_info("{t}")')} for t in tables}


def postgres_schema(database) -> dict[str, set[str]]:
    rows = database.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()")
    schema: dict[str, set[str]] = {}
    for table, column in rows:
        schema.setdefault(table, set()).add(column)
    return schema


@pytest.fixture
def pg(pg_url):
    database = make_database_from_url(pg_url)
    yield database
    database.close()


@pytest.fixture
def migrated(pg):
    migrate(pg)
    return pg


def test_every_migration_runs_on_postgresql_to_the_latest_schema(pg):
    assert is_postgres(pg)
    assert schema_version(pg) == 0
    assert migrate(pg) == [number for number, _ in MIGRATIONS]  # every one, in order
    assert schema_version(pg) == latest_version()
    assert len(instance_id(pg)) == 36


@pytest.mark.sqlite_only(reason=("compares the SQLite file's schema with PostgreSQL's: it runs in the SQLite run, "
                                  "where it already uses both engines"))
def test_the_tables_and_columns_are_sqlites(migrated, database):
    """The same tables with the same columns on both engines (SQLite's full-text tables are a view and a table
    on PostgreSQL, with the rowid they are read by as a column of its own)."""
    sqlite, postgres = sqlite_schema(database), postgres_schema(migrated)
    assert set(postgres) == set(sqlite)
    for table, columns in sqlite.items():
        extra = {"rowid"} if table in ("applicant_search", "dossier_search") else set()
        assert postgres[table] == columns | extra, table


def test_migrating_twice_changes_nothing(migrated):
    before = postgres_schema(migrated)
    first = instance_id(migrated)
    assert migrate(migrated) == []
    assert postgres_schema(migrated) == before
    assert instance_id(migrated) == first
    assert schema_version(migrated) == latest_version()


@pytest.fixture
def office(pg_url, tmp_path, clock):
    """A context over a new PostgreSQL database opened by its URL (`open_office_database`: migrated, calendar and
    catalogue), set up as a real office on its first run (office and administrator), the administrator logged in."""
    from counter.office.first_run import set_up_office
    from counter.setup import open_office_database
    from tests.counter.test_first_run import SETUP

    context = open_office_database(pg_url, tmp_path / "data", clock=clock)
    assert is_postgres(context.database) and schema_version(context.database) == latest_version()
    context.user, _ = set_up_office(context, SETUP)
    yield context
    context.database.close()


@pytest.mark.parametrize("url, message", [
    ("sqlite:///q.sqlite3", "tệp SQLite của một máy"),
    ("mysql://quay:bi-mat@server/qmc", "phải bắt đầu bằng"),
])
def test_only_a_postgresql_url_opens_as_the_centres_database(url, message, tmp_path):
    from counter.errors import ValidationError
    from counter.setup import open_office_database

    with pytest.raises(ValidationError, match=message) as caught:
        open_office_database(url, tmp_path / "data")
    assert "bi-mat" not in str(caught.value)


def test_a_dossier_is_received_handed_over_and_returned_on_postgresql(office):
    """The domain's core path through the normal context: each step with its history row and its sync-queue
    entry, and the tables the triggers keep (conclusion, digest, name search) in step."""
    from counter.dossiers.lookup import get_dossier
    from counter.status import Status
    from db.models import Dossier, DossierHistory, OutboxEntry
    from tests.counter.lifecycle_steps import receive, walk

    dossier = receive(office)
    assert dossier.code == "000.00.07.H56-260213-2000"  # workstation 2's block, as on SQLite
    with office.bound():
        assert [h.action for h in DossierHistory.select().order_by(DossierHistory.id)] == ["receive"]
        entry = OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == dossier.code))
        assert entry.state == "pending"
    walk(office, dossier.code, ["handover", "record_result", "return_result"])
    returned = get_dossier(office, dossier.code)
    assert returned.status == Status.RETURNED
    with office.bound():
        steps = list(DossierHistory.select().where(DossierHistory.dossier == dossier.id).order_by(DossierHistory.id))
        assert [h.action for h in steps] == ["receive", "handover", "record_result", "return_result"]
        assert OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == dossier.code)).revision > \
            entry.revision
    db = office.database
    result_step = next(h for h in steps if h.to_status == Status.RESULT_READY)
    assert db.execute_sql('SELECT "to_status", "step_id" FROM "dossier_conclusion" WHERE "dossier_id" = %s',
                          (dossier.id,)).fetchall() == [(int(Status.RESULT_READY), result_step.id)]
    assert db.execute_sql('SELECT "papers_scanned", "reused", "sync_state" FROM "dossier_digest" '
                          'WHERE "dossier_id" = %s', (dossier.id,)).fetchall() == [(0, 0, "pending")]
    assert db.execute_sql("SELECT rowid FROM dossier_search WHERE name LIKE %s",
                          ("% nguyen van%",)).fetchall() == [(dossier.id,)]
    with office.bound():
        applicant_id = Dossier.get_by_id(dossier.id).applicant_id
    assert db.execute_sql("SELECT rowid FROM applicant_search WHERE name_folded LIKE %s",
                          ("%van an%",)).fetchall() == [(applicant_id,)]


def test_a_sqlite_url_opens_the_file_with_its_pragmas(tmp_path):
    from peewee import SqliteDatabase

    path = tmp_path / "q.sqlite3"
    database = make_database_from_url(f"sqlite:///{path}")  # an absolute path: sqlite:////tmp/…
    assert isinstance(database, SqliteDatabase) and not is_postgres(database)
    assert database.database == str(path)
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    database.close()


@pytest.mark.parametrize("url, message", [
    ("sqlite://", "thiếu đường dẫn tệp"),
    ("sqlite://host/q.sqlite3", "thiếu đường dẫn tệp"),
    ("mysql://quay:bi-mat@server/qmc", "phải bắt đầu bằng sqlite:/// hoặc postgresql://"),
])
def test_a_url_of_no_engine_we_open_is_refused_in_vietnamese_without_its_password(url, message):
    from db.database import UnsupportedDatabaseUrl

    with pytest.raises(UnsupportedDatabaseUrl, match=message) as caught:
        make_database_from_url(url)
    assert "bi-mat" not in str(caught.value)


def test_the_password_never_shows(pg_cluster, caplog):
    from db.database import redact_url

    assert redact_url("postgresql://quay:bi-mat@10.0.0.5:5432/qmc") == "postgresql://quay:***@10.0.0.5:5432/qmc"
    assert redact_url("postgresql://quay@/qmc?host=/run/postgresql&password=bi-mat") == \
        "postgresql://quay@/qmc?host=/run/postgresql&password=***"
    assert redact_url("postgresql://quay@/qmc?host=/run/postgresql") == "postgresql://quay@/qmc?host=/run/postgresql"
    database = make_database_from_url(f"postgres://postgres:bi-mat@/postgres?host={pg_cluster.socket_dir}")
    assert is_postgres(database)
    assert "bi-mat" not in repr(database) and "***" in repr(database)
    with caplog.at_level("DEBUG"):
        assert database.execute_sql("SELECT 1").fetchone() == (1,)  # trust on the socket: the password is unused
    assert "bi-mat" not in caplog.text
    database.close()


def test_a_postgresql_connection_has_its_timeouts_and_writes_booleans_as_integers(migrated):
    from db.database import PG_LOCK_TIMEOUT_MS, PG_STATEMENT_TIMEOUT_MS
    from db.models import User

    assert migrated.execute_sql("SHOW statement_timeout").fetchone() == (f"{PG_STATEMENT_TIMEOUT_MS // 1000}s",)
    assert migrated.execute_sql("SHOW lock_timeout").fetchone() == (f"{PG_LOCK_TIMEOUT_MS // 1000}s",)
    with bound_to(migrated):
        User.create(username="a", full_name="A", title="", role="clerk", password_hash="x", active=True,
                    created_at="2026-02-13T10:00:00+07:00")
        assert User.get(User.active == True).username == "a"  # noqa: E712  (peewee's expression, not a test of truth)
    assert migrated.execute_sql('SELECT "active" FROM "user"').fetchone() == (1,)


def test_the_audit_log_stays_append_only_on_postgresql(migrated):
    from peewee import DatabaseError

    migrated.execute_sql("INSERT INTO audit_entry (at, actor, kind, summary, detail, prev_hash, hash) "
                         "VALUES ('2026-02-13T10:00:00+07:00', 'a', 'k', 's', '{}', 'p', 'h')")
    for statement in ("UPDATE audit_entry SET summary = 'sửa'", "DELETE FROM audit_entry"):
        with pytest.raises(DatabaseError, match="append-only"), migrated.atomic():
            migrated.execute_sql(statement)
    assert migrated.execute_sql("SELECT summary FROM audit_entry").fetchall() == [("s",)]


def test_the_name_search_table_follows_a_renamed_applicant(office):
    from counter.text import fold
    from db.models import Applicant
    from tests.counter.lifecycle_steps import receive

    dossier = receive(office)
    with office.bound():
        Applicant.update(name_folded=fold("Trần Thị Bình")).execute()
    rows = office.database.execute_sql("SELECT rowid, name FROM dossier_search").fetchall()
    assert rows == [(dossier.id, " tran thi binh")]


def bound_to(database):
    from db.database import in_use

    return in_use(database)


def run_pytest(env: dict[str, str]):
    import os
    import subprocess
    import sys

    test = "tests/db/test_postgres.py::test_every_migration_runs_on_postgresql_to_the_latest_schema"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-n", "0", test],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **env})


def test_without_postgresql_the_tests_fail_saying_why_unless_skipped_on_purpose(tmp_path):
    failed = run_pytest({"QMC_PG_BINDIR": str(tmp_path / "nowhere")})
    assert failed.returncode != 0
    assert "PostgreSQL could not be started for the tests" in failed.stdout
    assert "initdb is not in QMC_PG_BINDIR" in failed.stdout
    skipped = run_pytest({"QMC_PG_BINDIR": str(tmp_path / "nowhere"), "QMC_NO_POSTGRES": "1"})
    assert skipped.returncode == 0, skipped.stdout
    assert "1 skipped" in skipped.stdout and "QMC_NO_POSTGRES=1" in skipped.stdout


def test_a_setting_is_inserted_then_overwritten_the_same_on_both_engines(engine_database):
    from db.models import Setting

    Setting.put("backup_keep", "7")
    Setting.put("backup_keep", "14")
    Setting.put("scan_max_bytes", "1000")
    assert sorted((s.key, s.value) for s in Setting.select()) == [("backup_keep", "14"), ("scan_max_bytes", "1000")]


def test_the_app_starts_without_psycopg_and_office_mode_still_opens_postgresql(pg_url):
    """peewee imported without psycopg (db/__init__.py: a fifth of a second of every cold start) until a PostgreSQL
    database is opened, which then works as with peewee's own import of it."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import db\n"
        "import counter.setup, counter.dossiers.reception\n"
        "assert 'psycopg' not in sys.modules, 'psycopg imported at start'\n"
        "from db.database import make_database_from_url\n"
        f"database = make_database_from_url({pg_url!r})\n"
        "with database.atomic():\n"
        "    database.execute_sql('CREATE TABLE lazy_driver (n INTEGER)')\n"
        "    database.execute_sql('INSERT INTO lazy_driver VALUES (1)')\n"
        "print(database.execute_sql('SELECT n FROM lazy_driver').fetchone()[0], database.in_transaction())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False"]
