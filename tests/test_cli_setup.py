"""`main.py setup`: a real office's first run from the command line (in the test process, tests/cli_process.py);
the demo commands never touch a real office."""

import io
import json
import sqlite3
from datetime import datetime

import pytest

from cli.args import CliError
from cli.password_input import read_new_password
from counter.clock import VN_TZ
from tests.cli_process import run_main

SETUP = ["setup", "--agency-id", "000.00.07.H56", "--office-name", "Bộ phận Một cửa", "--parent-name",
         "UBND XÃ HOẰNG HÓA", "--place-name", "Hoằng Hóa", "--workstation", "1", "--admin", "quantri",
         "--admin-name", "Lê Thị Mai"]
RECEIVE = ["receive", "--procedure", "1.004873", "--applicant-name", "Trần Thị Bích", "--id-number", "001190000001",
           "--json"]  # received now: a reception before the office's set-up day is refused


def run(data_dir, *args, stdin=""):
    """`main.py --data-dir DATA ARGS` with `stdin`, in this process (tests/cli_process.py)."""
    return run_main(["--data-dir", data_dir, *args], stdin=stdin)


def rows(data_dir, sql):
    with sqlite3.connect(data_dir / "quaymotcua.sqlite3") as db:
        return db.execute(sql).fetchall()


def test_receive_before_set_up_exits_2_saying_how_then_setup_lets_it_receive(tmp_path):
    data = tmp_path / "data"
    refused = run(data, *RECEIVE)
    assert refused.returncode == 2 and refused.stdout == "" and len(refused.stderr.strip().splitlines()) == 1
    assert "Chưa thiết lập cơ quan" in refused.stderr and "main.py setup --agency-id" in refused.stderr

    done = run(data, *SETUP, stdin="mat-khau-dai\nmat-khau-dai\n")
    assert done.returncode == 0, done.stderr
    assert "000.00.07.H56" in done.stdout and "quantri" in done.stdout
    assert rows(data, "SELECT username, full_name, role, active FROM user") == [("quantri", "Lê Thị Mai", "admin", 1)]
    assert rows(data, "SELECT agency_id, workstation, register_book, demo FROM office") == [
        ("000.00.07.H56", 1, f"01/{datetime.now(VN_TZ).year}", 0)]  # register book: 01 of this year by default
    received = run(data, *RECEIVE, "--by", "quantri")
    assert received.returncode == 0, received.stderr
    assert json.loads(received.stdout)["code"] == f"000.00.07.H56-{datetime.now(VN_TZ):%y%m%d}-1000"

    again = run(data, *SETUP, stdin="mat-khau-khac\n")
    assert again.returncode == 2 and "đã được thiết lập" in again.stderr
    assert len(rows(data, "SELECT id FROM user")) == 1


@pytest.mark.parametrize("args, stdin, message", [
    ([], "mat-khau-dai\nmat-khau-khac\n", "không khớp"),
    ([], "ngan\n", "ít nhất 8"),
    ([], "quantri\n", "ít nhất 8"),
    ([], "", "chưa có mật khẩu"),
    ([], "a1234567\na1234567\nthua\n", "3 dòng"),
    (["--agency-id", "000.00.07"], "mat-khau-dai\n", "000.00.00.H00"),
    (["--workstation", "12"], "mat-khau-dai\n", "từ 0 đến 9"),
    (["--admin", "quan tri"], "mat-khau-dai\n", "dấu cách"),
    (["--password", "mat-khau-dai"], "mat-khau-dai\n", "unrecognized arguments"),
])
def test_bad_set_up_exits_2_with_one_line_and_writes_nothing(tmp_path, args, stdin, message):
    data = tmp_path / "data"
    out = run(data, *SETUP, *args, stdin=stdin)
    assert out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert message in out.stderr
    if (data / "quaymotcua.sqlite3").exists():  # a grammar error stops before the database is opened
        assert rows(data, "SELECT COUNT(*) FROM office") == [(0,)] == rows(data, "SELECT COUNT(*) FROM user")


def test_the_password_may_be_one_line_and_the_username_is_refused_as_password(tmp_path):
    data = tmp_path / "data"
    same = run(data, *SETUP[:-4], "--admin", "quantri01", stdin="quantri01\n")
    assert same.returncode == 2 and "trùng với tên đăng nhập" in same.stderr
    assert run(data, *SETUP, stdin="mot-dong-thoi\n").returncode == 0


def test_a_terminal_is_asked_twice_with_a_hidden_prompt(monkeypatch):
    typed = iter(["bi-mat-123", "bi-mat-124"])
    prompts = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: prompts.append(prompt) or next(typed))

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert read_new_password(Terminal(), prompt="Mật khẩu của quantri") == ("bi-mat-123", "bi-mat-124")
    assert prompts == ["Mật khẩu của quantri: ", "Mật khẩu của quantri (nhập lại): "]
    with pytest.raises(CliError, match="chưa có mật khẩu"):
        read_new_password(io.StringIO("\n"))


def test_the_demo_commands_leave_a_real_office_alone(tmp_path):
    data = tmp_path / "data"
    assert run(data, *SETUP, stdin="mat-khau-dai\n").returncode == 0
    quiet = run(data, "demo-init", "--if-missing")  # `make run` over a real office's data folder opens it as it is
    assert quiet.returncode == 0, quiet.stderr
    for args in (["demo-init"], ["demo-data", "--dossiers", "5"]):
        refused = run(data, *args)
        assert refused.returncode == 2 and "không thêm dữ liệu mẫu vào cơ quan thật" in refused.stderr
    assert rows(data, "SELECT COUNT(*) FROM dossier") == [(0,)]
    assert rows(data, "SELECT username FROM user") == [("quantri",)]


def test_demo_init_makes_a_fresh_folder_the_marked_demo(tmp_path):
    data = tmp_path / "demo"
    out = run(data, "demo-init", "--dossiers", "5")
    assert out.returncode == 0, out.stderr
    assert rows(data, "SELECT agency_id, demo FROM office") == [("000.00.06.H56", 1)]
    assert sorted(rows(data, "SELECT username FROM user")) == [("admin",), ("canbo",), ("lanhdao",)]
    assert rows(data, "SELECT COUNT(*) FROM dossier")[0][0] >= 5
    assert run(data, *SETUP, stdin="mat-khau-dai\n").returncode == 2  # the demo is no office to set up


def test_settings_before_set_up_show_the_office_unset_and_send_its_changes_to_setup(tmp_path):
    data = tmp_path / "data"
    shown = run(data, "settings", "show")
    assert shown.returncode == 0, shown.stderr
    assert [line.split()[1] for line in shown.stdout.splitlines() if line.startswith("agency_id")] == ["(chưa"]
    refused = run(data, "settings", "set", "agency_id", "000.00.07.H56")
    assert refused.returncode == 2 and "main.py setup --agency-id" in refused.stderr
    assert rows(data, "SELECT COUNT(*) FROM office") == [(0,)]
