"""The command line's grammar: `main.py`'s subcommands and their arguments, with one-line errors."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli import calendar as calendar_commands
from cli import database as database_commands
from cli import office as office_commands
from cli import report as report_commands
from cli import restore as restore_commands
from cli import sync as sync_commands
from cli import users as user_commands
from cli.args import Parser, day
from counter.version import label

BY_HELP = ("tên đăng nhập của người thực hiện, ghi vào lịch sử (mặc định: người dùng của máy, "
           "thiết lập workstation_user)")


def add_by(parser: argparse.ArgumentParser, help: str = BY_HELP) -> None:
    """`--by USER`: who a command that writes something is recorded as (cli.commands.act_as)."""
    parser.add_argument("--by", metavar="TÊN_ĐĂNG_NHẬP", help=help)


def build_parser() -> Parser:
    p = Parser(prog="main.py", description="Quầy Một Cửa — tiếp nhận và trả kết quả hồ sơ thủ tục hành chính")
    p.add_argument("--data-dir", type=Path, help="thư mục dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    database_commands.add_arguments(p)
    p.add_argument("--version", action="version", version=label(),
                   help="in phiên bản của chương trình rồi thoát")
    # The frozen build's smoke test (tests/packaging): the first window is shown, named on stdout, and closed.
    p.add_argument("--quit-after-start", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", parser_class=Parser)

    su = sub.add_parser("setup", help="thiết lập cơ quan và quản trị viên đầu tiên (lần chạy đầu); mật khẩu đọc từ "
                        "đầu vào chuẩn hoặc gõ hai lần, không bao giờ là tham số")
    su.add_argument("--agency-id", required=True, help="mã định danh điện tử của cơ quan, dạng 000.00.00.H00")
    su.add_argument("--office-name", required=True, help="tên cơ quan tiếp nhận, ví dụ Bộ phận Một cửa")
    su.add_argument("--parent-name", required=True, help="cơ quan chủ quản, ví dụ UBND XÃ QUẢNG HÙNG")
    su.add_argument("--place-name", required=True, help="địa danh ghi trên giấy tờ, ví dụ Quảng Hùng")
    su.add_argument("--address", default="")
    su.add_argument("--phone", default="")
    su.add_argument("--workstation", type=int, required=True, help="số máy tiếp nhận này, từ 0 đến 9")
    su.add_argument("--register-book", help="quyển số của sổ theo dõi hồ sơ (mặc định 01/năm nay)")
    su.add_argument("--admin", required=True, help="tên đăng nhập của quản trị viên đầu tiên")
    su.add_argument("--admin-name", help="họ tên quản trị viên (mặc định: Quản trị viên)")

    d = sub.add_parser("due-date", help="tính ngày hẹn trả")
    d.add_argument("--received", required=True)
    rule = d.add_mutually_exclusive_group(required=True)
    rule.add_argument("--working-days", type=int)
    rule.add_argument("--same-day", action="store_true")
    rule.add_argument("--calendar-days", type=int)
    rule.add_argument("--procedure")

    c = sub.add_parser("parse-cccd", help="đọc chuỗi QR của thẻ căn cước")
    c.add_argument("text")

    r = sub.add_parser("receive", help="tiếp nhận một hồ sơ (giấy tờ bắt buộc coi như đã nộp)")
    r.add_argument("--procedure", required=True)
    r.add_argument("--applicant-name", required=True)
    r.add_argument("--id-number", required=True)
    r.add_argument("--phone", default="")
    r.add_argument("--address", default="")
    r.add_argument("--received")
    r.add_argument("--pages", type=int, help="số trang bản sao, lớn hơn 0 (thủ tục chứng thực)")
    r.add_argument("--json", action="store_true")
    add_by(r)

    g = sub.add_parser("demo-data", help="thêm hồ sơ mẫu")
    g.add_argument("--dossiers", type=int, required=True)
    g.add_argument("--seed", type=int, default=1)

    i = sub.add_parser("demo-init", help="tạo cơ sở dữ liệu mẫu để chạy thử")
    i.add_argument("--if-missing", action="store_true", help="không làm gì nếu đã có hồ sơ")
    i.add_argument("--dossiers", type=int, default=60)

    sh = sub.add_parser("show", help="xem một hồ sơ: trạng thái, hạn, lịch sử, tệp đính kèm")
    sh.add_argument("code")
    sh.add_argument("--json", action="store_true")

    at = sub.add_parser("attach", help="đính kèm bản số hóa (ảnh, PDF) vào một thành phần hoặc kết quả của hồ sơ")
    at.add_argument("code")
    at.add_argument("files", nargs="+", type=Path, help="các tệp ảnh hoặc PDF, theo thứ tự trang")
    target = at.add_mutually_exclusive_group()
    target.add_argument("--component", help="số thứ tự hoặc tên thành phần (mặc định: thành phần đầu tiên chưa số hóa)")
    target.add_argument("--result", action="store_true", help="bản số hóa kết quả giải quyết")
    at.add_argument("--add-pages", action="store_true", help="thêm trang vào sau bản số hóa đang có (không thay)")
    at.add_argument("--valid-until", type=day, help="giấy tờ có hiệu lực đến ngày (31/12/2030 hoặc 2030-12-31)")
    add_by(at, "tên đăng nhập của người số hóa, ghi vào bản số hóa (mặc định: người dùng của máy)")
    at.add_argument("--json", action="store_true")

    rc = sub.add_parser("receipt", help="in Mẫu 01 của một hồ sơ ra tệp PDF")
    rc.add_argument("code")
    rc.add_argument("--out", type=Path, required=True)
    au = sub.add_parser("audit", help="nhật ký thao tác: kiểm tra tính toàn vẹn, xem và lọc")
    audit_actions = au.add_subparsers(dest="audit_command", parser_class=Parser, required=True)
    audit_actions.add_parser("verify", help="kiểm tra chuỗi băm của nhật ký (0: nguyên vẹn, 1: có dòng bị sửa, "
                                            "xóa hoặc chèn)")
    al = audit_actions.add_parser("list", help="liệt kê nhật ký, cũ trước mới sau")
    al.add_argument("--from", dest="from_", type=day, help="từ ngày (31/12/2030 hoặc 2030-12-31)")
    al.add_argument("--to", type=day, help="đến hết ngày")
    al.add_argument("--user", help="tên đăng nhập của người thực hiện")
    al.add_argument("--kind", help="loại thao tác (login, login_failed, logout, lock, unlock, settings, print, …)")
    al.add_argument("--json", action="store_true")
    add_by(rc)
    ac = sub.add_parser("accept-database", help="cấp tiếp mã hồ sơ trên cơ sở dữ liệu vừa khôi phục, chép sang hoặc "
                        "tạo lại: hỏi hệ thống tỉnh các mã của máy này đã có (TraCuuHoSo), hoặc theo mã trên phiếu "
                        "tiếp nhận cuối cùng đã in (quản trị viên)")
    ac.add_argument("--last-code", metavar="MÃ_HỒ_SƠ",
                    help="mã hồ sơ in trên phiếu tiếp nhận cuối cùng của máy này (khi không hỏi được hệ thống tỉnh)")
    ac.add_argument("--none-issued", action="store_true",
                    help="xác nhận máy này không cấp mã nào ngoài các mã cơ sở dữ liệu đang có (khi không hỏi được "
                    "hệ thống tỉnh)")
    ac.add_argument("--no-province", action="store_true", help="không hỏi hệ thống tỉnh (cần --last-code hoặc "
                    "--none-issued)")
    add_by(ac)
    bk = sub.add_parser("backup", help="sao lưu ngay cơ sở dữ liệu và bản số hóa rồi kiểm tra bản sao "
                        "(0: đã kiểm tra, nguyên vẹn; 1: bản sao không đạt kiểm tra, đã để riêng; 2: không ghi được)")
    bk.add_argument("--to", type=Path, metavar="THƯ_MỤC",
                    help="thư mục đích có sẵn, ví dụ ổ USB (mặc định: thư mục backups trong thư mục dữ liệu)")
    bk.add_argument("--json", action="store_true")
    # Issue 18, integrity: `check`
    ck = sub.add_parser("check", help="kiểm tra tính toàn vẹn của cơ sở dữ liệu và kho bản số hóa (0: nguyên vẹn, "
                        "1: có vấn đề, mỗi vấn đề một dòng)")
    ck.add_argument("--full", action="store_true", help="kiểm tra đầy đủ: integrity_check và tính lại mã SHA-256 "
                    "của từng bản số hóa (chậm hơn)")
    ck.add_argument("--json", action="store_true")
    restore_commands.add_parser(sub)
    report_commands.add_parsers(sub)
    sync_commands.add_parsers(sub)
    calendar_commands.add_parsers(sub)
    user_commands.add_parsers(sub)
    office_commands.add_parsers(sub)
    from cli import catalogue  # here: it uses this module's CliError and day
    catalogue.add_parsers(sub)
    return p
