"""Benchmarks of issue 18's data safety, over a copy of the million-dossier database (tests/bench/conftest.py)
with 10,000 scans in its store:

- backup_full: a verified backup (`make_backup`: the online backup API, the scans copied and hashed, the copy
  reopened and checked) against a raw baseline in the same run — SQLite's backup API into a file, then `cp -r` of
  the same scan files; target ratio ≤ 1.5;
- backup_incremental: after 100 new dossiers and 100 new scans, the next backup into the same destination (only
  the new scans and the database's changed pieces are written, counter.backup_chunks); target ≤ 10 s;
- check_full: `main.py check --full` on the same database and store, beside SQLite's bare `PRAGMA integrity_check` of
  the file in the same run (the floor of any full check); target ≤ 60 s.

The 10,000 scans are small real PDFs (reportlab, a page with a noise image, about 40 kB each) with a thumbnail,
made once and cached in bench-results/scans-10000/ (files/ in the store's layout, and rows.json for the
stored_file rows); each run hard-links them into its work copy's store and inserts their rows.
"""

import hashlib
import io
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from counter import backup_chunks, backups
from counter.dossiers import reception
from counter.office.users import authenticate
from counter.records import ApplicantInput, DossierDraft
from counter.scans import attachments
from counter.scans import store as scan_store
from db.backup import check_cache_pragma
from db.models import StoredFile
from tests.bench.conftest import RESULTS_DIR, ROOT, build_lock, report
from tests.counter import scan_samples as s

SCANS = int(os.environ.get("QMC_BENCH_SCANS", "10000"))  # fewer for a quick run; README figures: 10,000
NEW = 100
RATIO_TARGET = 1.5
INCREMENTAL_TARGET_S = 10
CHECK_TARGET_S = 60
AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")


def make_pdf(rng: random.Random) -> bytes:
    noise = Image.frombytes("RGB", (120, 110), rng.randbytes(120 * 110 * 3))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(595, 842), pageCompression=1)
    page.drawImage(ImageReader(noise), 40, 500, width=300, height=275)
    page.drawString(40, 480, f"Trang {rng.getrandbits(64):016x}")
    page.showPage()
    page.save()
    return out.getvalue()


def thumbnail(rng: random.Random) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 85), tuple(rng.randrange(256) for _ in range(3))).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def scan_cache():
    """bench-results/scans-10000/: files/ and rows.json, made once."""
    folder = RESULTS_DIR / f"scans-{SCANS}"
    with build_lock():
        if not (folder / "rows.json").exists():
            shutil.rmtree(folder, ignore_errors=True)
            rng = random.Random(SCANS)
            rows = []
            for _ in range(SCANS):
                data = make_pdf(rng)
                sha256 = hashlib.sha256(data).hexdigest()
                scan_store.put(folder, sha256, data, thumbnail(rng))
                rows.append({"sha256": sha256, "size": len(data)})
            (folder / "rows.json").write_text(json.dumps(rows), encoding="utf-8")
    return folder, json.loads((folder / "rows.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def with_scans(bench_ctx, scan_cache):
    folder, rows = scan_cache
    ctx = bench_ctx
    shutil.copytree(folder / scan_store.FILES_DIR, ctx.data_dir / scan_store.FILES_DIR, copy_function=os.link,
                    dirs_exist_ok=True)
    now = datetime.now().astimezone()
    with ctx.transaction():
        known = {r.sha256 for r in StoredFile.select(StoredFile.sha256)}
        fresh = [{"sha256": r["sha256"], "source_digest": r["sha256"], "size": r["size"], "pages": 1,
                  "created_at": now} for r in rows if r["sha256"] not in known]
        for start in range(0, len(fresh), 500):
            StoredFile.insert_many(fresh[start:start + 500]).execute()
    return ctx


def raw_baseline(database, files, target) -> float:
    """SQLite's backup API into a file, then `cp -r` of the scans: what any copy of the same data costs."""
    target.mkdir()
    os.sync()  # neither measurement inherits the other's (or the set-up's) gigabytes still going to the disk
    start = time.perf_counter()
    source = sqlite3.connect(database)
    copy = sqlite3.connect(target / "database.sqlite3")
    with copy:
        source.backup(copy)
    copy.close()
    source.close()
    subprocess.run(["cp", "-r", str(files), str(target / "scans")], check=True)
    return time.perf_counter() - start


def bare_integrity_check(database) -> float:
    """SQLite's own `PRAGMA integrity_check` of the file on one connection (with the page cache the app's checks
    use): the floor of any full check of it, measured in the same run as `check --full`, which does that and the
    foreign keys, the sync queue, the codes and every scan's hash besides."""
    connection = sqlite3.connect(f"{Path(database).resolve().as_uri()}?mode=ro", uri=True)
    try:
        connection.execute(check_cache_pragma(Path(database)))
        start = time.perf_counter()
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return time.perf_counter() - start
    finally:
        connection.close()


def test_backup_full_and_incremental_and_check_full(with_scans, tmp_path_factory):
    ctx = with_scans
    work = ctx.data_dir
    destination = RESULTS_DIR / f"backups-{os.getpid()}"  # a second drive would be elsewhere too
    baseline_dir = RESULTS_DIR / f"raw-{os.getpid()}"
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir()
    try:
        raw_s = raw_baseline(ctx.db_path, work / scan_store.FILES_DIR, baseline_dir)
        shutil.rmtree(baseline_dir)
        os.sync()
        start = time.perf_counter()
        full = backups.make_backup(ctx, destination)
        full_s = time.perf_counter() - start
        assert full.verified, full.findings
        ratio = full_s / raw_s
        report({"name": "backup_full", "seconds": round(full_s, 1), "raw_seconds": round(raw_s, 1),
                "ratio": round(ratio, 2), "scans": full.counts["scans"], "files_copied": full.scans_copied,
                "pieces_written": full.pieces_written, "size_mb": round(full.size / 2**20),
                "target_ratio": RATIO_TARGET})

        ctx.user = authenticate(ctx, "canbo", "canbo123")
        pages = tmp_path_factory.mktemp("pages")
        for n in range(NEW):
            dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN))
            page = s.jpeg(pages / f"p{n}.jpg", (n % 256, (7 * n) % 256, 90))
            attachments.attach_component(ctx, dossier.code, None, [page])
        os.sync()
        start = time.perf_counter()
        incremental = backups.make_backup(ctx, destination)
        incremental_s = time.perf_counter() - start
        assert incremental.verified, incremental.findings
        written_mb = incremental.pieces_written * backup_chunks.CHUNK_SIZE / 2**20
        report({"name": "backup_incremental", "seconds": round(incremental_s, 1),
                "files_copied": incremental.scans_copied, "files_reused": incremental.scans_reused,
                "pieces_written": incremental.pieces_written, "pieces_reused": incremental.pieces_reused,
                "pieces_written_mb": round(written_mb), "target_s": INCREMENTAL_TARGET_S})

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "main.py", "--data-dir", str(work), "check", "--full", "--json"],
                              cwd=ROOT, capture_output=True, text=True, timeout=1800)
        check_s = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = json.loads(done.stdout)
        # its CPU seconds (both cores' together) tell a slow check from a busy machine
        cpu = (after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime)
        bare_s = bare_integrity_check(ctx.db_path)
        report({"name": "check_full", "seconds": round(check_s, 1), "ok": result["ok"],
                "user_s": round(cpu[0], 1), "system_s": round(cpu[1], 1),
                "bare_integrity_check_s": round(bare_s, 1), "ratio_to_bare": round(check_s / bare_s, 2),
                "checked": result["checked"], "target_s": CHECK_TARGET_S})
        assert done.returncode == 0 and result["ok"], done.stdout[-2000:]
        assert incremental.scans_copied == 2 * NEW and incremental.counts["scans"] == full.counts["scans"] + NEW
        assert ratio <= RATIO_TARGET and incremental_s <= INCREMENTAL_TARGET_S and check_s <= CHECK_TARGET_S
    finally:
        shutil.rmtree(destination, ignore_errors=True)
        shutil.rmtree(baseline_dir, ignore_errors=True)
