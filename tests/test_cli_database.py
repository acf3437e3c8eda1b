"""`main.py --database URL …` (in the test process, tests/cli_process.py) against this session's throwaway
PostgreSQL (tests/pg.py): the URL remembered in the PC's configuration, the password never on the command line or
in the log, the workstation number the PC's own and never two PCs' (counter.office.centre, local_config,
workstations)."""

import json
import stat
import uuid
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from counter.clock import VN_TZ
from counter.office import local_config
from tests.cli_process import run_main
from tests.test_cli_setup import RECEIVE, SETUP

ADMIN_PASSWORD = "mat-khau-dai\nmat-khau-dai\n"


def run(machine, data, *args, stdin=""):
    """main.py as the PC whose machine folder is `machine` (its local configuration) and data folder `data`."""
    return run_main(["--data-dir", data, *args], stdin=stdin, env={"QMC_MACHINE_DIR": str(machine)})


def config(machine):
    return json.loads((machine / local_config.FILE_NAME).read_text(encoding="utf-8"))


def one_line(done):
    assert done.returncode == 2 and done.stdout == "" and len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr


@pytest.fixture
def centre(pg_url, tmp_path):
    """The centre's database set up from PC A (workstation 2, administrator quantri) through --database."""
    a = tmp_path / "pc-a"
    done = run(a, a / "data", "--database", pg_url, *SETUP[:SETUP.index("--workstation")], "--workstation", "2",
               *SETUP[SETUP.index("--workstation") + 2:], stdin=ADMIN_PASSWORD)
    assert done.returncode == 0, done.stderr
    return a


def test_the_url_is_remembered_and_the_pc_that_set_up_holds_its_number(centre, pg_url):
    assert config(centre)["database_url"] == pg_url and config(centre)["workstation"] == 2
    assert stat.S_IMODE((centre / local_config.FILE_NAME).stat().st_mode) == 0o600
    received = run(centre, centre / "data", *RECEIVE, "--by", "quantri")  # no --database: the remembered one
    assert received.returncode == 0, received.stderr
    assert json.loads(received.stdout)["code"] == f"000.00.07.H56-{datetime.now(VN_TZ):%y%m%d}-2000"
    assert not (centre / "data" / "quaymotcua.sqlite3").exists()  # the data folder's file was never opened
    shown = run(centre, centre / "data", "settings", "show").stdout
    assert pg_url in shown and "workstation    2" in shown


def test_a_second_pc_cannot_take_a_held_number_until_an_administrator_releases_it(centre, pg_url, tmp_path):
    b = tmp_path / "pc-b"
    refused = one_line(run(b, b / "data", "--database", pg_url, "settings", "set", "workstation", "2", "--by",
                           "quantri"))
    assert "Số máy tiếp nhận 2 đang thuộc máy" in refused and "release-workstation 2" in refused
    assert config(b)["database_url"] == pg_url and config(b)["workstation"] is None  # joined, no number yet
    assert "workstation    (chưa đặt)" in run(b, b / "data", "settings", "show").stdout
    no_number = one_line(run(b, b / "data", *RECEIVE, "--by", "quantri"))
    assert "chưa có số máy tiếp nhận" in no_number

    assert run(b, b / "data", "settings", "set", "workstation", "3", "--by", "quantri").returncode == 0
    received = run(b, b / "data", *RECEIVE, "--by", "quantri")
    assert json.loads(received.stdout)["code"].endswith("-3000"), received.stderr
    listed = run(b, b / "data", "settings", "workstations").stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["2", "3"]

    released = run(b, b / "data", "settings", "release-workstation", "2", "--by", "quantri")
    assert released.returncode == 0 and "đã giải phóng số máy tiếp nhận 2" in released.stdout, released.stderr
    audit = run(b, b / "data", "audit", "list", "--kind", "settings", "--json").stdout
    assert "giải phóng số máy tiếp nhận 2" in audit
    assert run(b, b / "data", "settings", "set", "workstation", "2", "--by", "quantri").returncode == 0
    assert [line.split()[0] for line in run(b, b / "data", "settings", "workstations").stdout.splitlines()] == ["2"]
    taken = one_line(run(centre, centre / "data", *RECEIVE, "--by", "quantri"))  # PC A lost it: it stops
    assert "Số máy tiếp nhận 2 của máy này nay thuộc máy" in taken


def test_a_url_with_a_password_is_refused_and_never_shown(tmp_path, pg_cluster):
    pc = tmp_path / "pc"
    url = f"postgresql://quay:bi-mat-9@/khong?host={pg_cluster.socket_dir}"
    refused = one_line(run(pc, pc / "data", "--database", url, "settings", "show"))
    assert "có mật khẩu" in refused and "--database-password-stdin" in refused and "bi-mat-9" not in refused
    assert not (pc / local_config.FILE_NAME).exists()
    logs = pc / "data" / "logs"
    assert not logs.exists() or all("bi-mat-9" not in p.read_text(errors="replace") for p in logs.iterdir())


def test_an_unreachable_server_or_a_missing_database_is_one_sentence_and_nothing_is_kept(tmp_path, pg_cluster):
    pc = tmp_path / "pc"
    gone = one_line(run(pc, pc / "data", "--database", "postgresql://quay@/motcua?host=/tmp/khong-co-may-chu",
                        "settings", "show"))
    assert "Không kết nối được máy chủ của trung tâm" in gone
    missing = one_line(run(pc, pc / "data", "--database", pg_cluster.url("khong_co_csdl"), "settings", "show"))
    assert "không có cơ sở dữ liệu “khong_co_csdl”" in missing
    assert not (pc / local_config.FILE_NAME).exists()


def test_a_damaged_configuration_file_exits_2_saying_which_file(tmp_path):
    pc = tmp_path / "pc"
    pc.mkdir()
    (pc / local_config.FILE_NAME).write_text("{hỏng", encoding="utf-8")
    damaged = one_line(run(pc, pc / "data", "settings", "show"))
    assert "Tệp cấu hình của máy này" in damaged and str(pc / local_config.FILE_NAME) in damaged


@pytest.fixture
def password_role(pg_cluster, pg_url):
    """A login with a password (scram-sha-256 over the socket, unlike the tests' trusted superuser) owning the
    test's database; its URL (no password) and the password."""
    import psycopg

    role, password = f"quay_{uuid.uuid4().hex[:8]}", "Mật-khẩu-CSDL-77"
    pg_cluster.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    name = urlsplit(pg_url).path.lstrip("/")
    pg_cluster.execute(f'ALTER DATABASE "{name}" OWNER TO {role}')
    hba = pg_cluster.folder / "data" / "pg_hba.conf"
    hba.write_text(f"local all {role} scram-sha-256\n" + hba.read_text())
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute("SELECT pg_reload_conf()")
    return f"postgresql://{role}@/{name}?host={pg_cluster.socket_dir}", password


def test_the_password_comes_from_stdin_or_a_private_file_and_is_kept_0600(password_role, tmp_path):
    url, password = password_role
    pc = tmp_path / "pc"
    needed = one_line(run(pc, pc / "data", "--database", url, "settings", "show"))  # no terminal: no prompt
    assert "cần mật khẩu" in needed
    wrong = one_line(run(pc, pc / "data", "--database", url, "--database-password-stdin", "settings", "show",
                         stdin="sai-mat-khau\n"))
    assert "Sai mật khẩu" in wrong and "sai-mat-khau" not in wrong
    assert not (pc / local_config.FILE_NAME).exists()

    loose = tmp_path / "mat-khau.txt"
    loose.write_text(password + "\n", encoding="utf-8")
    loose.chmod(0o644)
    refused = one_line(run(pc, pc / "data", "--database", url, "--database-password-file", str(loose), "settings",
                           "show"))
    assert "chmod 600" in refused and password not in refused
    loose.chmod(0o600)
    shown = run(pc, pc / "data", "--database", url, "--database-password-file", str(loose), "settings", "show")
    assert shown.returncode == 0, shown.stderr
    assert config(pc)["password_file"] == str(loose) and password not in shown.stdout
    assert run(pc, pc / "data", "settings", "show").returncode == 0  # remembered: no flag needed any more

    other = tmp_path / "pc-2"
    typed = run(other, other / "data", "--database", url, "--database-password-stdin", "settings", "show",
                stdin=password + "\n")
    assert typed.returncode == 0, typed.stderr
    kept = other / local_config.PASSWORD_FILE_NAME
    assert config(other)["password_file"] == str(kept) and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert password not in (other / local_config.FILE_NAME).read_text(encoding="utf-8")
    assert run(other, other / "data", "settings", "show").returncode == 0
    for folder in (pc, other):
        for log in (folder / "data" / "logs").iterdir():
            assert password not in log.read_text(errors="replace")


def test_in_a_terminal_the_password_is_asked_when_the_server_wants_one(password_role, tmp_path, monkeypatch):
    import argparse
    import io

    from cli import database as database_cli

    url, password = password_role

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    asked = []
    monkeypatch.setattr(database_cli.getpass, "getpass", lambda prompt: asked.append(prompt) or password)
    args = argparse.Namespace(database=url, database_password_stdin=False, database_password_file=None)
    ctx = database_cli.open_database(args, tmp_path / "data", stdin=Terminal())
    try:
        assert asked == ["Mật khẩu cơ sở dữ liệu của trung tâm: "] and ctx.database.is_connection_usable()
    finally:
        ctx.database.close()
    kept = local_config.load()
    assert kept.database_url == url and local_config.read_password(kept) == password


def test_the_app_says_an_unreachable_centre_in_a_dialog_offering_no_local_backup(tmp_path, monkeypatch):
    import main as main_module
    from ui import app as app_module

    local_config.save(local_config.LocalConfig(database_url="postgresql://quay@/motcua?host=/tmp/khong-co-may-chu",
                                               workstation=1))
    shown = []
    monkeypatch.setattr(app_module, "show_start_error",
                        lambda message, data_dir: shown.append((message, data_dir)) or 1)
    assert main_module.main(["--data-dir", str(tmp_path / "data")]) == 1
    [(message, data_dir)] = shown
    assert "Không kết nối được máy chủ của trung tâm" in message and data_dir is None


def test_a_sqlite_url_points_the_pc_at_a_data_folders_own_file(tmp_path):
    pc, folder = tmp_path / "pc", tmp_path / "du-lieu"
    done = run(pc, pc / "data", "--database", f"sqlite:///{folder}/quaymotcua.sqlite3", "settings", "show")
    assert done.returncode == 0, done.stderr
    assert (folder / "quaymotcua.sqlite3").exists() and not (pc / "data" / "quaymotcua.sqlite3").exists()
    assert config(pc)["database_url"] == f"sqlite:///{folder}/quaymotcua.sqlite3"
    other = one_line(run(pc, pc / "data", "--database", f"sqlite:///{folder}/khac.db", "settings", "show"))
    assert "phải chỉ tới tệp quaymotcua.sqlite3" in other


def test_a_centres_restore_asks_the_password_in_a_terminal_and_refuses_a_wrong_one(password_role, tmp_path,
                                                                                  monkeypatch, capsys):
    import io

    import main as main_module
    from cli import restore as restore_cli

    url, password = password_role

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    not_a_backup = tmp_path / "khong-phai-ban-sao-luu"
    not_a_backup.mkdir()
    typed = [password, "sai-mat-khau"]
    asked = []
    monkeypatch.setattr(restore_cli.getpass, "getpass", lambda prompt: asked.append(prompt) or typed.pop(0))
    monkeypatch.setattr(restore_cli.sys, "stdin", Terminal())
    command = ["--data-dir", str(tmp_path / "data"), "--database", url, "restore", str(not_a_backup), "--check-only"]
    assert main_module.main(command) == restore_cli.EXIT_NOT_VERIFIED  # the server let it in: the backup is what fails
    assert asked == ["Mật khẩu cơ sở dữ liệu của trung tâm: "]
    assert "không phải thư mục sao lưu" in capsys.readouterr().out
    assert main_module.main(command) == 2  # the wrong one: said in words, nothing restored
    err = capsys.readouterr().err
    assert "Sai mật khẩu" in err and "sai-mat-khau" not in err and "Traceback" not in err
