"""A test module's `pg_url` as the centre it tests: `from tests.seeded_centre import seeded_centre  # noqa: F401`
overrides the session's empty database (tests/pg.py) in that module with a copy of the migrated, seeded template
(tests/conftest.py pg_seeded_url). Opening an empty database, migrations included, is tests/db/test_postgres.py's."""

import pytest


@pytest.fixture(name="pg_url")
def seeded_centre(pg_seeded_url: str) -> str:
    return pg_seeded_url
