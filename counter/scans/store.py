"""Digitised files in the data directory, named by their SHA-256: files/ab/cd/abcd….pdf, thumbnail beside it.

Each file is written atomically (a temporary file in the same folder, fsync, rename, fsync of the folder), so
a power cut leaves either the whole file or none. A write that fails removes what it created; a full disk is
reported in plain Vietnamese.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from counter import processes
from counter.errors import CounterError, DiskFull

FILES_DIR = "files"
__all__ = ["DiskFull"]  # raised here; defined in counter.errors, for the transactions too
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
TEMP_PREFIX = ".tmp-"  # a file being written: .tmp-PID-random.pdf, renamed into place once whole and on disk
# What a writer killed mid-attach leaves (a power cut, a SIGKILL) and when it is taken for left behind:
# - a temporary file: once the process named in it no longer runs (or it is older than STRAY_AFTER_SECONDS: a
#   PID reused, or a system that cannot tell), it is never renamed; the next start removes it;
# - a file renamed into place whose database commit never came (an orphan): an attach renames, then commits in the
#   same call, within a moment; a file no row names that is older than IN_FLIGHT_SECONDS is no attach in flight in
#   another process, so the next start removes it, and the integrity check counts only those (a younger one may be
#   committed any moment by a process attaching right now). A file a committed row names is never removed.
STRAY_AFTER_SECONDS = 3600
IN_FLIGHT_SECONDS = 60


class StorageError(CounterError):
    """The data directory could not be written (permissions, a removed drive…): nothing was saved."""


_STORED_NAME = re.compile(r"^([0-9a-f]{64})\.(pdf|png)$")


@dataclass(frozen=True)
class Listing:
    """What the store's folder holds, sorted out by name (no database read)."""

    stored: dict[str, list[Path]]  # sha256 → the store's files named by it, where they belong
    stray: list[Path]  # files the store would never look for
    partial: list[Path]  # temporary files of a write, finished or not


def list_store(data_dir: Path) -> Listing:
    stored: dict[str, list[Path]] = {}
    stray: list[Path] = []
    partial: list[Path] = []
    root = Path(data_dir) / FILES_DIR
    if not root.is_dir():
        return Listing(stored, stray, partial)
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            relative = path.relative_to(data_dir).as_posix()
            named = _STORED_NAME.match(name)
            if name.startswith(TEMP_PREFIX):
                partial.append(path)
            elif named and relative in (relative_path(named[1]), relative_thumbnail(named[1])):
                stored.setdefault(named[1], []).append(path)
            else:
                stray.append(path)
    return Listing(stored, sorted(stray), sorted(partial))


def relative_path(sha256: str) -> str:
    return f"{FILES_DIR}/{sha256[:2]}/{sha256[2:4]}/{sha256}.pdf"


def relative_thumbnail(sha256: str) -> str:
    return f"{FILES_DIR}/{sha256[:2]}/{sha256[2:4]}/{sha256}.png"


def file_path(data_dir: Path, sha256: str) -> Path:
    return Path(data_dir) / relative_path(sha256)


def thumbnail_path(data_dir: Path, sha256: str) -> Path:
    return Path(data_dir) / relative_thumbnail(sha256)


def has_file(data_dir: Path, sha256: str, size: int) -> bool:
    path = file_path(data_dir, sha256)
    return path.is_file() and path.stat().st_size == size


def put(data_dir: Path, sha256: str, data: bytes, thumbnail: bytes) -> list[Path]:
    """Store the document and its thumbnail unless present; returns the paths this call created."""
    created: list[Path] = []
    targets = ((file_path(data_dir, sha256), data), (thumbnail_path(data_dir, sha256), thumbnail))
    try:
        for path, content in targets:
            if not (path.is_file() and path.stat().st_size == len(content)):
                write_atomic(path, content)
                created.append(path)
    except BaseException as e:
        discard(created)
        if isinstance(e, OSError):
            raise storage_error(e, Path(data_dir)) from e
        raise
    return created


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        _remove_empty_folders(path.parent)
        raise
    fsync_folder(path.parent)


def discard(paths: list[Path]) -> None:
    """Remove files a failed attach created, and the folders left empty by that."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        _remove_empty_folders(path.parent)


def is_stray_temp(path: Path, now: float | None = None) -> bool:
    """Whether `path`, a temporary file of the store, was left by a writer that will never finish it."""
    now = time.time() if now is None else now
    try:
        if now - path.stat().st_mtime > STRAY_AFTER_SECONDS:
            return True
    except FileNotFoundError:
        return False  # renamed into place or removed meanwhile: its writer is at work
    pid = path.name[len(TEMP_PREFIX):].split("-", 1)[0]
    if not pid.isdigit():
        return False  # an earlier version's name, without the writer: only its age tells
    return not processes.running(int(pid))


def is_in_flight(path: Path, now: float | None = None) -> bool:
    """Whether a stored file no row names yet may be an attach in another process between rename and commit."""
    now = time.time() if now is None else now
    try:
        return now - path.stat().st_mtime <= IN_FLIGHT_SECONDS
    except FileNotFoundError:
        return False


def storage_error(error: OSError, data_dir: Path) -> CounterError:
    if error.errno in _FULL:
        return DiskFull(f"Ổ đĩa đã đầy: không lưu được bản số hóa vào “{data_dir}”. "
                        "Hãy giải phóng dung lượng ổ đĩa rồi thử lại; hồ sơ chưa bị thay đổi.")
    return StorageError(f"Không lưu được bản số hóa vào “{data_dir}” ({error.strerror or error}); "
                        "hồ sơ chưa bị thay đổi.")


def _remove_empty_folders(folder: Path) -> None:
    for candidate in (folder, folder.parent):  # files/ab/cd, then files/ab; rmdir leaves a non-empty one alone
        try:
            candidate.rmdir()
        except OSError:
            return


def fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder for fsync and does not need to."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB pieces (a scan or a backup file need not fit in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
