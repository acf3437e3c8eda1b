"""Quầy Một Cửa: without arguments, the desktop app; with a subcommand, a script-friendly tool.

Exit codes: 0 success, 2 bad input (one line on stderr); `sync` also uses 1 and 3 (counter.sync.commands).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from counter.errors import CounterError, ValidationError
from counter.sync import commands as sync_commands
from counter.text import parse_day


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not argparse's usage block
        raise CliError(f"{self.prog}: {message}")


def _iso_local(text: str) -> datetime:
    from counter.clock import local
    try:
        return local(datetime.fromisoformat(text))
    except ValueError:
        raise CliError(f"thời điểm không hợp lệ: {text!r} (dạng 2026-02-13T10:00)") from None


def _day(text: str) -> date:
    try:
        day = parse_day(text, "Ngày")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if day is None:
        raise argparse.ArgumentTypeError("chưa nhập ngày (dạng 31/12/2030)")
    return day


def _minute(dt: datetime | None) -> str | None:
    return dt.strftime("%Y-%m-%dT%H:%M") if dt else None


def build_parser() -> Parser:
    p = Parser(prog="main.py", description="Quầy Một Cửa — tiếp nhận và trả kết quả hồ sơ thủ tục hành chính")
    p.add_argument("--data-dir", type=Path, help="thư mục dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    sub = p.add_subparsers(dest="command", parser_class=Parser)

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
    r.add_argument("--pages", type=int, default=0, help="số trang bản sao (thủ tục chứng thực)")
    r.add_argument("--json", action="store_true")

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
    at.add_argument("--valid-until", type=_day, help="giấy tờ có hiệu lực đến ngày (31/12/2030 hoặc 2030-12-31)")
    at.add_argument("--by", help="tên đăng nhập của người số hóa (ghi vào bản số hóa)")
    at.add_argument("--json", action="store_true")

    rc = sub.add_parser("receipt", help="in Mẫu 01 của một hồ sơ ra tệp PDF")
    rc.add_argument("code")
    rc.add_argument("--out", type=Path, required=True)
    sub.add_parser("accept-database", help="xác nhận cơ sở dữ liệu đang mở (đã đối chiếu với hệ thống tỉnh) để "
                   "cấp tiếp mã hồ sơ sau khi khôi phục bản sao lưu")
    sync_commands.add_parsers(sub)
    return p


def cmd_due_date(args, ctx) -> int:
    from counter import catalogue, schedule
    from counter.records import TimeRule
    if args.procedure:
        rule = catalogue.get_procedure(args.procedure).time_rule
    elif args.same_day:
        rule = TimeRule("same_day")
    elif args.working_days is not None:
        rule = TimeRule("working_days", _positive(args.working_days))
    else:
        rule = TimeRule("calendar_days", _positive(args.calendar_days))
    due = schedule.due_for(ctx, rule, _iso_local(args.received))
    print(_minute(due) or "none")
    return 0


def _positive(n: int) -> int:
    if n <= 0:
        raise CliError(f"số ngày phải lớn hơn 0 (đã nhập {n})")
    return n


def cmd_parse_cccd(args, ctx) -> int:
    from counter.cccd import parse_cccd
    from counter.clock import Clock
    card = parse_cccd(args.text, today=Clock().now().date())  # a card issued "tomorrow" is a misread
    print(json.dumps(card.to_json_dict(), ensure_ascii=False))
    return 0


def cmd_receive(args, ctx) -> int:
    from counter import catalogue, reception
    from counter.records import ApplicantInput, ComponentInput, DossierDraft
    received = _iso_local(args.received) if args.received else None
    procedure = catalogue.get_procedure(args.procedure, received.date() if received else None)
    components = tuple(ComponentInput(name=c.name, form=c.form, code=c.code, pages=args.pages)
                       for c in procedure.components if not c.optional)
    draft = DossierDraft(procedure_code=args.procedure, received_at=received, components=components,
                         applicant=ApplicantInput(id_number=args.id_number, full_name=args.applicant_name,
                                                  phone=args.phone, address=args.address))
    dossier = reception.receive_dossier(ctx, draft)
    result = {"code": dossier.code, "due_at": _minute(dossier.due_at), "status": int(dossier.status)}
    plain = f"{dossier.code}  hẹn trả: {result['due_at'] or 'không'}"
    print(json.dumps(result, ensure_ascii=False) if args.json else plain)
    return 0


def cmd_demo_data(args, ctx) -> int:
    from counter.demo import add_demo_dossiers
    if args.dossiers <= 0:
        raise CliError("số hồ sơ phải lớn hơn 0")
    count = add_demo_dossiers(ctx, args.dossiers, seed=args.seed, progress=_progress)
    print(f"đã thêm {count} hồ sơ mẫu", file=sys.stderr)
    return 0


def cmd_demo_init(args, ctx) -> int:
    from counter.demo import add_demo_dossiers
    from counter.dossiers import count_dossiers
    if args.if_missing and count_dossiers() > 0:
        return 0
    add_demo_dossiers(ctx, args.dossiers, seed=7, recent=True)
    print(f"cơ sở dữ liệu mẫu: {ctx.db_path}", file=sys.stderr)
    return 0


def cmd_receipt(args, ctx) -> int:
    from counter.dossiers import get_dossier
    from counter.office import get_office
    from counter.prints import log_print
    from counter.status import Status
    from printing.mau01 import build_receipt
    dossier = get_dossier(args.code)
    if dossier.status == Status.REFUSED:
        raise ValidationError(f"Hồ sơ {dossier.code} đã bị từ chối tiếp nhận nên không có giấy tiếp nhận (Mẫu 01); "
                              "phiếu từ chối (Mẫu 03) in lại từ trang hồ sơ.")
    pdf = build_receipt(dossier, get_office())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    log_print(ctx, "mau01", dossier_code=dossier.code, target=str(args.out.resolve()))
    print(args.out)
    return 0


def cmd_attach(args, ctx) -> int:
    from counter import attachments
    from counter.showjson import attachment_json
    from counter.users import active_user
    if args.by:
        ctx.user = active_user(args.by)
    if args.result and (args.add_pages or args.valid_until):
        raise CliError("--add-pages và --valid-until chỉ dùng cho thành phần hồ sơ, không dùng với --result")
    if args.result:
        attached = attachments.attach_result(ctx, args.code, args.files)
    else:
        attached = attachments.attach_component(ctx, args.code, args.component, args.files,
                                                valid_until=args.valid_until, add_pages=args.add_pages)
    data = attachment_json(attached)
    print(json.dumps(data, ensure_ascii=False) if args.json
          else f"{data['sha256']}  {data['pages']} trang  {data['name']}")
    return 0


def cmd_show(args, ctx) -> int:
    from counter.showjson import dossier_json
    data = dossier_json(args.code)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"{data['code']}  {data['status_label']}  hẹn trả: {data['due_at'] or 'không'}")
        for step in data["history"]:
            label = step.get("action_label") or step["action"]
            note = step.get("note", "")
            print(f"  {step['at']}  {label}" + (f" — {note}" if note and note != label else ""))
    return 0


def cmd_accept_database(args, ctx) -> int:
    from counter.code_ledger import accept_database
    newest = accept_database(ctx)
    print(f"Đã xác nhận cơ sở dữ liệu {ctx.db_path}; mã hồ sơ cấp tiếp sau {newest or 'mã đầu tiên của ngày'}.")
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


COMMANDS = {
    "due-date": cmd_due_date, "parse-cccd": cmd_parse_cccd, "receive": cmd_receive,
    "demo-data": cmd_demo_data, "demo-init": cmd_demo_init, "receipt": cmd_receipt, "show": cmd_show,
    "attach": cmd_attach, "accept-database": cmd_accept_database,
    "sync": sync_commands.cmd_sync, "settings": sync_commands.cmd_settings,
}


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "parse-cccd":  # needs no database
            return cmd_parse_cccd(args, None)
        from counter.logsetup import setup_logging
        from counter.setup import default_data_dir, open_app
        data_dir = args.data_dir or default_data_dir()
        setup_logging(data_dir)
        ctx = open_app(data_dir)
        if args.command is None:
            from ui.app import run
            return run(ctx)
        return COMMANDS[args.command](args, ctx)
    except (CliError, CounterError) as e:
        print(str(e).replace("\n", " "), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
