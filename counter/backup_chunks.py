"""The database of a backup as content-addressed chunks, shared by the backups of a destination (issue 18).

A verified copy of the million-dossier database is 3.6 GB; copying and re-reading it every four hours costs
more than a minute and as much space each time. Like the scans, the database is therefore stored once per
destination, in pieces: the snapshot's bytes are cut into CHUNK_SIZE pieces, each kept in the destination's
shared `db-chunks/ab/<sha256>` (whole or absent: a temporary name, then a rename), and a backup's manifest lists
its pieces in order. A backup after 100 new dossiers writes only the pieces whose bytes changed — SQLite changes a
few hundred pages for them — and the next one after that again only its own.

Which pieces changed is found without hashing gigabytes with SHA-256: each piece's XXH3-128 (xxhash, ~10 GB/s) is
kept in the manifest beside its SHA-256, and a piece whose XXH3 equals the one at the same place in the previous
verified backup of the series, and whose file is in the shared folder with its size, is that backup's piece. (A
128-bit hash of non-adversarial data: a collision is not a practical concern; the file itself is named and
checked by its SHA-256.)

`assemble` puts a backup's database back together (restore, and verifying a backup on its own), checking every
piece's SHA-256 as it goes. `collect` removes the pieces no backup names any more, after rotation.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xxhash

from db.backup import FileSnapshot
from db.private import open_private

CHUNKS_DIR = "db-chunks"
CHUNK_SIZE = 256 << 10  # 64 SQLite pages: small enough that scattered index updates rewrite little
_TMP = ".tmp-"
GRACE_SECONDS = 24 * 3600  # a piece this recent may belong to a backup another PC is writing


class ChunkError(Exception):
    """A piece of a backup's database is missing or damaged (the message says which, in Vietnamese)."""


@dataclass(frozen=True)
class Written:
    """The manifest's `database` entry and what writing it did."""

    entry: dict[str, Any]
    new: tuple[str, ...]  # SHA-256 of the pieces this backup wrote (or rewrote)
    reused: int


def relative(sha256: str) -> str:
    return f"{CHUNKS_DIR}/{sha256[:2]}/{sha256}"


def sizes(entry: dict[str, Any]) -> list[int]:
    """Each piece's size: CHUNK_SIZE but the last."""
    total, size, count = int(entry["size"]), int(entry["chunk_size"]), len(entry["chunks"])
    return [min(size, total - n * size) for n in range(count)]


def previous_pieces(manifest: dict[str, Any] | None) -> dict[int, tuple[str, str]]:
    """Place → (XXH3, SHA-256) of a verified backup's database, when it was stored in pieces of this size."""
    entry = (manifest or {}).get("database")
    if not isinstance(entry, dict) or entry.get("chunk_size") != CHUNK_SIZE:
        return {}
    return {n: (str(xxh), str(sha)) for n, (sha, xxh) in enumerate(entry.get("chunks") or [])}


def write(snapshot: FileSnapshot, destination: Path, previous: dict[int, tuple[str, str]],
          *, durable: bool) -> Written:
    """Cut the snapshot's bytes into pieces and store the ones the destination lacks. `durable=False`: no fsync of
    each piece (the caller syncs once for all of them)."""
    shared = destination / CHUNKS_DIR
    chunks: list[list[str]] = []
    new: list[str] = []
    reused = 0
    try:
        for n, piece in enumerate(_pieces(snapshot)):
            xxh = xxhash.xxh3_128_hexdigest(piece)
            known = previous.get(n)
            if known is not None and known[0] == xxh and _present(shared, known[1], len(piece)):
                chunks.append([known[1], xxh])
                reused += 1
                continue
            sha = hashlib.sha256(piece).hexdigest()
            if not _present(shared, sha, len(piece)):
                _store(destination / relative(sha), piece, durable=durable)
                new.append(sha)
            else:
                reused += 1
            chunks.append([sha, xxh])
    except BaseException:
        remove(destination, new)  # a backup that failed (a full disk) leaves no piece behind
        raise
    entry = {"size": snapshot.size, "chunk_size": CHUNK_SIZE, "chunks": chunks}
    return Written(entry, tuple(new), reused)


def remove(destination: Path, pieces: Iterable[str]) -> None:
    """The pieces a backup that failed wrote (none of them was in the destination before it)."""
    for sha in pieces:
        path = destination / relative(sha)
        with contextlib.suppress(OSError):
            path.unlink()
        for folder in (path.parent, path.parent.parent):
            with contextlib.suppress(OSError):
                folder.rmdir()


def _pieces(snapshot: FileSnapshot) -> Iterator[memoryview]:
    """The snapshot's bytes (its size: the live file may grow past it meanwhile) in CHUNK_SIZE pieces, read through
    a memory map: no copy of gigabytes through read(), and no fresh 16 MB buffer (zeroed by the kernel page by page)
    per block — half of an incremental backup's system time at a million dossiers. Each piece is valid until the
    next is asked for."""
    if snapshot.size == 0:
        return
    with open(snapshot.path, "rb", buffering=0) as source:
        if os.fstat(source.fileno()).st_size < snapshot.size:
            raise ChunkError("Tệp cơ sở dữ liệu ngắn hơn lúc bắt đầu sao lưu.")
        with mmap.mmap(source.fileno(), snapshot.size, access=mmap.ACCESS_READ) as mapped:
            if hasattr(mapped, "madvise"):
                mapped.madvise(mmap.MADV_SEQUENTIAL)
            whole = memoryview(mapped)
            try:
                first = min(CHUNK_SIZE, snapshot.size)
                yield memoryview(snapshot.header(bytes(whole[:first])))
                for start in range(first, snapshot.size, CHUNK_SIZE):
                    with whole[start:start + CHUNK_SIZE] as piece:
                        yield piece
            finally:
                whole.release()


def _present(shared: Path, sha256: str, size: int) -> bool:
    try:  # os.path on strings: seventeen thousand pathlib joins cost a second
        return os.stat(os.path.join(shared, sha256[:2], sha256)).st_size == size
    except OSError:
        return False


def _store(target: Path, piece: memoryview, *, durable: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{_TMP}{target.name}")
    fd = open_private(temporary)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(piece)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def findings(destination: Path, entry: dict[str, Any], reread: Iterable[str] | None) -> list[tuple[str, Path | None]]:
    """Every piece present with its size; those in `reread` (all when None) read back and compared with the XXH3
    the manifest gives them (computed from the snapshot's bytes in memory: the piece on the destination is those
    bytes; its SHA-256 name was computed from them too, and `assemble` checks it). Each finding with the damaged
    piece's path (a damaged piece is removed, so the next backup writes it again)."""
    try:
        pieces = {str(sha): (str(xxh), size) for (sha, xxh), size in zip(entry["chunks"], sizes(entry), strict=True)}
    except (KeyError, TypeError, ValueError):
        return [("Kê khai ghi sai các mảnh của cơ sở dữ liệu.", None)]
    wanted = None if reread is None else set(reread)
    problems: list[tuple[str, Path | None]] = []
    shared = destination / CHUNKS_DIR
    for sha, (xxh, size) in pieces.items():
        if not _present(shared, sha, size):
            path = destination / relative(sha)
            problems.append((f"Thiếu mảnh cơ sở dữ liệu {relative(sha)} (hoặc sai kích thước).",
                             path if path.is_file() else None))
        elif (wanted is None or sha in wanted) and xxhash.xxh3_128_hexdigest(
                (path := destination / relative(sha)).read_bytes()) != xxh:
            problems.append((_damaged(sha), path))
    return problems


def _damaged(sha256: str) -> str:
    return f"Mảnh cơ sở dữ liệu {relative(sha256)} hỏng: nội dung không khớp mã băm (tệp đã bị thay đổi hoặc hỏng)."


def assemble(destination: Path, entry: dict[str, Any], target: Path) -> None:
    """Write the backup's database into `target` (a new file, owner-only), checking each piece's SHA-256; raises
    ChunkError (the partial file removed) when a piece is missing or damaged."""
    fd = open_private(target)
    try:
        with os.fdopen(fd, "wb") as out:
            for (sha, _), size in zip(entry["chunks"], sizes(entry), strict=True):
                try:
                    data = (destination / relative(str(sha))).read_bytes()
                except FileNotFoundError as exc:
                    raise ChunkError(f"Thiếu mảnh cơ sở dữ liệu {relative(str(sha))}.") from exc
                if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
                    raise ChunkError(_damaged(str(sha)))
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def collect(destination: Path, manifests: Iterable[Path]) -> None:
    """Remove the pieces no manifest of the destination names (failed backups' too), older than the grace. A
    manifest that cannot be read might name anything: nothing is removed then."""
    shared = destination / CHUNKS_DIR
    if not shared.is_dir():
        return
    named: set[str] = set()
    for manifest in manifests:
        try:
            database = json.loads(manifest.read_text(encoding="utf-8")).get("database") or {}
            named |= {str(sha) for sha, _ in database.get("chunks") or []}
        except (OSError, ValueError, AttributeError, TypeError):
            return
    cutoff = time.time() - GRACE_SECONDS
    for folder in shared.iterdir():
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name not in named and path.stat().st_mtime < cutoff:
                path.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()
