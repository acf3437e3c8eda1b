"""Migration 0017: dossier_digest holds each dossier's digitisation (all its handed-over papers scanned, a paper
reused) and its sync-queue state, computed for every dossier when an older database upgrades and refreshed by
triggers whatever writes the scans, the papers, the queue or a dossier's code: at every step it equals the same
figures computed from those tables."""

from __future__ import annotations

from datetime import datetime

from db.database import bind, is_postgres, make_database
from db.migrate import migrate
from db.migrations import MIGRATIONS, m0017_dossier_digest
from db.models import Attachment, Dossier, DossierComponent, OutboxEntry
from tests.conftest import at
from tests.reports import stats_history as h


def digest(database) -> dict[int, tuple[int, int, str | None]]:
    rows = database.execute_sql("SELECT dossier_id, papers_scanned, reused, sync_state FROM dossier_digest")
    return {i: (scanned, reused, state) for i, scanned, reused, state in rows}


def computed(database) -> dict[int, tuple[int, int, str | None]]:
    """Every dossier's row computed from the tables themselves (the SQL Biểu 06 counted with before 0017)."""
    if is_postgres(database):
        rows = database.execute_sql(m0017_dossier_digest._PG_ROWS.format(where="TRUE"))
    else:
        rows = database.execute_sql(m0017_dossier_digest._ROWS.format(where="1"))
    return {i: (scanned, reused, state) for i, scanned, reused, state in rows}


def check(database) -> dict[int, tuple[int, int, str | None]]:
    assert digest(database) == computed(database)
    return digest(database)


def test_the_triggers_keep_every_dossiers_digest_as_scans_papers_and_the_queue_change(engine_database):
    """On both engines: SQLite's triggers, PostgreSQL's plpgsql ones (each checked against its own engine's
    computation of the same rows)."""
    database = engine_database
    proc = h.procedure("1.000001", "Thủ tục", "Hộ tịch")
    one = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    other = h.dossier(proc, "2026-10-01 09:00", "2026-10-05 10:00")
    assert check(database) == {one.id: (0, 0, None), other.id: (0, 0, None)}  # a row as each dossier is received
    first = h.component(one, 1, scanned=True)
    assert check(database)[one.id] == (1, 0, None)
    h.component(one, 2, scanned=False)  # a paper handed over without its scan
    assert check(database)[one.id] == (0, 0, None)
    second = h.component(one, 3, scanned=True)
    assert second is not None and first is not None
    DossierComponent.update(handed_over=False).where((DossierComponent.dossier == one)
                                                     & (DossierComponent.position == 2)).execute()
    assert check(database)[one.id] == (1, 0, None)  # the paper not handed over does not count
    Attachment.update(replaced_at=at("2026-10-02 08:00")).where(Attachment.id == second.id).execute()
    assert check(database)[one.id] == (0, 0, None)  # its scan replaced: no current scan of paper 3
    h.component(other, 1, scanned=True, reused_from=first)
    assert check(database)[other.id] == (1, 1, None)
    Attachment.update(dossier=one).where(Attachment.dossier == other).execute()  # moved: both refreshed
    assert check(database) == {one.id: (0, 1, None), other.id: (0, 0, None)}
    Attachment.delete().where(Attachment.reused_from.is_null(False)).execute()
    assert check(database)[one.id] == (0, 0, None)
    DossierComponent.delete().where((DossierComponent.dossier == one) & (DossierComponent.position == 3)).execute()
    assert check(database)[one.id] == (1, 0, None)

    h.outbox(one, "pending")
    assert check(database)[one.id] == (1, 0, "pending")
    OutboxEntry.update(state="synced").where(OutboxEntry.key == one.code).execute()
    assert check(database)[one.id] == (1, 0, "synced")
    moment: datetime = at("2026-10-31 17:00")
    OutboxEntry.create(kind="step", key=one.code + "-step", dossier=one, state="attention", created_at=moment,
                       updated_at=moment)  # a step's entry is not the dossier's
    assert check(database)[one.id] == (1, 0, "synced")
    Dossier.update(code=one.code + "X").where(Dossier.id == one.id).execute()  # its entry no longer matches
    assert check(database)[one.id] == (1, 0, None)
    OutboxEntry.update(key=one.code + "X").where(OutboxEntry.kind == "dossier").execute()
    assert check(database)[one.id] == (1, 0, "synced")
    OutboxEntry.delete().where(OutboxEntry.kind == "dossier").execute()
    assert check(database)[one.id] == (1, 0, None)
    Dossier.delete().where(Dossier.id == other.id).execute()
    assert set(check(database)) == {one.id}



def test_papers_inserted_together_refresh_each_of_their_dossiers(engine_database):
    """One statement inserting papers of two dossiers (a reception's papers are one INSERT): on PostgreSQL the
    papers' trigger runs once for the statement (migration 0026) and refreshes each dossier it touched."""
    database = engine_database
    proc = h.procedure("1.000001", "Thủ tục", "Hộ tịch")
    one = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    other = h.dossier(proc, "2026-10-01 09:00", "2026-10-05 10:00")
    scan = h.component(one, 1, scanned=True)
    h.component(other, 1, scanned=True)
    assert check(database) == {one.id: (1, 0, None), other.id: (1, 0, None)} and scan is not None
    DossierComponent.insert_many([
        {"dossier": one, "position": 2, "name": "Giấy hai", "handed_over": True},
        {"dossier": other, "position": 2, "name": "Giấy hai", "handed_over": True},
        {"dossier": other, "position": 3, "name": "Giấy ba", "handed_over": False},
    ]).execute()
    assert check(database) == {one.id: (0, 0, None), other.id: (0, 0, None)}  # paper 2 of each has no scan

def test_an_older_database_upgrades_with_every_dossiers_digest(tmp_path, monkeypatch):
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 14])
    assert migrate(database, path)[-1] == 14
    proc = h.procedure("1.000001", "Thủ tục", "Hộ tịch")
    scanned = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    first = h.component(scanned, 1, scanned=True)
    h.outbox(scanned, "attention")
    reused = h.dossier(proc, "2026-10-02 08:00", "2026-10-05 10:00")
    h.component(reused, 1, scanned=True, reused_from=first)
    h.component(reused, 2, scanned=False)
    h.outbox(reused, "synced")
    bare = h.dossier(proc, "2026-10-03 08:00", None)
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 17])
    assert migrate(database, path) == [15, 16, 17]
    assert check(database) == {scanned.id: (1, 0, "attention"), reused.id: (0, 1, "synced"), bare.id: (0, 0, None)}
    database.close()
