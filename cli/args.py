"""What every subcommand module shares, apart from the grammar: the error that exits 2 with one line, and the
argument types (kept out of cli.parser, which imports the subcommand modules)."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from counter.errors import ValidationError
from counter.text import parse_day


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise CliError(f"{self.prog}: {message}")


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
