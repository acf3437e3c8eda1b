"""The integrity check (counter.integrity): a clean database passes; each kind of damage, made by hand with sqlite3
or on the scans store, is found and named; the quick check at start refuses a damaged file and leaves it as it was."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from counter import integrity, records
from counter.context import AppContext
from counter.dossiers import lifecycle, reception
from counter.errors import DatabaseUnusable
from counter.scans import attachments
from counter.scans import store as scan_store
from counter.setup import open_app
from db import portable
from db.database import is_postgres, make_database
from devtools.demo.build import add_demo_dossiers
from tests.counter import scan_samples as s


def receive(ctx, id_number, name="Trần Thị Bích"):
    draft = records.DossierDraft(procedure_code="2.001035",
                                 applicant=records.ApplicantInput(id_number=id_number, full_name=name))
    dossier, _ = reception.receive_dossier(ctx, draft)
    return dossier


@pytest.fixture
def office(ctx, clerk, clock, tmp_path):
    """Demo dossiers, two received here, the first handed over, with a scan each."""
    add_demo_dossiers(ctx, 30, seed=3)
    first, second = receive(ctx, "001190000001"), receive(ctx, "001190000002", "Lê Văn Nam")
    clock.advance(minutes=5)
    lifecycle.handover(ctx, first.code, "Phòng Tư pháp")
    scans = [attachments.attach_component(ctx, code, 1, [s.jpeg(tmp_path / f"{i}.jpg", colour)])[0]
             for i, (code, colour) in enumerate(((first.code, s.RED), (second.code, s.GREEN)))]
    return ctx, first.code, second.code, scans


def damage(ctx, *statements):
    """Change the file behind the app's back, as a person with the sqlite3 shell would (no foreign keys); on
    PostgreSQL as a superuser with psql would, triggers and foreign keys off (session_replication_role)."""
    if is_postgres(ctx.database):
        with ctx.database.atomic():
            ctx.database.execute_sql("SET LOCAL session_replication_role = replica")
            for statement in statements:
                sql, params = statement if isinstance(statement, tuple) else (statement, ())
                portable.execute(ctx.database, sql, params)
        return
    connection = sqlite3.connect(ctx.db_path)
    try:
        for statement in statements:
            connection.execute(*statement) if isinstance(statement, tuple) else connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def kinds(report):
    return {f.kind for f in report.findings}


def messages(report, kind):
    return [f.message for f in report.findings if f.kind == kind]


def test_a_clean_database_passes_both_checks(office):
    ctx = office[0]
    for full in (False, True):
        report = integrity.check(ctx, full=full)
        assert report.ok, report.findings
        assert report.checked["dossiers"] == 32 and report.checked["scans"] == 2
        assert report.checked["store_files"] == 4  # each scan and its thumbnail
        assert "nguyên vẹn" in report.summary()


def test_a_dossier_without_its_history_is_named(office):
    ctx, first, _, _ = office
    damage(ctx, ("DELETE FROM dossier_history WHERE dossier_id = (SELECT id FROM dossier WHERE code = ?)", (first,)))
    report = integrity.check(ctx)
    assert messages(report, integrity.HISTORY_MISSING) == [f"Hồ sơ {first} không có dòng lịch sử nào "
                                                           "(thiếu cả bước tiếp nhận)."]
    # Its step entries now point at no history row: each named too.
    assert len(messages(report, integrity.OUTBOX_MISMATCH)) == 2
    assert all(first in m for m in messages(report, integrity.OUTBOX_MISMATCH))


def test_a_dossier_without_its_outbox_entry_is_named(office):
    ctx, _, second, _ = office
    damage(ctx, ("DELETE FROM outbox_entry WHERE kind = 'dossier' AND key = ?", (second,)))
    report = integrity.check(ctx)
    assert kinds(report) == {integrity.OUTBOX_MISSING}
    assert second in messages(report, integrity.OUTBOX_MISSING)[0]


def test_a_dossier_whose_entry_was_given_to_another_dossier_is_named_though_the_counts_agree(office):
    """As many dossier entries as dossiers, but one belongs to the wrong dossier: the shortcut that skips the search
    for dossiers without their entry must not take it."""
    ctx, first, second, _ = office
    damage(ctx, ("UPDATE outbox_entry SET dossier_id = (SELECT id FROM dossier WHERE code = ?) "
                 "WHERE kind = 'dossier' AND key = ?", (first, second)))
    report = integrity.check(ctx)
    assert any(f"mang mã {second} nhưng thuộc hồ sơ {first}" in m for m in messages(report, integrity.OUTBOX_MISMATCH))
    assert [m for m in messages(report, integrity.OUTBOX_MISSING) if second in m]


@pytest.mark.sqlite_only(reason="PRAGMA foreign_key_check finds these rows; PostgreSQL refuses them (foreign keys "
                                "enforced by the server)")
def test_a_deleted_dossier_leaves_rows_pointing_nowhere(office):
    ctx, first, _, _ = office
    damage(ctx, ("DELETE FROM dossier WHERE code = ?", (first,)))
    report = integrity.check(ctx)
    assert {integrity.FOREIGN_KEY, integrity.OUTBOX_ORPHAN} <= kinds(report)
    assert any(m.startswith("Bảng dossier_history, dòng") for m in messages(report, integrity.FOREIGN_KEY))
    orphans = messages(report, integrity.OUTBOX_ORPHAN)
    assert len(orphans) == 3 and any(first in m for m in orphans)  # the dossier entry, keyed by its code


def test_an_outbox_entry_of_no_dossier_is_named(office):
    ctx, _, second, _ = office
    damage(ctx, ("UPDATE outbox_entry SET dossier_id = NULL WHERE kind = 'dossier' AND key = ?", (second,)))
    report = integrity.check(ctx)
    assert any(second in m and "không thuộc hồ sơ nào" in m for m in messages(report, integrity.OUTBOX_ORPHAN))
    assert second in messages(report, integrity.OUTBOX_MISSING)[0]


def test_a_synced_step_of_a_dossier_never_sent_is_named_but_not_the_other_way_round(office):
    ctx, first, _, _ = office
    where = "dossier_id = (SELECT id FROM dossier WHERE code = ?)"
    # The dossier sent, its steps not yet: how the outbox works.
    damage(ctx, (f"UPDATE outbox_entry SET state = 'synced', sent_revision = revision WHERE kind = 'dossier' "
                 f"AND {where}", (first,)))
    assert integrity.check(ctx).ok
    damage(ctx, (f"UPDATE outbox_entry SET state = 'pending', sent_revision = 0 WHERE kind = 'dossier' AND {where}",
                 (first,)),
           (f"UPDATE outbox_entry SET state = 'synced', sent_revision = 1 WHERE kind = 'step' AND {where}", (first,)))
    found = messages(integrity.check(ctx), integrity.STEP_BEFORE_DOSSIER)
    assert len(found) == 2 and all(first in m and "chưa từng được gửi" in m for m in found)


def test_codes_twice_out_of_shape_or_outside_the_workstation_block_are_named(office):
    ctx, first, second, _ = office
    damage(ctx, "DROP INDEX dossier_code", ("UPDATE dossier SET code = ? WHERE code = ?", (first, second)))
    assert messages(integrity.check(ctx), integrity.CODE_DUPLICATE) == [f"Mã hồ sơ {first} được dùng cho 2 hồ sơ."]
    damage(ctx, ("UPDATE dossier SET workstation = 3 WHERE id = (SELECT MIN(id) FROM dossier WHERE code = ?)",
                 (first,)))
    block = messages(integrity.check(ctx), integrity.CODE_BLOCK)
    assert block == [f"Mã hồ sơ {first} nằm ngoài dải số của máy tiếp nhận số 3 (3000–3999) đã tiếp nhận hồ sơ."]
    damage(ctx, ("UPDATE dossier SET code = 'HS-1', workstation = 0 WHERE id = (SELECT MIN(id) FROM dossier "
                 "WHERE code = ?)", (first,)))
    report = integrity.check(ctx)
    assert messages(report, integrity.CODE_SHAPE) == ["Mã hồ sơ “HS-1” không đúng dạng 000.00.00.H00-yyMMdd-NNNN."]
    assert not messages(report, integrity.CODE_BLOCK)
    # The dossier entries still carry the codes they were made with.
    assert any("nhưng thuộc hồ sơ HS-1" in m for m in messages(report, integrity.OUTBOX_MISMATCH))


def test_a_missing_or_truncated_scan_is_named_with_its_dossier(office):
    ctx, first, second, (a, b) = office
    (ctx.data_dir / a.path).unlink()
    (ctx.data_dir / b.path).write_bytes((ctx.data_dir / b.path).read_bytes()[:100])
    report = integrity.check(ctx)
    assert messages(report, integrity.SCAN_MISSING) == [f"Bản số hóa của hồ sơ {first} không có trong kho: {a.path}."]
    assert messages(report, integrity.SCAN_SIZE) == [f"Bản số hóa của hồ sơ {second} trong kho có 100 byte, đúng ra "
                                                     f"{b.size} byte: {b.path}."]


def test_a_scan_changed_in_place_is_found_by_the_full_check_only(office):
    ctx, _, second, (_, b) = office
    path = ctx.data_dir / b.path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert integrity.check(ctx).ok  # same size: the quick one cannot tell
    report = integrity.check(ctx, full=True)
    assert messages(report, integrity.SCAN_HASH) == [f"Bản số hóa của hồ sơ {second} đã bị thay đổi (mã SHA-256 "
                                                     f"không khớp): {b.path}."]


def test_orphan_and_half_written_files_in_the_store_are_named(office, tmp_path):
    ctx, _, _, (a, _) = office
    data = b"%PDF-1.4 not referenced"
    sha256 = hashlib.sha256(data).hexdigest()
    scan_store.put(ctx.data_dir, sha256, data, b"png")  # as a killed attach leaves it: files, no row
    stray = ctx.data_dir / "files" / "ghi-chu.txt"
    stray.write_text("?")
    partial = ctx.data_dir / a.path.rsplit("/", 1)[0] / ".tmp-abc.pdf"
    partial.write_bytes(b"%PDF")
    young = messages(integrity.check(ctx), integrity.SCAN_ORPHAN)  # the store's files: maybe an attach in flight
    assert young == ["Tệp files/ghi-chu.txt trong kho bản số hóa không thuộc bản số hóa nào."]
    for path in (scan_store.file_path(ctx.data_dir, sha256), scan_store.thumbnail_path(ctx.data_dir, sha256)):
        age(path, scan_store.IN_FLIGHT_SECONDS + 5)
    age(partial, scan_store.STRAY_AFTER_SECONDS + 5)  # no writer named in it: only its age tells
    report = integrity.check(ctx)
    orphans = messages(report, integrity.SCAN_ORPHAN)
    assert sorted(orphans) == sorted(f"Tệp {p} trong kho bản số hóa không thuộc bản số hóa nào." for p in
                                     (scan_store.relative_path(sha256), scan_store.relative_thumbnail(sha256),
                                      "files/ghi-chu.txt"))
    assert messages(report, integrity.SCAN_PARTIAL) == [f"Tệp tạm {partial.relative_to(ctx.data_dir).as_posix()} là "
                                                        "một lần ghi bản số hóa bị bỏ dở."]


def age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_young_orphan_and_a_live_writers_temporary_file_are_no_finding_a_dead_writers_is(office):
    ctx, _, _, (a, _) = office
    data = b"%PDF-1.4 in flight"
    sha256 = hashlib.sha256(data).hexdigest()
    scan_store.put(ctx.data_dir, sha256, data, b"png")  # renamed into place, its row not committed yet
    folder = ctx.data_dir / a.path.rsplit("/", 1)[0]
    live = folder / f".tmp-{os.getpid()}-x1.pdf"
    live.write_bytes(b"%PDF")
    dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
    dead = folder / f".tmp-{dead_pid}-x2.pdf"
    dead.write_bytes(b"%P")
    report = integrity.check(ctx)
    assert messages(report, integrity.SCAN_ORPHAN) == []
    assert messages(report, integrity.SCAN_PARTIAL) == [f"Tệp tạm {dead.relative_to(ctx.data_dir).as_posix()} là "
                                                        "một lần ghi bản số hóa bị bỏ dở."]


@pytest.mark.sqlite_only(reason="PRAGMA foreign_key_check finds these rows; PostgreSQL refuses them (foreign keys "
                                "enforced by the server)")
def test_a_stored_file_row_deleted_leaves_its_files_orphan_and_its_attachment_dangling(office):
    ctx, _, _, (a, _) = office
    damage(ctx, ("DELETE FROM stored_file WHERE sha256 = ?", (a.sha256,)))
    for path in (scan_store.file_path(ctx.data_dir, a.sha256), scan_store.thumbnail_path(ctx.data_dir, a.sha256)):
        age(path, scan_store.IN_FLIGHT_SECONDS + 5)
    report = integrity.check(ctx)
    assert any(m.startswith("Bảng attachment, dòng") for m in messages(report, integrity.FOREIGN_KEY))
    assert len([m for m in messages(report, integrity.SCAN_ORPHAN) if a.sha256 in m]) == 2


def test_many_findings_of_one_kind_are_capped_with_a_count(office, monkeypatch):
    ctx = office[0]
    monkeypatch.setattr(integrity, "MAX_LISTED", 5)
    damage(ctx, "DELETE FROM outbox_entry WHERE kind = 'dossier'")
    found = messages(integrity.check(ctx), integrity.OUTBOX_MISSING)
    assert len(found) == 6 and found[-1] == "… và 27 hồ sơ khác cùng loại (không liệt kê hết)."


def corrupt_a_page(path, table="dossier_history"):
    """Overwrite a b-tree page's header: SQLite's own check fails on it."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size + 3)
        f.write(b"\xff\xff\x00\x01\xff\xff")


@pytest.mark.sqlite_only(reason="about the SQLite file itself (its pages, PRAGMA quick_check, the check before "
                                "opening it)")
def test_a_damaged_file_is_named_by_the_check_and_refused_at_start_untouched(office):
    ctx = office[0]
    path = ctx.db_path
    ctx.database.close()
    corrupt_a_page(path)
    damaged = AppContext(database=make_database(path), data_dir=ctx.data_dir, clock=ctx.clock)
    report = integrity.check(damaged)
    damaged.database.close()
    assert integrity.INTEGRITY in kinds(report) and not report.ok
    before = {p.name: p.read_bytes() for p in path.parent.glob("quaymotcua.sqlite3*")}
    with pytest.raises(integrity.DatabaseDamaged) as refused:
        open_app(ctx.data_dir)
    assert str(refused.value).startswith(f"Cơ sở dữ liệu “{path}” bị hỏng (")
    assert "không ghi gì" in str(refused.value) and "main.py restore" in str(refused.value)
    assert {p.name: p.read_bytes() for p in path.parent.glob("quaymotcua.sqlite3*")} == before


@pytest.mark.sqlite_only(reason="about the SQLite file itself (its pages, PRAGMA quick_check, the check before "
                                "opening it)")
def test_the_quick_check_at_start_lets_a_new_or_sound_database_open(tmp_path):
    open_app(tmp_path / "data").database.close()  # new
    open_app(tmp_path / "data").database.close()  # sound
    integrity.check_at_start(tmp_path / "nothing.sqlite3")


@pytest.mark.sqlite_only(reason="about the SQLite file itself (its pages, PRAGMA quick_check, the check before "
                                "opening it)")
def test_a_file_that_is_no_database_is_refused_at_start(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "quaymotcua.sqlite3").write_bytes(b"not a database " * 300)
    with pytest.raises(DatabaseUnusable):  # the file check before SQLite's quick check refuses it
        open_app(data)
    assert (data / "quaymotcua.sqlite3").read_bytes() == b"not a database " * 300


def test_the_report_as_json():
    report = integrity.Report(full=True, findings=(integrity.Finding(integrity.SCAN_MISSING, "x"),), checked={"a": 1})
    assert report.to_json() == {"ok": False, "full": True, "checked": {"a": 1},
                                "findings": [{"kind": "scan_missing", "message": "x"}]}


@pytest.mark.sqlite_only(reason="about the SQLite file itself (its pages, PRAGMA quick_check, the check before "
                                "opening it)")
def test_the_quick_check_at_start_reads_a_database_another_process_is_writing(tmp_path):
    open_app(tmp_path / "data").database.close()
    path = tmp_path / "data" / "quaymotcua.sqlite3"
    writer = sqlite3.connect(path)  # the app, still running: its write-ahead log beside the file
    writer.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')")
    writer.commit()
    try:
        assert path.with_name(path.name + "-wal").exists()
        integrity.check_at_start(path)
    finally:
        writer.close()


@pytest.mark.sqlite_only(reason="about the SQLite file itself (its pages, PRAGMA quick_check, the check before "
                                "opening it)")
def test_the_full_check_in_parts_finds_an_index_that_disagrees_with_its_rows(tmp_path):
    """--full runs quick_check of the whole file, then integrity_check of each table on two threads: together what
    integrity_check finds — here a row missing from its index, which quick_check does not look for."""
    path = tmp_path / "t.sqlite3"
    db = sqlite3.connect(path)
    for table in ("big", "small"):
        db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
        db.execute(f"CREATE INDEX {table}_a ON {table} (a)")
        db.executemany(f"INSERT INTO {table} (a, b) VALUES (?, ?)", [(f"a{i}", f"b{i}") for i in range(500)])
    db.commit()
    assert integrity._full_file_problems(path, integrity._TableChecks(path)) == ("integrity_check", [])
    db.execute("PRAGMA writable_schema = ON")  # the index now claims to be on b: its entries are a's
    db.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX small_a ON small (b)' WHERE name = 'small_a'")
    db.commit()
    db.close()
    quick = sqlite3.connect(path)
    assert quick.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    quick.close()
    pragma, problems = integrity._full_file_problems(path, integrity._TableChecks(path))
    assert pragma == "integrity_check" and any("small_a" in p for p in problems)


def test_on_postgresql_the_check_runs_the_row_checks_and_says_what_the_server_keeps(pg_url, tmp_path, clock):
    from counter.setup import open_office_database, seed_demo

    ctx = open_office_database(pg_url, tmp_path / "office", clock)
    try:
        seed_demo(ctx)
        add_demo_dossiers(ctx, 5, seed=3)
        report = integrity.check(ctx)
        assert report.ok and report.on_server and report.checked["dossiers"] == 5
        assert "không chạy PRAGMA quick_check, foreign_key_check" in report.summary()
        assert report.to_json()["not_checked"] == integrity.NOT_ON_SERVER
        damage(ctx, "DELETE FROM outbox_entry WHERE kind = 'dossier'")
        assert len(messages(integrity.check(ctx), integrity.OUTBOX_MISSING)) == 5
        first, second = [row[0] for row in ctx.database.execute_sql("SELECT code FROM dossier ORDER BY id LIMIT 2")]
        damage(ctx, ("UPDATE dossier SET code = 'HS-1' WHERE code = ?", (first,)),
               ("UPDATE dossier SET workstation = 3 WHERE code = ?", (second,)))
        report = integrity.check(ctx)  # the code's shape and block on PostgreSQL's regular expressions
        assert messages(report, integrity.CODE_SHAPE) == ["Mã hồ sơ “HS-1” không đúng dạng 000.00.00.H00-yyMMdd-NNNN."]
        assert messages(report, integrity.CODE_BLOCK) == [
            f"Mã hồ sơ {second} nằm ngoài dải số của máy tiếp nhận số 3 (3000–3999) đã tiếp nhận hồ sơ."]
    finally:
        ctx.database.close()


def test_the_apps_connection_gets_its_page_cache_back_after_a_check(office):
    ctx = office[0]
    before = ctx.database.execute_sql("PRAGMA cache_size").fetchone()[0]
    assert integrity.check(ctx, full=True).ok
    assert ctx.database.execute_sql("PRAGMA cache_size").fetchone()[0] == before


@pytest.mark.sqlite_only(reason="the SQLite file's own quick_check at start")
def test_only_a_check_asked_right_after_the_start_leans_on_the_starts_quick_check(office):
    """`main.py check` does not read the whole file twice (the start's quick_check stands, minutes old at most);
    any other check reads it again: the file may have been damaged since the app started."""
    ctx = office[0]
    path = ctx.db_path
    ctx.database.close()
    open_app(ctx.data_dir).database.close()  # the start's quick_check passes and is remembered
    corrupt_a_page(path, "dossier_history_dossier_id")  # an index: its table's integrity_check does not see it whole
    damaged = AppContext(database=make_database(path), data_dir=ctx.data_dir, clock=ctx.clock)
    try:
        assert integrity.INTEGRITY in kinds(integrity.check(damaged))
        assert integrity.INTEGRITY not in kinds(integrity.check(damaged, after_start=True))
        integrity._passed_at_start[path.resolve()] -= integrity.START_CHECK_HOLDS_S
        assert integrity.INTEGRITY in kinds(integrity.check(damaged, after_start=True))  # too old to stand
    finally:
        damaged.database.close()
