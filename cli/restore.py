"""`main.py restore BACKUP [--check-only] [--json] --by ADMIN` (issue 18): run before the database is opened (the
one it replaces may be damaged), then the numbering guard on the restored one (counter.code_guard).

`main.py replaced-database list [--json]` / `replaced-database drop NAME [--yes] --by ADMIN` (office mode): the
databases the centre's restores set aside (`<db>_truoc_khoi_phuc_<time>`), and an administrator dropping one after
confirming it (counter.office.server_backups). Exit 0 dropped, 1 not confirmed (nothing dropped), 2 bad input."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any, TextIO

from cli.args import CliError

EXIT_NOT_VERIFIED = 1  # --check-only: the backup does not hold


def add_parser(sub) -> None:
    rs = sub.add_parser("restore", help="khôi phục một bản sao lưu đã kiểm tra vào thư mục dữ liệu (quản trị viên): "
                        "cơ sở dữ liệu đang dùng được để riêng, không ghi đè; sau đó hỏi hệ thống tỉnh để cấp tiếp mã")
    rs.add_argument("backup", type=Path, metavar="BẢN_SAO_LƯU", help="thư mục một bản sao lưu (trong backups/ hoặc "
                    "trên ổ USB)")
    rs.add_argument("--check-only", action="store_true", help="chỉ kiểm tra bản sao lưu, không khôi phục (0: nguyên "
                    "vẹn, 1: không đạt)")
    rs.add_argument("--json", action="store_true")
    rs.add_argument("--by", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập của quản trị viên khôi phục (bắt buộc khi "
                    "khôi phục)")
    add_replaced_parser(sub)


def add_replaced_parser(sub) -> None:
    from cli.args import Parser
    rd = sub.add_parser("replaced-database", help="chế độ trung tâm: các cơ sở dữ liệu được để riêng sau mỗi lần "
                        "khôi phục (TÊN_truoc_khoi_phuc_THỜI_ĐIỂM): liệt kê, xóa một cơ sở dữ liệu không cần nữa")
    actions = rd.add_subparsers(dest="replaced_command", required=True, parser_class=Parser)
    listed = actions.add_parser("list", help="liệt kê: tên, lúc để riêng, dung lượng, số hồ sơ")
    listed.add_argument("--json", action="store_true")
    drop = actions.add_parser("drop", help="xóa hẳn một cơ sở dữ liệu để riêng khi khôi phục (quản trị viên; hỏi xác "
                              "nhận; 0: đã xóa, 1: không xác nhận, 2: dữ liệu vào sai)")
    drop.add_argument("name", metavar="TÊN", help="tên cơ sở dữ liệu như lệnh list cho biết")
    drop.add_argument("--yes", action="store_true", help="đã xác nhận, không hỏi lại (khi chạy từ tập lệnh)")
    drop.add_argument("--by", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập của quản trị viên xóa")


EXIT_NOT_CONFIRMED = 1  # replaced-database drop: the administrator did not confirm; nothing dropped
YES = ("c", "có", "co", "y", "yes")


def cmd_replaced_database(args: argparse.Namespace, ctx, stdin: TextIO | None = None) -> int:
    """`replaced-database list|drop` on the centre's database this PC works on (refused on a SQLite file)."""
    from counter.office import server_backups, workstations
    if not workstations.office_mode(ctx):
        raise CliError("Lệnh này chỉ dùng ở chế độ trung tâm (PostgreSQL). Trên một máy, cơ sở dữ liệu trước mỗi lần "
                       "khôi phục được để riêng trong thư mục truoc-khoi-phuc/ của thư mục dữ liệu.")
    if args.replaced_command == "list":
        return _list_replaced(args, ctx)
    from cli.commands import act_as
    act_as(args, ctx)
    found = server_backups.find_replaced(ctx, args.name)  # an administrator, a name of the pattern, on the server
    if not args.yes and not _confirmed(found, stdin if stdin is not None else sys.stdin):
        print(f"Không xóa gì: “{found.name}” vẫn còn trên máy chủ.")
        return EXIT_NOT_CONFIRMED
    server_backups.drop_replaced(ctx, found.name)
    print(f"Đã xóa cơ sở dữ liệu “{found.name}” (để riêng khi khôi phục lúc "
          f"{found.replaced_at:%H:%M:%S ngày %d/%m/%Y}); đã ghi vào nhật ký thao tác.")
    return 0


def _list_replaced(args: argparse.Namespace, ctx) -> int:
    from counter.office import server_backups
    found = server_backups.replaced_databases(ctx)
    if args.json:
        print(json.dumps([{"name": d.name, "replaced_at": d.replaced_at.isoformat(), "size": d.size,
                           "dossiers": d.dossiers, "connections": d.connections} for d in found],
                         ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("Không có cơ sở dữ liệu nào được để riêng khi khôi phục.")
        return 0
    for database in found:
        print(server_backups.describe_replaced(database))
    print("Xóa một cơ sở dữ liệu không cần nữa: main.py replaced-database drop TÊN --by QUẢN_TRỊ_VIÊN")
    return 0


def _confirmed(found, stdin: TextIO) -> bool:
    """The administrator's answer at the terminal; without one (a script), --yes is required: exit 2."""
    from counter.office import server_backups
    if not stdin.isatty():
        raise CliError(f"Xóa “{found.name}” cần xác nhận: chạy lệnh trong cửa sổ dòng lệnh để trả lời, hoặc thêm "
                       "--yes khi chạy từ tập lệnh.")
    print(f"Sắp xóa hẳn {server_backups.describe_replaced(found)}.")
    print("Cơ sở dữ liệu này giữ dữ liệu của trung tâm trước lần khôi phục đó (cả hồ sơ nhận sau bản sao lưu đã khôi "
          "phục): xóa rồi không lấy lại được.")
    print("Xóa? Gõ “c” (có) rồi Enter để xóa, Enter để thôi: ", end="", flush=True)
    answer = stdin.readline()
    return unicodedata.normalize("NFC", answer.strip().lower()) in YES


def cmd_restore(args: argparse.Namespace, data_dir: Path) -> int:
    from counter import restore
    office = _office_database(args)
    if office is not None:
        return _restore_centre(args, data_dir, *office)
    from counter.clock import VN_TZ, Clock
    from counter.setup import DB_FILE
    summary = restore.inspect(args.backup)
    if args.check_only:
        _print_summary(args, summary)
        return 0 if summary.verified else EXIT_NOT_VERIFIED
    by = (args.by or "").strip()
    if not by:
        raise CliError("Khôi phục cần tên quản trị viên: thêm --by TÊN_ĐĂNG_NHẬP.")
    if summary.verified and not restore.may_restore(data_dir, DB_FILE, summary.path, by):
        raise CliError(f"“{by}” không phải quản trị viên đang hoạt động: chỉ quản trị viên được khôi phục bản sao lưu.")
    restored = restore.restore(data_dir, DB_FILE, summary.path, Clock().now().astimezone(VN_TZ))
    print(f"Đã khôi phục {summary.name} (lập {summary.created_at}: {summary.counts.get('dossiers', 0)} hồ sơ, "
          f"{summary.counts.get('scans', 0)} bản số hóa; chép {restored.scans_copied} tệp số hóa, "
          f"{restored.scans_kept} tệp đã có).")
    print(f"Cơ sở dữ liệu trước đó được để riêng ở: {restored.aside}" if restored.aside
          else "Thư mục dữ liệu chưa có cơ sở dữ liệu nào trước đó.")
    _after_restore(data_dir, by, restored)
    return 0


def _print_summary(args: argparse.Namespace, summary) -> None:
    if args.json:
        print(json.dumps({"path": str(summary.path), "name": summary.name, "created_at": summary.created_at,
                          "verified": summary.verified, "findings": list(summary.findings), "counts": summary.counts,
                          "last_codes": summary.last_codes}, ensure_ascii=False, indent=2))
    elif summary.verified:
        print(f"Bản sao lưu {summary.name} nguyên vẹn (lập {summary.created_at}; {summary.counts.get('dossiers', 0)} "
              f"hồ sơ, {summary.counts.get('scans', 0)} bản số hóa).")
    else:
        print(f"Bản sao lưu {summary.name} KHÔNG đạt kiểm tra:")
        for finding in summary.findings:
            print(f"  - {finding}")


def _office_database(args: argparse.Namespace) -> tuple[str, str | None] | None:
    """Office mode: the centre's URL (`--database`, else this PC's configuration) and its password; None for the
    data folder's SQLite file."""
    import sys

    from cli.database import _password
    from counter.office import local_config
    config = local_config.load()
    url = local_config.check_url(args.database) if args.database else config.database_url
    if not url.startswith(("postgresql://", "postgres://")):
        return None
    password = _password(args, sys.stdin)
    if password is None and url == config.database_url:
        password = local_config.read_password(config)
    return url, password


def _restore_centre(args: argparse.Namespace, data_dir: Path, url: str, password: str | None) -> int:
    """`restore` in office mode: the centre's database through pg_restore (counter.office.server_backups)."""
    from counter.clock import VN_TZ, Clock
    from counter.office import server_backups
    server, password = _server_asking_password(url, password, sys.stdin)
    if args.check_only:
        summary = server_backups.inspect(server, args.backup)
        _print_summary(args, summary)
        return 0 if summary.verified else EXIT_NOT_VERIFIED
    by = (args.by or "").strip()
    if not by:
        raise CliError("Khôi phục cần tên quản trị viên: thêm --by TÊN_ĐĂNG_NHẬP.")
    restored = server_backups.restore_centre(server, args.backup, Clock().now().astimezone(VN_TZ), by)
    summary = restored.backup
    print(f"Đã khôi phục {summary.name} vào cơ sở dữ liệu “{restored.database}” của trung tâm (lập "
          f"{summary.created_at}: {summary.counts.get('dossiers', 0)} hồ sơ, {summary.counts.get('scans', 0)} bản "
          "số hóa).")
    print(f"Cơ sở dữ liệu trước đó được giữ nguyên với tên “{restored.aside}” trên máy chủ." if restored.aside
          else "Máy chủ chưa có cơ sở dữ liệu nào tên đó trước khi khôi phục.")
    _after_restore(data_dir, by, restored, open_centre=(url, password))
    return 0


def _server_asking_password(url: str, password: str | None, stdin: TextIO) -> tuple[Any, str | None]:
    """The centre's server for the restore, its password asked at a hidden prompt when none was given, this is a
    terminal and the server wants one (as every other command asks: cli.database)."""
    from counter.office import connection, server_backups
    server = server_backups.server_for(url, password)
    if password is not None or not stdin.isatty():
        return server, password  # a missing password is said by the restore's first step, in words
    try:
        server_backups.check_reachable(server)
    except connection.CentreUnreachable as e:
        if e.kind not in (connection.PASSWORD_NEEDED, connection.WRONG_PASSWORD):
            raise
        password = getpass.getpass("Mật khẩu cơ sở dữ liệu của trung tâm: ")
        server = server_backups.server_for(url, password)
        server_backups.check_reachable(server)  # a wrong one: said in words, nothing restored
    return server, password


def _after_restore(data_dir: Path, by: str, restored, open_centre: tuple[str, str | None] | None = None) -> None:
    """Open the restored database (migrated when older), record the restore, and resume the numbering when this
    PC does not trust it to issue codes: the province is asked; when it cannot be, say what the administrator
    types."""
    from cli.commands import describe_resumed
    from counter import restore
    from counter.code_guard import ProvinceNotAsked, resume_numbering
    from counter.errors import CounterError
    from counter.office import code_ledger
    from counter.office.first_run import is_set_up
    from counter.office.profile import get_office
    from counter.office.users import active_user
    from counter.setup import open_app
    if open_centre is not None:
        from counter.office import centre, server_backups
        ctx = centre.open_configured(data_dir, url=open_centre[0], password=open_centre[1])
        record = server_backups.record
    else:
        ctx = open_app(data_dir)
        record = restore.record
    try:
        try:
            ctx.user = active_user(ctx, by)
        except CounterError:
            ctx.user = None  # the administrator may be newer than the backup: the restore is recorded without a name
        record(ctx, restored)
        if not is_set_up(ctx):
            return
        workstation = get_office(ctx).workstation
        try:
            code_ledger.check_can_issue(ctx, workstation)
            print(f"Máy số {workstation} cấp tiếp mã hồ sơ bình thường (máy này chưa cấp mã nào sau bản sao lưu).")
            return
        except code_ledger.DatabaseBehindCodes:
            pass
        except CounterError as exc:  # office mode: this PC holds no workstation number of the centre
            print(f"Máy này chưa cấp mã hồ sơ được: {exc}")
            return
        try:
            result, _ = resume_numbering(ctx)
            print(describe_resumed(result))
        except ProvinceNotAsked as exc:
            print(f"Chưa cấp tiếp mã hồ sơ được. {exc} Lệnh: main.py accept-database --last-code MÃ_HỒ_SƠ --by {by}")
        except CounterError as exc:  # e.g. the administrator is not in the restored database
            print(f"Chưa cấp tiếp mã hồ sơ được: {exc} Lệnh: main.py accept-database --by QUẢN_TRỊ")
    finally:
        ctx.database.close()
