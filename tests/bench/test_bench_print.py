"""Benchmark: build one Mẫu 01 (two copies, with the lookup QR) 50 times after a warm-up."""

import statistics
import time

from printing.mau01 import build_receipt
from tests.bench.conftest import report
from tests.printing import samples

TARGET_MS = 50
RUNS = 50


def test_bench_build_mau01():
    dossier, office = samples.dossier(), samples.office(lookup_url=samples.LOOKUP)
    for _ in range(3):  # warm-up: imports, font registration, styles
        build_receipt(dossier, office)
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        build_receipt(dossier, office)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    median = statistics.median(wall)
    # cpu_median_ms tells a busy machine (wall ≫ cpu) from a slow build.
    report({"name": "build_mau01", "dossiers_in_database": None, "median_ms": round(median, 2), "target_ms": TARGET_MS,
            "runs": RUNS,
            "max_ms": round(max(wall), 2), "cpu_median_ms": round(statistics.median(cpu), 2)})
    assert median < TARGET_MS
