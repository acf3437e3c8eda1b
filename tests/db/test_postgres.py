"""Office mode's foundation on PostgreSQL: every migration runs there to the latest schema, the same tables and
columns as SQLite's, a second run changes nothing, and the SQLite-only parts (triggers, full-text tables) have
their PostgreSQL counterparts that behave the same. Each test has a fresh database in this session's throwaway
cluster (tests/pg.py)."""

from __future__ import annotations

import pytest

from db.database import is_postgres, make_database_from_url
from db.migrate import instance_id, latest_version, migrate, schema_version

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
    assert migrate(pg) == list(range(1, latest_version() + 1))
    assert schema_version(pg) == latest_version()
    assert len(instance_id(pg)) == 36


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
