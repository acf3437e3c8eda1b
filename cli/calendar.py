"""`main.py calendar …`: the working calendar in an administrator's hands (list, add, remove, the dossiers a change
moves, and moving the later ones). Changes need `--by` an administrator's user name; exit 2 on bad input."""

from __future__ import annotations

import json
from datetime import date, datetime

from cli.args import CliError, day

WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def add_parsers(sub) -> None:
    c = sub.add_parser("calendar", help="lịch làm việc: ngày lễ, ngày nghỉ, ngày làm bù (quản trị viên)")
    actions = c.add_subparsers(dest="calendar_command", parser_class=type(c), required=True)
    ls = actions.add_parser("list", help="các ngày lễ, nghỉ, làm bù của một năm")
    ls.add_argument("--year", type=int, required=True)
    ls.add_argument("--json", action="store_true")
    vs = actions.add_parser("versions", help="các phiên bản lịch: ai sửa, khi nào, theo văn bản nào")
    vs.add_argument("--json", action="store_true")
    add = actions.add_parser("add", help="thêm hoặc sửa một ngày theo văn bản (tạo phiên bản lịch mới)")
    add.add_argument("date", type=day, help="ngày (31/12/2027 hoặc 2027-12-31)")
    add.add_argument("--kind", required=True, choices=("holiday", "rest", "working"),
                     help="holiday: ngày lễ; rest: ngày nghỉ; working: ngày làm bù")
    add.add_argument("--source", required=True, help="văn bản căn cứ, ví dụ “Công văn số 12/UBND-VP”")
    add.add_argument("--name", default="", help="tên ngày (mặc định: theo loại)")
    add.add_argument("--note", default="")
    add.add_argument("--by", help="tên đăng nhập của quản trị viên")
    rm = actions.add_parser("remove", help="bỏ một ngày khỏi lịch theo văn bản (tạo phiên bản lịch mới)")
    rm.add_argument("date", type=day)
    rm.add_argument("--source", required=True)
    rm.add_argument("--note", default="")
    rm.add_argument("--by", help="tên đăng nhập của quản trị viên")
    cy = actions.add_parser("confirm-year", help="xác nhận đã nhập đủ lịch làm việc của một năm theo văn bản công bố")
    cy.add_argument("year", type=int)
    cy.add_argument("--source", required=True, help="văn bản công bố lịch nghỉ của năm")
    cy.add_argument("--note", default="")
    cy.add_argument("--by", help="tên đăng nhập của quản trị viên")
    im = actions.add_parser("impact", help="hồ sơ đang giải quyết có ngày hẹn trả theo quy định thay đổi")
    im.add_argument("--json", action="store_true")
    mv = actions.add_parser("move-later", help="dời lịch hẹn: các hồ sơ có ngày hẹn muộn hơn theo lịch mới")
    mv.add_argument("--source", required=True)
    mv.add_argument("--note", default="")
    mv.add_argument("--by", help="tên đăng nhập của quản trị viên")


def cmd_calendar(args, ctx) -> int:
    return {"list": _list, "versions": _versions, "add": _add, "remove": _remove, "impact": _impact,
            "move-later": _move_later, "confirm-year": _confirm_year}[args.calendar_command](args, ctx)


def _as_admin(args, ctx) -> None:
    from counter.office.users import active_user
    if not args.by:
        raise CliError("thay đổi lịch làm việc cần --by TÊN_ĐĂNG_NHẬP của quản trị viên")
    ctx.user = active_user(ctx, args.by)


def _list(args, ctx) -> int:
    from counter.calendar import admin, schedule
    from counter.calendar.workdays import KIND_LABELS, list_calendar_days
    if not 1900 <= args.year <= 2999:
        raise CliError(f"năm không hợp lệ: {args.year}")
    days = list_calendar_days(ctx, args.year)
    missing = admin.years_without_calendar(ctx, [args.year])
    version = schedule.calendar(ctx).version
    if args.json:
        print(json.dumps({"year": args.year, "version": version, "loaded": not missing, "days": [
            {"date": d.date.isoformat(), "kind": d.kind, "name": d.name, "source": d.source, "status": d.status,
             "origin": d.origin} for d in days]}, ensure_ascii=False, indent=2))
        return 0
    print(f"Lịch làm việc năm {args.year} — phiên bản {version}")
    if missing:
        print(f"Chưa có lịch làm việc năm {args.year}" + (": chỉ có các ngày quản trị viên đã nhập." if days else "."))
    for d in days:
        print(f"{d.date:%d/%m/%Y} {WEEKDAYS[d.date.weekday()]}  {KIND_LABELS[d.kind]:<12} {d.name}"
              + (f"  [{d.source}]" if d.source else ""))
    return 0


def _versions(args, ctx) -> int:
    from counter.calendar import versions
    rows = versions.list_versions(ctx)
    if args.json:
        print(json.dumps([{"number": v.number, "created_at": _minute(v.created_at), "by": v.actor_name,
                           "action": v.action, "date": v.day.isoformat() if v.day else None, "kind": v.kind,
                           "source": v.source, "note": v.note, "days": v.day_count} for v in rows],
                         ensure_ascii=False, indent=2))
        return 0
    for v in rows:
        what = f"{v.action_label} {v.day:%d/%m/%Y}" if v.day else v.action_label
        print(f"{v.number:>4}  {v.created_at:%d/%m/%Y %H:%M}  {v.actor_name or '—'}  {what}  [{v.source}]"
              + (f"  {v.note}" if v.note else ""))
    return 0


def _add(args, ctx) -> int:
    from counter.calendar import admin
    _as_admin(args, ctx)
    version, _ = admin.add_day(ctx, args.date, args.kind, args.source, note=args.note, name=args.name)
    print(f"Đã ghi ngày {args.date:%d/%m/%Y}: lịch làm việc phiên bản {version.number}.")
    return _report_impact(ctx)


def _remove(args, ctx) -> int:
    from counter.calendar import admin
    _as_admin(args, ctx)
    version, _ = admin.remove_day(ctx, args.date, args.source, note=args.note)
    print(f"Đã bỏ ngày {args.date:%d/%m/%Y} khỏi lịch: lịch làm việc phiên bản {version.number}.")
    return _report_impact(ctx)


def _confirm_year(args, ctx) -> int:
    from counter.calendar import admin
    _as_admin(args, ctx)
    version, _ = admin.confirm_year(ctx, args.year, args.source, note=args.note)
    print(f"Đã xác nhận lịch làm việc năm {args.year}: lịch làm việc phiên bản {version.number}.")
    return _report_impact(ctx)


def _report_impact(ctx) -> int:
    from counter.calendar import admin
    moves = admin.impact(ctx)
    if moves:
        print(f"{len(moves)} hồ sơ đang giải quyết có ngày hẹn trả theo quy định thay đổi "
              "(main.py calendar impact để xem, calendar move-later để dời lịch hẹn):")
        _print_moves(moves)
    return 0


def _impact(args, ctx) -> int:
    from counter.calendar import admin
    moves = admin.impact(ctx)
    if args.json:
        print(json.dumps([{"code": m.code, "applicant": m.applicant_name, "procedure": m.procedure_name,
                           "old_due": _minute(m.old_due), "new_due": _minute(m.new_due),
                           "direction": "later" if m.later else "earlier"} for m in moves],
                         ensure_ascii=False, indent=2))
    elif not moves:
        print("Không có hồ sơ nào có ngày hẹn trả thay đổi theo lịch làm việc hiện hành.")
    else:
        _print_moves(moves)
    return 0


def _print_moves(moves) -> None:
    for m in moves:
        flag = "dời muộn hơn" if m.later else "CẢNH BÁO: sớm hơn, không tự đổi"
        print(f"{m.code}  {m.applicant_name}  {m.old_due:%d/%m/%Y %H:%M} → {m.new_due:%d/%m/%Y %H:%M}  ({flag})")


def _move_later(args, ctx) -> int:
    from counter.calendar import admin
    _as_admin(args, ctx)
    moves, _ = admin.move_later(ctx, args.source, note=args.note)
    print(f"Đã dời lịch hẹn của {len(moves)} hồ sơ.")
    _print_moves(moves)
    left = [m for m in admin.impact(ctx) if not m.later]
    if left:
        print(f"{len(left)} hồ sơ có ngày hẹn theo lịch mới sớm hơn: giữ nguyên ngày hẹn đã hẹn với công dân.")
    return 0


def _minute(dt: datetime | date | None) -> str | None:
    return dt.strftime("%Y-%m-%dT%H:%M") if dt else None
