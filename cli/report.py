"""`main.py report …` (issue 19): the register (Mẫu 07) and the processing statistics (Biểu số 06), each a
subcommand module of its own (`add_parser` adds its parser and sets `args.run`)."""

from __future__ import annotations

import argparse

from cli import report_register, report_scorecard, report_stats

REPORTS = (report_register, report_stats, report_scorecard)


def add_parsers(sub) -> None:
    rp = sub.add_parser("report", help="báo cáo: sổ theo dõi hồ sơ (Mẫu 07), tình hình giải quyết (Biểu số 06), "
                                           "báo cáo của bộ phận một cửa")
    reports = rp.add_subparsers(dest="report_command", required=True, metavar="BÁO_CÁO")
    for module in REPORTS:
        module.add_parser(reports)


def cmd_report(args: argparse.Namespace, ctx) -> int:
    return int(args.run(args, ctx))
