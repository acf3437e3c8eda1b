"""Backups (issue 18): the database through the online backup API, the scans copied once into a destination's
shared folder, a manifest; verified before it counts, set apart when it does not; rotation."""

import hashlib
import json
import shutil
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from counter import audit, backup_chunks, backups, records
from counter.backups import BackupError
from counter.dossiers import reception
from counter.scans import attachments
from db.backup import FileSnapshot
from db.migrate import instance_id
from db.models import AuditEntry, Dossier, DossierHistory, OutboxEntry
from tests.counter import backup_samples as samples
from tests.counter import scan_samples as s

pytestmark = pytest.mark.sqlite_only(reason="the SQLite file's own backups and their schedule (office mode's pg_dump "
                                            "backups: tests/db/test_pg_backups.py)")

CONTRACT = "2.001035"
SERIES = "000.00.06.H56-may0"  # the demo office, workstation 0


def receive(ctx, n: int):
    draft = records.DossierDraft(procedure_code=CONTRACT, applicant=records.ApplicantInput(
        id_number=f"0011900{n:05d}", full_name="Trần Thị Bích"))
    return reception.receive_dossier(ctx, draft)[0]


def attach(ctx, code: str, folder: Path, colour, position: int = 1):
    folder.mkdir(exist_ok=True)
    page = s.jpeg(folder / f"{code[-4:]}-{position}.jpg", colour)
    return attachments.attach_component(ctx, code, position, [page])[0]


@pytest.fixture
def with_scans(ctx, clerk, tmp_path):
    """Two dossiers, three distinct scans."""
    one, two = receive(ctx, 1), receive(ctx, 2)
    made = [attach(ctx, one.code, tmp_path / "pages", s.RED), attach(ctx, one.code, tmp_path / "pages", s.GREEN, 2),
            attach(ctx, two.code, tmp_path / "pages", s.BLUE)]
    return ctx, [one, two], made


def copy_rows(backup: Path, sql: str):
    return samples.copy_rows(backup, sql, Path(backup).parent)


def rechunk(backup: Path, change) -> None:
    """The backup's database put together, changed by `change(path)`, and stored again in pieces with its
    manifest rewritten to name them: a tampering that hashes cannot see."""
    work = backup.parent / "work.sqlite3"
    with backups.database_of(backup, backup.parent) as database:
        shutil.copyfile(database, work)
    change(work)
    written = backup_chunks.write(FileSnapshot(work, work.stat().st_size, False, ()), backup.parent, {}, durable=True)
    work.unlink()
    manifest = samples.manifest(backup)
    manifest["database"] = written.entry
    (backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_backup_of_a_demo_database_with_scans_verifies(with_scans, clock):
    ctx, dossiers, scans = with_scans
    head = ctx.database.execute_sql("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    with ctx.bound():
        live = {"dossiers": Dossier.select().count(), "history": DossierHistory.select().count(),
                "outbox": OutboxEntry.select().count(), "scans": 3, "attachments": 3,
                "audit": AuditEntry.select().count()}
    backup = backups.make_backup(ctx)

    assert backup.verified and backup.findings == ()
    assert backup.path == ctx.data_dir / "backups" / f"{SERIES}-20260213-100000" and backup.path.is_dir()
    # this PC's code ledger is not the data's: never in a backup (counter.office.code_ledger)
    assert sorted(p.name for p in backup.path.iterdir()) == ["manifest.json"]
    assert backups.verify_backup(backup.path) == []
    manifest = json.loads((backup.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == backup.counts == live and live["dossiers"] == 2 and live["outbox"] >= 2
    assert manifest["last_codes"] == {"0": dossiers[1].code}
    assert manifest["instance_id"] == instance_id(ctx.database)
    assert manifest["audit_head"] == (head[0] if head else None)  # the head before this backup's own row
    # the database in pieces in the destination's shared folder, each named by its hash, together the database
    assert manifest["files"] == [] and manifest["format"] == 2
    assert backup.pieces_written == len(samples.pieces(backup.path)) and backup.pieces_reused == 0
    whole = b"".join(piece.read_bytes() for piece in samples.pieces(backup.path))
    assert len(whole) == manifest["database"]["size"] == ctx.db_path.stat().st_size
    for piece in samples.pieces(backup.path):
        assert hashlib.sha256(piece.read_bytes()).hexdigest() == piece.name
    # every scan (document and thumbnail) in the destination's shared folder, with its hash
    shared = ctx.data_dir / "backups" / "scans"
    assert sorted(e["path"] for e in manifest["scans"]) == sorted(
        p for a in scans for p in (a.path, a.thumbnail))
    for a in scans:
        assert (shared / a.path).read_bytes() == (ctx.data_dir / a.path).read_bytes()
        assert hashlib.sha256((shared / a.path).read_bytes()).hexdigest() == a.sha256
    assert (backup.scans_copied, backup.scans_reused) == (6, 0)
    # the copy is a whole database, self-contained (no WAL beside it), with the same dossiers
    assert copy_rows(backup.path, "PRAGMA journal_mode") == [("delete",)]
    assert sorted(r[0] for r in copy_rows(backup.path, "SELECT code FROM dossier")) == [d.code for d in dossiers]
    # the audit log records it
    [entry] = audit.entries(ctx, kind="backup")
    assert backup.name in entry.summary and "nguyên vẹn" in entry.summary and entry.detail["verified"] is True


def test_a_second_backup_copies_no_scan_again_and_a_new_scan_only_once(with_scans, clock, tmp_path):
    ctx, dossiers, _ = with_scans
    first = backups.make_backup(ctx)
    clock.advance(minutes=1)
    second = backups.make_backup(ctx)
    assert second.verified and (second.scans_copied, second.scans_reused) == (0, 6)
    clock.advance(minutes=1)
    added = attach(ctx, dossiers[1].code, tmp_path / "pages", s.YELLOW, 2)
    third = backups.make_backup(ctx)
    assert third.verified and (third.scans_copied, third.scans_reused) == (2, 6)
    assert len({first.path, second.path, third.path}) == 3
    shared = ctx.data_dir / "backups" / "scans"
    assert len([p for p in shared.rglob("*") if p.is_file()]) == 8
    assert (shared / added.path).is_file()
    assert not list((ctx.data_dir / "backups").glob(".tmp-*"))


def test_a_backup_into_another_destination_and_two_in_one_second(with_scans, tmp_path):
    ctx, _, _ = with_scans
    usb = tmp_path / "usb"
    usb.mkdir()
    one, two = backups.make_backup(ctx, usb), backups.make_backup(ctx, usb)  # the fixed clock: the same second
    assert one.verified and two.verified and one.destination == two.destination == usb
    assert (one.name, two.name) == (f"{SERIES}-20260213-100000", f"{SERIES}-20260213-100000-2")
    assert two.removed == (one.path,) and backups.backups_in(usb, SERIES) == [two.path]  # one a day is kept
    assert (usb / "scans").is_dir() and not (ctx.data_dir / "backups" / SERIES).exists()


def test_a_backup_taken_while_dossiers_are_received_is_consistent(ctx, clerk, tmp_path):
    stop, errors, received = threading.Event(), [], []

    def desk():
        try:
            with ctx.bound():
                n = 100
                while not stop.is_set() and n < 160:
                    dossier = receive(ctx, n)
                    attach(ctx, dossier.code, tmp_path / "load", (n % 256, 80, 160))
                    received.append(dossier.code)
                    n += 1
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            ctx.database.close()

    worker = threading.Thread(target=desk)
    worker.start()
    made = []
    try:
        while len(received) < 3 and worker.is_alive():
            pass
        for _ in range(3):
            ctx.clock.advance(seconds=1)
            made.append(backups.make_backup(ctx, tmp_path))  # rotation leaves only the day's newest: look now
            check(made[-1])
    finally:
        stop.set()
        worker.join(60)
    assert not errors
    assert made[0].counts["dossiers"] <= made[-1].counts["dossiers"] <= len(received)


def check(b):
    """A backup's manifest matches its content: what a backup under load must hold."""
    assert b.verified, b.findings
    dossiers = copy_rows(b.path, "SELECT COUNT(*) FROM dossier")[0][0]
    assert b.counts["dossiers"] == dossiers >= 3
    # every dossier of the copy has its history row and its outbox entry; every scan it stores is backed up
    assert copy_rows(b.path, "SELECT COUNT(*) FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM dossier_history h "
                             "WHERE h.dossier_id = d.id) OR NOT EXISTS (SELECT 1 FROM outbox_entry o "
                             "WHERE o.dossier_id = d.id)") == [(0,)]
    stored = {sha for (sha,) in copy_rows(b.path, "SELECT sha256 FROM stored_file")}
    manifest = json.loads((b.path / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(e["path"]).stem for e in manifest["scans"] if e["path"].endswith(".pdf")} == stored
    # the manifest's counts are the copy's, counted here and not by the code under test; its files are theirs
    tables = {"dossiers": "dossier", "history": "dossier_history", "outbox": "outbox_entry", "scans": "stored_file",
              "attachments": "attachment", "audit": "audit_entry"}
    assert manifest["counts"] == {k: copy_rows(b.path, f"SELECT COUNT(*) FROM {t}")[0][0] for k, t in tables.items()}
    for piece in samples.pieces(b.path):
        assert hashlib.sha256(piece.read_bytes()).hexdigest() == piece.name
    for entry in manifest["scans"]:
        data = (b.destination / "scans" / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]


def test_a_tampered_copy_fails_verification(with_scans):
    ctx, _, scans = with_scans
    backup = backups.make_backup(ctx)
    saved = backup.path.parent / "original"
    shutil.copytree(backup.path, saved)

    scan = backup.destination / "scans" / scans[0].path
    original = scan.read_bytes()
    scan.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    [finding] = backups.verify_backup(backup.path)
    assert scans[0].path in finding and "SHA-256" in finding
    scan.write_bytes(original)
    assert backups.verify_backup(backup.path) == []

    (backup.destination / "scans" / scans[1].path).unlink()
    assert any("Thiếu tệp bản số hóa" in f for f in backups.verify_backup(backup.path))
    shutil.copyfile(ctx.data_dir / scans[1].path, backup.destination / "scans" / scans[1].path)

    # a piece of the database damaged (the same size): its hash tells
    piece = samples.own_piece(backup.path)
    original = piece.read_bytes()
    samples.damage(piece)
    [finding] = backups.verify_backup(backup.path)
    assert piece.name in finding and "hỏng" in finding
    piece.write_bytes(original)
    assert backups.verify_backup(backup.path) == []

    # the database changed by hand and stored again in pieces the manifest names: the counts still tell
    def delete_history(path):
        connection = sqlite3.connect(path)
        connection.execute("DELETE FROM dossier_history WHERE id = 1")
        connection.commit()
        connection.close()
    rechunk(backup.path, delete_history)
    assert backups.verify_backup(backup.path) == ["Số dòng lịch sử: kê khai ghi 2, bản sao có 1."]

    # garbage in the database's pages; a manifest gone
    shutil.rmtree(backup.path)
    shutil.copytree(saved, backup.path)

    def garbage(path):
        data = bytearray(path.read_bytes())
        data[4096:8192] = b"\xff" * 4096
        path.write_bytes(bytes(data))
    rechunk(backup.path, garbage)
    [finding] = backups.verify_backup(backup.path)
    assert "không nguyên vẹn" in finding or "Không đọc được" in finding
    assert not list(backup.destination.glob(".tmp-*"))  # the database put together to check it is gone
    (backup.path / "manifest.json").unlink()
    assert "manifest.json" in backups.verify_backup(backup.path)[0]


def test_a_backup_that_fails_verification_is_set_apart_reported_and_not_rotated_in(with_scans, clock):
    ctx, _, scans = with_scans
    first = backups.make_backup(ctx)
    shared = first.destination / "scans" / scans[0].path
    shared.write_bytes(b"\0" * shared.stat().st_size)  # same size: the next backup reuses it, verification fails
    clock.advance(days=1)
    failed = backups.make_backup(ctx)
    assert not failed.verified and failed.path.name == f"{SERIES}-20260214-100000-failed"
    assert any(scans[0].path in f for f in failed.findings)
    assert backups.backups_in(first.destination, SERIES) == [first.path]  # the failed one does not count
    [entry] = audit.entries(ctx, kind="backup", newest_first=True, limit=1)
    assert "KHÔNG đạt" in entry.summary and entry.detail["verified"] is False
    # the damaged shared scan was dropped: the next backup copies it again and verifies
    clock.advance(days=1)
    again = backups.make_backup(ctx)
    assert again.verified and again.scans_copied == 1
    assert failed.path.is_dir()  # kept as evidence, never rotated


def test_a_scan_lost_from_the_data_folder_fails_the_backup_but_keeps_the_database(with_scans):
    ctx, _, scans = with_scans
    (ctx.data_dir / scans[2].path).unlink()
    backup = backups.make_backup(ctx)
    assert not backup.verified and backup.path.name.endswith("-failed")
    assert backup.findings == (f"1 bản số hóa có trong cơ sở dữ liệu sao lưu nhưng không có trong kê khai (đầu tiên: "
                               f"{scans[2].sha256}).",)
    assert samples.pieces(backup.path) and all(piece.is_file() for piece in samples.pieces(backup.path))


@pytest.mark.parametrize("kind", ["missing", "file", "unwritable"])
def test_a_destination_that_cannot_be_written_is_refused_and_leaves_nothing(with_scans, tmp_path, kind):
    ctx, _, _ = with_scans
    dest = {"missing": tmp_path / "usb-not-plugged", "file": tmp_path / "a-file", "unwritable": Path("/proc")}[kind]
    if kind == "file":
        dest.write_text("x")
    with pytest.raises(BackupError) as refused:
        backups.make_backup(ctx, dest)
    message = str(refused.value)
    assert str(dest) in message and ("chưa sao lưu" in message or "sao lưu dở đã được xóa" in message)
    assert not (tmp_path / "usb-not-plugged").exists()
    assert not list(tmp_path.glob("**/.tmp-*"))


def test_a_full_disk_during_a_backup_leaves_no_half_backup(with_scans, monkeypatch):
    ctx, _, _ = with_scans
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_write_json", full)
    with pytest.raises(BackupError, match="Ổ đĩa đã đầy"):
        backups.make_backup(ctx)
    assert [p.name for p in (ctx.data_dir / "backups").iterdir() if p.name != "scans"] == []
    [entry] = audit.entries(ctx, kind="backup")
    assert "thất bại" in entry.summary


# Rotation --------------------------------------------------------------------------------------------


def fake(dest: Path, at: datetime, series: str = SERIES, suffix: str = "") -> Path:
    folder = dest / f"{series}-{at:%Y%m%d-%H%M%S}{suffix}"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text('{"files": [], "scans": []}', encoding="utf-8")
    return folder


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    start = datetime(2025, 1, 1, 9, 0)
    made = [fake(tmp_path, start + timedelta(days=d, hours=h)) for d in range(400) for h in (0, 4)]
    other = fake(tmp_path, start, series="000.00.06.H56-may1")  # another workstation's: not this series
    failed = fake(tmp_path, start, suffix="-failed")
    removed = backups.rotate(tmp_path, SERIES)
    kept = backups.backups_in(tmp_path, SERIES)
    assert len(kept) + len(removed) == len(made)
    newest = datetime(2026, 2, 4, 13, 0)  # day 399, the later of its two
    names = {p.name for p in kept}
    daily = {f"{SERIES}-{newest - timedelta(days=d):%Y%m%d-%H%M%S}" for d in range(7)}
    assert daily <= names
    # weekly: the newest of each of the last 4 ISO weeks; monthly: of each of the last 12 months
    assert f"{SERIES}-20260125-130000" in names and f"{SERIES}-20260118-130000" in names  # Sundays
    monthly = {f"{SERIES}-{d}-130000" for d in ("20250331", "20250430", "20250531", "20250630", "20250731",
                                                "20250831", "20250930", "20251031", "20251130", "20251231",
                                                "20260131")}
    assert monthly <= names
    assert f"{SERIES}-20250228-130000" not in names  # the 13th month back
    # the weeks of 4 Feb and of 1 Feb and the month of February are kept by the daily ones already
    assert names == daily | monthly | {f"{SERIES}-20260125-130000", f"{SERIES}-20260118-130000"}
    assert other.is_dir() and failed.is_dir()


def test_rotation_never_deletes_the_only_verified_one(tmp_path):
    only = fake(tmp_path, datetime(2020, 5, 1, 9, 0))
    failed_newer = fake(tmp_path, datetime(2026, 2, 1, 9, 0), suffix="-failed")
    assert backups.rotate(tmp_path, SERIES, daily=0, weekly=0, monthly=0) == []
    assert only.is_dir() and failed_newer.is_dir()
    two = fake(tmp_path, datetime(2020, 5, 1, 10, 0))
    assert backups.rotate(tmp_path, SERIES) == [only]
    assert two.is_dir()


def test_rotation_removes_shared_scans_no_backup_names_after_the_grace(tmp_path, monkeypatch):
    old, new = fake(tmp_path, datetime(2025, 12, 30, 9, 0)), fake(tmp_path, datetime(2026, 1, 1, 10, 0))
    shared = tmp_path / "scans" / "files" / "ab" / "cd"
    shared.mkdir(parents=True)
    for name in ("kept.pdf", "gone.pdf", "recent.pdf"):
        (shared / name).write_bytes(b"x")
    (new / "manifest.json").write_text(json.dumps({"files": [], "scans": [{"path": "files/ab/cd/kept.pdf"}]}))
    (old / "manifest.json").write_text(json.dumps({"files": [], "scans": [{"path": "files/ab/cd/gone.pdf"}]}))
    import os
    import time
    for name in ("kept.pdf", "gone.pdf"):
        os.utime(shared / name, (time.time() - 2 * 86400,) * 2)
    assert backups.rotate(tmp_path, SERIES, daily=1, weekly=0, monthly=0) == [old]
    assert sorted(p.name for p in shared.iterdir()) == ["kept.pdf", "recent.pdf"]


# The database in pieces: what the next backup writes, what it trusts, what the daily re-read finds -----------


def test_the_next_backup_writes_only_the_pieces_that_changed(with_scans, clock, tmp_path, monkeypatch):
    ctx, _, _ = with_scans
    monkeypatch.setattr(backup_chunks, "CHUNK_SIZE", 8 << 10)  # the demo database is small: small pieces
    first = backups.make_backup(ctx)
    clock.advance(days=1)  # another day: rotation keeps both
    receive(ctx, 3)
    second = backups.make_backup(ctx)
    assert first.verified and second.verified
    total = len(samples.pieces(second.path))
    assert 0 < second.pieces_written < total // 2 and second.pieces_written + second.pieces_reused == total
    shared = set(samples.pieces(first.path)) & set(samples.pieces(second.path))
    assert shared and len(shared) <= second.pieces_reused  # the unchanged pieces are the first backup's files
    # each backup on its own: every piece re-read, the database put together and checked
    assert backups.verify_backup(first.path) == [] and backups.verify_backup(second.path) == []
    assert copy_rows(first.path, "SELECT COUNT(*) FROM dossier") == [(2,)]
    assert copy_rows(second.path, "SELECT COUNT(*) FROM dossier") == [(3,)]
    clock.advance(hours=4)
    third = backups.make_backup(ctx)  # nothing changed but the audit line of the second: a few pieces
    assert third.verified and 0 < third.pieces_written < total // 4


def test_a_piece_damaged_on_the_destination_is_found_by_the_daily_reread_and_written_again(with_scans, clock,
                                                                                          monkeypatch):
    ctx, _, _ = with_scans
    monkeypatch.setattr(backup_chunks, "CHUNK_SIZE", 8 << 10)
    first = samples.pieces(backups.make_backup(ctx).path)
    clock.advance(hours=4)
    second = backups.make_backup(ctx)  # the first is rotated away (one a day), its unchanged pieces stay
    piece = next(p for p in samples.pieces(second.path)[1:] if p in first)
    samples.damage(piece)  # the USB drive loses a piece after the backups verified
    clock.advance(hours=4)
    trusted = backups.make_backup(ctx)  # within the day: the unchanged piece is trusted by its size
    assert trusted.verified
    assert backups.verify_backup(trusted.path) != []  # …but a backup checked on its own (a restore) finds it
    clock.advance(days=1)
    reread = backups.make_backup(ctx)  # once a day every piece is read back
    assert not reread.verified and any(piece.name in f and "hỏng" in f for f in reread.findings)
    assert not piece.exists()  # the damaged piece is dropped…
    clock.advance(minutes=5)
    again = backups.make_backup(ctx)  # …so the next backup writes it again
    assert again.verified and again.pieces_written >= 1 and backups.verify_backup(again.path) == []


def test_a_backup_of_the_earlier_format_still_verifies_and_restores(with_scans, tmp_path):
    """Format 1 (before the pieces): the database as database.sqlite3 in the backup's own folder."""
    ctx, _, _ = with_scans
    made = backups.make_backup(ctx)
    manifest = samples.manifest(made.path)
    database = made.path / "database.sqlite3"
    with backups.database_of(made.path, tmp_path) as assembled:
        shutil.copyfile(assembled, database)
    manifest.pop("database")
    manifest.update(format=1, files=[{"path": "database.sqlite3", "size": database.stat().st_size,
                                      "sha256": hashlib.sha256(database.read_bytes()).hexdigest()}])
    (made.path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    shutil.rmtree(made.destination / "db-chunks")
    assert backups.verify_backup(made.path) == []
    assert copy_rows(made.path, "SELECT COUNT(*) FROM dossier") == [(2,)]
    database.write_bytes(b"hong")
    assert any("database.sqlite3" in f for f in backups.verify_backup(made.path))


def test_rotation_removes_the_pieces_no_backup_names_after_the_grace(with_scans, clock):
    import os
    import time
    ctx, _, _ = with_scans
    first = backups.make_backup(ctx)
    clock.advance(days=1)
    receive(ctx, 3)
    second = backups.make_backup(ctx)
    only_first = set(samples.pieces(first.path)) - set(samples.pieces(second.path))
    assert only_first
    for piece in [*samples.pieces(first.path), *samples.pieces(second.path)]:
        os.utime(piece, (time.time() - 2 * 86400,) * 2)
    assert backups.rotate(first.destination, SERIES, daily=1, weekly=0, monthly=0) == [first.path]
    assert not any(piece.exists() for piece in only_first)
    assert all(piece.exists() for piece in samples.pieces(second.path)) and backups.verify_backup(second.path) == []


def test_the_check_within_the_day_covers_every_table_on_two_threads_and_finds_a_damaged_one(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "t.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size = 4096")
    for table in ("a", "b", "c"):
        db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, v TEXT)")
        db.execute(f"CREATE INDEX {table}_v ON {table} (v)")
        db.executemany(f"INSERT INTO {table} (v) VALUES (?)", [(f"{table}{i:06d}" * 8,) for i in range(3000)])
    db.execute("CREATE VIRTUAL TABLE s USING fts5(x)")  # checked through its shadow tables
    db.commit()
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'b_v'").fetchone()[0]
    db.close()
    size = path.stat().st_size

    def check():
        checkers = tuple(sqlite3.connect(path, check_same_thread=False) for _ in range(2))
        statements: list[str] = []
        for connection in checkers:
            connection.set_trace_callback(statements.append)
        with ThreadPoolExecutor(max_workers=2) as pool:
            result = backups._integrity(checkers, size, pool)
        for connection in checkers:
            connection.close()
        return result, statements

    result, statements = check()
    assert result == ["ok"]
    checked = {s.split('("')[1].rstrip('")') for s in statements if s.startswith("PRAGMA integrity_check(")}
    assert {"a", "b", "c", "s_data", "s_idx"} <= checked and "s" not in checked
    data = bytearray(path.read_bytes())  # an index's root page overwritten: its table's check says so
    data[(root - 1) * 4096 + 100:(root - 1) * 4096 + 900] = b"\x07" * 800
    path.write_bytes(bytes(data))
    result, _ = check()
    assert result != ["ok"] and result
