"""db.backup.snapshot_hashed: a consistent, self-contained copy of a live WAL database at file-copy speed, falling
back to SQLite's backup API when the WAL cannot be emptied."""

import hashlib
import sqlite3
import threading

import pytest

from db import backup
from db.backup import snapshot_hashed


def live(path):
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, pair INTEGER NOT NULL)")
    return db


def test_the_copy_is_a_consistent_self_contained_file_while_a_writer_keeps_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "snapshot_file", lambda *_: pytest.fail("the file copy was not used"))
    db = live(tmp_path / "live.sqlite3")
    stop = threading.Event()

    def write():
        n = 0
        while not stop.is_set():
            n += 1
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO t (pair) VALUES (?)", (n,))
            db.execute("INSERT INTO t (pair) VALUES (?)", (n,))  # rows come in pairs: half a commit shows
            db.execute("COMMIT")
            stop.wait(0.001)  # a busy counter, not a benchmark: the checkpoint finds its moments
    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [snapshot_hashed(tmp_path / "live.sqlite3", tmp_path / f"copy-{i}.sqlite3") for i in range(3)]
    finally:
        stop.set()
        writer.join()
    for path, digest in copies:
        assert hashlib.sha256(path.read_bytes()).digest().hex() == digest
        assert path.read_bytes()[18:20] == b"\x01\x01"  # a rollback-journal file: no -wal/-shm when read
        copy = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) % 2, COUNT(DISTINCT pair) * 2 = COUNT(*) FROM t").fetchone() == (0, 1)
        copy.close()
        assert not path.with_name(path.name + "-wal").exists()


def test_a_reader_that_keeps_the_wal_busy_sends_it_through_the_backup_api(tmp_path, monkeypatch):
    db = live(tmp_path / "live.sqlite3")
    db.execute("INSERT INTO t (pair) VALUES (1)")
    old = sqlite3.connect(tmp_path / "live.sqlite3", isolation_level=None)
    old.execute("BEGIN")
    old.execute("SELECT COUNT(*) FROM t").fetchone()  # an old snapshot: the WAL cannot be truncated
    db.execute("INSERT INTO t (pair) VALUES (2)")
    used = []
    real = backup.snapshot_file
    monkeypatch.setattr(backup, "snapshot_file", lambda source, dest: used.append(dest) or real(source, dest))
    path, digest = snapshot_hashed(tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3")
    old.rollback()
    assert used == [path] and hashlib.sha256(path.read_bytes()).hexdigest() == digest
    copy = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    assert copy.execute("SELECT COUNT(*) FROM t").fetchone() == (2,)
    copy.close()
