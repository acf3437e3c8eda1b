"""The storage tests' fixtures: `engine_database`, a migrated empty database bound as the app's, once on SQLite and
once on PostgreSQL (this session's throwaway cluster, tests/pg.py), for what must behave the same on both."""

import pytest

from db.database import bind, make_database_from_url
from db.migrate import migrate


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_database(request):
    if request.param == "sqlite":
        yield request.getfixturevalue("database")
        return
    database = bind(make_database_from_url(request.getfixturevalue("pg_url")))
    migrate(database)
    yield database
    database.close()
