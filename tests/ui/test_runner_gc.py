"""The worker runner pauses Python's cyclic collector while its work runs and collects, on the GUI thread, what the
work left behind once it is over: only the young generations (where everything made meanwhile is), never the whole
heap, which would block the screen for over 100 ms in a large process (the Báo cáo benchmark saw 130 ms)."""

from __future__ import annotations

import gc
import threading
import weakref

from ui.sync import runner as runner_module
from ui.sync.runner import WorkerRunner


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_the_works_cycles_are_freed_on_the_gui_thread_by_a_young_collection(qtbot, monkeypatch):
    # The pause count is the process's: a runner another test left running (its widget gone without wait()) would
    # keep collection off here. This test starts from no runner and collection on.
    monkeypatch.setattr(runner_module, "_paused", {"count": 0, "was_enabled": False})
    was_on = gc.isenabled()
    gc.enable()
    try:
        _run_and_check(qtbot, monkeypatch)
    finally:
        if not was_on:
            gc.disable()


def _run_and_check(qtbot, monkeypatch):
    runner = WorkerRunner()
    freed_on: list[str] = []
    kept: list[weakref.finalize] = []
    generations: list[tuple] = []
    collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *args: (generations.append(args), collect(*args))[1])

    def work(progress, cancel):
        assert not gc.isenabled()  # nothing is collected on this thread meanwhile
        node = Node()
        kept.append(weakref.finalize(node, lambda: freed_on.append(threading.current_thread().name)))
        return "done"

    enabled = gc.isenabled()
    with qtbot.waitSignal(runner.finished, timeout=5000) as outcome:
        assert runner.run(work)
    assert outcome.args == ["done"]
    assert gc.isenabled() == enabled
    assert freed_on == [threading.main_thread().name]
    assert generations == [(1,)]
