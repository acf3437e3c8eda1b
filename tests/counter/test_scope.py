"""Quầy của tôi / Cả trung tâm (issue 20): the board's lists and Tra cứu narrowed to one counter, the rows carrying
their counter and receiving clerk, and the default by role."""

from __future__ import annotations

from counter import records
from counter.dossiers import board, scope, search
from counter.dossiers.search import Criteria
from db.models import Dossier
from tests.counter.lifecycle_steps import login, receive

BICH = records.ApplicantInput(id_number="038190054321", full_name="Trần Thị Bích", phone="0987654321")


def two_counters(ctx):
    """Two dossiers of this database moved to counters 2 and 5 (as two PCs of a centre would have received them)."""
    login(ctx, "canbo")
    a, b = receive(ctx), receive(ctx, applicant=BICH)
    with ctx.bound():
        Dossier.update(workstation=2).where(Dossier.code == a.code).execute()
        Dossier.update(workstation=5).where(Dossier.code == b.code).execute()
    return a.code, b.code


def test_the_board_shows_the_centre_or_one_counter(ctx):
    a, b = two_counters(ctx)
    now = ctx.clock.now()
    assert {r.code for r in board.received_today(ctx, now)} == {a, b}
    assert [r.code for r in board.received_today(ctx, now, workstation=2)] == [a]
    assert [r.code for r in board.received_today(ctx, now, workstation=5)] == [b]
    assert board.received_today(ctx, now, workstation=7) == []
    rows = {r.code: r for r in board.received_today(ctx, now)}
    assert (rows[a].workstation, rows[b].workstation) == (2, 5)
    with ctx.bound():  # the clerk logged in received them
        from db.models import User

        assert rows[a].clerk_name == User.get(User.username == "canbo").full_name


def test_tra_cuu_narrowed_to_one_counter(ctx):
    a, b = two_counters(ctx)
    assert {r.code for r in search.search(ctx, Criteria()).rows} == {a, b}
    assert [r.code for r in search.search(ctx, Criteria(workstation=5)).rows] == [b]
    assert [r.code for r in search.search(ctx, Criteria(text="Bích", workstation=2)).rows] == []
    assert [r.code for r in search.search(ctx, Criteria(text="Bích", workstation=5)).rows] == [b]
    assert not Criteria(workstation=5).is_empty()


def test_on_sqlite_the_database_is_one_counter_and_the_filter_is_not_offered(ctx):
    login(ctx, "canbo")
    ctx.workstation = 3
    assert not scope.offered(ctx)
    assert scope.my_counter(ctx) is None and scope.default(ctx) is None


def test_a_clerk_starts_on_their_counter_a_leader_on_the_centre(ctx, monkeypatch):
    from counter.office import workstations

    monkeypatch.setattr(workstations, "office_mode", lambda c: True)  # the PostgreSQL side: tests/db/test_live.py
    ctx.workstation = 3
    login(ctx, "canbo")
    assert scope.offered(ctx) and scope.default(ctx) == 3
    ctx.user = records.User(id=ctx.user.id, username="x", full_name="Lãnh đạo", title="", role="leader")
    assert scope.default(ctx) is None
    assert scope.label(None) == "Cả trung tâm" and scope.label(3) == "Quầy của tôi (quầy 3)"
