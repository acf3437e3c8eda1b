"""`main.py report scorecard --from D --to D [--json | --pdf FILE]`: the office's scorecard (on-time rate, trend, the
dossiers late or soon late now, Biểu 06's figures, the QĐ 766 indicators the office can estimate) as readable
text, as JSON with --json, or as a PDF with --pdf FILE. Bad input exits 2 with one line; an empty period is a
scorecard that says so."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cli.args import CliError, day, output_path, write_output
from counter.context import AppContext
from counter.office.profile import get_office
from counter.reports.periods import date_range
from counter.reports.records import Scorecard, share_text
from counter.reports.scorecard import ESTIMATE, as_json, compute_scorecard


def add_parser(reports) -> None:
    p = reports.add_parser("scorecard", help="báo cáo của bộ phận một cửa: tỷ lệ đúng hạn, hồ sơ quá hạn, chỉ số")
    p.add_argument("--from", dest="from_", type=day, help="từ ngày (31/12/2026 hoặc 2026-12-31)")
    p.add_argument("--to", type=day, help="đến ngày, tính cả ngày này")
    p.add_argument("--json", action="store_true", help="in số liệu dạng JSON")
    p.add_argument("--pdf", type=Path, metavar="TỆP", help="ghi ra tệp PDF (A4)")
    p.set_defaults(run=run_scorecard)


def run_scorecard(args: argparse.Namespace, ctx: AppContext) -> int:
    if args.from_ is None or args.to is None:
        raise CliError("report scorecard: cần cả --from và --to (ví dụ --from 01/10/2026 --to 31/10/2026)")
    if args.json and args.pdf:
        raise CliError("report scorecard: chọn một đầu ra: --json hoặc --pdf TỆP, không dùng cả hai")
    period = date_range(args.from_, args.to)
    if args.pdf is not None:
        output_path(args.pdf)  # refused before the work, not after it
    card = compute_scorecard(ctx, period)
    if args.pdf is not None:
        from printing.scorecard_pdf import build_scorecard_pdf
        write_output(args.pdf, build_scorecard_pdf(card, get_office(ctx)))
        what = ("kỳ báo cáo không có hồ sơ nào" if card.stats.empty
                else f"tỷ lệ đúng hạn {share_text(card.on_time, card.resolved)}")
        print(f"Đã ghi báo cáo của bộ phận một cửa ({period.label}; {what}) vào {args.pdf}")
    elif args.json:
        print(json.dumps(as_json(card), ensure_ascii=False, indent=2))
    else:
        print("\n".join(text_lines(card)))
    return 0


def _when(row) -> str:
    return f"{row.due_at:%H:%M %d/%m/%Y}" if row.due_at else "—"


def text_lines(card: Scorecard) -> list[str]:
    lines = [f"BÁO CÁO CỦA BỘ PHẬN MỘT CỬA — {card.period.label}"]
    if card.stats.empty:
        lines.append("Kỳ báo cáo không có hồ sơ nào.")
    lines.append(f"Tỷ lệ giải quyết đúng hạn: {share_text(card.on_time, card.resolved)}")
    lines.append("Theo tháng: " + "; ".join(f"{m.label} {share_text(m.on_time, m.resolved)}" for m in card.trend))
    lines.append("Số liệu trong kỳ:")
    lines += [f"  {f.label}: {f.value_text}" for f in card.figures]
    for title, rows in (("Đang quá hạn", card.late), ("Sắp quá hạn (còn tối đa 1 ngày làm việc)", card.soon_late)):
        lines.append(f"{title}: {len(rows)}")
        lines += [f"  {r.code} | {r.applicant_name} | {r.procedure_name} | hẹn trả {_when(r)}" for r in rows]
    lines.append(f"Chỉ số theo QĐ 766 ({ESTIMATE}):")
    for i in card.indicators:
        points = "" if i.points is None else f" — {i.points:g}/{i.max_points:g} điểm".replace(".", ",")
        lines.append(f"  {i.label}: {share_text(i.part, i.whole)}{points}")
        lines.append(f"    Cách tính: {i.formula}")
    return lines
