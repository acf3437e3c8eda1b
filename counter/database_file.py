"""Looking at the database file before SQLite writes to it: a file that is not a database, one cut short, or
one that cannot be written is refused with one plain sentence and left exactly as it was (no journal, no
migration backup, no changed permissions). Errors SQLite raises while the app opens it are said the same way."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import peewee

from counter.errors import DatabaseUnusable
from counter.text import format_vnd

HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
ADVICE = "Ứng dụng không ghi gì vào tệp này; hãy khôi phục từ bản sao lưu gần nhất hoặc báo quản trị viên."


def check_database_file(path: Path) -> None:
    """Raise DatabaseUnusable when the file at `path` (if any) is not a whole, writable SQLite database.
    A missing or empty file is a new database and passes."""
    if not path.exists():
        return
    if path.is_dir():
        raise DatabaseUnusable(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu. {ADVICE}")
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            header = f.read(HEADER_SIZE)
    except OSError as exc:
        raise DatabaseUnusable(f"Không đọc được tệp cơ sở dữ liệu {path} ({exc.strerror}). {ADVICE}") from None
    if size == 0:
        return
    if not header.startswith(HEADER):
        raise DatabaseUnusable(f"Tệp {path} không phải cơ sở dữ liệu của Quầy Một Cửa (có thể đã bị ghi đè "
                               f"hoặc hỏng). {ADVICE}")
    if len(header) < HEADER_SIZE or _cut_short(path, header, size):
        raise DatabaseUnusable(f"Tệp cơ sở dữ liệu {path} bị cắt cụt (chỉ còn {format_vnd(size)} byte). {ADVICE}")
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnusable(f"Tệp cơ sở dữ liệu {path} chỉ đọc, không ghi được. Hãy cho người dùng này quyền "
                               "ghi vào tệp (hoặc chép sang ổ đĩa ghi được) rồi mở lại; ứng dụng không ghi gì "
                               "vào tệp này.")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseUnusable(f"Thư mục dữ liệu {path.parent} chỉ đọc, không ghi được: cơ sở dữ liệu cần ghi "
                               "nhật ký bên cạnh tệp. Hãy cho quyền ghi vào thư mục rồi mở lại.")


def _cut_short(path: Path, header: bytes, size: int) -> bool:
    """The header's page count times its page size is more than the file holds. That count is valid only
    when the header says so (change counter = version-valid-for, SQLite's file format §1.3.7); with a write-ahead
    log beside it the file may legitimately wait for pages the log still holds, so no judgement then."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    return valid and pages > 0 and size < pages * page_size


@contextmanager
def opening(path: Path) -> Iterator[None]:
    """Say what went wrong, in one sentence, when SQLite fails while the app opens, migrates or seeds `path`."""
    try:
        yield
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        raise DatabaseUnusable(describe(path, exc)) from exc


def describe(path: Path, exc: BaseException) -> str:
    text = str(exc).lower()
    if "not a database" in text:
        return f"Tệp {path} không phải cơ sở dữ liệu của Quầy Một Cửa (có thể đã bị ghi đè hoặc hỏng). {ADVICE}"
    if "malformed" in text or "corrupt" in text:
        return f"Cơ sở dữ liệu {path} bị hỏng. {ADVICE}"
    if "readonly" in text or "read-only" in text:
        return (f"Cơ sở dữ liệu {path} chỉ đọc, không ghi được. Hãy cho quyền ghi vào tệp và thư mục của nó rồi "
                "mở lại.")
    if "full" in text:
        return f"Ổ đĩa đã đầy: không ghi được vào cơ sở dữ liệu {path}. Hãy giải phóng chỗ trống rồi mở lại."
    if "unable to open" in text:
        return f"Không mở được cơ sở dữ liệu {path}. Hãy kiểm tra thư mục dữ liệu và quyền truy cập."
    return f"Không mở được cơ sở dữ liệu {path}: {exc}. {ADVICE}"
