"""`main.py settings` and `main.py sync` (in the test process, tests/cli_process.py; real processes where two
run at once or one is killed) against the reference server on loopback."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counter import audit
from counter.dossiers import lifecycle
from counter.sync.payload import national_date
from db.models import DossierHistory, OutboxEntry
from tests.cli_process import run_main
from tests.conftest import demo_data_dir
from tests.sync.conftest import configure, receive

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Mật-khẩu-CLI-5521"


def command(data_dir, *args):
    return [sys.executable, "main.py", "--data-dir", str(data_dir), *args]


def run(data_dir, *args):
    """`main.py --data-dir DATA ARGS`, in this process (tests/cli_process.py); the tests of two syncs at once and
    of a killed sync start real processes (`command`)."""
    return run_main(["--data-dir", data_dir, *args])


@pytest.fixture
def province_credentials():
    return ("quay", PASSWORD)  # a password of its own, to look for in what the CLI prints and logs


@pytest.fixture
def ready(ctx, clerk, province):
    """Ten dossiers, received and handed over, in an installation configured for `province`."""
    configure(ctx, province, password=PASSWORD)
    codes = [receive(ctx).code for _ in range(10)]
    for code in codes:
        lifecycle.handover(ctx, code, "Công chức Tư pháp - Hộ tịch")
    ctx.database.close()  # the processes own the file from now on
    return ctx.data_dir


def assert_everything_there_once(ctx, province):
    ctx.database.connect(reuse_if_open=True)
    state = province.state()
    codes = [d["MaHoSo"] for d in state["dossiers"]]
    steps = [(s["MaHoSo"], s["ThoiDiemXuLy"], s["TrangThai"]) for s in state["steps"]]
    assert sorted(codes) == sorted(e.key for e in OutboxEntry.select().where(OutboxEntry.kind == "dossier"))
    assert sorted(steps) == sorted((h.dossier.code, national_date(h.at), str(h.to_status))
                                   for h in DossierHistory.select())
    assert len(set(codes)) == len(codes) and len(set(steps)) == len(steps) == 20
    assert {e.state for e in OutboxEntry.select()} == {"synced"}


def test_settings_show_and_set(tmp_path):
    data_dir = demo_data_dir(tmp_path / "data")
    shown = run(data_dir, "settings", "show")
    assert shown.returncode == 0 and "password" in shown.stdout and "(chưa đặt)" in shown.stdout
    assert run(data_dir, "settings", "set", "password", PASSWORD, "--by", "admin").returncode == 0
    assert run(data_dir, "settings", "set", "gateway_url", "https://lgsp.example.vn", "--by", "admin").returncode == 0
    shown = run(data_dir, "settings", "show").stdout
    assert "********" in shown and PASSWORD not in shown and "https://lgsp.example.vn" in shown
    bad = run(data_dir, "settings", "set", "mau", "do", "--by", "admin")
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1
    assert "gateway_url" in bad.stderr and "agency_id" in bad.stderr
    missing = run(data_dir, "sync", "--json")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "username" in missing.stderr and "dstcode" in missing.stderr


def test_sync_reports_json_and_exit_codes_and_never_logs_the_password(ctx, ready, province, tmp_path):
    province.faults.arm("500", 1)  # the first run stops at login
    first = run(ready, "sync", "--json")
    assert first.returncode == 1, first.stderr
    assert "HTTP 500" in json.loads(first.stdout)["stopped_by"]
    done = run(ready, "sync", "--json", "--pdf", str(tmp_path / "report.pdf"))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["sent_dossiers"], report["sent_steps"], report["confirmed"]) == (10, 20, 10)
    assert report["complete"] and report["waiting"] == [] and report["failed"] == []
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    text = run(ready, "sync")
    assert text.returncode == 0 and "tỉnh xác nhận 10" in text.stdout
    log = (ready / "logs" / "quaymotcua.log").read_bytes()
    assert b"sync: sent 10 dossiers and 20 steps" in log and PASSWORD.encode() not in log
    assert_everything_there_once(ctx, province)
    (export,) = audit.entries(ctx, kind="export")  # the saved report is in the audit log
    assert export.detail["path"] == str((tmp_path / "report.pdf").resolve())


def test_two_sync_processes_one_runs_one_is_busy(ctx, ready, province):
    province.faults.delay_ms = 100  # 30 calls: the first process holds the lock for seconds
    processes = [subprocess.Popen(command(ready, "sync", "--json"), cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = sorted((p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in processes)
    (ran, out, _), (busy, busy_out, busy_err) = results
    assert (ran, busy) == (0, 3), results
    assert json.loads(out)["sent_dossiers"] == 10
    assert busy_out == "" and len(busy_err.strip().splitlines()) == 1 and "đồng bộ khác" in busy_err
    assert_everything_there_once(ctx, province)


def test_a_sync_killed_mid_batch_completes_on_the_next_run(ctx, ready, province):
    province.faults.delay_ms = 80
    process = subprocess.Popen(command(ready, "sync", "--json"), cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(province.state()["dossiers"]) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)  # mid-batch: an answer may be lost, an entry left 'sending'
    process.wait(timeout=10)
    sent = province.state()
    assert len(sent["dossiers"]) >= 4 and len(sent["steps"]) < 20
    province.faults.delay_ms = 0
    again = run(ready, "sync", "--json")  # the lock died with the process; 'sending' entries recovered
    assert again.returncode == 0, again.stderr
    assert_everything_there_once(ctx, province)
