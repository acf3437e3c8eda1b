"""One sync at a time across the GUI and the command line: an OS file lock on `sync.lock`.

The operating system releases the lock when its process dies, however it dies (even SIGKILL), so a
crash never leaves sync stuck. fcntl.flock on Unix, msvcrt.locking on Windows.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter.errors import CounterError

LOCK_FILE = "sync.lock"


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
