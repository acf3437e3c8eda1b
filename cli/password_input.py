"""A new password for the command line: never an argument (it would stay in the shell's history and in the
process list). From standard input when it is not a terminal (one line, or two that must match: a script
pipes it), else typed twice at a hidden prompt."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from cli.args import CliError


def read_new_password(stdin: TextIO | None = None, *, prompt: str = "Mật khẩu") -> tuple[str, str]:
    """The password and its second typing (the same line twice when standard input gave one line)."""
    stdin = stdin if stdin is not None else sys.stdin
    if stdin.isatty():
        first = getpass.getpass(f"{prompt}: ")
        return first, getpass.getpass(f"{prompt} (nhập lại): ")
    lines = stdin.read().splitlines()
    if not lines or not lines[0]:
        raise CliError("chưa có mật khẩu: đưa vào đầu vào chuẩn một dòng (hoặc hai dòng giống nhau), "
                       "hoặc chạy trong cửa sổ lệnh để gõ hai lần")
    if len(lines) > 2:
        raise CliError(f"đầu vào chuẩn có {len(lines)} dòng: chỉ đưa mật khẩu (một dòng, hoặc hai dòng giống nhau)")
    return lines[0], lines[1] if len(lines) == 2 else lines[0]
