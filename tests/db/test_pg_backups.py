"""Office mode's backups and restore on a real PostgreSQL (this session's throwaway cluster, tests/pg.py): pg_dump of
the centre's database verified by pg_restore into a scratch database, its manifest's counts, a damaged archive kept
apart, the password never on a command line, pg_dump missing or of another version said in words, one PC of the
centre backing up at a time, and the restore into a new database swapped in by name, the old one kept
(counter.office.server_backups, db/pg_dump.py)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from counter import backup_schedule, backups, restore
from counter.backups import BackupError
from counter.context import AppContext
from counter.office import server_backups
from counter.restore import RestoreError
from db import pg_dump
from db.database import make_database_from_url
from db.models import Dossier, ScanBlob
from tests.db.test_scans_shared import attach
from tests.seeded_centre import seeded_centre  # noqa: F401  (pg_url: the seeded centre)

SECRET = "mat-khau-bi-mat-7"


@pytest.fixture
def office(pg_url, tmp_path, clock):
    """The centre's database set up as a real office, this PC workstation 2, one dossier with a scan; opened with a
    password (the throwaway cluster trusts its socket, so it is carried and ignored: what the programs get is
    checked)."""
    from counter.office import workstations
    from counter.office.first_run import set_up_office
    from counter.setup import open_office_database
    from tests.counter.test_first_run import SETUP

    context = open_office_database(pg_url, tmp_path / "data", clock=clock, password=SECRET)
    context.user, _ = set_up_office(context, SETUP)
    workstations.claim(context, 2)
    attach(context, tmp_path)
    yield context
    context.database.close()


def databases(pg_cluster) -> set[str]:
    with psycopg.connect(pg_cluster.url()) as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}


def dbname(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def manifest_of(record) -> dict:
    return json.loads((record.path / backups.MANIFEST_FILE).read_text(encoding="utf-8"))


def test_a_backup_is_a_verified_pg_dump_with_the_snapshots_counts(office, pg_cluster, pg_url):
    record = backups.make_backup(office)
    assert record.verified, record.findings
    assert record.name.startswith("000.00.07.H56-may2-") and record.path.parent == office.data_dir / "backups"
    manifest = manifest_of(record)
    assert manifest["format"] == "pg_dump" and manifest["server_version"].startswith("15")
    archive = record.path / server_backups.DUMP_FILE
    [entry] = manifest["files"]
    assert entry == {"path": "database.dump", "size": archive.stat().st_size,
                     "sha256": backups.store.file_sha256(archive)}
    assert archive.read_bytes()[:5] == b"PGDMP" and stat.S_IMODE(archive.stat().st_mode) == 0o600
    with office.bound():
        assert manifest["counts"]["dossiers"] == Dossier.select().count() == 1
        assert manifest["scan_blobs"]["count"] == ScanBlob.select().count() == 1
    assert manifest["counts"]["scans"] == 1 and manifest["counts"]["history"] >= 1
    assert manifest["counts"]["outbox"] >= 1 and manifest["audit_head"]
    assert list(manifest["last_codes"]) == ["2"]
    assert record.size == entry["size"]
    assert not any("_kiemtra_" in name for name in databases(pg_cluster))  # the scratch copy dropped
    assert backups.backups_in(record.destination, backups.series_name(office)) == [record.path]
    assert server_backups.inspect(pg_dump.Server.of(office.database), record.path).verified
    # a backup of the centre is not one a PC's data folder restores
    assert "cơ sở dữ liệu chung của trung tâm" in restore.inspect(record.path).findings[0]


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_archive_is_kept_apart_unverified_and_not_rotated_in(office, pg_cluster, monkeypatch, damage):
    original = pg_dump.dump

    def damaged(server, target, **kwargs):
        original(server, target, **kwargs)
        data = target.read_bytes()
        target.write_bytes(data[: len(data) // 2] if damage == "truncated" else data[:5] + os.urandom(len(data)))

    monkeypatch.setattr(pg_dump, "dump", damaged)
    record = backups.make_backup(office)
    assert not record.verified and record.path.name.endswith("-failed")
    assert "không khôi phục được" in record.findings[0]
    assert backups.backups_in(record.destination) == [] and record.removed == ()
    assert not any("_kiemtra_" in name for name in databases(pg_cluster))  # the scratch copy dropped all the same
    status = backup_schedule.status(office)
    assert status.last is None and status.destinations[0].failed == record.path.name


def test_an_archive_changed_after_the_backup_is_found_by_its_hash(office):
    record = backups.make_backup(office)
    archive = record.path / server_backups.DUMP_FILE
    data = bytearray(archive.read_bytes())
    data[-10] ^= 0xFF
    archive.write_bytes(bytes(data))
    summary = server_backups.inspect(pg_dump.Server.of(office.database), record.path)
    assert not summary.verified and "SHA-256" in summary.findings[0]


def test_the_password_reaches_the_programs_through_a_private_file_only(office, monkeypatch):
    seen = []
    real_run = subprocess.run

    def spy(argv, **kwargs):
        env = kwargs.get("env") or {}
        passfile = env.get("PGPASSFILE")
        if passfile:
            seen.append((list(argv), env, stat.S_IMODE(os.stat(passfile).st_mode),
                         Path(passfile).read_text(encoding="utf-8"), passfile))
        else:
            seen.append((list(argv), env, None, "", ""))
        return real_run(argv, **kwargs)

    monkeypatch.setattr(pg_dump.subprocess, "run", spy)
    assert backups.make_backup(office).verified
    tools = [s for s in seen if "--version" not in s[0]]
    assert {os.path.basename(s[0][0]) for s in tools} == {"pg_dump", "pg_restore"}
    for argv, env, mode, text, path in tools:
        assert not any(SECRET in arg for arg in argv) and "PGPASSWORD" not in env
        assert mode == 0o600 and text == f"*:*:*:*:{SECRET}\n" and not os.path.exists(path)
    logged = [path.read_text(errors="replace") for path in office.data_dir.rglob("*.log*") if path.is_file()]
    assert not any(SECRET in text for text in logged)


def test_pg_dump_missing_or_of_another_version_is_said_and_nothing_is_kept(office, monkeypatch, tmp_path):
    empty = tmp_path / "khong-co"
    empty.mkdir()
    monkeypatch.setenv(pg_dump.BINDIR_ENV, str(empty))
    with pytest.raises(BackupError, match="Không tìm thấy chương trình pg_dump của PostgreSQL 15"):
        backups.make_backup(office)
    old = tmp_path / "cu"
    old.mkdir()
    fake = old / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 11.22'\n")
    fake.chmod(0o755)
    monkeypatch.setenv(pg_dump.BINDIR_ENV, str(old))
    with pytest.raises(BackupError, match="không cùng phiên bản với máy chủ PostgreSQL 15") as said:
        backups.make_backup(office)
    assert "phiên bản 11" in str(said.value)
    assert list((office.data_dir / "backups").iterdir()) == []


def test_one_pc_of_the_centre_backs_up_at_a_time(office, pg_url):
    other = AppContext(database=make_database_from_url(pg_url), data_dir=office.data_dir, clock=office.clock,
                       user=office.user, workstation=3)
    try:
        with server_backups.centre_lock(other):
            with pytest.raises(server_backups.BackupBusy, match="máy khác của trung tâm đang sao lưu"):
                backups.make_backup(office)
            run = backup_schedule.backup_all(office)  # the schedule's: skipped, saying why, not a failure
            [outcome] = run.outcomes
            assert run.ok and outcome.skipped and outcome.record is None
            assert "máy khác của trung tâm đang sao lưu" in run.summary().lower()
        assert backups.make_backup(office).verified  # the lock released
    finally:
        other.database.close()


def test_a_role_that_may_not_create_databases_gets_an_unverified_backup_saying_why(pg_cluster, tmp_path, clock):
    from counter.office import workstations
    from counter.office.first_run import set_up_office
    from counter.setup import open_office_database
    from tests.counter.test_first_run import SETUP

    pg_cluster.execute("CREATE ROLE quay LOGIN NOCREATEDB")
    pg_cluster.execute("CREATE DATABASE quay_tt OWNER quay")
    url = f"postgresql://quay@/quay_tt?host={pg_cluster.socket_dir}"
    ctx = open_office_database(url, tmp_path / "data", clock=clock)
    try:
        ctx.user, _ = set_up_office(ctx, SETUP)
        workstations.claim(ctx, 1)
        record = backups.make_backup(ctx)
        assert not record.verified and record.path.name.endswith("-failed")
        assert "không được tạo cơ sở dữ liệu tạm" in record.findings[0] and "CREATEDB" in record.findings[0]
    finally:
        ctx.database.close()
        pg_cluster.execute("DROP DATABASE quay_tt WITH (FORCE)")
        pg_cluster.execute("DROP ROLE quay")


def test_restore_swaps_the_copy_in_and_keeps_the_old_database(office, pg_cluster, pg_url, tmp_path):
    record = backups.make_backup(office)
    with office.bound():
        before = sorted((b.sha256, bytes(b.data), bytes(b.thumbnail)) for b in ScanBlob.select())
        codes_before = [d.code for d in Dossier.select().order_by(Dossier.id)]
    attach(office, tmp_path)  # after the backup: a second dossier and scan
    server = pg_dump.Server.of(office.database)

    with pytest.raises(RestoreError, match="còn 1 kết nối") as refused:
        server_backups.restore_centre(server, record.path, office.clock.now(), "quantri")
    assert "quầy số 2 trên máy " in str(refused.value)  # the counter still connected, by its workstation
    office.database.close()
    with pytest.raises(RestoreError, match="không phải quản trị viên"):
        server_backups.restore_centre(server, record.path, office.clock.now(), "ai-do")

    restored = server_backups.restore_centre(server, record.path, office.clock.now(), "quantri")
    name = dbname(pg_url)
    assert restored.database == name and restored.aside == f"{name}_truoc_khoi_phuc_{office.clock.now():%Y%m%d_%H%M%S}"
    assert restored.aside in databases(pg_cluster) and not any("_khoi_phuc_" in d and "truoc" not in d
                                                               for d in databases(pg_cluster))
    with office.bound():
        assert [d.code for d in Dossier.select().order_by(Dossier.id)] == codes_before
        assert sorted((b.sha256, bytes(b.data), bytes(b.thumbnail)) for b in ScanBlob.select()) == before
    kept = pg_cluster.url(restored.aside)
    with psycopg.connect(kept) as conn:
        assert conn.execute("SELECT COUNT(*) FROM dossier").fetchone()[0] == 2  # the later dossier, kept aside
    pg_cluster.drop_database(kept)


def test_a_damaged_archive_restores_nothing(office, pg_cluster, pg_url):
    record = backups.make_backup(office)
    archive = record.path / server_backups.DUMP_FILE
    archive.write_bytes(archive.read_bytes()[:4000])  # cut short, and the manifest made to agree: pg_restore fails
    manifest = manifest_of(record)
    manifest["files"] = [backups.copy_entry(archive, server_backups.DUMP_FILE)]
    (record.path / backups.MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    office.database.close()
    with pytest.raises(RestoreError, match="không đạt kiểm tra nên chưa khôi phục gì"):
        server_backups.restore_centre(pg_dump.Server.of(office.database), record.path, office.clock.now(), "quantri")
    assert {d for d in databases(pg_cluster) if dbname(pg_url) in d} == {dbname(pg_url)}


def test_the_schedule_waits_for_the_centres_newest_backup_whichever_pc_made_it(office, pg_url, tmp_path):
    from datetime import timedelta

    assert backup_schedule.is_due(office)  # nothing backed up anywhere yet
    other = AppContext(database=make_database_from_url(pg_url), data_dir=tmp_path / "may3", clock=office.clock,
                       user=office.user, workstation=3)
    try:
        made = backups.make_backup(other)
    finally:
        other.database.close()
    assert made.verified and made.name.startswith("000.00.07.H56-may3-")
    status = backup_schedule.status(office)
    assert status.last is None and status.centre_last == made.created_at  # not in this PC's folder
    assert status.next_at == made.created_at + timedelta(hours=4) and not backup_schedule.is_due(office)
    assert status.warnings() == []
    office.clock.advance(hours=4, minutes=1)
    assert backup_schedule.is_due(office)


def test_a_check_killed_half_way_leaves_a_scratch_database_the_next_backup_drops(office, pg_cluster, pg_url):
    made = backups.make_backup(office)
    stale = f"{dbname(pg_url)}_kiemtra_999999"
    pg_cluster.execute(f'CREATE DATABASE "{stale}"')
    pg_cluster.execute('CREATE DATABASE "khac_kiemtra_1"')  # another database's: not this centre's to drop
    server = pg_dump.Server.of(office.database)
    with server_backups.centre_lock(office):  # a backup of the centre running: a check waits its turn
        summary = server_backups.inspect(server, made.path)
    assert not summary.verified and "đang sao lưu" in summary.findings[0]
    assert stale in databases(pg_cluster)
    newer = backups.make_backup(office)  # (the same clock: rotation keeps this one of the day)
    assert newer.verified and stale not in databases(pg_cluster) and "khac_kiemtra_1" in databases(pg_cluster)
    assert server_backups.inspect(server, newer.path).verified
    pg_cluster.execute('DROP DATABASE "khac_kiemtra_1"')


def test_only_the_exact_name_a_restore_gives_the_database_it_replaces_is_one_set_aside():
    from counter.clock import VN_TZ

    when = server_backups.replaced_at("motcua", "motcua_truoc_khoi_phuc_20260213_100502")
    assert when is not None and (when.isoformat(), when.tzinfo) == ("2026-02-13T10:05:02+07:00", VN_TZ)
    for name in ("motcua", "motcua_truoc_khoi_phuc_20260213_1005", "motcua_truoc_khoi_phuc_20261313_100502",
                 "motcua_truoc_khoi_phuc_20260213_100502x", "khac_truoc_khoi_phuc_20260213_100502",
                 "motcua2_truoc_khoi_phuc_20260213_100502", "motcua_khoi_phuc_20260213_100502",
                 "motcua_kiemtra_20260213_100502"):
        assert server_backups.replaced_at("motcua", name) is None, name
    long = "trung_tam_phuc_vu_hanh_chinh_cong_xa_hoang_hoa_tinh_thanh_hoa"  # cut to fit 63 bytes with the suffix
    aside = pg_dump.derived_name(long, "_truoc_khoi_phuc_20260213_100502")
    assert len(aside.encode()) == 63 and server_backups.replaced_at(long, aside) is not None
    # the database in use set aside once more by a later restore is that database's, not the one in use
    assert server_backups.replaced_at("motcua", aside) is None


def test_the_databases_restores_set_aside_are_listed_and_an_administrator_drops_one(office, pg_cluster, pg_url):
    from counter import audit
    from counter.errors import PermissionDenied, ValidationError

    name = dbname(pg_url)
    aside, cut_short = f"{name}_truoc_khoi_phuc_20260213_100000", f"{name}_truoc_khoi_phuc_20260213_1000"
    office.database.close()  # a template is copied with nobody connected to it
    pg_cluster.execute(f'CREATE DATABASE "{aside}" TEMPLATE "{name}"')
    for other in (cut_short, "khac_truoc_khoi_phuc_20260213_100000"):  # not of the pattern, another centre's
        pg_cluster.execute(f'CREATE DATABASE "{other}"')
    try:
        [listed] = server_backups.replaced_databases(office)
        assert (listed.name, listed.dossiers, listed.connections) == (aside, 1, 0) and listed.size > 0
        assert listed.replaced_at.isoformat() == "2026-02-13T10:00:00+07:00"
        assert server_backups.describe_replaced(listed).startswith(f"{aside}: để riêng khi khôi phục lúc 10:00:00 "
                                                                   "ngày 13/02/2026, ")
        for refused in (name, cut_short, "khac_truoc_khoi_phuc_20260213_100000", "postgres"):
            with pytest.raises(ValidationError, match="không phải cơ sở dữ liệu để riêng khi khôi phục"):
                server_backups.drop_replaced(office, refused)
        with pytest.raises(ValidationError, match="Máy chủ không có"):
            server_backups.drop_replaced(office, f"{name}_truoc_khoi_phuc_20250101_000000")
        with (psycopg.connect(pg_cluster.url(aside), application_name="quay-mot-cua may3 QUAY-3"),
              pytest.raises(RestoreError, match="còn 1 kết nối") as busy):
            server_backups.drop_replaced(office, aside)
        assert "quầy số 3 trên máy QUAY-3" in str(busy.value)
        admin, office.user = office.user, None
        with pytest.raises(PermissionDenied):
            server_backups.drop_replaced(office, aside)
        assert {name, aside, cut_short} <= databases(pg_cluster)  # nothing dropped so far
        office.user = admin
        dropped = server_backups.drop_replaced(office, aside)
        assert dropped.name == aside and aside not in databases(pg_cluster) and name in databases(pg_cluster)
        assert server_backups.replaced_databases(office) == []
        row = audit.entries(office, kind="restore")[-1]
        assert row.actor == admin.username and row.detail["dropped"] == aside and row.detail["dossiers"] == 1
        assert audit.verify(office).ok
    finally:
        for made in (aside, cut_short, "khac_truoc_khoi_phuc_20260213_100000"):
            pg_cluster.execute(f'DROP DATABASE IF EXISTS "{made}" WITH (FORCE)')


def test_after_a_restore_a_new_pc_taking_a_gone_pcs_number_issues_nothing_until_the_numbering_resumes(
        office, pg_cluster, pg_url, tmp_path, monkeypatch):
    """The PC that held number 2 handed out a code after the backup, then died; the centre restored the backup and
    an administrator gave number 2 to a new PC. The centre's database has lost that code and the new PC's ledger
    never knew it: the new PC is refused until the province or the administrator says where the numbering stands."""
    from counter.code_guard import resume_numbering
    from counter.office import code_ledger, workstations
    from tests.db.test_scans_shared import receive

    record = backups.make_backup(office)
    handed_out = receive(office)  # the citizen holds this receipt; the PC dies afterwards
    admin, server = office.user, pg_dump.Server.of(office.database)
    office.database.close()
    restored = server_backups.restore_centre(server, record.path, office.clock.now(), admin.username)
    try:
        monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "may-moi"))  # the new PC: its own identity and ledger
        new_pc = AppContext(database=make_database_from_url(pg_url), data_dir=tmp_path / "may-moi-du-lieu",
                            clock=office.clock, user=admin)
        server_backups.record(new_pc, restored)  # as the restore command records it
        workstations.release(new_pc, 2)
        workstations.claim(new_pc, 2)
        assert code_ledger.read_ledger(new_pc) is None  # not registered: the database was restored
        with pytest.raises(code_ledger.DatabaseBehindCodes, match="chưa từng cấp mã trên máy này"):
            receive(new_pc)
        with new_pc.bound():
            assert not Dossier.select().where(Dossier.code == handed_out).exists()
        resume_numbering(new_pc, handed_out, ask_province=False)  # the code on the last receipt printed
        assert code_ledger.resumed_since_restore(new_pc, 2) and not code_ledger.resumed_since_restore(new_pc, 3)
        assert receive(new_pc) > handed_out
        new_pc.database.close()
    finally:
        pg_cluster.execute(f'DROP DATABASE IF EXISTS "{restored.aside}" WITH (FORCE)')


def test_without_a_restore_a_new_pc_taking_a_released_number_is_trusted(office, tmp_path, monkeypatch):
    """Every code of the centre is in its database when nothing was restored: the new holder goes on from it."""
    from counter.office import code_ledger, workstations
    from tests.db.test_scans_shared import receive

    last = receive(office)
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "may-moi"))
    workstations.release(office, 2)
    workstations.claim(office, 2)
    assert code_ledger.read_ledger(office)["2"]["last_code"] == last
    assert receive(office) > last
