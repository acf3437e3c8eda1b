"""SQLite's "database or disk is full" said as DiskFull, one Vietnamese sentence, by every transaction and by a
backup whose database copy does not fit (the real full disk: tests/torture/test_full_disk.py, which needs a mount)."""

import sqlite3

import pytest
from peewee import OperationalError

from counter import backup_chunks, backups
from counter.errors import DiskFull, is_disk_full
from db import backup as db_backup
from db.models import Dossier
from tests.sync.conftest import receive

pytestmark = pytest.mark.sqlite_only(reason='a full disk under the SQLite file and its backups')


def test_a_transaction_on_a_full_disk_raises_disk_full_and_writes_nothing(ctx, clerk):
    receive(ctx)
    with ctx.bound():
        before = Dossier.select().count()
    assert before == 1
    with pytest.raises(DiskFull, match=r"^Ổ đĩa đã đầy: không ghi được vào cơ sở dữ liệu .*chưa có gì thay đổi"), \
            ctx.transaction():
        Dossier.delete().execute()
        raise OperationalError("database or disk is full")
    with ctx.bound():
        assert Dossier.select().count() == before
    with ctx.transaction():  # the context works on
        assert Dossier.select().count() == before


def test_sqlite_s_failed_rollback_after_a_full_disk_is_still_a_full_disk(ctx):
    with pytest.raises(DiskFull), ctx.transaction():
        try:
            raise OperationalError("database or disk is full")
        except OperationalError:
            raise OperationalError("cannot rollback - no transaction is active")  # noqa: B904  as peewee does


def test_other_database_errors_pass_through_and_a_savepoint_leaves_it_to_the_outermost(ctx):
    with pytest.raises(OperationalError, match="locked"), ctx.transaction():
        raise OperationalError("database is locked")
    with pytest.raises(DiskFull), ctx.transaction():
        with pytest.raises(OperationalError, match="full"), ctx.transaction():
            raise OperationalError("database or disk is full")
        raise OperationalError("database or disk is full")
    assert is_disk_full(OSError("x")) is False


def test_a_backup_whose_database_pieces_fill_the_disk_says_so_and_leaves_nothing(ctx, tmp_path, monkeypatch):
    real, stored = backup_chunks._store, []

    def store_until_full(target, piece, *, durable):
        if len(stored) == 1:
            raise OSError(28, "No space left on device")
        real(target, piece, durable=durable)
        stored.append(target)

    monkeypatch.setattr(backup_chunks, "_store", store_until_full)
    usb = tmp_path / "usb"
    usb.mkdir()
    with pytest.raises(backups.BackupError, match=r"^Ổ đĩa đã đầy"):
        backups.make_backup(ctx, usb)
    assert len(stored) == 1 and not any(path.exists() for path in stored)  # the pieces it wrote are removed
    assert list(usb.iterdir()) == []


def test_a_backup_whose_backup_api_copy_fills_the_disk_says_so_and_leaves_nothing(ctx, tmp_path, monkeypatch):
    def full(source, dest):
        dest.write_bytes(b"half")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(db_backup, "_empty_wal_readers", lambda *_: None)  # a reader keeps the WAL busy
    monkeypatch.setattr(db_backup, "snapshot_file", full)
    usb = tmp_path / "usb"
    usb.mkdir()
    with pytest.raises(backups.BackupError, match=r"^Ổ đĩa đã đầy"):
        backups.make_backup(ctx, usb)
    assert [p.name for p in usb.iterdir()] == []
