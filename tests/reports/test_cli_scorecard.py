"""`main.py report scorecard` as a real process: the JSON is the computation, the text names the figures, bad
input exits 2 with one line, an empty period says so."""

from __future__ import annotations

import json

import pytest

from counter.context import AppContext
from counter.reports.periods import parse_period
from counter.reports.scorecard import as_json, compute_scorecard
from db.database import make_database
from tests.reports import stats_history as h


def run(data_dir, *args):
    return h.run_report(data_dir, "scorecard", *args)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return h.october_data_dir(tmp_path_factory.mktemp("scorecard"))


def test_json_is_the_computation(data_dir):
    out = run(data_dir, "--from", "01/10/2026", "--to", "2026-10-31", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    database = make_database(data_dir / "quaymotcua.sqlite3")
    try:
        ctx = AppContext(database=database, data_dir=data_dir)
        expected = as_json(compute_scorecard(ctx, parse_period("2026-10")))
    finally:
        database.close()
    for d in (data, expected):
        d.pop("now"), d["period"].pop("label")
    assert data == expected
    assert data["on_time"]["on_time"] == 7 and data["on_time"]["resolved"] == 9


def test_readable_text(data_dir):
    out = run(data_dir, "--from", "01/10/2026", "--to", "31/10/2026")
    assert out.returncode == 0, out.stderr
    assert "Tỷ lệ giải quyết đúng hạn: 7/9 (77,8 %)" in out.stdout
    assert "T10/2026 7/9 (77,8 %)" in out.stdout
    assert "Tiến độ giải quyết: 9/15 (60,0 %) — 12/20 điểm" in out.stdout
    assert "Cách tính: (hồ sơ đang giải quyết trong hạn" in out.stdout
    assert "  Lượt yêu cầu bổ sung (Mẫu 02): 2 lượt" in out.stdout
    assert "  Giải quyết quá hạn (cột 10): 2 hồ sơ" in out.stdout


def test_an_empty_period_says_so(data_dir):
    out = run(data_dir, "--from", "01/03/2025", "--to", "31/03/2025")
    assert out.returncode == 0 and "Kỳ báo cáo không có hồ sơ nào." in out.stdout


@pytest.mark.parametrize("args, message", [
    (("--from", "01/10/2026"), "cần cả --from và --to"),
    (("--from", "31/10/2026", "--to", "01/10/2026"), "trước ngày bắt đầu"),
    (("--from", "32/10/2026", "--to", "01/11/2026"), "--from"),
])
def test_bad_input_exits_2_with_one_line(data_dir, args, message):
    out = run(data_dir, *args)
    assert out.returncode == 2 and message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and out.stdout == ""


def test_pdf_holds_the_same_figures(data_dir, tmp_path):
    from tests.printing.pdf import page_texts

    target = tmp_path / "bao-cao.pdf"
    out = run(data_dir, "--from", "01/10/2026", "--to", "31/10/2026", "--pdf", str(target))
    assert out.returncode == 0, out.stderr
    assert f"tỷ lệ đúng hạn 7/9 (77,8 %)) vào {target}" in out.stdout
    text = " ".join(page_texts(target.read_bytes()))
    assert "BÁO CÁO CỦA BỘ PHẬN MỘT CỬA" in text and "Tỷ lệ giải quyết đúng hạn: 77,8 % (7/9 hồ sơ)" in text
    assert "T10/2026 (7/9)" in text and "9/15 (60,0 %) 12/20" in text


def test_pdf_of_an_empty_period_says_so(data_dir, tmp_path):
    from tests.printing.pdf import page_texts

    target = tmp_path / "trong.pdf"
    out = run(data_dir, "--from", "01/03/2025", "--to", "31/03/2025", "--pdf", str(target))
    assert out.returncode == 0 and "kỳ báo cáo không có hồ sơ nào" in out.stdout
    assert "Kỳ báo cáo không có hồ sơ nào." in " ".join(page_texts(target.read_bytes()))


@pytest.mark.parametrize("where, message", [("folder", "là một thư mục"), ("missing", "không tồn tại"),
                                            ("both", "không dùng cả hai")])
def test_a_bad_pdf_output_exits_2_and_writes_nothing(data_dir, tmp_path, where, message):
    target = {"folder": tmp_path, "missing": tmp_path / "no" / "x.pdf", "both": tmp_path / "x.pdf"}[where]
    extra = ("--json",) if where == "both" else ()
    out = run(data_dir, "--from", "01/10/2026", "--to", "31/10/2026", "--pdf", str(target), *extra)
    assert out.returncode == 2 and message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert out.stdout == "" and not (tmp_path / "x.pdf").exists() and list(tmp_path.iterdir()) == []
