"""The province's own SQLite file: dossiers keyed by MaHoSo, steps keyed by MaBuoc, uploaded files."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading

SCHEMA = """
CREATE TABLE IF NOT EXISTS dossier (code TEXT PRIMARY KEY, body TEXT NOT NULL, writes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS step (step_id TEXT PRIMARY KEY, code TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file (id TEXT PRIMARY KEY, name TEXT NOT NULL, data BLOB NOT NULL);
"""


class Conflict(Exception):
    """Same key, different content."""


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

    def get_dossier(self, code: str) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM dossier WHERE code = ?", (code,)).fetchone()
        return json.loads(row[0]) if row else None

    def insert_dossier(self, body: dict) -> bool:
        """False if the code already exists."""
        with self._lock:
            cur = self._db.execute("INSERT OR IGNORE INTO dossier VALUES (?, ?, 1)",
                                   (body["MaHoSo"], json.dumps(body, ensure_ascii=False)))
            return cur.rowcount == 1

    def update_dossier(self, body: dict) -> bool:
        """False if the code is unknown."""
        with self._lock:
            cur = self._db.execute("UPDATE dossier SET body = ?, writes = writes + 1 WHERE code = ?",
                                   (json.dumps(body, ensure_ascii=False), body["MaHoSo"]))
            return cur.rowcount == 1

    def set_status(self, code: str, status: str) -> bool:
        body = self.get_dossier(code)
        if body is None:
            return False
        return self.update_dossier({**body, "TrangThaiHoSo": status})

    def add_step(self, body: dict) -> bool:
        """True if new, False if the same step was already recorded; Conflict if its content differs."""
        text = json.dumps(body, ensure_ascii=False, sort_keys=True)
        with self._lock:
            row = self._db.execute("SELECT body FROM step WHERE step_id = ?", (body["MaBuoc"],)).fetchone()
            if row is not None:
                if row[0] != text:
                    raise Conflict(body["MaBuoc"])
                return False
            self._db.execute("INSERT INTO step VALUES (?, ?, ?)", (body["MaBuoc"], body["MaHoSo"], text))
            return True

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
            steps = self._db.execute("SELECT body FROM step ORDER BY rowid").fetchall()
            files = self._db.execute("SELECT id, name, length(data) FROM file ORDER BY rowid").fetchall()
        return {"dossiers": [{**json.loads(b), "_writes": w} for b, w in dossiers],
                "steps": [json.loads(b) for (b,) in steps],
                "files": [{"id": i, "name": n, "size": size} for i, n, size in files]}
