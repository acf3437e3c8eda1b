"""What a worker thread (ui/sync/runner.py, ui/scans/worker.py) must not do to the GUI thread while it runs: collect
the garbage there, or keep the interpreter from it for long. `worker_started` and `worker_ended` are counted across
the app's workers; `collect_young` is called by their polls on the GUI thread.

**The garbage collector.** Collecting an unreachable widget on a worker thread destroys it on the wrong thread and
the app crashes (the crash described in ui/board/lookups.py), so automatic collection is off while any worker runs.
Off is not enough in a long job: everything a worker makes in a cycle waits for the collector. An HTTP call leaves
about 50 such objects (httpx's request, response and streams refer to each other), so the end-of-day batch at a
million dossiers, which looks every open dossier up, left over a million, and collecting them when it ended kept
the screen frozen 1.8 s (the day's benchmark, tests/bench/test_bench_day.py). So the young generations are collected
on the GUI thread meanwhile, each time they reach the sizes automatic collection waits for: pieces of a few
milliseconds. The oldest generation, the whole heap, is never collected while a worker runs.

**The interpreter lock.** The GUI thread lets go of the interpreter while SQLite or Qt works, and takes it back
after: for each row fetched, each Python callback (an event filter, a slot, a paint override). A worker busy in
Python gives the lock up only every switch interval, 5 ms by default, so each of those could wait that long: a
200-row read that takes 0.1 ms alone took up to 21–32 ms beside a thread busy in Python, and up to 1–3 ms with an
interval of 0.5 ms (measured here with sqlite3). While a worker runs the interval is WORKER_SWITCH_S; the worker is
interrupted more often only while the GUI thread asks for the lock.
"""

from __future__ import annotations

import gc
import sys

WORKER_SWITCH_S = 0.0005

_state: dict = {"running": 0, "was_enabled": False, "switch_s": 0.005}


def worker_started() -> None:
    """A worker starts (on the GUI thread): no automatic collection and a short switch interval until every worker
    has ended (`worker_ended`)."""
    if _state["running"] == 0:
        _state["was_enabled"] = gc.isenabled()
        _state["switch_s"] = sys.getswitchinterval()
        gc.disable()
        sys.setswitchinterval(WORKER_SWITCH_S)
    _state["running"] += 1


def worker_ended() -> None:
    """A worker ended (on the GUI thread): the last one collects what is left young, then automatic collection and
    the switch interval are as they were."""
    _state["running"] -= 1
    if _state["running"] == 0:
        sys.setswitchinterval(_state["switch_s"])
        if _state["was_enabled"]:
            # Before automatic collection is on again: another thread allocating in between could trigger it there.
            gc.collect(1)
            gc.enable()


def collect_young() -> int:
    """On the GUI thread while workers run: collect the young generations if they have grown as far as automatic
    collection would let them (the thresholds of `gc.get_threshold()`); the number of objects freed."""
    if _state["running"] == 0 or not _state["was_enabled"]:
        return 0  # automatic collection is on, or was off before our workers: not ours to do
    young, middle, _old = gc.get_count()
    young_limit, middle_limit, _ = gc.get_threshold()
    if young <= young_limit:
        return 0
    return gc.collect(1 if middle >= middle_limit else 0)
