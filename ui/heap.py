"""Python's full garbage collections kept short: what the app made to start is moved out of their sight.

A full collection walks every object Python tracks, and runs on whichever thread allocates when enough objects
have survived since the last one: on the GUI thread, at a moment no one chose. Most of what it walks was made at
the start and lives as long as the app (modules, classes, functions, the main window's widgets and their
wrappers): 80,777 objects once the main window is shown, 83-168 ms a full collection on the 2-core bench machine.
One such collection was the only stall over 50 ms of Tra cứu's scroll through 10,000 results (55-73 ms; issue 21,
tests/bench/test_bench_lookup.py). Once the main window is on screen they are frozen (gc.freeze): later full
collections walk only what was made since (no collection over 5 ms in that scroll).

No collection first: there is nothing to free at that point (a full collection there freed 0 objects), and it
would cost the clerk the same 100 ms. What is frozen is never collected: a cycle among the start's objects that
becomes garbage later stays in memory, at most once (the start is not repeated). `thaw` gives them back to the
collector when the main window goes (a restored backup starts another).
"""

from __future__ import annotations

import gc


def freeze_start() -> None:
    """Every object made so far out of the collector's sight (the main window shown)."""
    gc.freeze()


def thaw() -> None:
    """The frozen objects collected again (the main window is gone)."""
    gc.unfreeze()
