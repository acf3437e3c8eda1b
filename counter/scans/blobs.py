"""Scans reachable from every counter of a centre (office mode, issue 20): the bytes live in the centre's database.

On PostgreSQL each stored file's PDF and its thumbnail are a row of `scan_blob`, keyed by the PDF's SHA-256 and
written in the attach's own transaction: no attachment row is ever committed without its bytes, and the server's
pg_dump holds rows and files in one consistent snapshot. This PC's data folder keeps its content-addressed store
(counter.scans.store) as a cache: an attach writes it too, and opening a scan reads it, else fetches the blob from
the database and caches it. Whatever is used is checked by SHA-256 first: a damaged cache file is fetched again, a
blob missing or damaged on the server is said in Vietnamese, naming the scan ("Không mở được bản quét … trên máy
chủ: …"), never opened as if it were right.

On SQLite (one PC) the table stays empty and the data folder's store is the scans, as before: these functions
then only look in the folder.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from peewee import JOIN, fn

from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.scans import store
from counter.scans.files import png_chunks
from db.database import is_postgres
from db.models import ScanBlob, StoredFile

log = logging.getLogger(__name__)


class ScanUnavailable(ValidationError):
    """A scan's file cannot be opened on this PC; the message names the scan and says why."""


def shared(ctx: AppContext) -> bool:
    """Whether the scans' bytes live in the database (office mode on PostgreSQL)."""
    return is_postgres(ctx.database)


@bound
def save(ctx: AppContext, sha256: str, data: bytes, thumbnail: bytes) -> None:
    """Within the attach's transaction: the blob, unless the server holds it already (nothing on SQLite)."""
    if shared(ctx):
        ScanBlob.insert(sha256=sha256, data=data, thumbnail=thumbnail).on_conflict_ignore().execute()


@bound
def available(ctx: AppContext, sha256: str, size: int) -> bool:
    """Whether the scan can be opened on this PC: in the folder (SQLite), in the centre's database (PostgreSQL)."""
    if not shared(ctx):
        return store.has_file(ctx.data_dir, sha256, size)
    found = ScanBlob.select(fn.octet_length(ScanBlob.data)).where(ScanBlob.sha256 == sha256).scalar()
    return bool(found == size)


@bound
def openable(ctx: AppContext, sha256: str, size: int) -> bool:
    """Whether opening the scan here can be expected to work: this PC holds it, or the centre's database does (the
    list of papers says so on the row itself; opening checks the SHA-256 and says why if it fails)."""
    return store.has_file(ctx.data_dir, sha256, size) or (shared(ctx) and available(ctx, sha256, size))


@bound
def local_file(ctx: AppContext, sha256: str, size: int, name: str) -> Path:
    """The path of the scan's PDF on this PC, fetched from the centre's database into the cache when needed.
    ScanUnavailable (naming the scan `name`) when it cannot be had."""
    path = store.file_path(ctx.data_dir, sha256)
    if not shared(ctx):
        if not store.has_file(ctx.data_dir, sha256, size):
            raise ScanUnavailable(f"Tệp của bản số hóa “{name}” không còn trong thư mục dữ liệu ({path.parent}): "
                                  "hãy quét lại giấy tờ này.")
        return path
    if _cached(path, sha256):
        return path
    row = ScanBlob.get_or_none(ScanBlob.sha256 == sha256)
    if row is None:
        raise ScanUnavailable(f"Không mở được bản quét “{name}” trên máy chủ: máy chủ không có tệp của bản quét "
                              f"này (mã {sha256[:12]}…). Hãy quét lại giấy tờ này.")
    data = bytes(row.data)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ScanUnavailable(f"Không mở được bản quét “{name}” trên máy chủ: tệp trên máy chủ đã bị hỏng (mã "
                              f"SHA-256 không khớp). Hãy quét lại giấy tờ này.")
    _cache(ctx, path, data)
    thumbnail = store.thumbnail_path(ctx.data_dir, sha256)
    if not _png_whole(thumbnail):
        _cache(ctx, thumbnail, bytes(row.thumbnail))
    return path


@bound
def local_thumbnail(ctx: AppContext, sha256: str) -> Path | None:
    """The path of the scan's thumbnail on this PC (fetched into the cache in office mode), None if there is none."""
    path = store.thumbnail_path(ctx.data_dir, sha256)
    if _png_whole(path):
        return path
    if not shared(ctx):
        return None
    thumbnail = ScanBlob.select(ScanBlob.thumbnail).where(ScanBlob.sha256 == sha256).scalar()
    if thumbnail is None or not _png_bytes_whole(bytes(thumbnail)):
        return None
    try:
        _cache(ctx, path, bytes(thumbnail))
    except ScanUnavailable:
        return None  # a folder that cannot be written shows no thumbnail, the row itself says nothing is wrong
    return path


@bound
def publish_local(ctx: AppContext) -> int:
    """Office mode: the stored files the centre's database has no bytes for, taken from this PC's folder when it
    holds them whole (a database upgraded to 0021, or copied from a PC's file). Returns how many were published."""
    if not shared(ctx):
        return 0
    missing = (StoredFile.select(StoredFile.sha256, StoredFile.size)
               .join(ScanBlob, on=(ScanBlob.sha256 == StoredFile.sha256), join_type=JOIN.LEFT_OUTER)
               .where(ScanBlob.sha256.is_null()))
    published = 0
    for row in list(missing):
        path = store.file_path(ctx.data_dir, row.sha256)
        if not (store.has_file(ctx.data_dir, row.sha256, row.size) and _cached(path, row.sha256)):
            continue
        thumbnail = store.thumbnail_path(ctx.data_dir, row.sha256)
        with ctx.transaction():
            save(ctx, row.sha256, path.read_bytes(), thumbnail.read_bytes() if _png_whole(thumbnail) else b"")
        published += 1
    if published:
        log.info("published %d scan(s) of this PC's folder to the centre's database", published)
    return published


@dataclass(frozen=True)
class BlobProblems:
    """What the centre's database holds wrong about the scans' bytes (the integrity check's findings)."""

    missing: list[tuple[str, str | None]]  # (sha256, a dossier code naming it)
    wrong_size: list[tuple[str, str | None, int, int]]  # (sha256, code, size, actual)
    wrong_hash: list[tuple[str, str | None]]
    orphans: list[str]  # blobs no stored file names
    blobs: int


@bound
def problems(ctx: AppContext, full: bool) -> BlobProblems:
    """Every stored file against its blob: missing, of another size, (with `full`) of another SHA-256, one blob at
    a time; and blobs no stored file names. The attach writes both in one transaction: none is in flight."""
    rows = ctx.database.execute_sql(
        "SELECT f.sha256, f.size, (SELECT MIN(d.code) FROM attachment a JOIN dossier d ON d.id = a.dossier_id "
        "WHERE a.file_id = f.id), octet_length(b.data) FROM stored_file f LEFT JOIN scan_blob b "
        "ON b.sha256 = f.sha256 ORDER BY f.id").fetchall()
    missing: list[tuple[str, str | None]] = []
    wrong_size: list[tuple[str, str | None, int, int]] = []
    wrong_hash: list[tuple[str, str | None]] = []
    for sha256, size, code, actual in rows:
        if actual is None:
            missing.append((sha256, code))
        elif actual != size:
            wrong_size.append((sha256, code, size, actual))
        elif full:
            data = ScanBlob.select(ScanBlob.data).where(ScanBlob.sha256 == sha256).scalar()
            if hashlib.sha256(bytes(data)).hexdigest() != sha256:
                wrong_hash.append((sha256, code))
    orphans = [r[0] for r in ctx.database.execute_sql(
        "SELECT b.sha256 FROM scan_blob b WHERE NOT EXISTS (SELECT 1 FROM stored_file f WHERE f.sha256 = b.sha256) "
        "ORDER BY b.sha256").fetchall()]
    blobs = ScanBlob.select().count()
    return BlobProblems(missing, wrong_size, wrong_hash, orphans, blobs)


def _cached(path: Path, sha256: str) -> bool:
    """Whether the cache holds the file whole: its SHA-256 checked, as a damaged copy must never be opened."""
    try:
        if not path.is_file():
            return False
        if store.file_sha256(path) == sha256:
            return True
    except OSError:
        return False
    log.warning("the cached scan %s is damaged: fetched again from the centre's database", path.name)
    return False


def _png_whole(path: Path) -> bool:
    try:
        return path.is_file() and _png_bytes_whole(path.read_bytes())
    except OSError:
        return False


def _png_bytes_whole(data: bytes) -> bool:
    try:
        png_chunks(data)
    except ValueError:
        return False
    return True


def _cache(ctx: AppContext, path: Path, data: bytes) -> None:
    try:
        store.write_atomic(path, data)
    except OSError as e:
        raise ScanUnavailable(str(store.storage_error(e, Path(ctx.data_dir)))) from e
