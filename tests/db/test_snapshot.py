"""db.backup.file_snapshot: the live WAL database's own bytes as a consistent snapshot, with connections that see
exactly them; SQLite's backup API into a spare file when the WAL cannot be emptied."""

import sqlite3
import threading

import pytest

from db import backup
from db.backup import file_snapshot, tables_largest_first


def live(path):
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, pair INTEGER NOT NULL)")
    return db


def copy_of(snapshot, target):
    """The snapshot's bytes as a self-contained file (what a backup stores, in pieces)."""
    with open(snapshot.path, "rb") as source:
        data = source.read(snapshot.size)
    target.write_bytes(snapshot.header(data[:100]) + data[100:])
    return target


def test_the_live_file_is_a_consistent_snapshot_while_a_writer_keeps_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "snapshot_file", lambda *_: pytest.fail("the backup API was used"))
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
    seen = []
    try:
        for i in range(3):
            with file_snapshot(tmp_path / "live.sqlite3", tmp_path / "spare.sqlite3", readers=2) as snap:
                assert snap.live and snap.path == tmp_path / "live.sqlite3"
                stop.wait(0.05)  # the writer commits meanwhile: into the WAL, not into the snapshot's bytes
                counts = [c.execute("SELECT COUNT(*) FROM t").fetchone()[0] for c in snap.connections]
                seen.append((copy_of(snap, tmp_path / f"copy-{i}.sqlite3"), counts))
    finally:
        stop.set()
        writer.join()
    for path, counts in seen:
        assert path.read_bytes()[18:20] == b"\x01\x01"  # a rollback-journal file: no -wal/-shm when read
        copy = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) % 2, COUNT(DISTINCT pair) * 2 = COUNT(*) FROM t").fetchone() == (0, 1)
        assert [copy.execute("SELECT COUNT(*) FROM t").fetchone()[0]] * 2 == counts  # the readers saw the bytes
        copy.close()
        assert not path.with_name(path.name + "-wal").exists()
    assert not (tmp_path / "spare.sqlite3").exists()


def test_a_reader_that_keeps_the_wal_busy_sends_it_through_the_backup_api(tmp_path):
    db = live(tmp_path / "live.sqlite3")
    db.execute("INSERT INTO t (pair) VALUES (1)")
    old = sqlite3.connect(tmp_path / "live.sqlite3", isolation_level=None)
    old.execute("BEGIN")
    old.execute("SELECT COUNT(*) FROM t").fetchone()  # an old snapshot: the WAL cannot be truncated
    db.execute("INSERT INTO t (pair) VALUES (2)")
    spare = tmp_path / "spare.sqlite3"
    with file_snapshot(tmp_path / "live.sqlite3", spare) as snap:
        assert not snap.live and snap.path == spare and snap.size == spare.stat().st_size
        assert snap.header(b"x" * 100) == b"x" * 100  # the backup API's copy is self-contained already
        [reader] = snap.connections
        assert reader.execute("SELECT COUNT(*) FROM t").fetchone() == (2,)
    old.rollback()
    assert not spare.exists()


def test_the_tables_costliest_to_check_come_first(tmp_path):
    """Rows × (1 + indexes): a table with five indexes before a larger one with none; an FTS table's shadow
    tables by their rows, not by their blocks' far numbers."""
    connection = sqlite3.connect(tmp_path / "order.sqlite3")
    connection.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, a)")
    connection.execute("CREATE TABLE indexed (id INTEGER PRIMARY KEY, a, b, c, d, e)")
    for column in "abcde":
        connection.execute(f"CREATE INDEX indexed_{column} ON indexed ({column})")
    connection.execute("CREATE VIRTUAL TABLE words USING fts5(w)")
    connection.executemany("INSERT INTO plain (a) VALUES (?)", [(n,) for n in range(1000)])
    connection.executemany("INSERT INTO indexed (a, b, c, d, e) VALUES (?, ?, ?, ?, ?)", [(n,) * 5 for n in range(300)])
    connection.executemany("INSERT INTO words (w) VALUES (?)", [(f"từ {n}",) for n in range(100)])
    connection.commit()
    tables = tables_largest_first(connection)
    order = [tables.get_nowait() for _ in range(tables.qsize())]
    assert order[:2] == ["indexed", "plain"] and "words" not in order and "words_data" in order
