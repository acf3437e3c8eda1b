"""`main.py user …`: an administrator's user management from the command line, passwords never an argument."""

from __future__ import annotations

import json
import sys

import pytest

import main
from cli import users as cli_users
from tests.cli_process import run_main
from tests.conftest import demo_data_dir


def run(data_dir, *args, stdin: str = ""):
    """`main.py --data-dir DATA user ARGS` with `stdin` (in this process: tests/cli_process.py)."""
    return run_main(["--data-dir", data_dir, "user", *args], stdin=stdin)


def listed(data_dir) -> dict[str, dict]:
    out = run(data_dir, "list", "--json")
    assert out.returncode == 0, out.stderr
    return {u["username"]: u for u in json.loads(out.stdout)}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return demo_data_dir(tmp_path_factory.mktemp("cli_users") / "data")


def test_add_reads_the_password_from_stdin_and_the_list_shows_the_user(data_dir):
    out = run(data_dir, "add", "ThuHa", "--full-name", "Phạm Thu Hà", "--role", "leader", "--title", "Phó Giám đốc",
              stdin="matkhau-01\nmatkhau-01\n")
    assert out.returncode == 0, out.stderr
    assert "đã thêm thuha" in out.stdout
    assert listed(data_dir)["thuha"] == {"username": "thuha", "full_name": "Phạm Thu Hà", "role": "leader",
                                         "title": "Phó Giám đốc", "active": True, "must_change_password": True,
                                         "last_login_at": None}
    plain = run(data_dir, "list")
    assert plain.returncode == 0
    assert any(line.split()[0] == "thuha" and "Lãnh đạo" in line and "đang hoạt động" in line
               for line in plain.stdout.splitlines())


@pytest.mark.parametrize("args, stdin, message", [
    (["add", "anh", "--full-name", "Lê Anh", "--role", "clerk"], "", "Chưa nhập mật khẩu"),
    (["add", "anh", "--full-name", "Lê Anh", "--role", "clerk"], "matkhau-01\nmatkhau-02\n", "không giống nhau"),
    (["add", "anh", "--full-name", "Lê Anh", "--role", "clerk"], "a\nb\nc\n", "một dòng mật khẩu"),
    (["add", "anh", "--full-name", "Lê Anh", "--role", "clerk"], "ngan\n", "ít nhất 8 ký tự"),
    (["add", "anh", "--full-name", "Lê Anh", "--role", "boss"], "matkhau-01\n", "Vai trò “boss” không hợp lệ"),
    (["add", "canbo", "--full-name", "Lê Anh", "--role", "clerk"], "matkhau-01\n", "“canbo” đã có"),
    (["add", "anh", "--full-name", "Lê Anh", "--role", "clerk", "--by", "canbo"], "matkhau-01\n",
     "Chỉ quản trị viên mới được thêm người dùng"),
    (["set-role", "admin", "clerk"], "", "quản trị viên cuối cùng"),
    (["disable", "admin"], "", "quản trị viên cuối cùng"),
    (["set-role", "canbo", "chief"], "", "Vai trò “chief” không hợp lệ"),
    (["disable", "khongco"], "", "Không có người dùng tên đăng nhập “khongco”"),
    (["reset-password", "canbo"], "canbo\n", "ít nhất 8 ký tự"),
    (["reset-password", "canbo", "--by", "lanhdao"], "matkhau-01\n", "Chỉ quản trị viên"),
])
def test_bad_input_exits_2_with_one_vietnamese_line_and_changes_nothing(data_dir, args, stdin, message):
    before = listed(data_dir)
    out = run(data_dir, *args, stdin=stdin)
    assert (out.returncode, out.stdout) == (2, ""), out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and message in out.stderr
    assert listed(data_dir) == before


def test_disable_enable_set_role_and_reset(data_dir):
    assert run(data_dir, "disable", "canbo").returncode == 0
    assert listed(data_dir)["canbo"]["active"] is False
    assert run(data_dir, "enable", "canbo").returncode == 0
    assert listed(data_dir)["canbo"]["active"] is True
    assert run(data_dir, "set-role", "lanhdao", "admin").returncode == 0
    assert listed(data_dir)["lanhdao"]["role"] == "admin"
    several = run(data_dir, "disable", "canbo")  # two administrators now: which one acts must be said
    assert several.returncode == 2 and "--by" in several.stderr
    assert run(data_dir, "set-role", "lanhdao", "leader", "--by", "admin").returncode == 0
    out = run(data_dir, "reset-password", "canbo", stdin="tamthoi-01\n")
    assert out.returncode == 0, out.stderr
    assert listed(data_dir)["canbo"]["must_change_password"] is True


def test_at_a_terminal_the_password_is_typed_twice(tmp_path, monkeypatch, capsys):
    typed = iter(["matkhau-01", "matkhau-01", "matkhau-01", "matkhau-02"])
    monkeypatch.setattr(cli_users.getpass, "getpass", lambda prompt="": next(typed))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    data = demo_data_dir(tmp_path / "data")
    assert main.main(["--data-dir", str(data), "user", "add", "anh", "--full-name", "Lê Anh", "--role", "clerk"]) == 0
    assert main.main(["--data-dir", str(data), "user", "reset-password", "anh"]) == 2
    assert "Hai lần nhập mật khẩu không giống nhau." in capsys.readouterr().err
