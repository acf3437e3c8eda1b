"""Files readable by their owner only: the data directory (0700) and what it holds (database and its -wal/-shm,
logs, issued.json, key files, backups: 0600).

On Windows these calls do nothing: the data directory is under the user's own profile (platformdirs'
%LOCALAPPDATA%), whose access list already lets only that user (and administrators) in; os.chmod there only
sets the read-only flag, which is not a permission.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

POSIX = os.name == "posix"
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create `path` (and its parents) if missing; the folder itself is made 0700 either way."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if POSIX:
        os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Make an existing file 0600 (nothing if it is not there)."""
    if POSIX:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, FILE_MODE)


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """os.open creating the file 0600 (an existing file made 0600 too); returns the descriptor."""
    fd = os.open(path, flags, FILE_MODE)
    if POSIX:
        os.fchmod(fd, FILE_MODE)
    return fd


def sqlite_files(db_path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it (which it creates with the database's mode)."""
    return [db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm"),
            db_path.with_name(db_path.name + "-journal")]
