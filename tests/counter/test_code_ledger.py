"""A database restored from an older backup, or made afresh, never issues again a code already handed out."""

import json
import shutil

import pytest

from counter.office import code_ledger
from counter.office.code_ledger import DatabaseBehindCodes
from counter.setup import DB_FILE, open_demo
from counter.sync import settings
from db.backup import backup_file
from db.models import Dossier
from tests.counter.lifecycle_steps import receive


def reopen(ctx, replace_with=None):
    """Close the database, put `replace_with` in its place (or nothing: a fresh one), open the data dir again."""
    ctx.database.close()
    db = ctx.data_dir / DB_FILE
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    if replace_with is not None:
        shutil.copyfile(replace_with, db)
    return open_demo(ctx.data_dir, clock=ctx.clock)


def test_each_issued_code_is_noted_beside_the_database(ctx):
    first, second = receive(ctx), receive(ctx)
    ledger = json.loads(code_ledger.ledger_path(ctx).read_text(encoding="utf-8"))
    assert list(ledger) == ["0"] and ledger["0"]["last_code"] == second.code != first.code


def test_a_restored_older_backup_refuses_to_issue_codes_until_the_number_changes(ctx, tmp_path):
    receive(ctx)
    backup = backup_file(ctx.data_dir / DB_FILE, tmp_path / "sao-luu.sqlite3")
    handed_out = receive(ctx).code  # the citizen holds a receipt with this code
    restored = reopen(ctx, backup)
    with pytest.raises(DatabaseBehindCodes) as refused:
        receive(restored)
    said = str(refused.value)
    assert f"máy này đã cấp mã hồ sơ {handed_out}" in said and "bản khôi phục cũ hơn" in said
    assert Dossier.select().count() == 1  # nothing written
    settings.set_value(restored, "workstation", "1")  # a block no one used
    assert receive(restored).code.endswith("-1000")
    settings.set_value(restored, "workstation", "0")  # back to the number that issued the lost code: guarded
    with pytest.raises(DatabaseBehindCodes):
        receive(restored)


def test_the_administrator_can_accept_the_restored_database_after_checking_with_the_province(ctx, tmp_path):
    kept = receive(ctx)
    backup = backup_file(ctx.data_dir / DB_FILE, tmp_path / "sao-luu.sqlite3")
    receive(ctx)
    lost = receive(ctx)  # handed out, then lost with the restore
    restored = reopen(ctx, backup)
    assert code_ledger.accept_database(restored)[0] == lost.code  # numbering continues after it
    assert receive(restored).code > lost.code > kept.code


def test_after_accepting_an_older_backup_no_code_already_handed_out_is_issued_again(ctx, tmp_path):
    """The bug seen: …-0003 issued twice after a restore and accept-database."""
    receive(ctx)
    backup = backup_file(ctx.data_dir / DB_FILE, tmp_path / "sao-luu.sqlite3")
    handed_out = {receive(ctx).code, receive(ctx).code}  # -0002 and -0003: citizens hold these receipts
    assert max(handed_out).endswith("-0003")
    restored = reopen(ctx, backup)
    code_ledger.accept_database(restored)
    issued = [receive(restored).code for _ in range(3)]
    assert not handed_out & set(issued)
    assert [code[-4:] for code in issued] == ["0004", "0005", "0006"]  # after the last one handed out


def test_codes_lost_on_earlier_days_are_not_issued_again_for_those_days(ctx, tmp_path):
    from tests.conftest import at
    backup = backup_file(ctx.data_dir / DB_FILE, tmp_path / "trong.sqlite3")  # before any dossier
    monday = receive(ctx, received_at=at("2026-02-09 09:00")).code  # a dossier entered later for Monday
    today = receive(ctx).code
    restored = reopen(ctx, backup)
    code_ledger.accept_database(restored)
    assert receive(restored, received_at=at("2026-02-09 09:30")).code > monday
    assert receive(restored).code > today
    ledger = code_ledger.read_ledger(restored)["0"]
    assert ledger["days"]["260209"] > monday and ledger["days"]["260213"] > today


def test_a_fresh_database_in_a_data_directory_that_issued_codes_is_refused(ctx):
    receive(ctx)
    fresh = reopen(ctx)
    with pytest.raises(DatabaseBehindCodes, match="không phải cơ sở dữ liệu đã cấp mã trên máy này"):
        receive(fresh)


def test_a_damaged_ledger_does_not_stop_the_counter_and_is_written_again(ctx):
    receive(ctx)
    code_ledger.ledger_path(ctx).write_text("{hỏng", encoding="utf-8")
    again = receive(ctx)
    assert code_ledger.read_ledger(ctx)["0"]["last_code"] == again.code


def test_a_ledger_that_cannot_be_written_leaves_the_dossier_received(ctx, monkeypatch):
    def full(*_args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(code_ledger.os, "replace", full)
    dossier = receive(ctx)
    assert Dossier.get(Dossier.code == dossier.code)
    assert code_ledger.read_ledger(ctx) is None and not list(ctx.data_dir.glob("issued.json.*.tmp"))
