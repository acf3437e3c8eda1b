"""`main.py office join --database URL [--from FILE] [--dry-run]` (issue 20), run as real processes: a real office's
counter moved into the centre's PostgreSQL database (tests/pg.py); 0 moved, 1 a dossier refused (named), 2 bad
input in one Vietnamese line with nothing written."""

import json
import shutil
import sqlite3
import subprocess
import sys

import psycopg
import pytest

from tests.cli_process import ROOT
from tests.test_cli_bad_input import one_line_exit_2
from tests.test_cli_setup import RECEIVE, SETUP, run


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A real office's counter with two dossiers, made once (its own machine folder) and copied for each test."""
    data = tmp_path_factory.mktemp("counter") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QMC_MACHINE_DIR", str(data.parent / "machine"))
        assert run(data, *SETUP, stdin="mat-khau-dai\nmat-khau-dai\n").returncode == 0
        codes = [json.loads(run(data, *RECEIVE, "--by", "quantri").stdout)["code"] for _ in range(2)]
    return data, codes


@pytest.fixture
def counter(made, tmp_path, machine_dir):
    """The counter's data folder, on the PC that made it (its code ledger: it issued those codes here)."""
    data = tmp_path / "data"
    shutil.copytree(made[0], data)
    shutil.copytree(made[0].parent / "machine", machine_dir, dirs_exist_ok=True)
    return data, made[1]


def centre_codes(url):
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('dossier')").fetchone()[0] is None:
            return []
        return sorted(row[0] for row in conn.execute('SELECT code FROM "dossier"'))


def test_a_dry_run_then_the_join_then_a_second_run_that_moves_nothing(counter, pg_url):
    data, codes = counter
    dry = subprocess.run([sys.executable, "main.py", "--data-dir", str(data), "--database-password-stdin", "office",
                          "join", "--database", pg_url, "--dry-run"], cwd=ROOT, input="mat-khau-csdl\n",
                         capture_output=True, text=True, timeout=120)  # the password read as for --database
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Chạy thử (chưa ghi gì)") and "  hồ sơ: 2\n" in dry.stdout
    assert centre_codes(pg_url) == [] and "mat-khau-csdl" not in dry.stdout + dry.stderr

    done = run(data, "office", "join", "--database", pg_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Đã chuyển") and "  hồ sơ: 2\n" in done.stdout and "bước xử lý: 2" in done.stdout
    assert "Máy này từ nay làm việc trên cơ sở dữ liệu của trung tâm, số máy tiếp nhận 1." in done.stdout
    assert centre_codes(pg_url) == sorted(codes)
    # this PC now works on the centre's database, with its number: the next reception lands there, after the codes
    following = json.loads(run(data, *RECEIVE, "--by", "quantri").stdout)["code"]
    assert centre_codes(pg_url) == sorted([*codes, following]) and following > max(codes)

    again = run(data, "office", "join", "--database", pg_url)
    assert again.returncode == 0 and "Không có gì mới để chuyển" in again.stdout
    assert "đã có ở trung tâm, giữ nguyên — hồ sơ: 2" in again.stdout
    assert centre_codes(pg_url) == sorted([*codes, following])


def test_a_file_from_another_pc_is_joined_and_that_pc_told_what_to_do(counter, pg_url, tmp_path, machine_dir):
    data, codes = counter
    for path in machine_dir.iterdir():  # this PC never issued the counter's codes
        path.unlink()
    out = run(tmp_path / "server-pc", "office", "join", "--from", str(data / "quaymotcua.sqlite3"), "--database",
              pg_url)
    assert out.returncode == 0, out.stderr
    assert centre_codes(pg_url) == sorted(codes)
    assert f"main.py --database {pg_url} settings set workstation 1" in out.stdout
    assert not (machine_dir / "local-config.json").exists()  # this PC is not pointed at the centre


def test_a_dossier_changed_since_it_moved_is_refused_and_named_exit_1(counter, pg_url):
    data, codes = counter
    assert run(data, "office", "join", "--database", pg_url).returncode == 0
    with sqlite3.connect(data / "quaymotcua.sqlite3") as db:
        db.execute("UPDATE dossier SET summary = 'sửa sau', updated_at = '2030-01-02T10:00:00+07:00' WHERE code = ?",
                   (codes[0],))
    out = run(data, "office", "join", "--from", str(data / "quaymotcua.sqlite3"), "--database", pg_url)
    assert out.returncode == 1, out.stderr
    assert f"Không chuyển hồ sơ {codes[0]}: hồ sơ đã thay đổi ở quầy sau lần chuyển trước (summary, updated_at)" \
        in out.stdout


@pytest.mark.parametrize("args, says", [
    ([], "Thiếu địa chỉ cơ sở dữ liệu của trung tâm"),
    (["--database", "sqlite:///khac.sqlite3"], "tệp SQLite của một máy"),
    (["--database", "mysql://quay@server/qmc"], "phải bắt đầu bằng"),
    (["--database", "postgresql://quay:bi-mat@server/qmc"], "mật khẩu"),
    (["--database", "postgresql://quay@/qmc?host=/khong-co-thu-muc-nay"], "Không kết nối được"),
    (["--database", "PG", "--from", "/khong/co/tep.sqlite3"], "Không có cơ sở dữ liệu của quầy"),
])
def test_bad_input_exits_2_in_one_line(counter, pg_url, args, says):
    data, _ = counter
    args = [pg_url if a == "PG" else a for a in args]
    message = one_line_exit_2(run(data, "office", "join", *args))
    assert says in message and "bi-mat" not in message
    assert centre_codes(pg_url) == []


def test_a_counter_database_of_an_older_schema_is_refused(counter, pg_url):
    data, _ = counter
    with sqlite3.connect(data / "quaymotcua.sqlite3") as db:
        db.execute("UPDATE meta SET value = '18' WHERE key = 'schema_version'")
    message = one_line_exit_2(run(data, "office", "join", "--database", pg_url))
    assert "phiên bản 18" in message and "mở ứng dụng trên máy này một lần" in message
    assert centre_codes(pg_url) == []
