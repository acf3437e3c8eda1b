"""The scanner's output folder: a file that appears there, once its size stops changing, is announced.

A scanner writes a file over a second or more; offering it half-written would attach a truncated scan. A new
name is polled until two readings of its size, STABLE_MS apart, agree (and are not zero).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QFileSystemWatcher,
    QObject,
    QSettings,
    QTimer,
    Signal,
)

WATCH_FOLDER_KEY = "scans/watch_folder"
STABLE_MS = 300
SCAN_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".webp", ".pdf"}


def watch_folder(settings: QSettings) -> Path | None:
    value = settings.value(WATCH_FOLDER_KEY)
    return Path(str(value)) if value else None


def set_watch_folder(settings: QSettings, folder: Path | None) -> None:
    if folder is None:
        settings.remove(WATCH_FOLDER_KEY)
    else:
        settings.setValue(WATCH_FOLDER_KEY, str(folder))
    settings.sync()


class FolderWatcher(QObject):
    arrived = Signal(object)  # the Path of a new, complete file

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.folder: Path | None = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._changed)
        self._known: set[str] = set()
        self._pending: dict[str, int] = {}  # name → last size seen
        self._timer = QTimer(self)
        self._timer.setInterval(STABLE_MS)
        self._timer.timeout.connect(self._settle)

    def watch(self, folder: Path | None) -> None:
        """Watch `folder` (None: nothing); files already there are not new."""
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self.folder, self._pending = folder, {}
        if folder is None or not folder.is_dir():
            self.folder = None
            return
        self._known = set(self._names())
        self._watcher.addPath(str(folder))

    def _names(self) -> list[str]:
        try:
            return [p.name for p in self.folder.iterdir()
                    if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES and not p.name.startswith(".")]
        except OSError:
            return []

    def _changed(self, _path: str) -> None:
        names = set(self._names())
        for name in sorted(names - self._known):  # a scanner numbers its pages: announced in that order
            self._pending.setdefault(name, -1)
        self._known = names | set(self._pending)
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def _settle(self) -> None:
        for name, last in list(self._pending.items()):
            path = self.folder / name
            try:
                size = path.stat().st_size
            except OSError:
                del self._pending[name]  # gone again (a scanner's temporary file)
                continue
            if size > 0 and size == last:
                del self._pending[name]
                self.arrived.emit(path)
            else:
                self._pending[name] = size
        if not self._pending:
            self._timer.stop()
