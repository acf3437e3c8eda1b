"""`main.py restore BACKUP [--check-only] [--json] --by ADMIN`, run as real processes on a real office set up by
`main.py setup`: 0 restored (or verified), 1 a backup that does not verify (--check-only), 2 refused with one line;
then the numbering guard (counter.code_guard)."""

import json
import os

import pytest

from tests.counter import backup_samples as samples
from tests.test_cli_setup import RECEIVE, SETUP, rows, run


@pytest.fixture
def office(tmp_path):
    """A real office with one dossier, backed up, then a second dossier whose code is handed out."""
    data = tmp_path / "data"
    assert run(data, *SETUP, stdin="mat-khau-dai\nmat-khau-dai\n").returncode == 0
    run(data, "users", "add", "canbo", "--full-name", "Lê Văn Tâm", "--role", "clerk", "--by", "quantri",
        stdin="mat-khau-2\nmat-khau-2\n")
    assert run(data, *RECEIVE, "--by", "quantri").returncode == 0
    backup = json.loads(run(data, "backup", "--json").stdout)
    handed_out = json.loads(run(data, *RECEIVE, "--by", "quantri").stdout)["code"]
    return data, backup, handed_out


def test_check_only_verifies_without_touching_anything(office):
    data, backup, _ = office
    out = run(data, "restore", backup["path"], "--check-only")
    assert out.returncode == 0 and f"Bản sao lưu {backup['name']} nguyên vẹn" in out.stdout
    assert "1 hồ sơ" in out.stdout and len(rows(data, "SELECT id FROM dossier")) == 2
    os.remove(samples.own_piece(backup["path"]))
    out = run(data, "restore", backup["path"], "--check-only", "--json")
    said = json.loads(out.stdout)
    assert out.returncode == 1 and said["verified"] is False and "Thiếu mảnh cơ sở dữ liệu" in said["findings"][0]


def test_only_a_named_administrator_restores(office):
    data, backup, _ = office
    for args, message in (([], "cần tên quản trị viên"), (["--by", "canbo"], "không phải quản trị viên")):
        out = run(data, "restore", backup["path"], *args)
        assert out.returncode == 2 and message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    out = run(data, "restore", str(data / "khong-co"), "--by", "quantri")
    assert out.returncode == 2 and "không phải thư mục sao lưu" in out.stderr
    assert len(rows(data, "SELECT id FROM dossier")) == 2  # nothing restored


def test_restore_keeps_the_database_aside_and_guards_the_codes(office):
    data, backup, handed_out = office
    out = run(data, "restore", backup["path"], "--by", "quantri")
    assert out.returncode == 0, out.stderr
    assert f"Đã khôi phục {backup['name']}" in out.stdout and "truoc-khoi-phuc" in out.stdout
    assert "Chưa cấp tiếp mã hồ sơ được" in out.stdout and "accept-database --last-code" in out.stdout
    assert len(rows(data, "SELECT id FROM dossier")) == 1
    (aside,) = (data / "truoc-khoi-phuc").iterdir()
    assert (aside / "quaymotcua.sqlite3").is_file()
    refused = run(data, *RECEIVE, "--by", "quantri")
    assert refused.returncode == 2 and handed_out in refused.stderr  # the code the citizen holds is not issued again
    resumed = run(data, "accept-database", "--last-code", handed_out, "--by", "quantri")
    assert resumed.returncode == 0 and handed_out in resumed.stdout
    code = json.loads(run(data, *RECEIVE, "--by", "quantri").stdout)["code"]
    assert code > handed_out and code[-4:] == "1002"
    assert run(data, "check", "--full").returncode == 0
    kinds = [row["kind"] for row in json.loads(run(data, "audit", "list", "--json").stdout)]
    assert kinds.index("restore") < kinds.index("accept_database")
