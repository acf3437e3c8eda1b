"""The live board's change feed (counter/live.py, migration 0022) with two contexts, and two processes, on one
database: a SQLite file, and this session's throwaway PostgreSQL. Each wait is bounded: the poll is asked again until
the change shows or 2 seconds have passed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from counter import live
from counter.changes import Changes
from counter.context import AppContext
from db.database import is_postgres, make_database, make_database_from_url
from tests.counter.lifecycle_steps import UNIT, login, receive
from tests.db.test_concurrency import draft, office, window  # noqa: F401  (the PostgreSQL office fixture)

ROOT = Path(__file__).resolve().parents[2]


def seen_within(ctx: AppContext, feed: live.Feed, code: str, seconds: float = 2.0) -> float:
    """Poll as the app does (without its one-second pause) until `code` is announced; how long it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if code in live.poll(ctx, feed).dossiers:
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"{code} not announced within {seconds} s")


@pytest.fixture
def other(ctx):
    """A second counter's context on the same SQLite file (its own connection)."""
    context = AppContext(database=make_database(ctx.db_path), data_dir=ctx.data_dir, clock=ctx.clock)
    with context.bound():
        login(context, "canbo")
    yield context
    context.database.close()


def test_a_reception_at_one_counter_is_announced_at_the_other_sqlite(ctx, other):
    login(ctx, "canbo")
    feed = live.follow(other)
    assert live.poll(other, feed) == Changes()
    dossier = receive(ctx)
    seen_within(other, feed, dossier.code)
    assert live.poll(other, feed) == Changes()  # announced once
    from counter.dossiers import lifecycle

    lifecycle.handover(ctx, dossier.code, UNIT)
    assert live.poll(other, feed).dossiers == {dossier.code}


def test_a_reception_by_another_process_on_the_same_file(ctx, other):
    feed = live.follow(other)
    script = (
        "import sys; from tests.counter.lifecycle_steps import login, receive; from counter.context import AppContext;"
        "from db.database import make_database; from tests.conftest import at; from counter.clock import FixedClock;"
        "from pathlib import Path;"
        "c = AppContext(database=make_database(Path(sys.argv[1])), data_dir=Path(sys.argv[2]),"
        " clock=FixedClock(at('2026-02-13 10:00')))\n"
        "with c.bound(): login(c, 'canbo')\nprint(receive(c).code)")
    out = subprocess.run([sys.executable, "-c", script, str(ctx.db_path), str(ctx.data_dir)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    code = out.stdout.strip()
    seen_within(other, feed, code)


def test_this_apps_own_change_is_not_announced_again(ctx):
    login(ctx, "canbo")
    feed = live.follow(ctx)
    dossier, changes = _receive_with_changes(ctx)
    live.note_local(ctx, feed, changes)
    assert live.poll(ctx, feed) == Changes()
    from counter.dossiers import lifecycle

    lifecycle.handover(ctx, dossier.code, UNIT)  # not noted as this app's: announced
    assert live.poll(ctx, feed).dossiers == {dossier.code}


def _receive_with_changes(ctx):
    from counter.dossiers.reception import receive_dossier
    from counter.records import DossierDraft
    from tests.counter.lifecycle_steps import AN

    return receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN))


def test_the_feed_keeps_its_last_rows_only(database):
    """SQLite prunes on each row; PostgreSQL on one row in PRUNE_EVERY (0025: two counters' prunes met on the same
    old rows and waited for each other)."""
    from db.migrations.m0022_live_change import KEEP
    from db.migrations.m0025_live_prune_batched import PRUNE_EVERY

    rows = KEEP + PRUNE_EVERY + 50
    with database.atomic():
        database.execute_sql('INSERT INTO "live_change" ("code") VALUES ' + ",".join(["('x')"] * rows))
        database.execute_sql('INSERT INTO "live_change" ("code") VALUES (\'y\')')  # the trigger prunes per row
    count, top = database.execute_sql('SELECT COUNT(*), MAX("id") FROM "live_change"').fetchone()
    assert top == rows + 1
    assert count <= (KEEP + PRUNE_EVERY if is_postgres(database) else KEEP + 1)
    assert count >= KEEP  # never fewer than the app reads


def test_an_app_far_behind_starts_again_from_what_the_feed_keeps(bare_ctx):
    from db.migrations.m0022_live_change import KEEP

    feed = live.follow(bare_ctx)
    db = bare_ctx.database
    with db.atomic():
        for i in range(KEEP + 20):
            db.execute_sql('INSERT INTO "live_change" ("code") VALUES (?)', (f"c{i}",))
    changes = live.poll(bare_ctx, feed)
    assert f"c{KEEP + 19}" in changes.dossiers and "c0" not in changes.dossiers
    assert feed.floor == KEEP + 20 and not feed.missing_since


def test_the_polls_reads_are_searches_of_the_primary_key(ctx):
    """Once a second, on a feed of any size: the top of the key, and the rows after an id (never a scan)."""
    from db.models import LiveChange

    with ctx.bound():
        queries = [LiveChange.select(live.fn.MAX(LiveChange.id)), live._after(5)]
        for query in queries:
            sql, params = query.sql()
            plan = [row[-1] for row in ctx.database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
            assert len(plan) == 1 and plan[0].startswith("SEARCH t1") and "SCAN" not in plan[0], plan


# PostgreSQL ----------------------------------------------------------------------------------------------------


def test_a_reception_at_one_counter_is_announced_at_the_other_postgres(office, pg_url):  # noqa: F811
    from counter.dossiers.reception import receive_dossier

    other = window(office, pg_url)
    try:
        feed = live.follow(other)
        dossier, _ = receive_dossier(office, draft(1))
        seen_within(other, feed, dossier.code)
        assert live.poll(other, feed) == Changes()
    finally:
        other.database.close()


def test_a_later_id_committed_first_does_not_hide_the_earlier_one(office, pg_url, monkeypatch):  # noqa: F811
    """On PostgreSQL ids come from a sequence when written, not when committed: the earlier transaction's row,
    committed after a later one was seen, is still announced."""
    feed = live.follow(office)
    slow, quick = make_database_from_url(pg_url), make_database_from_url(pg_url)
    try:
        with slow.atomic():
            slow.execute_sql('INSERT INTO "live_change" ("code") VALUES (%s)', ("early",))
            with quick.atomic():
                quick.execute_sql('INSERT INTO "live_change" ("code") VALUES (%s)', ("late",))
            assert live.poll(office, feed).dossiers == {"late"}
            assert feed.missing_since  # the earlier id is waited for
        assert live.poll(office, feed).dossiers == {"early"}
        assert not feed.missing_since
    finally:
        slow.close()
        quick.close()


def test_an_id_rolled_back_is_given_up_after_a_while(office, pg_url):  # noqa: F811
    now = [0.0]
    feed = live.follow(office)
    feed.monotonic = lambda: now[0]
    db = make_database_from_url(pg_url)
    try:
        with db.atomic() as transaction:
            db.execute_sql('INSERT INTO "live_change" ("code") VALUES (%s)', ("gone",))
            transaction.rollback()
        db.execute_sql('INSERT INTO "live_change" ("code") VALUES (%s)', ("kept",))
        assert live.poll(office, feed).dossiers == {"kept"}
        assert feed.missing_since
        now[0] = live.GAP_WAIT + 1
        assert live.poll(office, feed) == Changes()
        assert not feed.missing_since and feed.floor == live.latest(office)
    finally:
        db.close()


def test_two_counters_of_a_centre_and_the_filter_postgres(office, pg_url):  # noqa: F811
    """Counter 2 and counter 5 receive on one PostgreSQL database: each board's lists show both for the centre,
    one each narrowed to its counter; the administrator starts on the centre."""
    from counter.dossiers import board, scope
    from counter.dossiers.reception import receive_dossier
    from counter.office import workstations

    other = window(office, pg_url)
    try:
        other.workstation = 5
        workstations.claim(other, 5)
        a, _ = receive_dossier(office, draft(1))
        b, _ = receive_dossier(other, draft(2, workstation=5))
        now = office.clock.now()
        assert {r.code for r in board.received_today(office, now)} == {a.code, b.code}
        assert [r.code for r in board.received_today(office, now, workstation=scope.my_counter(office))] == [a.code]
        assert [r.code for r in board.received_today(other, now, workstation=scope.my_counter(other))] == [b.code]
        assert scope.offered(office) and scope.default(office) is None  # an administrator: the centre
    finally:
        other.database.close()


def test_the_migration_upgrades_a_version_20_database(tmp_path, monkeypatch):
    """0022 on a database made at version 21 with a dossier: the feed starts empty and follows later writes; Biểu
    06's covering index carries the workstation."""
    from db.database import bind
    from db.migrate import migrate
    from db.migrations import MIGRATIONS

    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 21])
    assert migrate(database, path)[-1] == 21
    assert "live_change" not in database.get_tables()
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert 22 in migrate(database, path)
    assert database.execute_sql('SELECT COUNT(*) FROM "live_change"').fetchone()[0] == 0
    columns = [row[2] for row in database.execute_sql("PRAGMA index_info('dossier_report')")]
    assert columns[-1] == "workstation" and columns[0] == "received_at"
    database.close()


def test_a_poll_on_a_server_gone_fails_at_once_then_reconnects(office, pg_cluster):  # noqa: F811
    """On PostgreSQL the poll tries once (no retry pauses on the GUI thread), forgets the broken connection, and
    reads again once the server is back."""
    feed = live.follow(office)
    pg_cluster.stop_server()
    try:
        start = time.monotonic()
        with pytest.raises(Exception):  # noqa: B017 - psycopg's error for a server gone, whichever it is
            live.poll_once(office, feed)
        assert time.monotonic() - start < 0.4  # the intents' retries would pause 0.5 s before the first
    finally:
        pg_cluster.start_server()
    assert live.poll_once(office, feed) == Changes()
