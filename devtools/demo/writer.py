"""Bulk writing for demo data: ids assigned ahead, one `executemany` per table, and the counters
(codes per day and workstation, register numbers, use counts) moved past what each chunk used, in
the chunk's own writing transaction (IMMEDIATE on SQLite), so the database is consistent after every chunk.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from peewee import SqliteDatabase

from counter import records
from counter.clock import VN_TZ, local
from counter.errors import CounterError, ValidationError
from counter.office.codes import block
from db.database import bind, make_database, write_lock
from db.models import (
    Applicant,
    CodeCounter,
    Dossier,
    DossierApology,
    DossierComponent,
    DossierFee,
    DossierHistory,
    DossierPause,
    DossierResult,
    DossierReturn,
    DossierStop,
    OutboxEntry,
    Procedure,
    RegisterCounter,
    ServiceRating,
)
from db.portable import reserve_ids
from devtools.demo.people import Weighted

WORKSTATIONS = Weighted([(0, 45), (1, 35), (2, 20)])  # a three-counter office; 3–9 only when a day is full

# Parents before children: the foreign keys are checked on insert.
COLUMNS = {
    Applicant: ("id", "id_number", "full_name", "name_folded", "birth_date", "sex", "address", "address_folded",
                "phone", "email", "created_at", "updated_at"),
    Dossier: ("id", "code", "procedure_id", "procedure_version_id", "applicant_id", "applicant_name",
              "applicant_id_number", "applicant_address", "applicant_phone", "applicant_email", "applicant_kind",
              "channel", "return_method", "summary", "sets", "fee_total", "fee_exempt_reason", "received_at", "due_at",
              "original_due_at", "status", "unit", "register_book", "register_number", "received_by_id",
              "workstation", "has_digitised", "updated_at", "calendar_version"),
    DossierComponent: ("id", "dossier_id", "position", "code", "name", "form", "quantity", "pages", "handed_over"),
    DossierFee: ("id", "dossier_id", "name", "code", "amount", "kind", "paid_at"),
    DossierHistory: ("id", "dossier_id", "at", "action", "from_status", "to_status", "from_unit", "to_unit",
                     "actor_id", "actor_name", "note", "step_uuid"),
    OutboxEntry: ("id", "kind", "key", "dossier_id", "state", "revision", "sent_revision", "attempts",
                  "next_attempt_at", "last_error", "created_at", "updated_at"),
    DossierPause: ("id", "dossier_id", "unit", "paused_at", "reason", "items", "due_before", "remaining_minutes",
                   "resumed_at", "due_after", "requested_by_id"),
    DossierResult: ("id", "dossier_id", "recorded_at", "number", "result_code", "result_name", "note",
                    "recorded_by_id"),
    DossierReturn: ("id", "dossier_id", "returned_at", "collector_name", "collector_id_number", "authorised",
                    "returned_by_id"),
    ServiceRating: ("id", "dossier_id", "rated_at", "level", "reason"),
    DossierApology: ("id", "dossier_id", "issued_at", "reason", "due_before", "new_due", "signed_by_id",
                     "signer_name", "signer_title"),
    DossierStop: ("id", "dossier_id", "stopped_at", "reason", "signer_name", "signer_title", "recorded_by_id"),
}


def iso(dt: datetime | None) -> str | None:
    """What AwareDateTimeField stores ('2026-02-13T10:00:00+07:00'), written fast for Vietnam times."""
    if dt is None:
        return None
    if dt.tzinfo is not VN_TZ:
        return local(dt).isoformat(timespec="seconds")
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}+07:00"


@dataclass
class Batch:
    """One chunk of rows, ready to insert, with the counters as they stand after it."""

    rows: dict  # model → list of tuples, ids included
    first_ids: dict  # model → the id its first new row takes (the table must still end just before it)
    code_counters: list[tuple[str, str, int, int]]  # (agency, yyMMdd, workstation, last number)
    registers: list[tuple[str, int]]  # (book, last number)
    uses: dict[int, int]  # procedure id → dossiers added
    dossiers: int


class RowBuffer:
    """Rows of the chunk being built, with ids continuing from the table's maximum at the start."""

    def __init__(self, database):
        self.database = database
        self.next_id = {model: (database.execute_sql(f"SELECT MAX(id) FROM {quoted(database, model)}")
                                .fetchone()[0] or 0) + 1 for model in COLUMNS}
        self.rows: dict = {model: [] for model in COLUMNS}
        self.first_ids = dict(self.next_id)

    def add(self, model, *values) -> int:
        row_id = self.next_id[model]
        self.next_id[model] = row_id + 1
        self.rows[model].append((row_id, *values))
        return row_id

    def take(self) -> tuple[dict, dict]:
        rows, first_ids = self.rows, self.first_ids
        self.rows, self.first_ids = {model: [] for model in COLUMNS}, dict(self.next_id)
        # PostgreSQL numbers new rows from sequences: moved past this chunk's ids now, so a dossier received
        # meanwhile takes an id after them and the writer's check (`_check`) stops at the next chunk.
        reserve_ids(self.database, {model._meta.table_name: n for model, n in self.next_id.items()})
        return rows, first_ids


class BulkWriter:
    """Inserts batches on its own connection (so it runs beside the Python that builds the next one).

    That connection alone skips the fsync of each commit and gets a big page cache; it is closed at
    the end, so the app's connections keep synchronous=FULL throughout.
    """

    def __init__(self, database):
        self.database = database
        self.ready = False

    def write(self, batch: Batch) -> int:
        database = self.database
        if not self.ready:
            database.connect(reuse_if_open=True)
            if isinstance(database, SqliteDatabase):
                database.pragma("synchronous", 0)
                database.pragma("cache_size", -512_000)
            self.ready = True
        with database.atomic(write_lock(database)):
            self._check(batch.first_ids)
            cursor = database.cursor()
            for model, columns in COLUMNS.items():
                if batch.rows[model]:
                    names = ", ".join(quoted(database, c) for c in columns)
                    marks = ", ".join([database.param] * len(columns))
                    cursor.executemany(f"INSERT INTO {quoted(database, model)} ({names}) VALUES ({marks})",
                                       batch.rows[model])
            _save_counters(batch)
        return batch.dossiers

    def close(self) -> None:
        if self.ready and not self.database.is_closed():
            if isinstance(self.database, SqliteDatabase):
                self.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            self.database.close()

    def _check(self, first_ids: dict) -> None:
        """Ids were assigned ahead: no other program may have added rows since (a running app, say)."""
        for model, first in first_ids.items():
            last = self.database.execute_sql(f"SELECT MAX(id) FROM {quoted(self.database, model)}").fetchone()[0]
            if (last or 0) != first - 1:
                raise ConcurrentWrite("Trong lúc tạo hồ sơ mẫu, một chương trình khác đã ghi vào cơ sở dữ liệu "
                                      "(bảng " + model._meta.table_name + "). Các hồ sơ đã tạo vẫn được giữ; "
                                      "hãy đóng chương trình kia rồi chạy lại.")


# The writer's side, run in a thread of this process or in a second process (see demo.writing). --------

_writer: BulkWriter | None = None


def start_writer(database) -> None:
    """Executor initializer: a database handle (same process), or its path (a process of its own)."""
    global _writer
    if isinstance(database, str):
        database = bind(make_database(database))
    _writer = BulkWriter(database)


def write_batch(batch: Batch) -> int:
    return _writer.write(batch)


def close_writer() -> None:
    _writer.close()


class ConcurrentWrite(CounterError):
    """Another program wrote to the database while demo data was being added."""


def quoted(database, item) -> str:
    name = item if isinstance(item, str) else item._meta.table_name
    opening, closing = database.quote
    return f"{opening}{name}{closing}"


def _save_counters(batch: Batch) -> None:
    if batch.code_counters:
        CodeCounter.insert_many(batch.code_counters, fields=[
            CodeCounter.agency_id, CodeCounter.day, CodeCounter.workstation, CodeCounter.last_seq,
        ]).on_conflict(conflict_target=[CodeCounter.agency_id, CodeCounter.day, CodeCounter.workstation],
                       preserve=[CodeCounter.last_seq]).execute()
    if batch.registers:
        RegisterCounter.insert_many(batch.registers, fields=[RegisterCounter.book, RegisterCounter.last_number]
                                    ).on_conflict(conflict_target=[RegisterCounter.book],
                                                  preserve=[RegisterCounter.last_number]).execute()
    for procedure_id, count in batch.uses.items():
        Procedure.update(use_count=Procedure.use_count + count).where(Procedure.id == procedure_id).execute()


class Counters:
    """Codes, register numbers, result numbers and use counts as the demo hands them out."""

    def __init__(self, rng: random.Random, office: records.Office):
        self.rng, self.office = rng, office
        self.last_seq: dict[tuple[str, int], int] = {}  # (yyMMdd, workstation) → last number
        self.register: dict[str, int] = {}  # book → last number
        self.results: Counter = Counter()  # (procedure code, year) → last result number
        self.touched: set[tuple[str, int]] = set()
        self.uses: Counter = Counter()

    def load(self) -> None:
        """Start from the counters the database holds."""
        for row in CodeCounter.select().where(CodeCounter.agency_id == self.office.agency_id):
            self.last_seq[(row.day, row.workstation)] = row.last_seq
        self.register = {row.book: row.last_number for row in RegisterCounter.select()}

    def batch(self, rows: RowBuffer, dossiers: int) -> Batch:
        """The chunk's rows and the counters after it; starts the next chunk afresh."""
        agency = self.office.agency_id
        codes = [(agency, day, ws, self.last_seq[(day, ws)]) for day, ws in sorted(self.touched)]
        taken, first_ids = rows.take()
        batch = Batch(taken, first_ids, codes, sorted(self.register.items()), dict(self.uses), dossiers)
        self.touched, self.uses = set(), Counter()
        return batch

    def code(self, received_at: datetime) -> tuple[str, int]:
        """The next code of the day on a workstation: the counter's usual one, another if its block is full."""
        day = received_at.strftime("%y%m%d")
        preferred = WORKSTATIONS.pick(self.rng)
        for ws in [preferred] + [w for w in range(10) if w != preferred]:
            first, last = block(ws)
            seq = max(self.last_seq.get((day, ws), 0) + 1, first)
            if seq <= last:
                self.last_seq[(day, ws)] = seq
                self.touched.add((day, ws))
                return f"{self.office.agency_id}-{day}-{seq:04d}", ws
        raise ValidationError(f"Ngày {received_at:%d/%m/%Y} đã hết mã hồ sơ ở cả mười máy tiếp nhận: "
                              "hãy tạo ít hồ sơ mẫu hơn.")

    def register_number(self, received_at: datetime) -> tuple[str, int]:
        """One register book a year, named like the office's current one (01/2026 → 01/2023)."""
        match = re.fullmatch(r"(.*/)(\d{4})", self.office.register_book)
        book = f"{match.group(1)}{received_at.year}" if match else self.office.register_book
        self.register[book] = self.register.get(book, 0) + 1
        return book, self.register[book]

    def result_number(self, procedure_code: str, at: datetime) -> str:
        """The number of the result paper (Giấy khai sinh số 125/2024…), running per procedure and year."""
        self.results[(procedure_code, at.year)] += 1
        return f"{self.results[(procedure_code, at.year)]}/{at.year}"
