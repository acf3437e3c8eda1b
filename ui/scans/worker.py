"""The slow part of an attach (decoding the pages, building the PDF and its thumbnail) off the GUI thread.

Why a plain `threading.Thread` and not a QThread or a subprocess: the work is pure Python (Pillow, pypdfium2,
peewee) and touches no Qt object, so no Qt object has to live on another thread. Two hazards remain, and each
is closed here:

- With PySide6 6.12 the garbage collector, when it runs on the worker, destroys unreachable widgets there and
  the app crashes (ui/board/lookups.py). Automatic collection is switched off while a job runs, the GUI
  thread's poll collects the young generations meanwhile, and it is switched back on when the job ends
  (ui/worker_guard.py); refcounting alone never frees a Qt wrapper on the worker, because the worker holds none.
- pdfium is not thread-safe: only one job runs at a time (JOB_LOCK), and the UI renders PDFs with QtPdf, whose
  pdfium is a separate copy inside Qt; scan thumbnails on screen are stored PNGs.

A subprocess (`main.py attach`) would be as safe but costs an interpreter start and cannot carry the clerk,
the clock or a page order. The result comes back on the GUI thread through a polling QTimer: the worker
never emits a signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QObject,
    QTimer,
    Signal,
)

from ui import worker_guard

log = logging.getLogger(__name__)

JOB_LOCK = threading.Lock()  # one pdfium user at a time
POLL_MS = 10


class _Outcome:
    """Written once by the worker, read by the GUI thread after `done` is set."""

    def __init__(self):
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class BackgroundJob(QObject):
    """Runs one callable on a worker thread; `succeeded(value)` or `failed(exception)` on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._outcome: _Outcome | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def is_running(self) -> bool:
        return self._outcome is not None

    def start(self, work: Callable[[], Any]) -> bool:
        """Start `work()` unless a job is running (here or anywhere in the app). Returns whether it started."""
        if self._outcome is not None or not JOB_LOCK.acquire(blocking=False):
            return False
        worker_guard.worker_started()
        outcome = self._outcome = _Outcome()
        threading.Thread(target=_run, args=(work, outcome), name="scan-attach", daemon=True).start()
        self._timer.start()
        self.running_changed.emit(True)
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker ends (tests and shutdown only); the result is still delivered by _poll."""
        return self._outcome is None or self._outcome.done.wait(timeout)

    def _poll(self) -> None:
        worker_guard.collect_young()
        outcome = self._outcome
        if outcome is None or not outcome.done.is_set():
            return
        self._timer.stop()
        self._outcome = None
        JOB_LOCK.release()
        worker_guard.worker_ended()  # on the GUI thread: what the job left young is collected here
        self.running_changed.emit(False)
        if outcome.error is not None:
            self.failed.emit(outcome.error)
        else:
            self.succeeded.emit(outcome.value)


def _run(work: Callable[[], Any], outcome: _Outcome) -> None:
    try:
        outcome.value = work()
    except BaseException as exc:  # delivered to the GUI thread, which decides what to say
        outcome.error = exc
    finally:
        outcome.done.set()
