"""`main.py audit verify` and `audit list` (in the test process, tests/cli_process.py): exit 0 for a whole chain,
1 naming the broken row."""

import json
import sqlite3

import pytest

from tests.cli_process import run_main
from tests.conftest import demo_data_dir

DB = "quaymotcua.sqlite3"


def run(data_dir, *args):
    """`main.py --data-dir DATA ARGS`, in this process (tests/cli_process.py)."""
    return run_main(["--data-dir", data_dir, *args])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """An installation whose log holds the demo office set-up, three settings changes and an accepted database."""
    data = demo_data_dir(tmp_path_factory.mktemp("audit") / "data")
    for args in (["settings", "set", "gateway_url", "https://tinh.example.vn"], ["settings", "set", "password", "x1"],
                 ["settings", "set", "dstcode", "QH"], ["accept-database", "--none-issued"]):
        done = run(data, *args, "--by", "admin")
        assert done.returncode == 0, done.stderr
    return data


def copy_of(data_dir, tmp_path):
    target = tmp_path / "copy"
    target.mkdir()
    source = sqlite3.connect(data_dir / DB)
    out = sqlite3.connect(target / DB)
    source.backup(out)
    source.close()
    out.execute("DROP TRIGGER audit_entry_no_update")
    out.execute("DROP TRIGGER audit_entry_no_delete")
    return target, out


def test_verify_exits_0_on_a_whole_chain(data_dir):
    out = run(data_dir, "audit", "verify")
    assert out.returncode == 0, out.stderr
    assert "nguyên vẹn: 5 dòng" in out.stdout


@pytest.mark.parametrize("tamper, row", [
    ("UPDATE audit_entry SET summary = 'Không đổi gì' WHERE id = 3", 3),
    ("DELETE FROM audit_entry WHERE id = 2", 3),
    ("INSERT INTO audit_entry (at, actor, kind, summary, detail, prev_hash, hash) VALUES "
     "('2026-02-13T10:00:00+07:00', 'admin', 'login', 'Chèn', '{}', 'a', 'b')", 6),
])
def test_verify_exits_1_naming_the_row_a_hand_edit_broke(data_dir, tmp_path, tamper, row):
    copy, con = copy_of(data_dir, tmp_path)
    con.execute(tamper)
    con.commit()
    con.close()
    out = run(copy, "audit", "verify")
    assert out.returncode == 1, out.stderr
    assert f"Dòng #{row} " in out.stdout and "KHÔNG nguyên vẹn" in out.stdout


def test_list_filters_and_json(data_dir):
    out = run(data_dir, "audit", "list", "--kind", "settings", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [r["detail"]["key"] for r in rows] == ["gateway_url", "password", "dstcode"]
    assert rows[1]["detail"]["new"] == "đã đổi" and "x1" not in out.stdout
    plain = run(data_dir, "audit", "list")
    lines = plain.stdout.strip().splitlines()
    assert plain.returncode == 0 and len(lines) == 5
    assert lines[0].startswith("#1 ") and "Thiết lập ban đầu" in lines[0] and "Xác nhận cơ sở dữ liệu" in lines[-1]
    assert run(data_dir, "audit", "list", "--user", "canbo").stdout == ""
    assert len(run(data_dir, "audit", "list", "--from", "2020-01-01", "--to", "31/12/2099").stdout.splitlines()) == 5
    assert run(data_dir, "audit", "list", "--to", "2020-01-01").stdout == ""


@pytest.mark.parametrize("args", [["list", "--kind", "dangnhap"], ["list", "--from", "hôm qua"],
                                  ["list", "--from", "2026-02-13", "--to", "2026-02-01"], ["xoa"]])
def test_bad_input_exits_2_with_one_line(data_dir, args):
    out = run(data_dir, "audit", *args)
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
