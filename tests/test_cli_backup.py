"""`main.py backup [--to DIR] [--json]`, run as real processes: 0 verified, 1 failed verification, 2 not written."""

import json

import pytest

from tests.cli_process import run
from tests.conftest import demo_data_dir
from tests.counter import scan_samples as s


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The demo office with one dossier and one scan."""
    data = demo_data_dir(tmp_path_factory.mktemp("cli-backup") / "data")
    out = run("receive", "--procedure", "2.001035", "--applicant-name", "Đỗ Thị Hoa", "--id-number", "001190000004",
              "--received", "2026-02-13T10:00", "--json", "--by", "canbo", data_dir=data)
    assert out.returncode == 0, out.stderr
    page = s.jpeg(tmp_path_factory.mktemp("pages") / "trang.jpg", s.RED)
    attached = run("attach", json.loads(out.stdout)["code"], str(page), "--by", "canbo", data_dir=data)
    assert attached.returncode == 0, attached.stderr
    return data


def test_backup_into_the_data_folder_then_json_into_a_usb_folder(data_dir, tmp_path):
    out = run("backup", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Đã sao lưu và kiểm tra: ") and "1 hồ sơ, 1 bản số hóa" in out.stdout
    assert str(data_dir / "backups" / "000.00.06.H56-may0-") in out.stdout

    usb = tmp_path / "usb"
    usb.mkdir()
    made = json.loads(run("backup", "--to", str(usb), "--json", data_dir=data_dir).stdout)
    assert made["verified"] is True and made["findings"] == [] and made["destination"] == str(usb)
    assert (made["counts"]["dossiers"], made["counts"]["scans"], made["scans_copied"]) == (1, 1, 2)
    assert made["pieces_written"] > 0 and made["pieces_reused"] == 0  # the first backup on that drive
    assert (usb / made["name"] / "manifest.json").is_file()
    again = json.loads(run("backup", "--to", str(usb), "--json", data_dir=data_dir).stdout)
    assert again["verified"] and again["pieces_written"] + again["pieces_reused"] > 0  # (all changed: a tiny database)
    listed = json.loads(run("audit", "list", "--kind", "backup", "--json", data_dir=data_dir).stdout)
    assert again["name"] in listed[-1]["summary"] and listed[-1]["detail"]["verified"] is True


def test_a_backup_that_does_not_verify_exits_1_naming_what_failed(data_dir, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    first = json.loads(run("backup", "--to", str(usb), "--json", data_dir=data_dir).stdout)
    [scan] = list((usb / "scans").rglob("*.pdf"))
    scan.write_bytes(b"\0" * scan.stat().st_size)  # the next backup reuses it by size; its hash does not hold
    manifest = json.loads((usb / first["name"] / "manifest.json").read_text(encoding="utf-8"))
    manifest["pieces_rehashed_at"] = "2020-01-01T00:00:00+07:00"  # a day has passed: everything is read back
    (usb / first["name"] / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    out = run("backup", "--to", str(usb), data_dir=data_dir)
    assert out.returncode == 1, out.stderr
    assert "KHÔNG đạt kiểm tra" in out.stdout and scan.name in out.stdout and "SHA-256" in out.stdout
    assert (usb / first["name"]).is_dir() and len(list(usb.glob("*-failed"))) == 1


@pytest.mark.parametrize("kind", ["missing", "file", "unwritable"])
def test_a_destination_that_cannot_be_written_exits_2_with_one_line(data_dir, tmp_path, kind):
    dest = {"missing": tmp_path / "khong-co", "file": tmp_path / "tep.txt", "unwritable": "/proc"}[kind]
    if kind == "file":
        dest.write_text("x")
    out = run("backup", "--to", str(dest), data_dir=data_dir)
    assert out.returncode == 2 and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and str(dest) in out.stderr
    assert not (tmp_path / "khong-co").exists()
