"""A database restored from an older backup, or made afresh, never issues again a code already handed out: this
PC's ledger (outside the data folder) refuses, and the numbering resumes after what the province, the
administrator or the ledger knows (counter.code_guard)."""

import json
import random
import shutil
import sqlite3

import pytest

from counter.backups import make_backup
from counter.code_guard import ProvinceNotAsked, resume_numbering
from counter.errors import PermissionDenied, ValidationError
from counter.office import code_ledger, server_backups
from counter.office.code_ledger import DatabaseBehindCodes
from counter.office.users import active_user
from counter.setup import DB_FILE, open_app
from counter.sync import settings
from counter.sync.batch import sync_once
from db import pg_dump
from db.backup import backup_file
from db.database import is_postgres
from db.models import Dossier, Office
from tests.counter.lifecycle_steps import receive
from tests.sync.conftest import CREDENTIALS, configure

RESTORED_FILE = ("a SQLite file carried to another PC's data folder; in office mode the centre's database stays on "
                 "its server (the restores above, tests/test_cli_pg_backup.py)")


@pytest.fixture
def ctx(ctx):
    """The demonstration made a real office (the demonstration's made-up codes are never refused), registered on
    this PC as set-up registers it."""
    Office.update(demo=False).execute()
    code_ledger.register(ctx)
    return ctx


def reopen(ctx, replace_with=None, data_dir=None):
    """Close the database, put `replace_with` in its place (or nothing: a fresh one), open the data dir again (or
    `data_dir`: another PC's folder) as the app does — the demonstration is not seeded again."""
    ctx.database.close()
    folder = data_dir or ctx.data_dir
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / DB_FILE
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    if replace_with is not None:
        shutil.copyfile(replace_with, db)
    return open_app(folder, clock=ctx.clock)


def back_up(ctx, tmp_path, name="sao-luu"):
    """A backup of the open database as the engine's own restore takes it: on SQLite a copy of the file, in office
    mode the centre's pg_dump (counter.backups.make_backup)."""
    if not is_postgres(ctx.database):
        return backup_file(ctx.data_dir / DB_FILE, tmp_path / f"{name}.sqlite3")
    (tmp_path / name).mkdir()
    record = make_backup(ctx, tmp_path / name)
    assert record.verified, record.findings
    return record.path


def restore_backup(ctx, backup, request):
    """`backup` restored in place of the open database as the engine's restore does, then opened again on this PC:
    on SQLite the file copied back (`reopen`), in office mode the centre's restore (counter.office.server_backups:
    the dump restored into a new database swapped in by name; the replaced one kept aside, dropped after the test,
    the restore recorded in it as the restore command does) and the centre's database opened again by this PC, which
    keeps its workstation number."""
    if not is_postgres(ctx.database):
        return reopen(ctx, backup)
    server = pg_dump.Server.of(ctx.database)
    ctx.database.close()
    restored = server_backups.restore_centre(server, backup, ctx.clock.now(), "admin")
    request.addfinalizer(lambda: pg_dump.drop_database(server, restored.aside))
    again = open_app(ctx.data_dir, clock=ctx.clock)
    again.workstation = ctx.workstation
    server_backups.record(again, restored)
    return again


def as_admin(ctx):
    ctx.user = active_user(ctx, "admin")
    return ctx


def test_each_issued_code_is_noted_outside_the_data_folder(ctx, machine_dir):
    first, second = receive(ctx), receive(ctx)
    assert code_ledger.ledger_path().parent == machine_dir and not code_ledger.ledger_path().is_relative_to(
        ctx.data_dir)
    ledger = json.loads(code_ledger.ledger_path().read_text(encoding="utf-8"))
    assert list(ledger) == ["000.00.06.H56"] and ledger["000.00.06.H56"]["0"]["last_code"] == second.code != first.code
    assert not (ctx.data_dir / "issued.json").exists()


def test_a_restored_older_backup_refuses_to_issue_codes(ctx, tmp_path, request):
    receive(ctx)
    backup = back_up(ctx, tmp_path)
    handed_out = receive(ctx).code  # the citizen holds a receipt with this code
    restored = restore_backup(ctx, backup, request)
    with pytest.raises(DatabaseBehindCodes) as refused:
        receive(restored)
    said = str(refused.value)
    assert f"máy này đã cấp mã hồ sơ {handed_out}" in said and "bản khôi phục cũ hơn" in said
    assert "Cấp mã tiếp" in said and "accept-database" in said
    assert Dossier.select().count() == 1  # nothing written


@pytest.mark.sqlite_only(reason="a data folder copied back with its SQLite file; in office mode the data folder "
                                "holds no database")
def test_a_whole_data_folder_copied_back_is_refused_too(ctx, tmp_path):
    """The bug seen: the database and issued.json restored together re-issued codes without a warning."""
    receive(ctx)
    saved = tmp_path / "ban-chep"
    shutil.copytree(ctx.data_dir, saved)  # the whole folder, as an administrator copies it to a USB drive
    receive(ctx)
    ctx.database.close()
    shutil.rmtree(ctx.data_dir)
    shutil.copytree(saved, ctx.data_dir)
    restored = open_app(ctx.data_dir, clock=ctx.clock)
    with pytest.raises(DatabaseBehindCodes, match="bản khôi phục cũ hơn"):
        receive(restored)


@pytest.mark.sqlite_only(reason=RESTORED_FILE)
def test_a_database_brought_from_another_pc_is_refused_until_the_numbering_resumes(ctx, tmp_path, machine_dir,
                                                                                    monkeypatch):
    receive(ctx)
    backup = backup_file(ctx.data_dir / DB_FILE, tmp_path / "sao-luu.sqlite3")
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "may-moi"))  # a new PC: its ledger knows nothing
    restored = reopen(ctx, backup, data_dir=tmp_path / "may-moi-du-lieu")
    with pytest.raises(DatabaseBehindCodes, match="chưa từng cấp mã trên máy này"):
        receive(restored)
    with pytest.raises(ProvinceNotAsked, match="Chưa cấu hình đồng bộ"):
        resume_numbering(as_admin(restored))  # the province cannot be asked: the administrator must say
    resume_numbering(restored, "000.00.06.H56-260213-0004")  # from the last receipt printed on the old PC
    assert receive(restored).code == "000.00.06.H56-260213-0005"


def test_only_an_administrator_resumes_the_numbering_and_only_with_a_code_of_this_workstation(ctx):
    with pytest.raises(PermissionDenied):
        resume_numbering(ctx, none_issued=True)
    as_admin(ctx)
    for wrong in ("000.00.06.H56-260213", "000.00.06.H99-260213-0004", "000.00.06.H56-260213-1004"):
        with pytest.raises(ValidationError):
            resume_numbering(ctx, wrong)


def test_the_administrator_resumes_after_the_codes_this_pc_handed_out(ctx, tmp_path, request):
    """The bug seen: …-0003 issued twice after a restore and accept-database."""
    receive(ctx)
    backup = back_up(ctx, tmp_path)
    handed_out = {receive(ctx).code, receive(ctx).code}  # -0002 and -0003: citizens hold these receipts
    assert max(handed_out).endswith("-0003")
    restored = restore_backup(ctx, backup, request)
    with pytest.raises(DatabaseBehindCodes, match="bản khôi phục cũ hơn"):
        receive(restored)  # the restored database has lost -0002 and -0003: nothing issued until resumed
    result, _ = resume_numbering(as_admin(restored), none_issued=True)  # no province settings here
    assert result.continues_after == max(handed_out) and not result.asked_province
    issued = [receive(restored).code for _ in range(3)]
    assert not handed_out & set(issued)
    assert [code[-4:] for code in issued] == ["0004", "0005", "0006"]  # after the last one handed out


def test_codes_lost_on_earlier_days_are_not_issued_again_for_those_days(ctx, tmp_path, request):
    from tests.conftest import at
    backup = back_up(ctx, tmp_path, "trong")  # before any dossier
    friday = receive(ctx).code
    ctx.clock.advance(days=3)
    monday = receive(ctx).code
    restored = restore_backup(ctx, backup, request)
    resume_numbering(as_admin(restored), none_issued=True)
    assert receive(restored, received_at=at("2026-02-13 16:00")).code > friday  # a dossier entered late for Friday
    assert receive(restored).code > monday


def test_a_resumed_database_restored_again_is_refused_again(ctx, tmp_path, request):
    """Resuming sets the counters past the lost codes; the same old backup restored once more has not."""
    receive(ctx)
    backup = back_up(ctx, tmp_path)
    receive(ctx)
    restored = restore_backup(ctx, backup, request)
    resume_numbering(as_admin(restored), none_issued=True)
    restored.clock.advance(minutes=1)  # office mode: the database replaced again is kept aside under a later time
    again = restore_backup(restored, backup, request)
    with pytest.raises(DatabaseBehindCodes):
        receive(again)


@pytest.mark.sqlite_only(reason=RESTORED_FILE)
@pytest.mark.parametrize("province_dialect", ["opencps", "gateway"])
def test_the_province_is_asked_which_codes_of_this_workstation_exist(ctx, clerk, province, province_dialect,
                                                                     tmp_path):
    """Restored on a new PC: the province holds two dossiers the backup lacks (and a third was never sent)."""
    configure(ctx, province)
    receive(ctx)
    backup = backup_file(ctx.data_dir / DB_FILE, tmp_path / "sao-luu.sqlite3")
    sent = [receive(ctx).code for _ in range(2)]
    assert sync_once(ctx, rng=random.Random(1)).complete
    lost_unsent = receive(ctx).code  # received, printed, never reached the province: -0004
    sent.append(receive(ctx).code)  # -0005 reached it after a gap
    assert sync_once(ctx, rng=random.Random(1)).complete
    with sqlite3.connect(tmp_path / "province.sqlite3") as held:  # as if -0004 had never been sent
        assert held.execute("DELETE FROM dossier WHERE code = ?", (lost_unsent,)).rowcount == 1
    restored = reopen(ctx, backup, data_dir=tmp_path / "may-moi")
    as_admin(restored)
    if province_dialect == "opencps":  # its password was sealed with the old PC's key: it is typed again
        with pytest.raises(ProvinceNotAsked, match="còn thiếu: password"):
            resume_numbering(restored)
        settings.set_value(restored, "password", CREDENTIALS[1])
    result, _ = resume_numbering(restored)
    assert result.asked_province and result.province_error == ""
    assert set(sent) <= set(result.province_codes)
    assert result.continues_after == max(sent)
    assert receive(restored).code == "000.00.06.H56-260213-0006"


def test_the_ledger_cannot_be_read_or_written_without_stopping_the_counter(ctx, monkeypatch):
    receive(ctx)
    code_ledger.ledger_path().write_text("{hỏng", encoding="utf-8")
    with pytest.raises(DatabaseBehindCodes):  # unreadable: this PC no longer knows the database, so it asks
        receive(ctx)
    resume_numbering(as_admin(ctx), none_issued=True)
    again = receive(ctx)
    assert code_ledger.read_ledger(ctx)["0"]["last_code"] == again.code

    def full(*_args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(code_ledger.os, "replace", full)
    dossier = receive(ctx)
    assert Dossier.get(Dossier.code == dossier.code)
    assert not list(code_ledger.ledger_path().parent.glob("*.tmp"))


def test_the_demonstration_is_never_refused(ctx, tmp_path, request):
    receive(ctx)
    backup = back_up(ctx, tmp_path)
    receive(ctx)
    restored = restore_backup(ctx, backup, request)
    Office.update(demo=True).execute()
    assert receive(restored).code.endswith("-0002")  # made-up codes: the one handed out before is issued again


def test_a_new_number_given_by_the_administrator_is_this_database_s(ctx):
    receive(ctx)
    as_admin(ctx)
    settings.set_value(ctx, "workstation", "1")  # a block this PC never issued from
    assert receive(ctx).code.endswith("-1000")
