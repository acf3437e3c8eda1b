"""`main.py check [--full] [--json]`, run as real processes: exit 0 when everything holds, 1 with each finding on
a line of its own (or in JSON), and a damaged database file named rather than opened."""

import json
import shutil
import sqlite3

import pytest

from tests.cli_process import run
from tests.conftest import demo_data_dir
from tests.counter import scan_samples as s
from tests.counter.test_integrity import corrupt_a_page


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A demo database with dossiers and a scan."""
    data_dir = demo_data_dir(tmp_path_factory.mktemp("cli-check") / "data")
    assert run("demo-data", "--dossiers", "20", data_dir=data_dir).returncode == 0
    out = run("receive", "--procedure", "2.001035", "--applicant-name", "Đỗ Thị Hoa", "--id-number", "001190000004",
              "--received", "2026-02-13T10:00", "--json", "--by", "canbo", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    code = json.loads(out.stdout)["code"]
    page = s.jpeg(tmp_path_factory.mktemp("pages") / "p.jpg", s.RED)
    attached = run("attach", code, str(page), "--by", "canbo", "--json", data_dir=data_dir)
    assert attached.returncode == 0, attached.stderr
    return data_dir, code, json.loads(attached.stdout)


@pytest.fixture
def copy(clean, tmp_path):
    data_dir, code, attached = clean
    shutil.copytree(data_dir, tmp_path / "data")
    return tmp_path / "data", code, attached


def test_a_clean_database_exits_0(clean):
    data_dir = clean[0]
    for extra in ([], ["--full"]):
        out = run("check", *extra, data_dir=data_dir)
        assert out.returncode == 0, out.stdout + out.stderr
        assert out.stdout.startswith("Dữ liệu nguyên vẹn (kiểm tra ") and "21 hồ sơ" in out.stdout
        assert "1 bản số hóa" in out.stdout


def test_each_finding_on_a_line_and_exit_1(copy):
    data_dir, code, attached = copy
    (data_dir / attached["path"]).unlink()
    connection = sqlite3.connect(data_dir / "quaymotcua.sqlite3")
    connection.execute("DELETE FROM outbox_entry WHERE kind = 'dossier' AND key = ?", (code,))
    connection.commit()
    connection.close()
    out = run("check", data_dir=data_dir)
    assert out.returncode == 1
    assert out.stdout.splitlines() == [
        f"Hồ sơ {code} không có mục hồ sơ trong hàng chờ đồng bộ: tỉnh sẽ không bao giờ nhận được hồ sơ này.",
        f"Bản số hóa của hồ sơ {code} không có trong kho: {attached['path']}.",
    ]
    assert out.stderr.startswith("Phát hiện 2 vấn đề (kiểm tra nhanh")


def test_json_names_each_finding_by_kind(copy):
    data_dir, code, attached = copy
    path = data_dir / attached["path"]
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.write_bytes(bytes(data))
    quick = run("check", "--json", data_dir=data_dir)
    assert quick.returncode == 0 and json.loads(quick.stdout)["ok"] is True
    out = run("check", "--full", "--json", data_dir=data_dir)
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert set(report) == {"ok", "full", "checked", "findings"}
    assert (report["ok"], report["full"]) == (False, True)
    assert report["checked"]["dossiers"] == 21 and report["checked"]["scans"] == 1
    assert report["findings"] == [{"kind": "scan_hash", "message": f"Bản số hóa của hồ sơ {code} đã bị thay đổi "
                                                                  f"(mã SHA-256 không khớp): {attached['path']}."}]


@pytest.mark.parametrize("page", ["dossier_history", "dossier_history_dossier_id"])  # a table's, an index's
def test_a_damaged_database_file_is_named_by_check_and_refused_by_the_others(copy, page):
    data_dir = copy[0]
    db = data_dir / "quaymotcua.sqlite3"
    corrupt_a_page(db, page)
    before = db.read_bytes()
    for full in ([], ["--full"]):  # --full begins the tables' checks beside the start's: they leave nothing either
        out = run("check", *full, "--json", data_dir=data_dir)
        assert out.returncode == 1
        (finding,) = json.loads(out.stdout)["findings"]
        assert finding["kind"] == "integrity" and finding["message"].startswith(f"Cơ sở dữ liệu “{db}” bị hỏng")
        assert sorted(p.name for p in data_dir.glob("quaymotcua.sqlite3*")) == ["quaymotcua.sqlite3"]
    plain = run("check", data_dir=data_dir)
    assert plain.returncode == 1 and plain.stdout.startswith(f"Cơ sở dữ liệu “{db}” bị hỏng")
    shown = run("show", "X", data_dir=data_dir)
    assert shown.returncode == 2 and len(shown.stderr.strip().splitlines()) == 1
    assert "bị hỏng" in shown.stderr and "Traceback" not in shown.stderr
    assert db.read_bytes() == before


def test_the_full_check_finds_an_index_that_disagrees_with_its_rows_which_the_start_lets_open(copy):
    """The start's quick_check passes such a file (it does not compare an index with its rows); `check --full`'s
    tables' checks, begun beside it, find it."""
    data_dir = copy[0]
    db = sqlite3.connect(data_dir / "quaymotcua.sqlite3")
    db.execute("PRAGMA writable_schema = ON")  # the index now claims to hold the status: its entries are codes
    db.execute("UPDATE sqlite_master SET sql = 'CREATE UNIQUE INDEX dossier_code ON dossier (status)' "
               "WHERE name = 'dossier_code'")
    db.commit()
    db.close()
    assert run("check", "--json", data_dir=data_dir).returncode == 0
    out = run("check", "--full", "--json", data_dir=data_dir)
    assert out.returncode == 1, out.stderr
    findings = json.loads(out.stdout)["findings"]
    assert findings and all(f["kind"] == "integrity" for f in findings)
    assert any("dossier_code" in f["message"] for f in findings)
