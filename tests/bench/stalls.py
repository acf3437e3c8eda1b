"""A watchdog on the GUI thread for the benchmarks that drive real screens: how long the event loop was kept from
turning, and where.

A QTimer ticks every 5 ms on the GUI thread; the gaps between its ticks are the stalls a clerk would feel. A
watchdog thread (no cost on the GUI thread) notes the GUI thread's stack whenever a tick is over 20 ms late, so
each of the worst gaps is reported with what the thread was doing in it.

The stack is read by `faulthandler`, as text, not through `sys._current_frames()`: a frame object the watchdog
held would, once the GUI thread has left that function, be freed on the watchdog's thread with the function's
locals, and a PySide object freed there disconnects its signals under Qt's lock while waiting for the interpreter's
lock the GUI thread holds (a deadlock, seen in the day's benchmark). A script may name the step it is in
(`step`): each gap is reported with the step that was running when it began.
"""

from __future__ import annotations

import bisect
import faulthandler
import tempfile
import threading
import time
from collections import Counter
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

TICK_MS = 5
LATE_S = 0.020  # a tick this late: the watchdog notes the stack
STACK_DEPTH = 12


class Heartbeat:
    def __init__(self, *, events: bool = False) -> None:
        self.events = EventTrace() if events else None
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.where: list[tuple[float, str]] = []
        self.steps: list[tuple[float, str]] = []  # (when, name): the script's steps, in order
        self._gui = threading.get_ident()
        self._running = False
        self._watchdog = threading.Thread(target=self._watch, daemon=True)

    def step(self, name: str) -> None:
        """The script's step from now on (reported beside the stalls that begin in it)."""
        self.steps.append((time.perf_counter(), name))

    def _watch(self) -> None:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as dump:
            while self._running:
                time.sleep(0.005)
                now = time.perf_counter()
                if self.ticks and now - self.ticks[-1] > LATE_S:
                    self.where.append((now, _gui_stack(dump, self._gui)))

    def __enter__(self) -> Heartbeat:
        self.ticks.append(time.perf_counter())
        if self.events is not None:
            QApplication.instance().installEventFilter(self.events)
        self.timer.start()
        self._running = True
        self._watchdog.start()
        return self

    def __exit__(self, *exc) -> None:
        self._running = False
        self._watchdog.join()
        self.timer.stop()
        if self.events is not None:
            QApplication.instance().removeEventFilter(self.events)
        self.ticks.append(time.perf_counter())

    def _step_at(self, at: float) -> str:
        times = [t for t, _ in self.steps]
        i = bisect.bisect_right(times, at) - 1
        return self.steps[i][1] if i >= 0 else ""

    def worst(self, n: int = 5) -> list[dict]:
        """The `n` longest gaps: their length, the step they began in, and the stack noted most often inside them
        (where the time went; the last one may already be the event loop again)."""
        gaps = sorted(((b - a, a, b) for a, b in pairwise(self.ticks)), reverse=True)[:n]
        out = []
        for gap, start, end in gaps:
            inside = [stack for at, stack in self.where if start <= at <= end]
            out.append({"ms": round(gap * 1000, 1), "step": self._step_at(start),
                        "stack": Counter(inside).most_common(1)[0][0] if inside else "",
                        "event": self.events.longest(start, end) if self.events is not None else ""})
        return out

    def gaps_by_step(self, limit_ms: float) -> dict[str, list[float]]:
        """The gaps longer than `limit_ms` (ms) by the step they began in."""
        gaps: dict[str, list[float]] = {}
        for a, b in pairwise(self.ticks):
            if (b - a) * 1000 > limit_ms:
                gaps.setdefault(self._step_at(a), []).append(round((b - a) * 1000, 1))
        return gaps


class EventTrace(QObject):
    """Every event the application delivers, when it began (an application-wide event filter). The time to the
    next event's start is roughly what handling it cost: inside a stall whose stack is only the event loop (Qt's
    own C++ work: a layout, a paint, a PDF page rendered), the event after which the time went names the widget."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[float, int, str]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.seen.append((time.perf_counter(), int(event.type()), type(watched).__name__))
        return False

    def longest(self, start: float, end: float, n: int = 4) -> str:
        """The `n` events inside [start, end] followed by the longest quiet times, as "Type on Class (ms)"."""
        times = [t for t, _, _ in self.seen]
        first, last = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
        spans = []
        for i in range(max(first - 1, 0), min(last, len(self.seen) - 1)):
            took = min(self.seen[i + 1][0], end) - max(self.seen[i][0], start)
            _, kind, receiver = self.seen[i]
            spans.append((took, f"{QEvent.Type(kind).name} on {receiver}"))
        spans.sort(reverse=True)
        return ", ".join(f"{name} ({took * 1000:.0f} ms)" for took, name in spans[:n])


def _gui_stack(dump, gui: int) -> str:
    """The GUI thread's stack, innermost call first, from faulthandler's dump of every thread."""
    dump.seek(0)
    dump.truncate()
    faulthandler.dump_traceback(dump, all_threads=True)
    dump.seek(0)
    heading = f"Thread 0x{gui:016x}"
    for block in dump.read().split("\n\n"):
        if block.startswith(heading):
            return "\n".join(block.splitlines()[1:STACK_DEPTH + 1])
    return ""
