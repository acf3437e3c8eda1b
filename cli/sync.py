"""The `sync` and `settings` subcommands of main.py (kept here so main.py stays a dispatcher).

`main.py sync [--json] [--pdf FILE] [--no-confirm]` exit codes, for a scheduled task:
  0  nothing left waiting (everything the province should have, it has)
  1  something is still waiting or needs attention (the report says what)
  2  bad input or settings missing (one line on stderr)
  3  another sync is running (one line on stderr); try again later
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.args import output_path, write_output

EXIT_WAITING, EXIT_BUSY = 1, 3


def add_parsers(sub) -> None:
    s = sub.add_parser("sync", help="đồng bộ với hệ thống tỉnh và in báo cáo cuối ngày")
    s.add_argument("--json", action="store_true", help="báo cáo dạng JSON")
    s.add_argument("--pdf", type=Path, help="lưu báo cáo ra tệp PDF")
    s.add_argument("--no-confirm", action="store_true", help="không tra cứu lại các hồ sơ đã gửi trong ngày")
    st = sub.add_parser("settings", help="xem hoặc đặt thiết lập đồng bộ và cơ quan")
    actions = st.add_subparsers(dest="settings_command", parser_class=type(st), required=True)
    actions.add_parser("show", help="xem các thiết lập (mật khẩu được che)")
    set_ = actions.add_parser("set", help="đặt một thiết lập: KHÓA GIÁ_TRỊ")
    set_.add_argument("key")
    set_.add_argument("value")
    set_.add_argument("--by", metavar="TÊN_ĐĂNG_NHẬP",
                      help="tên đăng nhập của người đặt (mặc định: người dùng của máy, thiết lập workstation_user)")
    actions.add_parser("workstations", help="các số máy tiếp nhận đã có máy nhận (cơ sở dữ liệu dùng chung)")
    rel = actions.add_parser("release-workstation", help="giải phóng một số máy tiếp nhận khỏi máy đang giữ nó "
                             "(quản trị viên; máy đó không còn dùng hoặc đã cài lại)")
    rel.add_argument("number", type=int, metavar="SỐ")
    rel.add_argument("--by", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập của quản trị viên")


def cmd_settings(args, ctx) -> int:
    from counter.office.acting import acting_user
    from counter.sync import settings
    if args.settings_command == "set":
        ctx.user = acting_user(ctx, args.by)
        settings.set_value(ctx, args.key, args.value)
        print(f"đã đặt {args.key}")
        return 0
    from counter.office import local_config, workstations
    if args.settings_command == "release-workstation":
        ctx.user = acting_user(ctx, args.by)
        workstations.release(ctx, args.number)
        print(f"đã giải phóng số máy tiếp nhận {args.number}")
        return 0
    if args.settings_command == "workstations":
        for held in workstations.holders(ctx):
            since = f"{held.claimed_at:%d/%m/%Y %H:%M}"
            print(f"{held.number}  {held.machine_name}  (từ {since}, mã máy {held.machine_id})")
        return 0
    for key, label, value in local_config.shown(local_config.load()):
        print(f"{key:<14} {value}    # {label}")
    for key, label, value in settings.shown(ctx):
        print(f"{key:<14} {value}    # {label}")
    return 0


def cmd_sync(args, ctx) -> int:
    from counter import audit
    from counter.office.profile import get_office
    from counter.sync.batch import sync_once
    from counter.sync.lock import SyncBusy
    if args.pdf:
        output_path(args.pdf)  # refused before anything is sent: a folder, a missing folder, an unwritable place
    try:
        report = sync_once(ctx, progress=_progress if sys.stderr.isatty() else None, confirm=not args.no_confirm)
    except SyncBusy as e:
        print(str(e), file=sys.stderr)
        return EXIT_BUSY
    if args.pdf:
        from printing.sync_report import build_sync_report
        write_output(args.pdf, build_sync_report(report, get_office(ctx)))
        path = str(args.pdf.resolve())
        audit.record(ctx, "export", f"Lưu báo cáo đồng bộ ngày {report.started_at:%d/%m/%Y} ra tệp {path}.",
                     detail={"what": "sync_report", "path": path})
    print(json.dumps(report.to_json(), ensure_ascii=False) if args.json else summary(report))
    return 0 if report.complete else EXIT_WAITING


def summary(report) -> str:
    lines = [f"Đã gửi: {report.sent_dossiers} hồ sơ, {report.sent_steps} bước xử lý.",
             f"Gửi trong ngày: {report.sent_today} hồ sơ"
             + (f", tỉnh xác nhận {report.confirmed}." if report.checked else " (chưa tra cứu xác nhận).")]
    lines += [f"  Tỉnh chưa xác nhận: {code}" for code in report.unconfirmed]
    lines += [f"Cập nhật từ tỉnh: {c.describe()}" for c in report.applied]
    lines += [f"Cần xử lý: {i.code} ({i.kind}) — {i.reason}" for i in report.failed]
    lines.append(f"Còn chờ gửi: {len(report.waiting)} mục.")
    if report.stopped_by:
        lines.append(f"Dừng giữa chừng: {report.stopped_by}")
    return "\n".join(lines)


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
