"""The AppContext: everything an intent needs, built once in main.py (or a test) and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from peewee import SqliteDatabase

from counter.clock import Clock
from counter.records import User


@dataclass
class AppContext:
    database: SqliteDatabase
    data_dir: Path
    clock: Clock = field(default_factory=Clock)
    user: User | None = None  # the logged-in clerk; None for scripts
    cache: dict = field(default_factory=dict)  # derived data (the work calendar), dropped on change

    @property
    def db_path(self) -> Path:
        return Path(self.database.database)
