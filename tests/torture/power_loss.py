"""The power-loss torture (issue 18), shared by the suite (30 kills) and the bench (200): a child process
(tests/torture/worker.py) receives, hands over, attaches scans and syncs with the reference provincial server in a
loop on a real data directory; the parent SIGKILLs it at a random moment, then starts the app again the way a
restart after a power cut does (open_app), and checks that nothing is half there."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from counter import integrity
from counter.scans import store
from counter.setup import DB_FILE, open_app

ROOT = Path(__file__).resolve().parents[2]


def start_worker(data_dir: Path, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.torture.worker", str(data_dir), str(seed)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_ready(process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.strip() == "ready":
            return
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"the worker did not start: {process.stderr.read() if process.stderr else ''}")


def left_behind(data_dir: Path) -> tuple[set[Path], set[str]]:
    """What is in the store before the next start that no start has removed: temporary files, scans no row names
    (a young one stays over several starts, store.IN_FLIGHT_SECONDS: the caller counts each once)."""
    listing = store.list_store(data_dir)
    with contextlib.closing(sqlite3.connect(f"file:{data_dir / DB_FILE}?mode=ro", uri=True)) as connection:
        known = {sha256 for (sha256,) in connection.execute("SELECT sha256 FROM stored_file")}
    return set(listing.partial), {sha256 for sha256 in listing.stored if sha256 not in known}


def assert_whole(data_dir: Path) -> dict[str, int]:
    """The next start, then everything that must hold after a kill; returns the database's counts."""
    ctx = open_app(data_dir)
    try:
        report = integrity.check(ctx, full=True)
        assert report.findings == (), [f.message for f in report.findings]
        rows = ctx.database.execute_sql
        assert rows("SELECT COUNT(*) FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM dossier_history h "
                    "WHERE h.dossier_id = d.id) OR NOT EXISTS (SELECT 1 FROM outbox_entry o "
                    "WHERE o.dossier_id = d.id AND o.kind = 'dossier')").fetchone()[0] == 0
        assert rows("SELECT COUNT(*) - COUNT(DISTINCT code) FROM dossier").fetchone()[0] == 0
        for sha256, size in rows("SELECT sha256, size FROM stored_file").fetchall():
            path = store.file_path(data_dir, sha256)
            assert path.stat().st_size == size and store.file_sha256(path) == sha256
        listing = store.list_store(data_dir)
        assert listing.partial == [] and listing.stray == []  # the start removed the dead writer's files
        counts = {name: rows(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for name, table in
                  (("dossiers", "dossier"), ("history", "dossier_history"), ("scans", "stored_file"),
                   ("synced", "outbox_entry WHERE state = 'synced'"))}
        return counts
    finally:
        ctx.database.close()


def torture(data_dir: Path, kills: int, seed: int, *, first_kill: tuple[float, float] = (0.05, 1.2)) -> dict:
    """`kills` runs of the worker, each killed at a random moment after it started working; returns the counts."""
    rng = random.Random(seed)
    counts = assert_whole(data_dir)
    progressed = 0
    temporary: set[Path] = set()
    unnamed: set[str] = set()
    start = time.perf_counter()
    for run in range(kills):
        process = start_worker(data_dir, seed * 1000 + run)
        wait_ready(process)
        time.sleep(rng.uniform(*first_kill))
        if process.poll() is not None:
            raise AssertionError(f"the worker ended by itself: {process.stderr.read() if process.stderr else ''}")
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        partial, orphans = left_behind(data_dir)
        temporary |= partial
        unnamed |= orphans
        before, counts = counts, assert_whole(data_dir)
        progressed += counts["dossiers"] > before["dossiers"]
    return {"kills": kills, "runs_that_received": progressed, "temporary_files_left": len(temporary),
            "unnamed_scans_left": len(unnamed), "seconds": round(time.perf_counter() - start, 1),
            **counts}
