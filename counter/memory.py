"""Giving freed memory back to the operating system after background work.

glibc's allocator gives each thread that allocates its own arena, and keeps what the thread freed there for later
use. A sync thread (a new one for each pass) reads thousands of queue entries, builds their JSON and closes its
own database connection with its page cache: once it ends, tens of megabytes stay in its arena, reserved for a
thread that will never come back, and the app's memory climbs with each pass (the day's benchmark,
tests/bench/test_bench_day.py). `malloc_trim` returns the free pages of every arena (glibc 2.8 and later); the
worker calls it as it ends, on its own thread (on the GUI thread it took 0.7-0.8 s at a million dossiers).
Elsewhere (Windows, macOS, musl) it does nothing: their allocators behave differently.

In the day's benchmark (two scripted hours at a million dossiers) the memory after each hour was 414 and 507 MB
without it, 367 and 377 MB (346 and 382 in another run) with it; two arenas at most (mallopt M_ARENA_MAX=2) gave 450
and 465 MB, with a fixed mmap threshold as well 411 and 479 MB: neither kept it down as the trim does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def give_back() -> bool:
    """Return free memory to the system where the allocator allows; True if it did anything."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
