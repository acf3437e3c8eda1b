"""Bad input at the command line (issue 18): each a one-line Vietnamese message, exit 2, nothing half written."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import main
from counter.errors import DatabaseUnusable
from counter.office import code_ledger
from counter.setup import DB_FILE, open_app
from tests.conftest import demo_data_dir

ROOT = Path(__file__).resolve().parent.parent


def run(*args, data_dir=None):
    cmd = [sys.executable, "main.py"] + (["--data-dir", str(data_dir)] if data_dir else []) + list(args)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def one_line_exit_2(out):
    assert out.returncode == 2, out.stderr
    assert out.stdout == "" and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    return out.stderr.strip()


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A whole database made by the app, closed (its log folded in): copied by the tests that spoil one."""
    return demo_data_dir(tmp_path_factory.mktemp("made") / "data") / DB_FILE


def folder_with(tmp_path, content: bytes, mode=0o600):
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_FILE).write_bytes(content)
    os.chmod(data / DB_FILE, mode)
    return data


def test_garbage_file_as_database_one_line_exit_2_untouched(tmp_path):
    data = folder_with(tmp_path, os.urandom(5000), mode=0o644)
    before = digest(data / DB_FILE)
    message = one_line_exit_2(run("show", "000.00.00.H00-260213-0001", data_dir=data))
    assert "không phải cơ sở dữ liệu" in message and str(data / DB_FILE) in message
    assert digest(data / DB_FILE) == before
    assert oct((data / DB_FILE).stat().st_mode & 0o777) == oct(0o644)  # not even its permissions changed
    assert sorted(p.name for p in data.iterdir() if p.is_file()) == [DB_FILE]  # no journal beside it


def test_truncated_database_one_line_exit_2_untouched(tmp_path, made):
    data = folder_with(tmp_path, made.read_bytes()[:20_000])
    message = one_line_exit_2(run("show", "000.00.00.H00-260213-0001", data_dir=data))
    assert "bị cắt cụt" in message and "20.000 byte" in message
    assert (data / DB_FILE).read_bytes() == made.read_bytes()[:20_000]
    assert sorted(p.name for p in data.iterdir() if p.is_file()) == [DB_FILE]


def test_damaged_database_with_a_good_header_one_line_exit_2(tmp_path, made):
    whole = made.read_bytes()
    page = int.from_bytes(whole[16:18], "big")
    spoiled = whole[:page] + bytes([0x5A]) * (len(whole) - page)  # every page after the first overwritten
    data = folder_with(tmp_path, spoiled)
    message = one_line_exit_2(run("show", "000.00.00.H00-260213-0001", data_dir=data))
    assert "bị hỏng" in message or "không phải cơ sở dữ liệu" in message
    assert (data / DB_FILE).read_bytes() == spoiled


def make_read_only(path: Path) -> None:
    """Read-only for this process: root writes through permissions, not through the immutable attribute."""
    if os.geteuid() != 0:
        os.chmod(path, 0o400)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("running as root on a filesystem without the immutable attribute: cannot make a file read-only")


def test_read_only_database_one_line_exit_2_untouched(tmp_path, made):
    data = folder_with(tmp_path, made.read_bytes())
    make_read_only(data / DB_FILE)
    try:
        message = one_line_exit_2(run("show", "000.00.00.H00-260213-0001", data_dir=data))
        assert "chỉ đọc" in message
        assert (data / DB_FILE).read_bytes() == made.read_bytes()
        assert sorted(p.name for p in data.iterdir() if p.is_file()) == [DB_FILE]
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(data / DB_FILE)], check=False)


def test_the_app_shows_a_dialog_instead_of_a_traceback(tmp_path, monkeypatch):
    import ui.app
    data = folder_with(tmp_path, b"not a database at all" * 100)
    shown = []
    monkeypatch.setattr(ui.app, "show_start_error", lambda message, data_dir: shown.append(message) or 2)
    assert main.main(["--data-dir", str(data)]) == 2
    assert len(shown) == 1 and "không phải cơ sở dữ liệu" in shown[0]


def test_the_start_error_dialog_says_the_message(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    from ui.app import start_error_box
    box = start_error_box("Tệp X không phải cơ sở dữ liệu của Quầy Một Cửa.")
    assert box.text() == "Tệp X không phải cơ sở dữ liệu của Quầy Một Cửa."
    assert "giữ nguyên" in box.informativeText()


def test_open_app_refuses_before_sqlite_writes(tmp_path):
    data = folder_with(tmp_path, b"SQLite format 3\x00" + b"\x10\x00" + b"\x00" * 10)  # a header cut short
    with pytest.raises(DatabaseUnusable, match="cắt cụt"):
        open_app(data)


def test_stray_ledger_temporary_files_are_removed_at_the_next_start(tmp_path, machine_dir):
    data = tmp_path / "data"
    data.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = machine_dir / f"{code_ledger.FILE_NAME}.{int(dead.stdout)}.tmp"  # a process that no longer runs
    old = machine_dir / f"{code_ledger.FILE_NAME}.{os.getppid()}.tmp"  # a running process's, but hours old
    writing = machine_dir / f"{code_ledger.FILE_NAME}.{os.getppid()}.tmp.x"  # not one of ours: kept
    earlier = data / f"{code_ledger.LEGACY_FILE_NAME}.{int(dead.stdout)}.tmp"  # an earlier version's, in the data
    for path in (left, old, writing, earlier):
        path.write_text("{", encoding="utf-8")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    ctx = open_app(data)
    ctx.database.close()
    assert not left.exists() and not old.exists() and writing.exists() and not earlier.exists()


def test_a_running_writer_keeps_its_temporary_ledger_file(tmp_path):
    fresh = tmp_path / f"{code_ledger.FILE_NAME}.{os.getppid()}.tmp"
    fresh.write_text("{", encoding="utf-8")
    assert code_ledger.remove_stray_temp_files(tmp_path) == []
    assert fresh.exists()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_data_dir(tmp_path_factory.mktemp("cli-bad") / "data")


def dossier_count(data):
    from db.models import Dossier
    ctx = open_app(data)
    try:
        with ctx.bound():
            return Dossier.select().count()
    finally:
        ctx.database.close()


RECEIVE = ["receive", "--procedure", "1.004873", "--id-number", "038090012345", "--by", "canbo"]


@pytest.mark.parametrize("extra, words", [
    (["--applicant-name", "Nguyễn Văn An", "--received", "1900-01-01T10:00"], "trước năm 2016"),
    (["--applicant-name", "Nguyễn Văn An", "--received", "2099-01-01T10:00"], "ở tương lai"),
    (["--applicant-name", "Nguyễn Văn An", "--pages", "-3"], "--pages"),
    (["--applicant-name", "Nguyễn Văn An", "--pages", "0"], "--pages"),
    (["--applicant-name", "Nguyễn Văn An " * 90], "giới hạn 100 ký tự"),
    (["--applicant-name", "Nguyễn\x1b[2J Văn An"], "U+001B"),
    (["--applicant-name", "Nguyễn Văn An", "--phone", "٠٩١٢٣٤٥٦٧٨"], "chữ số 0–9"),
])
def test_receive_refuses_what_cannot_be_true_one_line_exit_2_nothing_written(demo, extra, words):
    before = dossier_count(demo)
    message = one_line_exit_2(run(*RECEIVE, *extra, data_dir=demo))
    assert words in message
    assert dossier_count(demo) == before


def test_receive_with_positive_pages_still_works(demo):
    out = run("receive", "--procedure", "2.000815", "--id-number", "038090012345", "--by", "canbo",
              "--applicant-name", "Nguyễn Văn An", "--pages", "3", "--json", data_dir=demo)
    assert out.returncode == 0, out.stderr


@pytest.fixture(scope="module")
def received_code(demo):
    out = run(*RECEIVE, "--applicant-name", "Nguyễn Văn An", "--json", data_dir=demo)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["code"]


def test_receipt_out_a_folder_is_refused(demo, received_code, tmp_path):
    message = one_line_exit_2(run("receipt", received_code, "--out", str(tmp_path), "--by", "canbo", data_dir=demo))
    assert "là một thư mục" in message
    assert list(tmp_path.iterdir()) == []


def test_receipt_out_in_a_missing_folder_is_refused_and_no_folder_is_made(demo, received_code, tmp_path):
    target = tmp_path / "nonexistent" / "dir" / "x.pdf"
    message = one_line_exit_2(run("receipt", received_code, "--out", str(target), "--by", "canbo", data_dir=demo))
    assert "không tồn tại" in message and "không tự tạo" in message
    assert not (tmp_path / "nonexistent").exists()


def test_receipt_out_where_nothing_can_be_written_is_refused(demo, received_code):
    message = one_line_exit_2(run("receipt", received_code, "--out", "/proc/x.pdf", "--by", "canbo", data_dir=demo))
    assert "không ghi được vào /proc/x.pdf" in message


def test_receipt_out_a_file_in_a_folder_that_exists_is_written_whole(demo, received_code, tmp_path):
    target = tmp_path / "mau01.pdf"
    out = run("receipt", received_code, "--out", str(target), "--by", "canbo", data_dir=demo)
    assert out.returncode == 0, out.stderr
    assert target.read_bytes().startswith(b"%PDF") and [p.name for p in tmp_path.iterdir()] == ["mau01.pdf"]


def test_write_output_leaves_nothing_half_written(tmp_path, monkeypatch):
    from cli.args import CliError, write_output
    target = tmp_path / "x.pdf"
    write_bytes = Path.write_bytes

    def full_disk(self, data):  # the disk fills after the first bytes
        write_bytes(self, data[:10])
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(CliError, match="ổ đĩa đã đầy"):
        write_output(target, b"%PDF-1.4 whole")
    assert list(tmp_path.iterdir()) == []


def test_sync_pdf_into_a_missing_folder_is_refused_before_anything_is_sent(demo, tmp_path):
    target = tmp_path / "reports" / "sync.pdf"
    message = one_line_exit_2(run("sync", "--pdf", str(target), data_dir=demo))
    assert "không tồn tại" in message and not (tmp_path / "reports").exists()


def small_scan(path: Path) -> Path:
    from PIL import Image
    Image.new("RGB", (400, 560), "white").save(path)
    return path


def test_attach_without_by_or_a_workstation_user_is_refused_and_attaches_nothing(demo, received_code, tmp_path):
    message = one_line_exit_2(run("attach", received_code, str(small_scan(tmp_path / "a.png")), data_dir=demo))
    assert "--by" in message and "Chưa biết ai thực hiện" in message
    shown = run("show", received_code, "--json", data_dir=demo)
    assert json.loads(shown.stdout)["attachments"] == []


def test_show_without_json_lists_the_attachments(demo, received_code, tmp_path):
    done = run("attach", received_code, str(small_scan(tmp_path / "a.png")), "--by", "canbo", data_dir=demo)
    assert done.returncode == 0, done.stderr
    shown = run("show", received_code, data_dir=demo)
    assert shown.returncode == 0, shown.stderr
    data = json.loads(run("show", received_code, "--json", data_dir=demo).stdout)
    [attached] = data["attachments"]
    lines = shown.stdout.splitlines()
    assert "Bản số hóa:" in lines
    line = lines[lines.index("Bản số hóa:") + 1]
    assert f"Thành phần {attached['component_position']}: {attached['name']}" in line
    assert "1 trang" in line and attached["digitised_by"] in line and attached["path"] in line


@pytest.mark.parametrize("error, words", [
    ("database or disk is full", "Ổ đĩa đã đầy"),
    ("attempt to write a readonly database", "chỉ đọc"),
    ("database disk image is malformed", "bị hỏng"),
    ("file is not a database", "không phải cơ sở dữ liệu"),
])
def test_sqlite_errors_while_opening_are_one_plain_sentence(tmp_path, error, words):
    import sqlite3

    from counter.database_file import opening
    with pytest.raises(DatabaseUnusable) as caught, opening(tmp_path / DB_FILE):
        raise sqlite3.OperationalError(error)
    assert words in str(caught.value) and "\n" not in str(caught.value)
