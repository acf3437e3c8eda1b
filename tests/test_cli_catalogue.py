"""`main.py catalogue import | list | set-fee | set-time`, run as real processes."""

import json
from pathlib import Path

from tests.cli_process import run
from tests.conftest import demo_data_dir

NATIONAL = Path(__file__).resolve().parent / "data" / "catalogue_national.json"


def test_import_dry_run_then_for_real_then_list(tmp_path):
    data_dir = demo_data_dir(tmp_path / "data")
    dry = run("catalogue", "import", str(NATIONAL), "--dry-run", "--json", "--by", "admin", data_dir=data_dir)
    assert dry.returncode == 1, dry.stderr  # some entries rejected
    report = json.loads(dry.stdout)
    assert report["dry_run"] and sorted(report["added"]) == ["1.000110", "1.003583"]
    assert {r["entry"] for r in report["rejected"]} == {"1.010830", "2.001157", "1.001645", "#9"}
    listed = json.loads(run("catalogue", "list", "--json", data_dir=data_dir).stdout)
    assert "1.000110" not in {p["code"] for p in listed}  # the dry run wrote nothing

    real = run("catalogue", "import", str(NATIONAL), "--effective", "01/03/2026", "--case", "1.000110=2",
               "--by", "admin", data_dir=data_dir)
    assert real.returncode == 1 and real.stdout.startswith("thêm 2, thay đổi 3, giữ nguyên 0, không nhận 4.")
    assert "Không nhận 2.001157: Đơn vị thời hạn “Tháng” không được hỗ trợ" in real.stdout

    field = run("catalogue", "list", "--field", "Chứng thực", data_dir=data_dir)
    assert field.returncode == 0, field.stderr
    lines = field.stdout.splitlines()
    assert any("2.000884  Chứng thực chữ ký trong giấy tờ, văn bản  [Chứng thực]  trong ngày  10.000 đ/trường hợp"
               in line for line in lines)
    assert all("[Chứng thực]" in line for line in lines if line[2:3].isdigit())
    procedure = next(p for p in json.loads(run("catalogue", "list", "--json", "--field", "G15-TP09",
                                               data_dir=data_dir).stdout) if p["code"] == "1.000110")
    assert (procedure["effective_from"], procedure["field_code"]) == ("2026-03-01", "G15-TP09")


def test_set_fee_and_set_time_with_their_decision(tmp_path):
    data_dir = demo_data_dir(tmp_path / "data")
    fee = run("catalogue", "set-fee", "1.004873", "15.000", "--source", "Nghị quyết 12/2025/NQ-HĐND",
              "--per", "trường hợp", "--by", "admin", data_dir=data_dir)
    assert fee.returncode == 0, fee.stderr
    assert fee.stdout.startswith("1.004873: lệ phí 15.000 đ/trường hợp theo Nghị quyết 12/2025/NQ-HĐND, "
                                 "phiên bản 2 từ ")
    time = run("catalogue", "set-time", "1.004873", "--working-days", "2", "--source", "Quyết định 5/QĐ-UBND",
               "--by", "admin", data_dir=data_dir)
    assert time.returncode == 0 and "thời hạn 2 ngày làm việc theo Quyết định 5/QĐ-UBND, phiên bản 3" in time.stdout
    shown = next(p for p in json.loads(run("catalogue", "list", "--json", data_dir=data_dir).stdout)
                 if p["code"] == "1.004873")
    assert (shown["fee"]["amount_vnd"], shown["time_rule"]["days"], shown["needs_province"]) == (15000, 2, False)


def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path):
    data_dir = demo_data_dir(tmp_path / "data")
    clerk = run("catalogue", "set-fee", "1.004873", "5000", "--source", "NQ 1", "--by", "canbo", data_dir=data_dir)
    assert clerk.returncode == 2 and clerk.stderr.startswith("Chỉ quản trị viên mới được thay đổi danh mục thủ tục")
    nobody = run("catalogue", "import", str(NATIONAL), data_dir=data_dir)
    assert nobody.returncode == 2 and "--by" in nobody.stderr
    amount = run("catalogue", "set-fee", "1.004873", "năm nghìn", "--source", "NQ 1", "--by", "admin",
                 data_dir=data_dir)
    assert amount.returncode == 2 and "mức lệ phí phải là số đồng" in amount.stderr
    missing = run("catalogue", "import", str(NATIONAL.with_name("khong-co.json")), "--by", "admin",
                  data_dir=data_dir)
    assert missing.returncode == 2 and "Không đọc được tệp danh mục thủ tục" in missing.stderr
    field = run("catalogue", "list", "--field", "Thiên văn", data_dir=data_dir)
    assert field.returncode == 2 and "Hộ tịch" in field.stderr
    shown = next(p for p in json.loads(run("catalogue", "list", "--json", data_dir=data_dir).stdout)
                 if p["code"] == "1.004873")
    assert (shown["version"], shown["fee"]["amount_vnd"]) == (1, None)
