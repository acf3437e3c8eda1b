"""The allocator's arenas: how much memory worker threads may leave reserved.

glibc's allocator gives a thread that allocates while another holds the main arena an arena of its own (up to eight
per core), and keeps what the thread freed there for later use. The app starts a new thread for each sync pass and
each background job: their freed megabytes (thousands of queue entries read, their JSON, a closed connection's page
cache) stayed reserved in arenas of their own, and the app's memory climbed by the pass (the day's benchmark,
tests/bench/test_bench_day.py: 414 → 507 MB in its second hour). With at most two arenas, every worker thread
reuses the one the last worker freed. Handing freed memory back with `malloc_trim` instead was tried and dropped:
it holds each arena's lock while it walks it, the GUI thread's allocations waited, and the screen stalled 0.7 s at
the end of each sync pass at a million dossiers.

Elsewhere (Windows, macOS, musl) nothing is changed: their allocators behave differently.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

M_ARENA_MAX = -8  # glibc's <malloc.h>
ARENAS = 2  # the main thread's, and one the workers share


@cache
def limit_arenas() -> bool:
    """At most ARENAS arenas for the rest of the process (once; call it before the worker threads start). True
    where the allocator took the setting."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, ARENAS) == 1)
