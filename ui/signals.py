"""App-wide signals: pages announce what they changed, and every view decides whether to refresh."""

from __future__ import annotations

from PySide6.QtCore import (
    QObject,
    Signal,
    SignalInstance,
)

from counter.changes import Changes


class AppSignals(QObject):
    # Emitted once after every intent, with the Changes it returned. Each view's on_changed(changes)
    # refreshes only what the record names: the board dossiers, the open dossier page its own code…
    changed = Signal(Changes)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.changed.connect(_require_changes)  # Qt does not check a Python payload's type: this does


def _require_changes(changes: object) -> None:
    if not isinstance(changes, Changes):
        raise TypeError(f"changed carries a Changes, not {type(changes).__name__}")


class Announcer:
    """Announces a page's own Changes on its `changed` signal (which the window forwards to the app-level
    one). A page refreshes itself after its own intent; while it announces, `announcing` is true, so its
    on_changed, reached back through the app-level signal, does not refresh it a second time."""

    def __init__(self, signal: SignalInstance):
        self.signal = signal
        self.announcing = False

    def announce(self, changes: Changes) -> None:
        """Emit `changes`, unless nothing changed."""
        if not changes:
            return
        self.announcing = True
        try:
            self.signal.emit(changes)
        finally:
            self.announcing = False
