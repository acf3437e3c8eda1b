"""counter.memory: the worker threads share one allocator arena (glibc)."""

import subprocess
import sys

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_on_glibc_the_arena_limit_is_taken_once():
    """In a process of its own (the setting lasts for the process): mallopt accepts it, and a second call is the
    first's answer, not a second setting."""
    code = "from counter import memory; print(memory.limit_arenas(), memory.limit_arenas.cache_info().hits)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "0"]
