"""What every subcommand module shares, apart from the grammar: the error that exits 2 with one line, and the
argument types (kept out of cli.parser, which imports the subcommand modules)."""

from __future__ import annotations

import argparse
import errno
import os
from datetime import date, datetime
from pathlib import Path

from counter.errors import ValidationError
from counter.text import parse_day


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise CliError(f"{self.prog}: {message}")


def output_path(path: Path) -> Path:
    """Where a command is asked to write a file: refused with one line when it is a folder, when its folder does
    not exist (no folder is made that was not asked for) or cannot be written to."""
    if path.is_dir():
        raise CliError(f"{path} là một thư mục: hãy ghi đường dẫn của tệp, ví dụ {path / 'mau01.pdf'}")
    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"thư mục {folder} không tồn tại (không tự tạo thư mục): hãy tạo nó trước hoặc chọn nơi khác")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CliError(f"không ghi được vào {path}: không có quyền ghi")
    return path


def write_output(path: Path, data: bytes) -> Path:
    """`data` written to `path` whole or not at all (a temporary file beside it, then renamed over it)."""
    output_path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = "ổ đĩa đã đầy" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise CliError(f"không ghi được vào {path}: {reason}") from None
    return path


def iso_local(text: str) -> datetime:
    from counter.clock import local
    try:
        return local(datetime.fromisoformat(text))
    except ValueError:
        raise CliError(f"thời điểm không hợp lệ: {text!r} (dạng 2026-02-13T10:00)") from None


def day(text: str) -> date:
    try:
        day = parse_day(text, "Ngày")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if day is None:
        raise argparse.ArgumentTypeError("chưa nhập ngày (dạng 31/12/2030)")
    return day
