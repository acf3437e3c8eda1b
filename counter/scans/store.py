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
import tempfile
from pathlib import Path

from counter.errors import CounterError

FILES_DIR = "files"
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class DiskFull(CounterError):
    """No space left where the data directory lives: nothing was saved."""


class StorageError(CounterError):
    """The data directory could not be written (permissions, a removed drive…): nothing was saved."""


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
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
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
