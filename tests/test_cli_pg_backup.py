"""`main.py --database URL backup` and `restore BACKUP [--check-only] --by ADMIN` in office mode, as real processes
against this session's throwaway PostgreSQL (tests/pg.py): 0 done (or verified), 1 a backup that does not verify
(--check-only), 2 refused with one line; then the numbering guard on the restored centre (counter.code_guard)."""

import json

import psycopg
import pytest

from counter.backups import MANIFEST_FILE, copy_entry
from counter.office.server_backups import DUMP_FILE
from tests.db.test_pg_backups import dbname, office  # noqa: F401  (office: the fixture)
from tests.test_cli_database import centre, one_line, run  # noqa: F401  (centre: the fixture)
from tests.test_cli_setup import RECEIVE


@pytest.fixture
def backed_up(centre, pg_url):  # noqa: F811
    """The centre with one dossier, backed up from PC A, then a second dossier whose code is handed out."""
    assert run(centre, centre / "data", *RECEIVE, "--by", "quantri").returncode == 0
    done = run(centre, centre / "data", "backup", "--json")
    assert done.returncode == 0, done.stderr
    backup = json.loads(done.stdout)
    handed_out = json.loads(run(centre, centre / "data", *RECEIVE, "--by", "quantri").stdout)["code"]
    return centre, backup, handed_out


def dossiers(pg_url):
    with psycopg.connect(pg_url) as conn:
        return [r[0] for r in conn.execute("SELECT code FROM dossier ORDER BY id")]


def test_backup_in_office_mode_is_a_verified_pg_dump_and_check_only_finds_a_damaged_one(backed_up, pg_url):
    pc, backup, _ = backed_up
    assert backup["verified"] and backup["name"].startswith("000.00.07.H56-may2-") and backup["counts"]["dossiers"] == 1
    manifest = json.loads((pc / "data" / "backups" / backup["name"] / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["format"] == "pg_dump"
    # --check-only verifies on the server; a damaged archive exits 1 (one centre set up for both: 6 s each)
    out = run(pc, pc / "data", "restore", backup["path"], "--check-only")
    assert out.returncode == 0 and f"Bản sao lưu {backup['name']} nguyên vẹn" in out.stdout, out.stderr
    archive = pc / "data" / "backups" / backup["name"] / DUMP_FILE
    archive.write_bytes(archive.read_bytes()[:3000])
    manifest_path = archive.parent / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"] = [copy_entry(archive, DUMP_FILE)]  # the manifest agrees: only pg_restore finds it
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    out = run(pc, pc / "data", "restore", backup["path"], "--check-only", "--json")
    said = json.loads(out.stdout)
    assert out.returncode == 1 and not said["verified"] and "không khôi phục được" in said["findings"][0]
    assert len(dossiers(pg_url)) == 2
    out = run(pc, pc / "data", "backup")  # the day's newer backup: rotation keeps it in place of the damaged one
    assert out.returncode == 0 and "Đã sao lưu và kiểm tra" in out.stdout and "2 hồ sơ" in out.stdout


def test_restore_refuses_with_one_line_then_swaps_in_the_backup_keeps_the_old_one_and_guards_the_codes(
        backed_up, pg_url, pg_cluster):
    pc, backup, handed_out = backed_up
    assert "cần tên quản trị viên" in one_line(run(pc, pc / "data", "restore", backup["path"]))
    assert "không phải quản trị viên" in one_line(run(pc, pc / "data", "restore", backup["path"], "--by", "ai-do"))
    with psycopg.connect(pg_url, application_name="quay-mot-cua may3 QUAY-3"):  # counter 3, left open
        refused = one_line(run(pc, pc / "data", "restore", backup["path"], "--by", "quantri"))
    assert "còn 1 kết nối" in refused and "quầy số 3 trên máy QUAY-3" in refused and "đóng chương trình" in refused
    assert len(dossiers(pg_url)) == 2  # nothing restored
    # then, every counter closed and an administrator named: swapped in, the old database kept, the codes guarded
    out = run(pc, pc / "data", "restore", backup["path"], "--by", "quantri")
    assert out.returncode == 0, out.stderr
    assert f"Đã khôi phục {backup['name']}" in out.stdout and "_truoc_khoi_phuc_" in out.stdout
    assert "Chưa cấp tiếp mã hồ sơ được" in out.stdout and "accept-database --last-code" in out.stdout
    assert len(dossiers(pg_url)) == 1
    aside = out.stdout.split("với tên “", 1)[1].split("”", 1)[0]
    assert len(dossiers(pg_cluster.url(aside))) == 2
    # the database set aside, listed and dropped by an administrator (never the one in use; a script says --yes)
    listed = run(pc, pc / "data", "replaced-database", "list", "--json")
    assert listed.returncode == 0 and [(d["name"], d["dossiers"]) for d in json.loads(listed.stdout)] == [(aside, 2)]
    current = pg_url.rsplit("/", 1)[1].split("?", 1)[0]
    refused = one_line(run(pc, pc / "data", "replaced-database", "drop", current, "--yes", "--by", "quantri"))
    assert "không phải cơ sở dữ liệu để riêng khi khôi phục" in refused
    refused = one_line(run(pc, pc / "data", "replaced-database", "drop", aside, "--by", "quantri"))
    assert "cần xác nhận" in refused and "--yes" in refused
    dropped = run(pc, pc / "data", "replaced-database", "drop", aside, "--yes", "--by", "quantri")
    assert dropped.returncode == 0 and f"Đã xóa cơ sở dữ liệu “{aside}”" in dropped.stdout, dropped.stderr
    with psycopg.connect(pg_cluster.url()) as conn:
        assert conn.execute("SELECT datname FROM pg_database WHERE datname = %s", (aside,)).fetchone() is None
    refused = one_line(run(pc, pc / "data", *RECEIVE, "--by", "quantri"))
    assert handed_out in refused  # the code the citizen holds is not issued again
    resumed = run(pc, pc / "data", "accept-database", "--last-code", handed_out, "--by", "quantri")
    assert resumed.returncode == 0 and handed_out in resumed.stdout, resumed.stderr
    again = run(pc, pc / "data", *RECEIVE, "--by", "quantri")
    assert again.returncode == 0 and json.loads(again.stdout)["code"] > handed_out, again.stderr


def test_dropping_a_database_set_aside_asks_in_a_terminal_and_only_c_drops_it(office, pg_cluster, pg_url,  # noqa: F811
                                                                              capsys):
    import argparse
    import io

    from cli import restore as restore_cli
    from counter.office import server_backups

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    aside = f"{dbname(pg_url)}_truoc_khoi_phuc_20260213_100000"
    pg_cluster.execute(f'CREATE DATABASE "{aside}"')
    try:
        args = argparse.Namespace(replaced_command="drop", name=aside, yes=False, by="quantri")
        assert restore_cli.cmd_replaced_database(args, office, stdin=Terminal("\n")) == restore_cli.EXIT_NOT_CONFIRMED
        said = capsys.readouterr().out
        assert f"Sắp xóa hẳn {aside}: để riêng khi khôi phục lúc 10:00:00 ngày 13/02/2026" in said
        assert "không lấy lại được" in said and "Không xóa gì" in said
        assert [d.name for d in server_backups.replaced_databases(office)] == [aside]
        assert restore_cli.cmd_replaced_database(args, office, stdin=Terminal("Có\n")) == 0
        assert server_backups.replaced_databases(office) == []
    finally:
        pg_cluster.execute(f'DROP DATABASE IF EXISTS "{aside}"')


def test_on_a_sqlite_file_there_is_nothing_of_the_kind(tmp_path):
    from tests.conftest import demo_data_dir

    data = demo_data_dir(tmp_path / "data")
    said = one_line(run(tmp_path / "may", data, "replaced-database", "list"))
    assert "chỉ dùng ở chế độ trung tâm" in said and "truoc-khoi-phuc/" in said
