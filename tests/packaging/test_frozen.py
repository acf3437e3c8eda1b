"""The frozen build's smoke test, run against the binary and not the source: skipped unless QMC_FROZEN names one,
e.g. `QMC_FROZEN=dist/quay-mot-cua/quay-mot-cua` (`make dist-test` builds it and sets it).

--version; setup on a fresh data folder; due-date; receive; the receipt to a PDF whose fonts are embedded and
whose barcode decodes at 300 dpi; the GUI started offscreen on the per-user data folder to the set-up wizard and
closed by the app's own test hook (`--quit-after-start`, ui/start_probe.py)."""

import json
import os
import re
import subprocess
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from counter.clock import VN_TZ
from tests.printing import pdf

ROOT = Path(__file__).resolve().parents[2]
FROZEN = os.environ.get("QMC_FROZEN", "")
pytestmark = pytest.mark.skipif(not FROZEN, reason="QMC_FROZEN does not name a frozen build (make dist-test)")
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
SETUP = ["setup", "--agency-id", "000.00.07.H56", "--office-name", "Bộ phận Một cửa", "--parent-name",
         "UBND XÃ HOẰNG HÓA", "--place-name", "Hoằng Hóa", "--workstation", "1", "--admin", "quantri",
         "--admin-name", "Lê Thị Mai"]


def frozen(*args, data_dir=None, stdin="", env=None, timeout=120):
    binary = Path(FROZEN).resolve()
    command = [str(binary), *(["--data-dir", str(data_dir)] if data_dir else []), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=timeout,
                          cwd=binary.parent.parent,  # not the source tree: nothing may be found relative to it
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


def test_the_binary_is_a_frozen_build_not_python_running_the_source():
    binary = Path(FROZEN).resolve()
    assert binary.is_file() and os.access(binary, os.X_OK)
    assert (binary.parent / "_internal" / "build_info.json").is_file()
    assert not (binary.parent / "main.py").exists()


def test_version_is_pyprojects():
    out = frozen("--version")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"Quầy Một Cửa {VERSION}"


def test_setup_due_date_receive_and_a_receipt_with_embedded_fonts_and_a_readable_barcode(tmp_path):
    data = tmp_path / "data"
    done = frozen(*SETUP, data_dir=data, stdin="mat-khau-dai\nmat-khau-dai\n")
    assert done.returncode == 0, done.stderr
    assert "000.00.07.H56" in done.stdout and "quantri" in done.stdout
    log = (data / "logs" / "quaymotcua.log").read_text(encoding="utf-8").splitlines()
    assert re.search(rf"Quầy Một Cửa {re.escape(VERSION)}, bản dựng \d{{4}}-\d\d-\d\d", log[0]), log[0]

    due = frozen("due-date", "--procedure", "1.004873", "--received", "2026-02-13T10:00", data_dir=data)
    assert due.returncode == 0, due.stderr
    assert due.stdout.strip() == "2026-02-25T10:00"  # the calendar and the catalogue came from the bundle
    bad = frozen("due-date", "--procedure", "9.999999", "--received", "2026-02-13T10:00", data_dir=data)
    assert bad.returncode == 2 and bad.stderr.strip()

    received = frozen("receive", "--procedure", "1.004873", "--applicant-name", "Trần Thị Bích", "--id-number",
                      "001190000001", "--json", "--by", "quantri", data_dir=data)
    assert received.returncode == 0, received.stderr
    code = json.loads(received.stdout)["code"]
    assert code == f"000.00.07.H56-{datetime.now(VN_TZ):%y%m%d}-1000"

    out = tmp_path / "receipt.pdf"
    receipt = frozen("receipt", code, "--out", str(out), "--by", "quantri", data_dir=data)
    assert receipt.returncode == 0, receipt.stderr
    document = out.read_bytes()
    fonts = set(re.findall(rb"/BaseFont\s*/([A-Za-z+\-]+)", document))
    assert fonts and all(b"+LiberationSerif" in font for font in fonts)  # subset-tagged: embedded
    assert document.count(b"/FontFile2") == len(fonts)
    assert pdf.barcodes(document, page=0, dpi=300)["Code128"] == [code]
    pages = pdf.page_texts(document, footer=True)
    assert "Trần Thị Bích" in pages[0] and pages[0].endswith(f"Quầy Một Cửa {VERSION}")


def test_the_gui_opens_the_set_up_wizard_on_a_fresh_per_user_data_folder_and_closes(tmp_path):
    home = tmp_path / "xdg-data"
    shown = frozen("--quit-after-start", env={"XDG_DATA_HOME": str(home)}, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert re.fullmatch(r"shown: SetupWizard “Thiết lập lần đầu — Quầy Một Cửa” \d+x\d+ drawn=True",
                        shown.stdout.strip()), shown.stdout
    assert (home / "quay-mot-cua" / "quaymotcua.sqlite3").is_file()  # the per-user data folder (platformdirs)
