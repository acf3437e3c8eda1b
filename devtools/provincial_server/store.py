"""The province's own SQLite file: dossiers keyed by MaHoSo, processing steps keyed by their content, files.

Every write method takes a whole call's items and applies all of them or none (one transaction under the
lock), so a refused item never leaves its neighbours half-applied.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# A step has no id of its own on the wire (neither peer sends one): the province keeps one row per identical
# step, keyed by the SHA-256 of its JSON with sorted keys, so a step resent byte for byte is not doubled.
# (`progress_step`, not the old `step` table keyed by MaBuoc: an old province file is left as it was.)
SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier (code TEXT PRIMARY KEY, body TEXT NOT NULL, writes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS progress_step (key TEXT PRIMARY KEY, code TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file (id TEXT PRIMARY KEY, name TEXT NOT NULL, data BLOB NOT NULL);
"""


def _json(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False)


def step_key(step: dict) -> str:
    return hashlib.sha256(json.dumps(step, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


class Store:
    def __init__(self, path: str):
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        # WAL without an fsync per insert: a test double's durability is not under test, and a province
        # that fsyncs every row would make the end-of-day benchmark measure this disk, not our client.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _has_dossier(self, code: str) -> bool:
        return self._db.execute("SELECT 1 FROM dossier WHERE code = ?", (code,)).fetchone() is not None

    def get_dossier(self, code: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM dossier WHERE code = ?", (code,)).fetchone()
        return json.loads(row[0]) if row else None

    def insert_dossiers(self, bodies: list[dict]) -> str | None:
        """Insert them all, or none: returns the first code the province already holds (nothing written)."""
        with self._transaction() as db:
            existing = next((b["MaHoSo"] for b in bodies if self._has_dossier(b["MaHoSo"])), None)
            if existing is None:
                db.executemany("INSERT INTO dossier VALUES (?, ?, 1)", [(b["MaHoSo"], _json(b)) for b in bodies])
        return existing

    def update_dossiers(self, bodies: list[dict]) -> str | None:
        """Replace them all, or none: returns the first code the province does not hold (nothing written)."""
        with self._transaction() as db:
            unknown = next((b["MaHoSo"] for b in bodies if not self._has_dossier(b["MaHoSo"])), None)
            if unknown is None:
                db.executemany("UPDATE dossier SET body = ?, writes = writes + 1 WHERE code = ?",
                               [(_json(b), b["MaHoSo"]) for b in bodies])
        return unknown

    def set_status(self, code: str, status: str) -> bool:
        """The province moves a dossier on by itself (`POST /_admin/set_status`)."""
        body = self.get_dossier(code)
        return body is not None and self.update_dossiers([{**body, "TrangThaiHoSo": status}]) is None

    def add_steps(self, steps: list[dict]) -> str | None:
        """Record them all, or none: returns the first code of a step whose dossier the province does not hold.
        A step identical to one already recorded (same JSON, sorted keys) is kept once."""
        with self._transaction() as db:
            unknown = next((s["MaHoSo"] for s in steps if not self._has_dossier(s["MaHoSo"])), None)
            if unknown is None:
                db.executemany("INSERT OR IGNORE INTO progress_step VALUES (?, ?, ?)",
                               [(step_key(s), s["MaHoSo"], _json(s)) for s in steps])
        return unknown

    def add_file(self, name: str, data: bytes) -> str:
        """Content-addressed: the same bytes uploaded again (a lost answer retried) keep one file and its id."""
        file_id = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO file VALUES (?, ?, ?)", (file_id, name, data))
        return file_id

    def has_file(self, file_id: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM file WHERE id = ?", (file_id,)).fetchone() is not None

    def get_file(self, file_id: str) -> tuple[str, bytes] | None:
        with self._lock:
            row = self._db.execute("SELECT name, data FROM file WHERE id = ?", (file_id,)).fetchone()
        return (row[0], bytes(row[1])) if row else None

    def state(self) -> dict:
        with self._lock:
            dossiers = self._db.execute("SELECT body, writes FROM dossier ORDER BY code").fetchall()
            steps = self._db.execute("SELECT body FROM progress_step ORDER BY rowid").fetchall()
            files = self._db.execute("SELECT id, name, length(data) FROM file ORDER BY rowid").fetchall()
        return {"dossiers": [{**json.loads(b), "_writes": w} for b, w in dossiers],
                "steps": [json.loads(b) for (b,) in steps],
                "files": [{"id": i, "name": n, "size": size} for i, n, size in files]}
