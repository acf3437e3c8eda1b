"""Migration 0020 (`workstation_claim`) on both engines: an existing database upgrades to it, and the table refuses
a second claim of one number whoever inserts it (counter.office.workstations relies on that under a race)."""

import pytest
from peewee import IntegrityError

from db.database import bind, make_database_from_url
from db.migrate import migrate, schema_version
from db.migrations import MIGRATIONS
from db.models import WorkstationClaim


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_database_at_version_18_upgrades_to_the_claims_table(engine, request, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/q.sqlite3" if engine == "sqlite" else request.getfixturevalue("pg_url")
    database = bind(make_database_from_url(url))
    path = tmp_path / "q.sqlite3" if engine == "sqlite" else None
    with monkeypatch.context() as patch:
        patch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 19])
        assert migrate(database, path)[-1] == 19
    assert "workstation_claim" not in database.get_tables()
    assert migrate(database, path) == [20] and schema_version(database) == 20
    assert {c.name for c in database.get_columns("workstation_claim")} == set(WorkstationClaim._meta.columns)
    WorkstationClaim.create(number=3, machine_id="pc-a", machine_name="QUAY-A", claimed_at="2026-02-13T10:00:00+07:00")
    with pytest.raises(IntegrityError), database.atomic():
        WorkstationClaim.create(number=3, machine_id="pc-b", machine_name="QUAY-B",
                                claimed_at="2026-02-13T10:00:01+07:00")
    assert [(c.number, c.machine_name) for c in WorkstationClaim.select()] == [(3, "QUAY-A")]
    assert migrate(database, path) == []
    database.close()
