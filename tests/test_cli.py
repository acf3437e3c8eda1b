"""The command line contract (scripts and checks depend on it), run as real processes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import demo_data_dir

ROOT = Path(__file__).resolve().parent.parent
QR = "038090012345|123456789|Nguyễn Văn An|15031990|Nam|Thôn 3, Xã Quảng Hùng, Thanh Hóa|20042021"


def run(*args, data_dir=None):
    cmd = [sys.executable, "main.py"] + (["--data-dir", str(data_dir)] if data_dir else []) + list(args)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return demo_data_dir(tmp_path_factory.mktemp("cli") / "data")


@pytest.mark.parametrize("args, expected", [
    (["--received", "2026-02-13T10:00", "--working-days", "3"], "2026-02-25T10:00"),
    (["--received", "2026-02-13T15:30", "--same-day"], "2026-02-23T17:00"),
    (["--received", "2026-02-13T14:59", "--same-day"], "2026-02-13T17:00"),
    (["--received", "2026-01-09T09:00", "--working-days", "1"], "2026-01-10T09:00"),
    (["--received", "2026-02-13T10:00", "--procedure", "1.000894"], "2026-02-13T17:00"),
    (["--received", "2026-02-13T10:00", "--calendar-days", "30"], "2026-03-16T10:00"),
])
def test_due_date(data_dir, args, expected):
    out = run("due-date", *args, data_dir=data_dir)
    assert (out.returncode, out.stdout) == (0, expected + "\n"), out.stderr


@pytest.mark.parametrize("args", [
    ["--received", "hôm qua", "--working-days", "3"],
    ["--received", "2026-02-13T10:00", "--working-days", "0"],
    ["--received", "2026-02-13T10:00", "--procedure", "9.999999"],
    ["--received", "2026-02-13T10:00"],
])
def test_due_date_bad_input_exits_2_with_one_line(data_dir, args):
    out = run("due-date", *args, data_dir=data_dir)
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1


def test_parse_cccd():
    out = run("parse-cccd", QR)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "id_number": "038090012345", "old_id_number": "123456789", "full_name": "Nguyễn Văn An",
        "birth_date": "1990-03-15", "sex": "Nam", "address": "Thôn 3, Xã Quảng Hùng, Thanh Hóa",
        "issue_date": "2021-04-20"}
    bad = run("parse-cccd", "03809001234|x|y")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_receive_then_receipt(data_dir, tmp_path):
    out = run("receive", "--procedure", "1.004873", "--applicant-name", "Trần Thị Bích", "--id-number",
              "001190000001", "--phone", "0987654321", "--received", "2026-02-13T10:00", "--json", "--by", "canbo",
              data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result == {"code": "000.00.06.H56-260213-0001", "due_at": "2026-02-25T10:00", "status": 2}
    bad = run("receive", "--procedure", "1.004873", "--applicant-name", "X", "--id-number", "12",
              "--json", "--by", "canbo", data_dir=data_dir)
    assert bad.returncode == 2 and "12 chữ số" in bad.stderr
    pdf = tmp_path / "r.pdf"
    rec = run("receipt", result["code"], "--out", str(pdf), "--by", "canbo", data_dir=data_dir)
    assert rec.returncode == 0, rec.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    missing = run("receipt", "000.00.06.H56-260213-0999", "--out", str(pdf), "--by", "canbo", data_dir=data_dir)
    assert missing.returncode == 2


def test_show_json(data_dir):
    received = run("receive", "--procedure", "1.004873", "--applicant-name", "Phạm Thị Dung", "--id-number",
                   "001190000003", "--received", "2026-02-16T08:00", "--json", "--by", "canbo",
                   data_dir=data_dir)
    code = json.loads(received.stdout)["code"]
    out = run("show", code, "--json", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["code"], data["status"], data["applicant"]["name"]) == (code, 2, "Phạm Thị Dung")
    assert data["due_at"] == "2026-02-26T07:00"  # 16/02 is Tết: received moves to Mon 23/02 07:00, + 3 days
    assert [h["action"] for h in data["history"]] == ["receive"] and data["attachments"] == []
    assert json.loads(run("show", code.lower(), "--json", data_dir=data_dir).stdout)["code"] == code
    for bad in ("000.00.06.H56-260216-0999", "not-a-code"):
        missing = run("show", bad, "--json", data_dir=data_dir)
        assert missing.returncode == 2 and missing.stdout == "" and len(missing.stderr.strip().splitlines()) == 1


def test_receive_same_day_after_the_cutoff(data_dir):
    out = run("receive", "--procedure", "1.001193", "--applicant-name", "Lê Văn Cường", "--id-number",
              "001190000002", "--received", "2026-02-13T15:01", "--json", "--by", "canbo", data_dir=data_dir)
    assert json.loads(out.stdout)["due_at"] == "2026-02-23T17:00"


def test_a_receipt_is_logged_and_a_refused_dossier_has_none(ctx, tmp_path):
    from counter.dossiers import reception
    from counter.dossiers.prints import print_count
    from counter.records import ApplicantInput, DossierDraft
    applicant = ApplicantInput(id_number="001190000001", full_name="Trần Thị Bích")
    received, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=applicant))
    refused, _ = reception.refuse_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=applicant),
                                          "Không thuộc thẩm quyền của xã")
    pdf = tmp_path / "r.pdf"
    for _ in range(2):
        assert run("receipt", received.code, "--out", str(pdf), "--by", "canbo", data_dir=ctx.data_dir).returncode == 0
    assert print_count(ctx, "mau01", received.code) == 2  # the original, then copy 1
    out = run("receipt", refused.code, "--out", str(tmp_path / "x.pdf"), "--by", "canbo", data_dir=ctx.data_dir)
    assert out.returncode == 2 and "đã bị từ chối tiếp nhận" in out.stderr and not (tmp_path / "x.pdf").exists()


def test_parse_cccd_refuses_a_card_issued_in_the_future():
    out = run("parse-cccd", QR.replace("|20042021", "|20042099"))
    assert out.returncode == 2 and "ở tương lai" in out.stderr


def test_accept_database_lets_a_restored_database_issue_codes_again(ctx, tmp_path):
    from counter.office import code_ledger
    from db.models import Office
    from tests.counter.lifecycle_steps import receive
    receive(ctx)
    Office.update(demo=False).execute()  # a real office: the demonstration is never refused
    code_ledger.record_issued(ctx, "000.00.06.H56-260213-0009", 0)  # a code the database lost in a restore
    with pytest.raises(code_ledger.DatabaseBehindCodes):
        receive(ctx)
    out = run("accept-database", "--by", "admin", data_dir=ctx.data_dir)  # no province settings: cannot ask
    assert out.returncode == 2 and "Không hỏi được hệ thống tỉnh" in out.stderr and "--last-code" not in out.stderr
    assert "phiếu tiếp nhận cuối cùng" in out.stderr
    out = run("accept-database", "--none-issued", "--by", "admin", data_dir=ctx.data_dir)
    assert out.returncode == 0 and "000.00.06.H56-260213-0009" in out.stdout
    assert receive(ctx).code == "000.00.06.H56-260213-0010"  # never one of those already handed out


def test_demo_data_adds_realistic_dossiers_and_demo_init_only_once(tmp_path):
    data_dir = tmp_path / "demo"
    out = run("demo-data", "--dossiers", "40", "--seed", "3", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    init = run("demo-init", "--if-missing", data_dir=data_dir)
    assert init.returncode == 0, init.stderr
    import sqlite3
    with sqlite3.connect(data_dir / "quaymotcua.sqlite3") as db:
        count, statuses, years = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT status), COUNT(DISTINCT substr(received_at, 1, 4)) FROM dossier"
        ).fetchone()
        names = [r[0] for r in db.execute("SELECT applicant_name FROM dossier LIMIT 40")]
    assert count == 40  # --if-missing added nothing to a database that has dossiers
    assert statuses >= 4 and years >= 2  # several states, spread over years
    assert any(ch in "ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợ" for name in names for ch in name.lower())


def test_due_date_of_a_procedure_without_a_deadline_is_none(ctx):
    from datetime import date

    from tests.catalogue_steps import import_catalogue
    entry = {"code": "1.009999", "name": "Cung cấp thông tin hộ tịch theo yêu cầu", "field": "Hộ tịch",
             "time_rule": {"kind": "none"}, "fee": {"amount_vnd": 0},
             "components": [{"name": "Tờ khai", "form": "bản chính"}]}
    report, _ = import_catalogue(ctx, {"procedures": [entry]}, effective_from=date(2026, 1, 1), source="tỉnh")
    assert report.added == ("1.009999",)
    out = run("due-date", "--received", "2026-02-13T10:00", "--procedure", "1.009999", data_dir=ctx.data_dir)
    assert (out.returncode, out.stdout) == (0, "none\n"), out.stderr
