"""Restore (issue 18): a verified backup into a data folder, the current database kept aside, the scans it lacks
copied back, nothing changed when the backup does not verify or the disk is full; then the numbering guard."""

import json
import os
import shutil
import sqlite3
from datetime import datetime

import pytest

from counter import audit, backups, integrity, restore
from counter.clock import VN_TZ
from counter.code_guard import resume_numbering
from counter.office import code_ledger
from counter.office.code_ledger import DatabaseBehindCodes
from counter.office.users import active_user
from counter.restore import RestoreError
from counter.setup import DB_FILE, open_app
from db.models import Dossier, Office
from tests.counter import backup_samples as samples
from tests.counter import scan_samples as s
from tests.counter.test_backups import attach, receive

pytestmark = pytest.mark.sqlite_only(reason="restoring the SQLite file from its backups (office mode's pg_restore: "
                                            "tests/db/test_pg_backups.py)")

NOW = datetime(2026, 2, 13, 15, 0, tzinfo=VN_TZ)


@pytest.fixture
def office(ctx, clerk, tmp_path):
    """A real office (the demonstration is never refused codes) with two dossiers, one scan, and a backup."""
    Office.update(demo=False).execute()
    code_ledger.register(ctx)
    one = receive(ctx, 1)
    attach(ctx, one.code, tmp_path / "pages", s.RED)
    receive(ctx, 2)
    made = backups.make_backup(ctx)
    assert made.verified
    return ctx, made


def close(ctx):
    ctx.database.close()
    return ctx.data_dir


def test_a_restore_keeps_the_current_database_aside_and_brings_back_the_backup(office, tmp_path):
    ctx, made = office
    lost = receive(ctx, 3)  # after the backup: lost with the restore, its code handed out
    done = restore.restore(close(ctx), DB_FILE, made.path, NOW)
    assert done.aside == ctx.data_dir / "truoc-khoi-phuc" / "20260213-150000" / DB_FILE
    aside = sqlite3.connect(done.aside)
    assert aside.execute("SELECT COUNT(*) FROM dossier").fetchone() == (3,)  # kept whole, with the lost dossier
    aside.close()
    assert done.scans_kept == 2 and done.scans_copied == 0
    again = open_app(ctx.data_dir, clock=ctx.clock)
    restore.record(again, done)
    assert Dossier.select().count() == 2 and not Dossier.select().where(Dossier.code == lost.code).exists()
    assert integrity.check(again, full=True).findings == ()
    (row,) = audit.entries(again, kind="restore")
    assert made.name in row.summary and row.detail["aside"] == str(done.aside)
    with pytest.raises(DatabaseBehindCodes):  # the guard: this PC handed out a code the backup lacks
        receive(again, 4)
    again.user = active_user(again, "admin")
    resume_numbering(again, none_issued=True)
    assert receive(again, 4).code > lost.code


def test_scans_lost_from_the_data_folder_come_back_from_the_destination(office):
    ctx, made = office
    for scan in (ctx.data_dir / "files").rglob("*.*"):
        scan.write_bytes(b"hong") if scan.suffix == ".pdf" else scan.unlink()  # one damaged, its thumbnail gone
    done = restore.restore(close(ctx), DB_FILE, made.path, NOW)
    assert done.scans_copied == 2 and done.scans_kept == 0
    again = open_app(ctx.data_dir, clock=ctx.clock)
    assert integrity.check(again, full=True).findings == ()


def test_a_backup_that_does_not_verify_restores_nothing(office):
    ctx, made = office
    manifest = made.path / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["counts"]["dossiers"] += 1
    manifest.write_text(json.dumps(data), encoding="utf-8")
    receive(ctx, 3)
    data_dir = close(ctx)
    before = sorted(p.name for p in data_dir.iterdir())
    with pytest.raises(RestoreError, match="không đạt kiểm tra nên chưa khôi phục gì"):
        restore.restore(data_dir, DB_FILE, made.path, NOW)
    assert sorted(p.name for p in ctx.data_dir.iterdir()) == before
    assert open_app(ctx.data_dir).database.execute_sql("SELECT COUNT(*) FROM dossier").fetchone()[0] == 3


def test_a_database_in_use_is_not_replaced(office):
    ctx, made = office
    other = sqlite3.connect(ctx.data_dir / DB_FILE)  # another window in the middle of a write
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(RestoreError, match="đang được dùng"):
            restore.restore(ctx.data_dir, DB_FILE, made.path, NOW)
    finally:
        other.rollback()
        other.close()
    assert not (ctx.data_dir / restore.ASIDE_DIR).exists()


def test_a_full_disk_during_the_restore_changes_nothing(office, monkeypatch):
    ctx, made = office
    for scan in (ctx.data_dir / "files").rglob("*.*"):
        scan.unlink()  # scans to copy back: the copies that fill the disk
    data_dir = close(ctx)
    real = restore.store.write_atomic
    calls = []

    def full(target, data):
        calls.append(target)
        if len(calls) == 2:  # the database's copy and one scan go through, the next scan fills the disk
            raise OSError(28, "No space left on device")
        return real(target, data)
    monkeypatch.setattr(restore.store, "write_atomic", full)
    before = (data_dir / DB_FILE).read_bytes()
    with pytest.raises(RestoreError, match="Ổ đĩa đã đầy"):
        restore.restore(data_dir, DB_FILE, made.path, NOW)
    assert (data_dir / DB_FILE).read_bytes() == before and not (data_dir / restore.ASIDE_DIR).exists()
    assert not list(data_dir.glob(".khoi-phuc-*")) and not [p for p in (data_dir / "files").rglob("*") if p.is_file()]


def test_restoring_into_an_empty_data_folder_on_a_new_pc(office, tmp_path, monkeypatch):
    ctx, made = office
    usb = tmp_path / "usb"
    shutil.copytree(made.destination, usb)  # the backup folder and its shared scans, as on a USB drive
    close(ctx)
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "may-moi"))
    new = tmp_path / "may-moi-du-lieu"
    new.mkdir()
    done = restore.restore(new, DB_FILE, usb / made.name, NOW)
    assert done.aside is None and done.scans_copied == 2
    again = open_app(new)
    assert Dossier.select().count() == 2 and integrity.check(again, full=True).findings == ()
    with pytest.raises(DatabaseBehindCodes, match="chưa từng cấp mã trên máy này"):
        receive(again, 3)


def test_the_newest_verified_backup_is_offered(office):
    ctx, made = office
    ctx.clock.advance(days=1)  # a backup of another day: rotation keeps both
    newer = backups.make_backup(ctx)
    assert restore.latest_verified(restore.default_destinations(ctx.data_dir)) == newer.path
    samples.damage(samples.own_piece(newer.path))
    assert restore.latest_verified(restore.default_destinations(ctx.data_dir)) == made.path


def test_only_an_administrator_of_the_office_may_restore(office):
    ctx, made = office
    data_dir = close(ctx)
    assert restore.may_restore(data_dir, DB_FILE, made.path, "admin")
    assert not restore.may_restore(data_dir, DB_FILE, made.path, "canbo")
    assert not restore.may_restore(data_dir, DB_FILE, made.path, "khongco")
    (data_dir / DB_FILE).write_bytes(b"\0" * 4096)  # damaged: the backup's administrators are asked
    for extra in ("-wal", "-shm"):
        (data_dir / (DB_FILE + extra)).unlink(missing_ok=True)
    assert restore.may_restore(data_dir, DB_FILE, made.path, "admin")


def test_a_temporary_copy_left_by_a_killed_restore_is_removed_at_the_next_start(office):
    ctx, _ = office
    left = close(ctx) / ".khoi-phuc-20260213-150000-4242.sqlite3"
    left.write_bytes(b"dang chep")
    open_app(ctx.data_dir).database.close()
    assert not left.exists() and os.listdir(ctx.data_dir)
