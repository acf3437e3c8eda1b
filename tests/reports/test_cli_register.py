"""`main.py report register`: the file written for a book or a range, and bad input as one line with exit code 2."""

import io
import os

import pytest
from openpyxl import load_workbook

from counter.setup import open_app
from tests.cli_process import run_main
from tests.conftest import FixedClock, at, demo_data_dir
from tests.printing.pdf import page_texts
from tests.reports.register_history import build


def run(data_dir, *args):
    """`main.py --data-dir DATA report register ARGS`, in this process (tests/cli_process.py)."""
    return run_main(["--data-dir", data_dir, "report", "register", *args])


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A demo office's data folder holding the register tests' small history."""
    folder = demo_data_dir(tmp_path_factory.mktemp("register") / "data")
    clock = FixedClock(at("2026-02-13 10:00"))
    ctx = open_app(folder, clock=clock)
    try:
        build(ctx, clock)
    finally:
        ctx.database.close()
    return folder


def test_a_book_as_pdf(data_dir, tmp_path):
    out = run(data_dir, "--book", "01/2026", "--pdf", str(tmp_path / "so.pdf"))
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"Đã ghi sổ theo dõi hồ sơ (5 hồ sơ) vào {tmp_path / 'so.pdf'}\n"
    (text,) = page_texts((tmp_path / "so.pdf").read_bytes())
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Quyển số 01/2026" in text and "Tổng số: 5 hồ sơ." in text


def test_a_range_of_one_field_as_xlsx_on_a3(data_dir, tmp_path):
    out = run(data_dir, "--from", "13/02/2026", "--to", "2026-02-13", "--field", "Hộ tịch",
              "--xlsx", str(tmp_path / "so.xlsx"))
    assert out.returncode == 0, out.stderr
    ws = load_workbook(io.BytesIO((tmp_path / "so.xlsx").read_bytes())).active
    assert ws["A5"].value == "Quyển số 01/2026 — Từ ngày 13/02/2026 đến ngày 13/02/2026"
    assert ws["A6"].value == "Lĩnh vực: Hộ tịch"
    assert [ws.cell(r, 1).value for r in range(10, 13)] == [2, 3, 4] and ws["A13"].value == "Tổng số: 3 hồ sơ."
    pdf = run(data_dir, "--from", "13/02/2026", "--to", "13/02/2026", "--procedure", "2.000815", "--paper", "A3",
              "--pdf", str(tmp_path / "a3.pdf"))
    assert pdf.returncode == 0, pdf.stderr
    assert "Thủ tục: 2.000815" in page_texts((tmp_path / "a3.pdf").read_bytes())[0]


def test_an_empty_range_writes_a_register_that_says_so(data_dir, tmp_path):
    out = run(data_dir, "--from", "01/01/2026", "--to", "31/01/2026", "--pdf", str(tmp_path / "empty.pdf"))
    assert out.returncode == 0, out.stderr
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ này" in out.stdout
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ này." in page_texts((tmp_path / "empty.pdf").read_bytes())[0]


@pytest.mark.parametrize("args, words", [
    (["--book", "09/2019"], "Không có quyển sổ “09/2019”"),
    (["--from", "14/02/2026", "--to", "13/02/2026"], "ở trước ngày bắt đầu"),
    (["--from", "13/02/2026"], "cần --book QUYỂN_SỐ, hoặc cả --from NGÀY và --to NGÀY"),
    (["--book", "01/2026", "--from", "13/02/2026", "--to", "13/02/2026"], "không dùng cả hai"),
    (["--from", "31/02/2026", "--to", "13/02/2026"], "Ngày “31/02/2026” không hợp lệ"),
    (["--book", "01/2026", "--field", "Thiên văn"], "Không có lĩnh vực “Thiên văn”"),
    (["--book", "01/2026", "--procedure", "9.999999"], "Không có thủ tục mã “9.999999”"),
])
def test_bad_input_one_line_exit_2_nothing_written(data_dir, tmp_path, args, words):
    target = tmp_path / "so.pdf"
    out = run(data_dir, *args, "--pdf", str(target))
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and words in out.stderr, out.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_no_output_or_an_unwritable_one_exits_2(data_dir, tmp_path):
    out = run(data_dir, "--book", "01/2026")
    assert out.returncode == 2 and "cần --pdf TỆP hoặc --xlsx TỆP" in out.stderr
    folder = run(data_dir, "--book", "01/2026", "--xlsx", str(tmp_path))
    assert folder.returncode == 2 and "là một thư mục" in folder.stderr
    missing = run(data_dir, "--book", "01/2026", "--pdf", str(tmp_path / "no" / "so.pdf"))
    assert missing.returncode == 2 and "không tồn tại" in missing.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who writes anywhere")
        out = run(data_dir, "--book", "01/2026", "--pdf", str(locked / "so.pdf"))
        assert out.returncode == 2 and "không có quyền ghi" in out.stderr and len(out.stderr.splitlines()) == 1
    finally:
        os.chmod(locked, 0o700)


def test_one_counters_register_and_a_bad_counter_number(data_dir, tmp_path):
    out = run(data_dir, "--from", "13/02/2026", "--to", "28/02/2026", "--workstation", "7",
              "--xlsx", str(tmp_path / "q7.xlsx"))
    assert out.returncode == 0, out.stderr
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ này (Quầy tiếp nhận: 7)" in out.stdout
    bad = run(data_dir, "--from", "13/02/2026", "--to", "28/02/2026", "--workstation", "12",
              "--xlsx", str(tmp_path / "q12.xlsx"))
    assert bad.returncode == 2 and "Số máy tiếp nhận phải từ 0 đến 9" in bad.stderr
    assert not (tmp_path / "q12.xlsx").exists()
