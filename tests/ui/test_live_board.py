"""The live board (issue 20): a dossier received, handed over or returned at another counter shows on this one's
board within 2 seconds, through the change feed (ui/live/poller.py), with no full reload and nothing announced twice."""

import pytest

from counter.changes import Changes
from counter.dossiers import lifecycle
from tests.counter.lifecycle_steps import UNIT, receive
from tests.db.test_live import other  # noqa: F401  # the second counter on the same SQLite file
from ui.board.lookups import Lookups
from ui.board.page import BoardPage
from ui.live.poller import LivePoller
from ui.signals import AppSignals


@pytest.fixture
def live_board(qtbot, ctx, clerk):
    signals = AppSignals()
    lookups = Lookups()
    page = BoardPage(ctx, lookups)
    qtbot.addWidget(page)
    signals.changed.connect(page.on_changed)
    poller = LivePoller(ctx, signals)  # once a second, as in the app
    page.announced = []
    signals.changed.connect(page.announced.append)
    page.resize(1190, 640)
    page.show()
    qtbot.waitUntil(lambda: page.loaded)
    yield page, signals, poller
    poller.stop()
    lookups.shutdown()


def test_a_reception_at_another_counter_shows_within_two_seconds(qtbot, live_board, other):  # noqa: F811
    page, _, _ = live_board
    dossier = receive(other)
    qtbot.waitUntil(lambda: dossier.code in page.views["received"].codes(), timeout=2000)
    assert page.announced == [Changes(dossiers=frozenset({dossier.code}))]
    lifecycle.handover(other, dossier.code, UNIT)
    lifecycle.record_result(other, dossier.code, "12/2026")
    qtbot.waitUntil(lambda: dossier.code in page.views["ready"].codes(), timeout=2000)
    lifecycle.return_result(other, dossier.code)
    qtbot.waitUntil(lambda: dossier.code not in page.views["ready"].codes(), timeout=2000)


def test_this_counters_own_reception_is_not_announced_again(qtbot, live_board, ctx):
    page, signals, poller = live_board
    dossier = receive(ctx)
    signals.changed.emit(Changes(dossiers=frozenset({dossier.code})))  # as the reception page announces it
    poller.poll()
    assert page.announced == [Changes(dossiers=frozenset({dossier.code}))]


def test_a_hidden_board_refreshes_when_shown(qtbot, live_board, other):  # noqa: F811
    page, _, _ = live_board
    page.hide()
    dossier = receive(other)
    qtbot.waitUntil(lambda: len(page.announced) == 1, timeout=2000)
    assert dossier.code not in page.views["received"].codes()  # nobody looks: no query
    page.show()
    qtbot.waitUntil(lambda: dossier.code in page.views["received"].codes(), timeout=2000)


def test_a_feed_that_cannot_be_read_is_asked_again(qtbot, live_board, monkeypatch, other):  # noqa: F811
    page, _, poller = live_board
    from counter import live

    real = live.poll_once
    monkeypatch.setattr(live, "poll_once", lambda ctx, feed: (_ for _ in ()).throw(OSError("mạng chập chờn")))
    poller.poll()
    assert poller.failed and poller.timer.interval() == live.BACK_OFF_MS[0]
    poller.poll()
    assert poller.timer.interval() == live.BACK_OFF_MS[1]  # later and later while it lasts
    monkeypatch.setattr(live, "poll_once", real)
    poller.poll()
    assert poller.timer.interval() == live.POLL_MS
    dossier = receive(other)
    qtbot.waitUntil(lambda: dossier.code in page.views["received"].codes(), timeout=2000)
    assert not poller.failed
