"""Read-only lookups run a moment later, answering only the latest request of each channel.

A scan or a keystroke in the search box asks for a lookup; a newer request on the same channel makes
the older one stale, and a stale request is skipped, or its answer dropped (STYLE.md 11), so a name
search can never replace the page a later scan opened.

The queries run on the GUI thread, from the event loop, not on a worker thread: each one is a few
indexed reads (a scanned dossier's first frame ~1.5 ms, the rest of its page read after that frame ~3 ms on a
million dossiers), less than a worker's start. Today's five lists, ~35 ms, are read on a worker thread instead
(ui/background_read.py, with the garbage collector kept on the GUI thread: ui/worker_guard.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QObject,
    QTimer,
)

log = logging.getLogger(__name__)


class Lookups(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._latest: dict[str, int] = {}
        self._closed = False

    def run(self, channel: str, work: Callable[[], Any], on_result: Callable[[Any], None],
            on_error: Callable[[Exception], None] | None = None) -> int:
        """Run `work()` once control is back in the event loop, then `on_result` (or `on_error`), unless a
        newer request was made on `channel` meanwhile. Returns the request's ticket (0 once shut down)."""
        if self._closed:
            return 0
        ticket = self.cancel(channel)
        QTimer.singleShot(0, self, partial(self._work, channel, ticket, work, on_result, on_error))
        return ticket

    def cancel(self, channel: str) -> int:
        """Make whatever `channel` is waiting for stale; returns the next ticket."""
        self._latest[channel] = self._latest.get(channel, 0) + 1
        return self._latest[channel]

    def is_latest(self, channel: str, ticket: int) -> bool:
        return not self._closed and self._latest.get(channel) == ticket

    def shutdown(self) -> None:
        """The window is closing: nothing asked for is run or delivered any more."""
        self._closed = True

    def _work(self, channel: str, ticket: int, work: Callable[[], Any], on_result, on_error) -> None:
        if not self.is_latest(channel, ticket):
            return  # overtaken before it started: skip the query too
        try:
            result = work()
        except Exception as exc:
            if on_error is None:
                raise
            if self.is_latest(channel, ticket):
                on_error(exc)
            return
        if self.is_latest(channel, ticket):  # the work itself may have let a newer request in
            on_result(result)
