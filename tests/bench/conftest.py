"""The benchmarks' shared database: a million demo dossiers, built once by the real CLI and cached.

`make bench` runs `pytest tests/bench -s`. The first run builds bench-results/db-1000000/ with
`python main.py --data-dir DIR demo-data --dossiers 1000000` in a subprocess and times it (the
demo_data benchmark); later runs reuse it while it holds exactly that many dossiers. Benchmarks
that write work on a copy (bench-results/work-N-PID/, removed after), so the cache stays as built.

QMC_BENCH_DOSSIERS=20000 makes a smaller database for a quick run; README figures come from 1,000,000.
Each benchmark prints one JSON line and appends it to bench-results/results.json.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no lock (run one bench session at a time)
    fcntl = None

import pytest

from counter.clock import Clock
from counter.setup import DB_FILE, open_app
from db.migrate import latest_version
from tests.ui.conftest import monotonic, scanner  # noqa: F401  the UI tests' scanner filter, as fixtures here

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "bench-results"
RESULTS = RESULTS_DIR / "results.json"
DOSSIERS = int(os.environ.get("QMC_BENCH_DOSSIERS", "1000000"))
BUILD_INFO = "build.json"  # how long the cached database took to build
BUILD_TIMEOUT = 3600
# The PostgreSQL copy's cluster (tests/bench/pg_bench.py), one per size so that a quick run rebuilds nothing of 1M.
PG_CLUSTER = RESULTS_DIR / ("pg-cluster" if DOSSIERS == 1_000_000 else f"pg-cluster-{DOSSIERS}")


def report(figures: dict) -> dict:
    """Print one JSON line and append it, stamped, to bench-results/results.json."""
    figures = {"dossiers_in_database": DOSSIERS, **figures}  # a benchmark with a database of its own says so
    print(json.dumps(figures, ensure_ascii=False))
    RESULTS_DIR.mkdir(exist_ok=True)
    try:
        history = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        history = []
    history.append({**figures, "at": datetime.now().isoformat(timespec="seconds")})
    RESULTS.write_text(json.dumps(history, ensure_ascii=False, indent=1), encoding="utf-8")
    return figures


def dossier_count(folder: Path) -> int | None:
    """How many dossiers the cached database holds; None when it is missing or of an older schema (a
    migration would first back up its gigabytes on every run, and its rows would lack the new columns)."""
    path = folder / DB_FILE
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            version = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if version is None or int(version[0]) != latest_version():
                return None
            return connection.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    except sqlite3.Error:
        return None


def build(folder: Path) -> dict:
    """Run the real CLI in a subprocess, timed; the database is cached only when it completed."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    command = [sys.executable, "main.py", "--data-dir", str(folder), "demo-data", "--dossiers", str(DOSSIERS)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-2000:]
    size_mb = round((folder / DB_FILE).stat().st_size / 2**20)
    info = {"dossiers": DOSSIERS, "seconds": round(seconds, 1), "size_mb": size_mb,
            "built_at": datetime.now().isoformat(timespec="seconds")}
    (folder / BUILD_INFO).write_text(json.dumps(info), encoding="utf-8")
    return {**info, "cached": False}


@contextmanager
def build_lock():
    """One build at a time: a second bench session waits, then finds the database built."""
    RESULTS_DIR.mkdir(exist_ok=True)
    with open(RESULTS_DIR / ".build.lock", "w") as lock:
        if fcntl:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def bench_db() -> tuple[Path, dict]:
    """(folder of the cached database, how it was built); builds it when missing or of another size."""
    folder = RESULTS_DIR / f"db-{DOSSIERS}"
    info_file = folder / BUILD_INFO
    with build_lock():
        if info_file.exists() and dossier_count(folder) == DOSSIERS:
            return folder, {**json.loads(info_file.read_text(encoding="utf-8")), "cached": True}
        return folder, build(folder)


def _settle(path: Path) -> None:
    """Wait for the copy's gigabytes to reach the disk: the kernel writing them back meanwhile would slow
    every fsync and read of the benchmarks, which no office PC sees."""
    with open(path, "rb+") as copy:
        os.fsync(copy.fileno())
    if hasattr(os, "sync"):
        os.sync()


@pytest.fixture(scope="session")
def bench_ctx(bench_db):
    """An app context over a fresh copy of the cached database, for benchmarks that write.

    Benchmarks may set `clock` and `user` on it; each sets what it needs.
    """
    folder, _ = bench_db
    work = RESULTS_DIR / f"work-{DOSSIERS}-{os.getpid()}"  # two bench sessions at once never share a copy
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copyfile(folder / DB_FILE, work / DB_FILE)  # the builder checkpointed: no -wal to copy
    _settle(work / DB_FILE)
    ctx = open_app(work, clock=Clock())
    yield ctx
    ctx.database.close()
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_bench(bench_db):
    """The cached database copied into PostgreSQL (tests/bench/pg_bench.py: `bench1m` in the persistent cluster of
    bench-results/pg-cluster/, built the first time), its server started for the session and stopped after it."""
    from tests.bench.pg_bench import bench_cluster

    folder, _ = bench_db
    with ExitStack() as stack:
        with build_lock():  # one build at a time, as the SQLite database's
            bench = stack.enter_context(bench_cluster(PG_CLUSTER, folder / DB_FILE))
        yield bench
