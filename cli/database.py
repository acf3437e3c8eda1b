"""`main.py --database URL …`: the database this PC works on, for this run and remembered (counter.office.centre).

The PostgreSQL password never comes on the command line (it would stay in the shell's history and the process
list): a URL carrying one is refused. It comes from `--database-password-stdin` (the first line of standard
input; the rest is left to the command, e.g. `setup`'s administrator password), `--database-password-file FILE`
(only its owner may read it: 0600), or — in a terminal, when the server asks for one — a hidden prompt. A typed
password is kept in this PC's own 0600 file, a password file by its path (counter.office.local_config).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TextIO

from cli.args import CliError
from counter.clock import Clock
from counter.context import AppContext
from counter.office import connection, local_config


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database", metavar="ĐỊA_CHỈ",
                   help="cơ sở dữ liệu của máy này, ghi nhớ cho các lần sau: postgresql://NGƯỜI_DÙNG@MÁY_CHỦ:CỔNG/TÊN "
                   "(dùng chung của trung tâm; không ghi mật khẩu vào địa chỉ) hoặc sqlite:///…/quaymotcua.sqlite3")
    secret = p.add_mutually_exclusive_group()
    secret.add_argument("--database-password-stdin", action="store_true",
                        help="đọc mật khẩu cơ sở dữ liệu từ dòng đầu của đầu vào chuẩn")
    secret.add_argument("--database-password-file", type=Path, metavar="TỆP",
                        help="tệp chứa mật khẩu cơ sở dữ liệu, chỉ chủ sở hữu đọc được (chmod 600)")


def _password(args: argparse.Namespace, stdin: TextIO) -> str | None:
    if args.database_password_stdin:
        line = stdin.readline().rstrip("\r\n")
        if not line:
            raise CliError("--database-password-stdin: dòng đầu của đầu vào chuẩn trống, chưa có mật khẩu")
        return line
    if args.database_password_file is not None:
        return local_config.read_password(local_config.LocalConfig(password_file=str(args.database_password_file)))
    return None


def open_database(args: argparse.Namespace, data_dir: Path, clock: Clock | None = None,
                  stdin: TextIO | None = None, *, check_later: bool = False) -> AppContext:
    """Open the database this run works on (`--database` or the PC's configuration), asking for the password at a
    prompt when the server wants one and this is a terminal; a `--database` URL that opened is remembered.
    `check_later`: the desktop app's start (counter.setup.open_app); a command checks the file first."""
    from counter.office import centre

    stdin = stdin if stdin is not None else sys.stdin
    if (args.database_password_stdin or args.database_password_file) and not args.database:
        raise CliError("--database-password-stdin và --database-password-file đi cùng --database ĐỊA_CHỈ")
    url = local_config.check_url(args.database) if args.database else None
    password = _password(args, stdin)
    typed = args.database_password_stdin
    try:
        ctx = centre.open_configured(data_dir, clock, url=url, password=password, check_later=check_later)
    except connection.CentreUnreachable as e:
        if password is not None or e.kind not in (connection.PASSWORD_NEEDED, connection.WRONG_PASSWORD) \
                or not stdin.isatty():
            raise
        password, typed = getpass.getpass("Mật khẩu cơ sở dữ liệu của trung tâm: "), True
        ctx = centre.open_configured(data_dir, clock, url=url or local_config.load().database_url, password=password,
                                     check_later=check_later)
        url = url or local_config.load().database_url
    if url:
        centre.remember(url, password=password if typed else None,
                        password_file=args.database_password_file if not typed else None)
    return ctx
