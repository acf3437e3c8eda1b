"""`main.py report stats`: Biểu số 06 for a period (--period 2026-Q4 | 2026-11 | 2026-H1 | 2026-9M | 2026, with
--cutoff for the 15th-to-14th cut-off; or --from D --to D), by field, procedure or receiving clerk, of the whole
centre or (--workstation N) of one counter's dossiers, as a PDF, an Excel workbook or JSON on stdout. Bad input exits
2 with one line; an empty period is a report that says so."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli.args import CliError, day, output_path, write_output
from counter.context import AppContext
from counter.office.profile import get_office
from counter.reports.periods import date_range, parse_period
from counter.reports.records import GROUPINGS, Period
from counter.reports.stats import as_json, compute_stats


def add_parser(reports) -> None:
    p = reports.add_parser("stats", help="Biểu số 06: tình hình, kết quả giải quyết thủ tục hành chính")
    p.add_argument("--period", help="kỳ báo cáo: 2026-11 (tháng), 2026-Q4 (quý), 2026-H1/H2 (6 tháng), 2026-9M "
                                    "(9 tháng), 2026 (năm)")
    p.add_argument("--cutoff", action="store_true", help="số liệu từ ngày 15 tháng trước kỳ đến ngày 14 tháng cuối kỳ")
    p.add_argument("--from", dest="from_", type=day, help="từ ngày (31/12/2026 hoặc 2026-12-31)")
    p.add_argument("--to", type=day, help="đến ngày, tính cả ngày này")
    p.add_argument("--by", default="field", help="nhóm theo: field (lĩnh vực, mặc định), procedure (thủ tục), "
                                                 "clerk (công chức tiếp nhận), workstation (quầy tiếp nhận)")
    p.add_argument("--workstation", type=int, metavar="SỐ_QUẦY",
                   help="chỉ hồ sơ một quầy tiếp nhận (số máy tiếp nhận 0–9); mặc định cả trung tâm")
    p.add_argument("--pdf", type=Path, metavar="TỆP", help="ghi ra tệp PDF (A4 ngang)")
    p.add_argument("--xlsx", type=Path, metavar="TỆP", help="ghi ra tệp Excel (.xlsx)")
    p.add_argument("--json", action="store_true", help="in số liệu dạng JSON")
    p.set_defaults(run=run_stats)


def _period(args: argparse.Namespace) -> Period:
    if args.period is not None and (args.from_ is not None or args.to is not None):
        raise CliError("report stats: dùng --period hoặc --from/--to, không dùng cả hai")
    if args.period is not None:
        return parse_period(args.period, cutoff=args.cutoff)
    if args.cutoff:
        raise CliError("report stats: --cutoff chỉ dùng với --period")
    if args.from_ is None or args.to is None:
        raise CliError("report stats: cần kỳ báo cáo: --period (ví dụ 2026-Q4) hoặc cả --from và --to")
    return date_range(args.from_, args.to)


def run_stats(args: argparse.Namespace, ctx: AppContext) -> int:
    outputs = [name for name in ("pdf", "xlsx", "json") if getattr(args, name)]
    if len(outputs) != 1:
        raise CliError("report stats: chọn đúng một đầu ra: --pdf TỆP, --xlsx TỆP hoặc --json")
    if args.by not in GROUPINGS:
        raise CliError(f"report stats: --by “{args.by}” không hợp lệ; chọn field (lĩnh vực), procedure (thủ tục) "
                       "hoặc clerk (công chức tiếp nhận)")
    period = _period(args)
    target: Path | None = args.pdf or args.xlsx
    if target is not None:
        output_path(target)  # refused before the work, not after it
    stats = compute_stats(ctx, period, args.by, workstation=args.workstation)
    if args.json:
        print(json.dumps(as_json(stats), ensure_ascii=False, indent=2))
        return 0
    office = get_office(ctx)
    assert target is not None
    if args.pdf:
        from printing.stats_pdf import build_stats_pdf
        write_output(target, build_stats_pdf(stats, office))
    else:
        from printing.stats_xlsx import build_stats_xlsx
        write_output(target, build_stats_xlsx(stats, office))
    what = ("kỳ báo cáo không có hồ sơ nào" if stats.empty
            else f"{stats.total.received} hồ sơ nhận giải quyết, {stats.total.resolved} đã giải quyết")
    print(f"Đã ghi Biểu số 06 ({period.label}; {what}) vào {target}")
    return 0
