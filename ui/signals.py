"""App-wide signals: pages announce what they changed, and every view decides whether to refresh."""

from __future__ import annotations

from PySide6.QtCore import (
    QObject,
    Signal,
)


class AppSignals(QObject):
    # Emitted once after every mutation, with what the intent returned (a Changes record, a
    # Dossier…). Listeners treat it as "something changed" unless they look closer.
    changed = Signal(object)
