"""The worker runner pauses Python's cyclic collector while its work runs, and the GUI thread collects what the
work leaves: the young generations as they fill, in the runner's poll (a long sync leaves over a million objects of
cyclic garbage: collected at once they froze the screen 1.8 s), and what is left when it ends; never the whole heap,
which would block the screen for over 100 ms in a large process (the Báo cáo benchmark saw 130 ms)."""

from __future__ import annotations

import gc
import sys
import threading
import weakref

import pytest

from ui import worker_guard
from ui.sync.runner import WorkerRunner


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


@pytest.fixture
def collection_on(monkeypatch):
    """From no worker running and automatic collection on. The pause count is the process's: a runner another test
    left running (its widget gone without wait()) would keep collection off here."""
    monkeypatch.setattr(worker_guard, "_state", {"running": 0, "was_enabled": False, "switch_s": 0.005})
    was_on, interval = gc.isenabled(), sys.getswitchinterval()
    gc.enable()
    sys.setswitchinterval(0.005)  # Python's default
    yield
    sys.setswitchinterval(interval)
    if not was_on:
        gc.disable()


@pytest.fixture
def collections(monkeypatch):
    """Each `gc.collect` call's generation and thread."""
    seen: list[tuple[tuple, str]] = []
    collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *args: (seen.append((args, threading.current_thread().name)),
                                                       collect(*args))[1])
    return seen


def test_the_works_cycles_are_freed_on_the_gui_thread_by_a_young_collection(qtbot, collection_on, collections):
    runner = WorkerRunner()
    freed_on: list[str] = []
    kept: list[weakref.finalize] = []

    def work(progress, cancel):
        assert not gc.isenabled()  # nothing is collected on this thread meanwhile
        node = Node()
        kept.append(weakref.finalize(node, lambda: freed_on.append(threading.current_thread().name)))
        return "done"

    with qtbot.waitSignal(runner.finished, timeout=5000) as outcome:
        assert runner.run(work)
    assert outcome.args == ["done"]
    assert gc.isenabled()
    assert freed_on == [threading.main_thread().name]
    assert collections[-1] == ((1,), threading.main_thread().name)
    assert all(generation != (2,) and generation != () for generation, _ in collections)


def test_a_long_works_garbage_is_collected_in_pieces_while_it_runs(qtbot, collection_on, collections):
    runner = WorkerRunner()
    made, go_on = threading.Event(), threading.Event()
    freed: list[str] = []
    kept: list[weakref.finalize] = []

    def work(progress, cancel):
        for _ in range(3 * gc.get_threshold()[0]):  # more than the young generation holds before a collection
            node = Node()
            kept.append(weakref.finalize(node, lambda: freed.append(threading.current_thread().name)))
        made.set()
        go_on.wait(10)  # still running: what it made must be collected before it ends
        return "done"

    assert runner.run(work)
    assert made.wait(10)
    # Collected as the generations fill: all but what came after the last collection (under one threshold).
    qtbot.waitUntil(lambda: len(freed) >= len(kept) - gc.get_threshold()[0], timeout=5000)
    assert runner.running
    assert set(freed) == {threading.main_thread().name}
    assert all(generation in ((0,), (1,)) for generation, _ in collections)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        go_on.set()


def test_collection_stays_off_until_the_last_of_two_workers_ends(qtbot, collection_on):
    first, second = WorkerRunner(), WorkerRunner()
    release = threading.Event()
    assert first.run(lambda progress, cancel: release.wait(10))
    with qtbot.waitSignal(second.finished, timeout=5000):
        assert second.run(lambda progress, cancel: "quick")
    assert not gc.isenabled()  # the first still runs
    with qtbot.waitSignal(first.finished, timeout=5000):
        release.set()
    assert gc.isenabled()


def test_collect_young_leaves_automatic_collection_alone_when_no_worker_paused_it(collection_on, collections):
    for _ in range(2 * gc.get_threshold()[0]):
        Node()
    assert worker_guard.collect_young() == 0
    assert collections == []


def test_the_interpreter_changes_hands_often_while_a_worker_runs_and_as_before_after(qtbot, collection_on):
    """A worker busy in Python would keep each Python callback of the GUI thread waiting up to the switch interval
    (5 ms by default): shorter while any worker runs, as it was once none does."""
    before = sys.getswitchinterval()
    runner = WorkerRunner()
    seen: list[float] = []
    with qtbot.waitSignal(runner.finished, timeout=5000):
        assert runner.run(lambda progress, cancel: seen.append(sys.getswitchinterval()))
    assert seen == [worker_guard.WORKER_SWITCH_S]
    assert before > worker_guard.WORKER_SWITCH_S
    assert sys.getswitchinterval() == before
