"""`main.py [--database URL] office join [--database URL] [--from TỆP] [--dry-run]` (issue 20): this counter's SQLite
database moved into the centre's PostgreSQL database (counter.office.join). Run before the app opens its own database
(main.py), so the counter's file is read as it is, not migrated nor written. The password as for every `--database`
(cli.database: standard input, a 0600 file or a prompt; never in the URL).

When the file joined is the one this PC issued codes from (its code ledger named it), this PC then works on the
centre's database: the URL is remembered and the counter's workstation number claimed for this PC, as the set-up
wizard's join path does. A file brought from another PC (`--from`) leaves that to that PC.

Exit codes: 0 everything moved (or nothing new), 1 some dossiers refused (named; the rest moved), 2 bad input."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from cli.args import CliError, Parser

EXIT_REFUSED = 1


def add_parsers(sub) -> None:
    office = sub.add_parser("office", help="chế độ trung tâm: nhiều quầy dùng chung một cơ sở dữ liệu PostgreSQL")
    actions = office.add_subparsers(dest="office_command", required=True, parser_class=Parser)
    join = actions.add_parser(
        "join", help="chuyển dữ liệu của quầy này (tệp SQLite) vào cơ sở dữ liệu của trung tâm: hồ sơ, lịch sử, hàng "
        "chờ đồng bộ, bản số hóa, người dùng (gộp theo tên đăng nhập), nhật ký; chạy lại không thêm gì "
        "(0: xong, 1: có hồ sơ không chuyển được, 2: dữ liệu vào sai)")
    join.add_argument("--database", dest="join_database", metavar="ĐỊA_CHỈ",
                      help="cơ sở dữ liệu của trung tâm, postgresql://NGƯỜI_DÙNG@MÁY_CHỦ:CỔNG/TÊN (không ghi mật khẩu "
                      "vào địa chỉ; mật khẩu như với --database của chương trình)")
    join.add_argument("--from", dest="join_from", type=Path, metavar="TỆP_SQLITE",
                      help="tệp cơ sở dữ liệu của quầy (mặc định: quaymotcua.sqlite3 trong thư mục dữ liệu)")
    join.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ chuyển những gì, không ghi gì")


def cmd_office(args: argparse.Namespace, data_dir: Path) -> int:
    from cli.database import _password
    from counter.office import centre, connection, join, workstations
    from counter.setup import DB_FILE
    url = args.join_database or getattr(args, "database", None)
    if not url:
        raise CliError("Thiếu địa chỉ cơ sở dữ liệu của trung tâm: thêm --database postgresql://….")
    password, typed = _password(args, sys.stdin), bool(getattr(args, "database_password_stdin", False))
    source = join.open_counter_file(args.join_from or data_dir / DB_FILE)
    try:
        try:
            target = join.open_centre(url, data_dir, source.clock, password=password)
        except connection.CentreUnreachable as e:
            if password is not None or e.kind not in (connection.PASSWORD_NEEDED, connection.WRONG_PASSWORD) \
                    or not sys.stdin.isatty():
                raise
            password, typed = getpass.getpass("Mật khẩu cơ sở dữ liệu của trung tâm: "), True
            target = join.open_centre(url, data_dir, source.clock, password=password)
        try:
            report = join.join_office(target, source, dry_run=args.dry_run)
            for line in report.lines():
                print(line)
            if report.ledger_moved and report.workstation is not None:
                centre.remember(url, password=password if typed else None,
                                password_file=getattr(args, "database_password_file", None) if not typed else None)
                workstations.claim(target, report.workstation)
                print(f"Máy này từ nay làm việc trên cơ sở dữ liệu của trung tâm, số máy tiếp nhận "
                      f"{report.workstation}.")
            elif not report.dry_run and report.total_moved and report.workstation is not None:
                print(f"Trên máy của quầy này: main.py --database {url} settings set workstation "
                      f"{report.workstation} --by QUẢN_TRỊ_VIÊN để làm việc trên cơ sở dữ liệu của trung tâm.")
        finally:
            target.database.close()
    finally:
        source.database.close()
    return EXIT_REFUSED if report.refused else 0
