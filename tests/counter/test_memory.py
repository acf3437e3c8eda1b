"""counter.memory: freed memory handed back to the system after background work."""

import sys
import threading

from counter import memory


def test_a_threads_freed_memory_is_handed_back_on_glibc():
    def churn():
        blocks = [bytearray(4096) for _ in range(20_000)]  # 80 MB in the thread's own arena, then freed
        del blocks

    worker = threading.Thread(target=churn)
    worker.start()
    worker.join()
    done = memory.give_back()
    assert done is (sys.platform.startswith("linux") and memory._malloc_trim() is not None)
