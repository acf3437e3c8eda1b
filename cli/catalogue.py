"""The `catalogue` subcommand of main.py: import a catalogue file, list the procedures, enter a fee or a time limit
the province set with its decision.

`main.py catalogue import FILE [--dry-run] [--effective DATE] [--source TEXT] [--case CODE=N] [--json] --by USER`
exits 0 when every entry was read, 1 when some were rejected (each named with its reason), 2 on bad input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli.args import CliError, day

EXIT_REJECTED = 1


def add_parsers(sub) -> None:
    c = sub.add_parser("catalogue", help="danh mục thủ tục: nhập, xem, đặt lệ phí và thời hạn do tỉnh quy định")
    actions = c.add_subparsers(dest="catalogue_command", parser_class=type(c), required=True)

    i = actions.add_parser("import", help="nhập danh mục (mẫu của Cổng DVC quốc gia hoặc tệp JSON của chương trình)")
    i.add_argument("file", type=Path)
    i.add_argument("--dry-run", action="store_true", help="chỉ báo cáo, không ghi gì")
    i.add_argument("--effective", type=day, help="ngày hiệu lực của các phiên bản mới (mặc định: hôm nay)")
    i.add_argument("--source", default="", help="văn bản công bố danh mục (mặc định: tên tệp)")
    i.add_argument("--case", action="append", default=[], metavar="MÃ=N",
                   help="lấy giấy tờ của trường hợp thứ N (TRUONGHOP) cho thủ tục MÃ; mặc định trường hợp đầu")
    i.add_argument("--json", action="store_true")
    i.add_argument("--by", help="tên đăng nhập của quản trị viên")

    ls = actions.add_parser("list", help="liệt kê các thủ tục và phiên bản đang áp dụng")
    ls.add_argument("--field", default="", help="chỉ một lĩnh vực (tên hoặc mã)")
    ls.add_argument("--json", action="store_true")

    f = actions.add_parser("set-fee", help="đặt mức lệ phí do tỉnh quy định (một phiên bản mới)")
    f.add_argument("code")
    f.add_argument("amount", help="số đồng, ví dụ 15000 hoặc 15.000")
    f.add_argument("--source", required=True, help="văn bản quy định mức này, ví dụ “Nghị quyết 12/2025/NQ-HĐND”")
    f.add_argument("--per", help="đơn vị tính (trường hợp, bản sao…); mặc định giữ như cũ")
    f.add_argument("--effective", type=day, help="ngày hiệu lực (mặc định: hôm nay)")
    f.add_argument("--by", help="tên đăng nhập của quản trị viên")

    t = actions.add_parser("set-time", help="đặt thời hạn giải quyết do tỉnh quy định (một phiên bản mới)")
    t.add_argument("code")
    rule = t.add_mutually_exclusive_group(required=True)
    rule.add_argument("--working-days", type=int, metavar="N")
    rule.add_argument("--calendar-days", type=int, metavar="N")
    rule.add_argument("--same-day", action="store_true", help="trả trong ngày")
    rule.add_argument("--none", action="store_true", help="không quy định thời hạn")
    t.add_argument("--source", required=True, help="văn bản quy định thời hạn này")
    t.add_argument("--effective", type=day, help="ngày hiệu lực (mặc định: hôm nay)")
    t.add_argument("--by", help="tên đăng nhập của quản trị viên")


def cmd_catalogue(args, ctx) -> int:
    command = args.catalogue_command
    if command == "list":
        return _list(args, ctx)
    _act_as(args, ctx)
    if command == "import":
        return _import(args, ctx)
    if command == "set-fee":
        return _set_fee(args, ctx)
    return _set_time(args, ctx)


def _act_as(args, ctx) -> None:
    from counter.office.users import active_user
    if args.by:
        ctx.user = active_user(ctx, args.by)
    if ctx.user is None:
        raise CliError("thay đổi danh mục thủ tục cần một quản trị viên: thêm --by TÊN_ĐĂNG_NHẬP")


def _import(args, ctx) -> int:
    from counter.catalogue import editing
    report, _ = editing.import_catalogue(ctx, args.file, effective_from=args.effective, source=args.source,
                                         dry_run=args.dry_run, cases=_cases(args.case))
    if args.json:
        print(json.dumps(editing.report_json(report, dry_run=args.dry_run), ensure_ascii=False, indent=2))
    else:
        print("\n".join(editing.report_lines(report, dry_run=args.dry_run)))
    return EXIT_REJECTED if report.rejected else 0


def _cases(pairs: list[str]) -> dict[str, int]:
    cases = {}
    for pair in pairs:
        code, _, number = pair.partition("=")
        if not code.strip() or not number.strip().isdigit() or int(number) < 1:
            raise CliError(f"--case cần dạng MÃ=N với N từ 1 (đã ghi {pair!r})")
        cases[code.strip()] = int(number)
    return cases


def _list(args, ctx) -> int:
    from counter.catalogue import editing
    chosen = editing.catalogue_list(ctx, args.field)
    if args.field and not chosen:
        known = ", ".join(editing.catalogue_fields(ctx))
        raise CliError(f"không có thủ tục nào thuộc lĩnh vực {args.field!r} (có: {known})")
    if args.json:
        print(json.dumps([editing.procedure_json(p) for p in chosen], ensure_ascii=False, indent=2))
        return 0
    for p in chosen:
        mark = "*" if editing.needs_province(p) else " "
        print(f"{mark} {p.code}  {p.name}  [{p.field}]  {_time(p.time_rule)}  {_fee(p.fee_rule)}  "
              f"(phiên bản {p.version} từ {p.effective_from:%d/%m/%Y})")
    if any(editing.needs_province(p) for p in chosen):
        print("* chưa đối chiếu hoặc lệ phí do tỉnh quy định chưa nhập: dùng catalogue set-fee / set-time")
    return 0


def _time(rule) -> str:
    from counter.catalogue.editing import time_text
    return time_text(rule)


def _fee(rule) -> str:
    from counter.catalogue.editing import fee_text
    return fee_text(rule)


def _set_fee(args, ctx) -> int:
    from counter.catalogue import editing
    text = args.amount.strip().removesuffix("đ").strip()
    if not re.fullmatch(r"\d{1,3}(\.\d{3})+|\d+", text):
        raise CliError(f"mức lệ phí phải là số đồng, ví dụ 15000 hoặc 15.000 (đã nhập {args.amount!r})")
    p, _ = editing.set_fee(ctx, args.code, int(text.replace(".", "")), source=args.source, per=args.per,
                           effective_from=args.effective)
    print(f"{p.code}: lệ phí {_fee(p.fee_rule)} theo {p.fee_source}, phiên bản {p.version} "
          f"từ {p.effective_from:%d/%m/%Y}")
    return 0


def _set_time(args, ctx) -> int:
    from counter.catalogue import editing
    if args.working_days is not None:
        kind, days = "working_days", args.working_days
    elif args.calendar_days is not None:
        kind, days = "calendar_days", args.calendar_days
    else:
        kind, days = ("same_day" if args.same_day else "none"), None
    p, _ = editing.set_time(ctx, args.code, kind, days, source=args.source, effective_from=args.effective)
    print(f"{p.code}: thời hạn {_time(p.time_rule)} theo {p.time_source}, phiên bản {p.version} "
          f"từ {p.effective_from:%d/%m/%Y}")
    return 0
