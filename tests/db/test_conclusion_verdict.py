"""Migration 0018: each conclusion's verdict (early, on time, late; NULL for a dossier Biểu 06 leaves out) and the
months' counts of verdicts, computed when an older database upgrades and kept by triggers whatever writes the
conclusions, the dossiers' appointments and statuses, or the apologies. Every check compares with a recount from
scratch (the rule as Biểu 06 wrote it before 0018: stats.py's classification joined to the dossier and apology)."""

from __future__ import annotations

import uuid

from db.database import bind, make_database
from db.migrate import migrate
from db.migrations import MIGRATIONS
from db.models import Dossier, DossierApology, DossierHistory
from tests.conftest import at
from tests.reports import stats_history as h

# The verdict as counter/reports/stats.py computed it before 0018, from the tables themselves.
RECOUNT = """
SELECT c.dossier_id, CASE WHEN d.status IN (1, 3) THEN NULL
  WHEN c.to_status = 7 OR cdue IS NULL THEN 'on_time'
  WHEN substr(c.at, 1, 10) < substr(cdue, 1, 10) THEN 'early'
  WHEN substr(c.at, 1, 16) <= substr(cdue, 1, 16) THEN 'on_time' ELSE 'late' END
FROM (SELECT c.*, COALESCE(CASE WHEN a.issued_at <= c.at THEN a.due_before END, c.due_at, d.due_at) AS cdue
      FROM dossier_conclusion c JOIN dossier d ON d.id = c.dossier_id
      LEFT JOIN dossier_apology a ON a.dossier_id = c.dossier_id) c JOIN dossier d ON d.id = c.dossier_id
ORDER BY 1"""
MONTHS = """SELECT substr(at, 1, 7), verdict, COUNT(*) FROM dossier_conclusion WHERE verdict IS NOT NULL
GROUP BY 1, 2 ORDER BY 1, 2"""


def conclude(row: Dossier, when: str, to_status: int = 9) -> None:
    """A concluding step only (the dossier's own row untouched), as test_conclusion.py writes them."""
    DossierHistory.create(dossier=row, at=at(when), action="x", to_status=to_status, step_uuid=str(uuid.uuid4()))


def verdicts(database) -> list[tuple[int, str | None]]:
    return database.execute_sql("SELECT dossier_id, verdict FROM dossier_conclusion ORDER BY 1").fetchall()


def months(database) -> list[tuple[str, str, int]]:
    return database.execute_sql("SELECT month, verdict, n FROM conclusion_month WHERE n <> 0 ORDER BY 1, 2").fetchall()


def assert_kept(database) -> None:
    assert verdicts(database) == database.execute_sql(RECOUNT).fetchall()
    assert months(database) == database.execute_sql(MONTHS).fetchall()


def test_an_older_database_upgrades_with_every_verdict_and_month_counted(tmp_path, monkeypatch):
    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 17])
    assert migrate(database, path)[-1] == 17
    proc = h.procedure("1.000001", "Thủ tục", "Hộ tịch")
    early = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    h.resolve(early, "2026-10-02 09:00")
    late = h.dossier(proc, "2026-10-01 09:00", "2026-10-05 10:00")
    h.resolve(late, "2026-11-05 10:01")
    h.dossier(proc, "2026-10-02 09:00", "2026-10-05 10:00")  # open: no conclusion
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 18])
    assert migrate(database, path) == [18]
    assert verdicts(database) == [(early.id, "early"), (late.id, "late")]
    assert months(database) == [("2026-10", "early", 1), ("2026-11", "late", 1)]
    assert_kept(database)
    database.close()


def test_the_triggers_keep_verdicts_and_months_as_everything_they_read_changes(engine_database):
    database = engine_database
    proc = h.procedure("1.000001", "Thủ tục", "Hộ tịch")
    row = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    h.resolve(row, "2026-10-05 10:00")  # on the minute
    assert verdicts(database) == [(row.id, "on_time")]
    assert months(database) == [("2026-10", "on_time", 1)]
    conclude(row, "2026-10-03 09:00")  # an earlier step written later is the conclusion
    assert verdicts(database) == [(row.id, "early")]
    DossierHistory.update(at=at("2026-11-06 08:00")).where(DossierHistory.to_status == 9).execute()
    assert months(database) == [("2026-11", "late", 1)]  # moved into another month, after the appointment
    assert_kept(database)

    # An apology issued before the conclusion: the appointment it replaced is the one compared.
    other = h.dossier(proc, "2026-10-01 08:00", "2026-10-05 10:00")
    h.apologise(other, "2026-10-04 08:00", "2026-10-09 10:00")
    h.resolve(other, "2026-10-08 08:00")
    assert dict(verdicts(database))[other.id] == "late"
    DossierApology.update(due_before=at("2026-10-10 10:00")).execute()
    assert dict(verdicts(database))[other.id] == "early"
    DossierApology.update(issued_at=at("2026-10-08 09:00")).execute()  # after the conclusion: not compared
    assert dict(verdicts(database))[other.id] == "early"  # the step's own appointment, 9 October
    DossierApology.delete().execute()
    assert_kept(database)

    # The dossier's appointment when the step recorded none, and its status.
    bare = h.dossier(proc, "2026-10-01 08:00", None)
    conclude(bare, "2026-10-07 08:00")
    assert dict(verdicts(database))[bare.id] == "on_time"  # no appointment at all
    Dossier.update(due_at=at("2026-10-06 08:00")).where(Dossier.id == bare.id).execute()
    assert dict(verdicts(database))[bare.id] == "late"
    Dossier.update(status=3).where(Dossier.id == bare.id).execute()
    assert dict(verdicts(database))[bare.id] is None  # refused: left out of Biểu 06 and of the months
    assert_kept(database)

    withdrawn = h.dossier(proc, "2026-10-01 08:00", "2026-10-02 08:00")
    h.step(withdrawn, "2026-12-01 08:00", "withdraw", 7)
    assert dict(verdicts(database))[withdrawn.id] == "on_time"  # withdrawn: on time, whenever
    assert_kept(database)
    DossierHistory.delete().where(DossierHistory.to_status.in_([7, 9])).execute()
    assert verdicts(database) == [] and months(database) == []
    conclude(row, "2026-10-03 09:00")
    Dossier.delete().where(Dossier.id == row.id).execute()
    assert months(database) == []
