"""Migration 0014: dossier_conclusion holds each dossier's first step out of the books (7, 8, 9, 10; by time, then
id), filled from the history when an older database upgrades and kept by triggers whatever writes the history."""

from __future__ import annotations

import uuid

from db.database import bind, make_database
from db.migrate import migrate
from db.migrations import MIGRATIONS
from db.models import Dossier, DossierHistory
from tests.conftest import at
from tests.reports import stats_history as h


def conclusion(database, dossier_id: int):
    return database.execute_sql('SELECT "at", to_status, due_at, step_id FROM dossier_conclusion '
                                f"WHERE dossier_id = {database.param}", (dossier_id,)).fetchone()


def add(row: Dossier, when: str, to_status: int, due: str | None = None) -> DossierHistory:
    return DossierHistory.create(dossier=row, at=at(when), action="x", to_status=to_status,
                                 step_uuid=str(uuid.uuid4()), due_at=at(due) if due else None)


def test_an_older_database_upgrades_with_each_dossiers_first_conclusion(tmp_path, monkeypatch):
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 13])
    assert migrate(database, path)[-1] == 13
    proc = h.procedure("1.000001", "Thủ tục", "Hộ tịch")
    open_one = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    resolved = h.dossier(proc, "2026-10-01 09:00", "2026-10-05 10:00")
    h.step(resolved, "2026-10-04 15:00", "record_result", 9)
    h.step(resolved, "2026-10-06 08:00", "return_result", 10)
    tied = h.dossier(proc, "2026-10-02 09:00", None)
    first = add(tied, "2026-10-03 09:00", 8)
    add(tied, "2026-10-03 09:00", 7)  # the same second: the lower id is the first
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 14])
    assert migrate(database, path) == [14]
    assert conclusion(database, open_one.id) is None
    assert conclusion(database, resolved.id)[:3] == ("2026-10-04T15:00:00+07:00", 9, "2026-10-05T10:00:00+07:00")
    assert conclusion(database, tied.id)[1:] == (8, None, first.id)
    database.close()


def test_the_triggers_keep_the_first_conclusion_as_steps_are_added_moved_and_deleted(engine_database):
    """On both engines: SQLite's triggers, PostgreSQL's plpgsql ones."""
    database = engine_database
    proc = h.procedure("1.000001", "Thủ tục", "Hộ tịch")
    row = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    h.step(row, "2026-10-02 08:00", "transfer", 4)  # not a conclusion
    assert conclusion(database, row.id) is None
    returned = add(row, "2026-10-06 08:00", 10)
    assert conclusion(database, row.id)[:2] == ("2026-10-06T08:00:00+07:00", 10)
    result = add(row, "2026-10-04 15:00", 9, "2026-10-05 10:00")  # written later, but earlier: it is the first
    assert conclusion(database, row.id) == ("2026-10-04T15:00:00+07:00", 9, "2026-10-05T10:00:00+07:00", result.id)
    add(row, "2026-10-05 08:00", 7)  # after the first: nothing changes
    assert conclusion(database, row.id)[3] == result.id
    DossierHistory.update(at=at("2026-10-07 08:00")).where(DossierHistory.id == result.id).execute()
    assert conclusion(database, row.id)[:2] == ("2026-10-05T08:00:00+07:00", 7)  # moved after the withdrawal
    DossierHistory.delete().where(DossierHistory.to_status == 7).execute()
    assert conclusion(database, row.id)[:2] == ("2026-10-06T08:00:00+07:00", 10)
    DossierHistory.delete().where(DossierHistory.id.in_([returned.id, result.id])).execute()
    assert conclusion(database, row.id) is None
    add(row, "2026-10-08 08:00", 9)
    assert conclusion(database, row.id) is not None
    Dossier.delete().where(Dossier.id == row.id).execute()  # its history goes with it (cascade), and its conclusion
    assert database.execute_sql("SELECT COUNT(*) FROM dossier_conclusion").fetchone() == (0,)
