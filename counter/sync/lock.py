"""One sync at a time across the GUI and the command line: an OS file lock on `sync.lock` on SQLite (one PC), a
PostgreSQL advisory lock for the whole centre in office mode (`office_sync_lock`).

The operating system releases the file lock when its process dies, however it dies (even SIGKILL), so a
crash never leaves sync stuck. fcntl.flock on Unix, msvcrt.locking on Windows. PostgreSQL likewise releases an
advisory lock when the connection holding it ends.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter.context import AppContext
from counter.errors import CounterError
from db.database import advisory_lock_or, is_postgres

LOCK_FILE = "sync.lock"
SYNC_LOCK_KEY = 0x514D4302  # the centre's advisory lock: one sync at a time across all its counters


class SyncBusy(CounterError):
    """Another sync (this app's window or a scheduled `main.py sync`) is running."""


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":  # sys.platform, not os.name: mypy then checks msvcrt only for Windows
            import msvcrt
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def sync_lock(data_dir: Path) -> Iterator[None]:
    """Hold the lock for the block, or raise SyncBusy at once (never waits)."""
    fd = os.open(Path(data_dir) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try_lock(fd):
            raise SyncBusy("Đang có một lượt đồng bộ khác chạy (trên cửa sổ chương trình hoặc lệnh sync): "
                           "hãy đợi lượt đó xong.")
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextmanager
def office_sync_lock(ctx: AppContext) -> Iterator[None]:
    """One sync at a time where the data is: on SQLite this PC's file lock (`sync_lock`); on PostgreSQL the
    centre's advisory lock, on the connection this thread syncs with, so no two counters of the centre sync at once.
    Raises SyncBusy at once (never waits)."""
    if not is_postgres(ctx.database):
        with sync_lock(ctx.data_dir):
            yield
        return
    busy = SyncBusy("Đang có một lượt đồng bộ khác chạy trong trung tâm (ở quầy này hoặc một quầy khác): hãy đợi "
                    "lượt đó xong.")
    with ctx.bound(), advisory_lock_or(ctx.database, SYNC_LOCK_KEY, busy):
        yield
