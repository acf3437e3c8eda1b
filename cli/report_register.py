"""`main.py report register`: the register (Sổ theo dõi hồ sơ, Mẫu 07) of a book or a reception date range, as
PDF or Excel. Bad input (an unknown book, field or procedure, an end before its start, an unwritable output) exits 2
with one line; an empty range writes a register that says it is empty."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.args import CliError, day, output_path, write_output
from counter.reports.register import build_register


def add_parser(reports) -> None:
    rg = reports.add_parser("register", help="sổ theo dõi hồ sơ (Mẫu 07) của một quyển sổ hoặc một khoảng ngày "
                            "tiếp nhận, ra tệp PDF hoặc Excel")
    rg.add_argument("--book", metavar="QUYỂN_SỐ", help="quyển sổ, ví dụ 01/2026 (thay cho --from/--to)")
    rg.add_argument("--from", dest="start", type=day, metavar="NGÀY", help="ngày tiếp nhận đầu tiên, ví dụ 01/02/2026")
    rg.add_argument("--to", dest="end", type=day, metavar="NGÀY", help="ngày tiếp nhận cuối cùng (tính cả ngày đó)")
    rg.add_argument("--field", default="", metavar="LĨNH_VỰC", help="chỉ một lĩnh vực (tên hoặc mã), ví dụ \"Hộ tịch\"")
    rg.add_argument("--procedure", default="", metavar="MÃ_TTHC", help="chỉ một thủ tục, theo mã, ví dụ 1.004873")
    rg.add_argument("--workstation", type=int, metavar="SỐ_QUẦY",
                    help="chỉ hồ sơ một quầy tiếp nhận (số máy tiếp nhận 0–9); mặc định cả trung tâm")
    out = rg.add_mutually_exclusive_group()
    out.add_argument("--pdf", type=Path, metavar="TỆP", help="ghi sổ ra tệp PDF (khổ ngang)")
    out.add_argument("--xlsx", type=Path, metavar="TỆP", help="ghi sổ ra tệp Excel (.xlsx)")
    rg.add_argument("--paper", choices=("A4", "A3"), default="A4", help="khổ giấy của tệp PDF (mặc định A4 ngang)")
    rg.set_defaults(run=run_register)


def run_register(args: argparse.Namespace, ctx) -> int:
    if args.book and (args.start or args.end):
        raise CliError("report register: chọn hoặc --book, hoặc --from và --to, không dùng cả hai")
    if not args.book and not (args.start and args.end):
        raise CliError("report register: cần --book QUYỂN_SỐ, hoặc cả --from NGÀY và --to NGÀY")
    target = args.pdf or args.xlsx
    if target is None:
        raise CliError("report register: cần --pdf TỆP hoặc --xlsx TỆP (nơi ghi sổ)")
    output_path(target)  # refused before anything is computed: a folder, a missing folder, an unwritable place
    register = build_register(ctx, book=args.book or "", start=args.start, end=args.end, field_name=args.field,
                              procedure=args.procedure, workstation=args.workstation)
    if args.pdf:
        from printing.register_pdf import build_register_pdf
        data = build_register_pdf(register, paper=args.paper)
    else:
        from printing.register_xlsx import build_register_xlsx
        data = build_register_xlsx(register)
    write_output(target, data)
    what = register.empty_label if register.empty else f"{len(register.lines)} hồ sơ"
    print(f"Đã ghi sổ theo dõi hồ sơ ({what.rstrip('.')}) vào {target}")
    return 0
