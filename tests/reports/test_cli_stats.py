"""`main.py report stats` as a real process: the JSON the computation gives, files written, bad input exit 2."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from counter.context import AppContext
from counter.reports.periods import parse_period
from counter.reports.stats import as_json, compute_stats
from db.database import make_database
from db.models import Dossier
from tests.printing.pdf import page_texts
from tests.reports import stats_history as h


def run(data_dir, *args):
    return h.run_report(data_dir, "stats", *args)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return h.october_data_dir(tmp_path_factory.mktemp("stats"))


def test_json_is_the_computation(data_dir):
    out = run(data_dir, "--period", "2026-10", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    database = make_database(data_dir / "quaymotcua.sqlite3")
    try:
        ctx = AppContext(database=database, data_dir=data_dir)
        expected = as_json(compute_stats(ctx, parse_period("2026-10")))
    finally:
        database.close()
    data.pop("computed_at"), expected.pop("computed_at")
    assert data == expected
    assert data["total"]["columns"]["3"] == 15 and data["total"]["columns"]["13"] == 4


def test_by_clerk_over_a_date_range(data_dir):
    out = run(data_dir, "--from", "01/10/2026", "--to", "2026-10-31", "--by", "clerk", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {r["label"]: r["received"] for r in data["rows"]} == {
        "Lê Thị Lan": 7, "Không rõ người tiếp nhận": 1, "Trần Văn Minh": 7}
    assert data["period"]["label"] == "Từ ngày 01/10/2026 đến ngày 31/10/2026"


def test_pdf_and_xlsx_files(data_dir, tmp_path):
    pdf, xlsx = tmp_path / "b06.pdf", tmp_path / "b06.xlsx"
    out = run(data_dir, "--period", "2026-Q4", "--pdf", str(pdf))
    assert out.returncode == 0, out.stderr
    assert "Quý IV năm 2026" in out.stdout and str(pdf) in out.stdout
    assert "Kỳ báo cáo: Quý IV năm 2026" in page_texts(pdf.read_bytes())[0]
    out = run(data_dir, "--period", "2026-Q4", "--cutoff", "--by", "procedure", "--xlsx", str(xlsx))
    assert out.returncode == 0, out.stderr
    ws = openpyxl.load_workbook(xlsx).active
    assert "Từ ngày 15/09/2026 đến ngày 14/12/2026" in ws["A5"].value


def test_an_empty_period_is_a_report(data_dir, tmp_path):
    out = run(data_dir, "--period", "2025", "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["empty"] is True
    out = run(data_dir, "--period", "2025-H1", "--pdf", str(tmp_path / "empty.pdf"))
    assert out.returncode == 0 and "không có hồ sơ nào" in out.stdout


@pytest.mark.parametrize("args, words", [
    (["--period", "2026-Q5", "--json"], "không hợp lệ"),
    (["--period", "2026-13", "--json"], "tháng 13"),
    (["--from", "31/10/2026", "--to", "01/10/2026", "--json"], "trước ngày bắt đầu"),
    (["--from", "31/10/2026", "--json"], "cả --from và --to"),
    (["--json"], "cần kỳ báo cáo"),
    (["--period", "2026", "--from", "01/01/2026", "--to", "02/01/2026", "--json"], "không dùng cả hai"),
    (["--from", "01/10/2026", "--to", "31/10/2026", "--cutoff", "--json"], "--cutoff"),
    (["--period", "2026", "--by", "unit", "--json"], "--by"),
    (["--period", "2026"], "một đầu ra"),
    (["--period", "2026", "--json", "--pdf", "x.pdf"], "một đầu ra"),
    (["--period", "2026", "--pdf", "/"], "thư mục"),
    (["--period", "2026", "--xlsx", "/no/such/folder/b06.xlsx"], "không tồn tại"),
    (["--from", "32/10/2026", "--to", "01/11/2026", "--json"], "không hợp lệ"),
])
def test_bad_input_exits_2_with_one_line(data_dir, args, words):
    out = run(data_dir, *args)
    assert out.returncode == 2 and out.stdout == "", out.stdout
    assert len(out.stderr.strip().splitlines()) == 1 and words in out.stderr, out.stderr


def test_one_counters_biểu_06(data_dir, tmp_path):
    """--workstation N: that counter's dossiers (issue 20), as the Báo cáo page's Quầy của tôi counts them."""
    folder = tmp_path / "data"
    shutil.copytree(data_dir, folder)
    database = make_database(folder / "quaymotcua.sqlite3")
    try:
        ctx = AppContext(database=database, data_dir=folder)
        with ctx.bound():
            first = Dossier.select(Dossier.id).order_by(Dossier.id).limit(5)
            Dossier.update(workstation=7).where(Dossier.id.in_([d.id for d in first])).execute()
        expected = as_json(compute_stats(ctx, parse_period("2026-10"), workstation=7))
        whole = compute_stats(ctx, parse_period("2026-10"))
    finally:
        database.close()
    out = run(folder, "--period", "2026-10", "--workstation", "7", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    data.pop("computed_at"), expected.pop("computed_at")
    assert data == expected and data["workstation"] == 7 and data["scope"] == ""  # one counter's file: no scope said
    assert 0 < data["total"]["columns"]["3"] < whole.total.received
    bad = run(folder, "--period", "2026-10", "--workstation", "12", "--json")
    assert bad.returncode == 2 and "Số máy tiếp nhận phải từ 0 đến 9" in bad.stderr and not bad.stdout
