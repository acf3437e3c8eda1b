"""`main.py office join [--from TỆP] --database URL [--dry-run]` (issue 20): this counter's SQLite database moved into
the centre's PostgreSQL database (counter.office.join). Run before the app opens its own database (main.py), so the
counter's file is read as it is, not migrated nor written.

Exit codes: 0 everything moved (or nothing new), 1 some dossiers refused (named; the rest moved), 2 bad input."""

from __future__ import annotations

import argparse
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
    join.add_argument("--database", dest="join_database", metavar="URL",
                      help="địa chỉ cơ sở dữ liệu của trung tâm, postgresql://người_dùng@máy_chủ/tên_csdl")
    join.add_argument("--from", dest="join_from", type=Path, metavar="TỆP_SQLITE",
                      help="tệp cơ sở dữ liệu của quầy (mặc định: quaymotcua.sqlite3 trong thư mục dữ liệu)")
    join.add_argument("--dry-run", action="store_true", help="chỉ cho biết sẽ chuyển những gì, không ghi gì")


def cmd_office(args: argparse.Namespace, data_dir: Path) -> int:
    from counter.office import join
    from counter.setup import DB_FILE
    url = args.join_database or getattr(args, "database", None)
    if not url:
        raise CliError("Thiếu địa chỉ cơ sở dữ liệu của trung tâm: thêm --database postgresql://….")
    source = join.open_counter_file(args.join_from or data_dir / DB_FILE)
    try:
        centre = join.open_centre(url, data_dir, source.clock)
        try:
            report = join.join_office(centre, source, dry_run=args.dry_run)
        finally:
            centre.database.close()
    finally:
        source.database.close()
    for line in report.lines():
        print(line)
    return EXIT_REFUSED if report.refused else 0
