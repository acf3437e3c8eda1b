"""`main.py calendar …` and the reception's warning for a year without a calendar, run as real processes."""

import json

import pytest

from tests.cli_process import run
from tests.conftest import demo_data_dir

SOURCE = "Công văn số 12/UBND-VP ngày 10/02/2026"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return demo_data_dir(tmp_path_factory.mktemp("cli-calendar") / "data")


@pytest.fixture(scope="module")
def code(data_dir):
    """Received Fri 13/02/2026 10:00, 3 working days, Tết 16–20/02: due Wed 25/02/2026 10:00."""
    out = run("receive", "--procedure", "1.004873", "--applicant-name", "Nguyễn Văn An", "--id-number",
              "038090012345", "--received", "2026-02-13T10:00", "--json", "--by", "canbo", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""  # 2026 has a calendar: no warning
    return json.loads(out.stdout)["code"]


def test_list_a_year(data_dir):
    out = run("calendar", "list", "--year", "2026", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("Lịch làm việc năm 2026 — phiên bản ")
    assert "02/09/2026 T4  ngày lễ" in out.stdout and "Chưa có lịch" not in out.stdout
    empty = run("calendar", "list", "--year", "2031", "--json", data_dir=data_dir)
    assert json.loads(empty.stdout)["loaded"] is False
    assert "Chưa có lịch làm việc năm 2031" in run("calendar", "list", "--year", "2031", data_dir=data_dir).stdout


def test_add_impact_and_move_later(data_dir, code):
    assert run("calendar", "impact", data_dir=data_dir).stdout.startswith("Không có hồ sơ nào")
    added = run("calendar", "add", "23/02/2026", "--kind", "holiday", "--source", SOURCE, "--note", "Nghỉ bù",
                "--by", "admin", data_dir=data_dir)
    assert added.returncode == 0, added.stderr
    assert "phiên bản 2" in added.stdout
    assert f"{code}  Nguyễn Văn An  25/02/2026 10:00 → 26/02/2026 10:00  (dời muộn hơn)" in added.stdout
    impact = json.loads(run("calendar", "impact", "--json", data_dir=data_dir).stdout)
    assert impact == [{"code": code, "applicant": "Nguyễn Văn An", "procedure": impact[0]["procedure"],
                       "old_due": "2026-02-25T10:00", "new_due": "2026-02-26T10:00", "direction": "later"}]

    moved = run("calendar", "move-later", "--source", SOURCE, "--by", "admin", data_dir=data_dir)
    assert moved.returncode == 0, moved.stderr
    assert "Đã dời lịch hẹn của 1 hồ sơ." in moved.stdout
    shown = json.loads(run("show", code, "--json", data_dir=data_dir).stdout)
    assert shown["due_at"].startswith("2026-02-26T10:00")
    assert shown["history"][-1]["action"] == "calendar_move" and SOURCE in shown["history"][-1]["note"]

    removed = run("calendar", "remove", "2026-02-20", "--source", SOURCE, "--by", "admin", data_dir=data_dir)
    assert removed.returncode == 0, removed.stderr
    assert "(CẢNH BÁO: sớm hơn, không tự đổi)" in removed.stdout
    versions = json.loads(run("calendar", "versions", "--json", data_dir=data_dir).stdout)
    assert [(v["number"], v["action"], v["by"], v["source"]) for v in versions[:2]] == [
        (3, "remove", "Lê Văn Quản", SOURCE), (2, "add", "Lê Văn Quản", SOURCE)]


@pytest.mark.parametrize("args, message", [
    (["add", "2026-03-03", "--kind", "holiday", "--source", SOURCE], "--by"),
    (["add", "2026-03-03", "--kind", "holiday", "--source", SOURCE, "--by", "canbo"], "Chỉ quản trị viên"),
    (["add", "2026-03-03", "--kind", "holiday", "--source", " ", "--by", "admin"], "văn bản căn cứ"),
    (["add", "31/02/2026", "--kind", "holiday", "--source", SOURCE, "--by", "admin"], "Ngày"),
    (["add", "2026-03-03", "--kind", "party", "--source", SOURCE, "--by", "admin"], "--kind"),
    (["remove", "2026-03-04", "--source", SOURCE, "--by", "admin"], "không có trong bảng lịch"),
])
def test_bad_input_exits_2_with_one_line(data_dir, args, message):
    out = run("calendar", *args, data_dir=data_dir)
    assert out.returncode == 2 and message in out.stderr and out.stderr.count("\n") == 1, out.stderr


def test_receiving_into_a_year_without_a_calendar_warns(tmp_path):
    """An installation whose calendar stops before this year (its rows from this year on gone, as on a PC set up
    before they were published): a dossier received now is received, with the warning naming this year."""
    import sqlite3
    from datetime import datetime

    from counter.clock import VN_TZ
    data = demo_data_dir(tmp_path / "data")
    this_year = datetime.now(VN_TZ).year  # the office's year (the app counts in Vietnam time)
    with sqlite3.connect(data / "quaymotcua.sqlite3") as db:
        db.execute("DELETE FROM calendar_day WHERE date >= ?", (f"{this_year}-01-01",))
    out = run("receive", "--procedure", "1.004873", "--applicant-name", "Trần Thị Bình", "--id-number",
              "038090012346", "--by", "canbo", data_dir=data)
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith(f"Chưa có lịch làm việc năm {this_year}")
