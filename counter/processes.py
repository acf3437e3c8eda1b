"""Whether a process still runs: a temporary file named with its writer's process id is left behind only when that
writer is gone (counter.scans.store, counter.office.code_ledger)."""

from __future__ import annotations

import os


def running(pid: int) -> bool:
    """Whether process `pid` runs (POSIX; elsewhere assumed running, so only a file's age marks it as left
    behind)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
