"""What each subcommand of `main.py` does. Exit codes: 0 success, 2 bad input (raised as CliError or a
CounterError and printed by main.py as one line); `sync` also uses 1 and 3 (cli.sync)."""

from __future__ import annotations

import json
import sys
from datetime import datetime

from cli import calendar as calendar_commands
from cli import report as report_commands
from cli import restore as restore_commands
from cli import sync as sync_commands
from cli import users as user_commands
from cli.args import CliError, iso_local, output_path, write_output
from cli.catalogue import cmd_catalogue
from counter.errors import ValidationError


def _minute(dt: datetime | None) -> str | None:
    return dt.strftime("%Y-%m-%dT%H:%M") if dt else None


def cmd_due_date(args, ctx) -> int:
    from counter.calendar import schedule
    from counter.catalogue import procedures
    from counter.records import TimeRule
    if args.procedure:
        rule = procedures.get_procedure(ctx, args.procedure).time_rule
    elif args.same_day:
        rule = TimeRule("same_day")
    elif args.working_days is not None:
        rule = TimeRule("working_days", _positive(args.working_days))
    else:
        rule = TimeRule("calendar_days", _positive(args.calendar_days))
    due = schedule.due_for(ctx, rule, iso_local(args.received))
    print(_minute(due) or "none")
    return 0


def _positive(n: int) -> int:
    if n <= 0:
        raise CliError(f"số ngày phải lớn hơn 0 (đã nhập {n})")
    return n


def cmd_parse_cccd(args, ctx) -> int:
    from counter.clock import Clock
    from counter.dossiers.cccd import parse_cccd
    card = parse_cccd(args.text, today=Clock().now().date())  # a card issued "tomorrow" is a misread
    print(json.dumps(card.to_json_dict(), ensure_ascii=False))
    return 0


def act_as(args, ctx) -> None:
    """A command that writes something a person answers for acts as `--by` or the workstation user (exit 2 when
    neither names an active user): its history rows, scans, prints and the audit name them."""
    from counter.office.acting import acting_user
    ctx.user = acting_user(ctx, getattr(args, "by", None))


def cmd_receive(args, ctx) -> int:
    from counter.calendar import admin
    act_as(args, ctx)
    from counter.catalogue import procedures
    from counter.dossiers import reception
    from counter.office.first_run import require_set_up
    from counter.records import ApplicantInput, ComponentInput, DossierDraft
    require_set_up(ctx)  # before anything else is looked at: the one thing to do first
    received = iso_local(args.received) if args.received else None
    if args.pages is not None and args.pages <= 0:
        raise CliError(f"--pages: số trang phải lớn hơn 0 (đã nhập {args.pages})")
    procedure = procedures.get_procedure(ctx, args.procedure, received.date() if received else None)
    components = tuple(ComponentInput(name=c.name, form=c.form, code=c.code, pages=args.pages or 0)
                       for c in procedure.components if not c.optional)
    draft = DossierDraft(procedure_code=args.procedure, received_at=received, components=components,
                         applicant=ApplicantInput(id_number=args.id_number, full_name=args.applicant_name,
                                                  phone=args.phone, address=args.address))
    dossier, _ = reception.receive_dossier(ctx, draft)
    warning = admin.due_date_warning(ctx, dossier.received_at, dossier.due_at)
    if warning:
        print(warning, file=sys.stderr)
    result = {"code": dossier.code, "due_at": _minute(dossier.due_at), "status": int(dossier.status)}
    plain = f"{dossier.code}  hẹn trả: {result['due_at'] or 'không'}"
    print(json.dumps(result, ensure_ascii=False) if args.json else plain)
    return 0


def cmd_setup(args, ctx) -> int:
    from cli.password_input import read_new_password
    from counter.office import first_run
    from counter.records import Office, OfficeSetup
    office = Office(agency_id=args.agency_id, office_name=args.office_name, parent_name=args.parent_name,
                    place_name=args.place_name, address=args.address, phone=args.phone, workstation=args.workstation,
                    register_book=args.register_book or first_run.default_register_book(ctx.clock.now().date()))
    full_name = args.admin_name or "Quản trị viên"
    first_run.check_not_set_up(ctx)  # everything that can be wrong is said before the password is asked for
    office = first_run.clean_office(office)
    first_run.clean_admin(args.admin, full_name)
    password, again = read_new_password(prompt=f"Mật khẩu của {args.admin}")
    admin, _ = first_run.set_up_office(ctx, OfficeSetup(office, args.admin, full_name, password, again))
    print(f"Đã thiết lập cơ quan {office.agency_id} ({office.office_name.strip()}), máy tiếp nhận số "
          f"{office.workstation}; quản trị viên: {admin.username}. Mở ứng dụng (main.py) và đăng nhập.")
    return 0


def cmd_demo_data(args, ctx) -> int:
    from devtools.demo.build import add_demo_dossiers
    if args.dossiers <= 0:
        raise CliError("số hồ sơ phải lớn hơn 0")
    count = add_demo_dossiers(ctx, args.dossiers, seed=args.seed, progress=_progress)
    print(f"đã thêm {count} hồ sơ mẫu", file=sys.stderr)
    return 0


def cmd_demo_init(args, ctx) -> int:
    from counter.dossiers.lookup import count_dossiers
    from counter.office.first_run import is_set_up
    from counter.office.profile import get_office
    from counter.setup import seed_demo
    from devtools.demo.build import add_demo_dossiers
    if args.if_missing and is_set_up(ctx) and not get_office(ctx).demo:
        return 0  # a real office's database (`make run` on it opens it as it is): nothing of a demo is missing
    seed_demo(ctx)  # refuses a real office's database
    if args.if_missing and count_dossiers(ctx) > 0:
        return 0
    add_demo_dossiers(ctx, args.dossiers, seed=7, recent=True)
    print(f"cơ sở dữ liệu mẫu: {ctx.db_path}", file=sys.stderr)
    return 0


def cmd_receipt(args, ctx) -> int:
    from counter.dossiers.lookup import get_dossier
    from counter.dossiers.prints import log_print
    from counter.office.profile import get_office
    from counter.status import Status
    from printing.mau01 import build_receipt
    act_as(args, ctx)
    dossier = get_dossier(ctx, args.code)
    if dossier.status == Status.REFUSED:
        raise ValidationError(f"Hồ sơ {dossier.code} đã bị từ chối tiếp nhận nên không có giấy tiếp nhận (Mẫu 01); "
                              "phiếu từ chối (Mẫu 03) in lại từ trang hồ sơ.")
    output_path(args.out)  # before the receipt is built: a folder or a place that cannot be written is refused
    write_output(args.out, build_receipt(dossier, get_office(ctx)))
    log_print(ctx, "mau01", dossier_code=dossier.code, target=str(args.out.resolve()))
    print(args.out)
    return 0


def cmd_attach(args, ctx) -> int:
    from cli.show_json import attachment_json
    from counter.scans import attachments
    act_as(args, ctx)
    if args.result and (args.add_pages or args.valid_until):
        raise CliError("--add-pages và --valid-until chỉ dùng cho thành phần hồ sơ, không dùng với --result")
    if args.result:
        attached, _ = attachments.attach_result(ctx, args.code, args.files)
    else:
        attached, _ = attachments.attach_component(ctx, args.code, args.component, args.files,
                                                   valid_until=args.valid_until, add_pages=args.add_pages)
    data = attachment_json(attached)
    print(json.dumps(data, ensure_ascii=False) if args.json
          else f"{data['sha256']}  {data['pages']} trang  {data['name']}")
    return 0


def cmd_show(args, ctx) -> int:
    from cli.show_json import dossier_json
    data = dossier_json(ctx, args.code)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(f"{data['code']}  {data['status_label']}  hẹn trả: {data['due_at'] or 'không'}")
        for step in data["history"]:
            label = step.get("action_label") or step["action"]
            note = step.get("note", "")
            print(f"  {step['at']}  {label}" + (f" — {note}" if note and note != label else ""))
        if data["attachments"]:
            print("Bản số hóa:")
        for a in data["attachments"]:
            where = "Kết quả" if a["kind"] == "result" else f"Thành phần {a['component_position']}"
            by = f", {a['digitised_by']}" if a["digitised_by"] else ""
            print(f"  {where}: {a['name']} — {a['pages']} trang, {a['digitised_at']}{by}  {a['path']}")
    return 0


def cmd_accept_database(args, ctx) -> int:
    from counter.code_guard import resume_numbering
    act_as(args, ctx)
    result, _ = resume_numbering(ctx, args.last_code, none_issued=args.none_issued,
                                 ask_province=not args.no_province)
    print(describe_resumed(result))
    return 0


def describe_resumed(result) -> str:
    """What the administrator is told after the numbering resumed (accept-database, restore)."""
    lines = [f"Mã hồ sơ của máy này cấp tiếp sau {result.continues_after or 'mã đầu tiên của ngày'}."]
    if result.province_codes:
        lines.append(f"Hệ thống tỉnh có {len(result.province_codes)} hồ sơ mà cơ sở dữ liệu này không có (mất khi "
                     "khôi phục): " + ", ".join(result.province_codes) + ". Hãy nhập lại hoặc đối chiếu các hồ sơ đó.")
    elif not result.asked_province:
        lines.append(f"Chưa hỏi được hệ thống tỉnh ({result.province_error}); đã theo mã quản trị viên xác nhận.")
    return "\n".join(lines)


EXIT_AUDIT_BROKEN = 1


def cmd_audit(args, ctx) -> int:
    """`audit verify`: exit 0 when the chain holds, 1 naming the first row that does not. `audit list`."""
    from counter import audit
    if args.audit_command == "verify":
        check = audit.verify(ctx)
        if check.ok:
            print(f"Nhật ký nguyên vẹn: {check.rows} dòng, chuỗi băm khớp từ dòng đầu đến dòng cuối.")
            return 0
        print(f"Nhật ký KHÔNG nguyên vẹn: {check.reason}")
        return EXIT_AUDIT_BROKEN
    if args.kind and args.kind not in audit.KINDS:
        raise CliError(f"không có loại thao tác “{args.kind}”; các loại: {', '.join(audit.KINDS)}")
    if args.from_ and args.to and args.from_ > args.to:
        raise CliError(f"--from {args.from_:%d/%m/%Y} sau --to {args.to:%d/%m/%Y}")
    rows = audit.entries(ctx, from_=args.from_, to=args.to, user=args.user, kind=args.kind)
    if args.json:
        print(json.dumps([{"id": e.id, "at": e.at.isoformat(timespec="seconds"), "actor": e.actor, "kind": e.kind,
                           "summary": e.summary, "detail": e.detail} for e in rows], ensure_ascii=False, indent=2))
        return 0
    for e in rows:
        print(f"#{e.id}  {e.at:%Y-%m-%d %H:%M:%S}  {e.actor or '-'}  {e.kind_label}: {e.summary}")
    return 0


EXIT_BACKUP_FAILED = 1


def cmd_backup(args, ctx) -> int:
    """`backup [--to DIR] [--json]`: exit 0 verified, 1 written but not verified (set apart as `…-failed`), 2 not
    written (a destination missing, not a folder, not writable; a full disk: counter.backups.BackupError). Without
    `--to`, into the data folder and, when `backup_dir` names one, the second destination too, as "Sao lưu ngay"
    does (a missing second destination is said, on stderr, and the local backup stands)."""
    from counter import backup_schedule
    from counter.backups import make_backup
    backup = make_backup(ctx, args.to)
    second = None
    if args.to is None:
        places = dict(backup_schedule.destinations(ctx))
        if backup_schedule.SECOND in places:
            second = backup_schedule.backup_second(ctx, places[backup_schedule.SECOND])
    if args.json:
        data = _backup_json(backup)
        if second is not None:
            data["second"] = _backup_json(second.record) if second.record else {"error": second.error}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_backup(backup)
        if second is not None and second.record is not None:
            _print_backup(second.record)
    if second is not None and second.record is None:
        print(second.sentence(), file=sys.stderr)
    failed = not backup.verified or (second is not None and second.record is not None and not second.ok)
    return EXIT_BACKUP_FAILED if failed else 0


def _backup_json(backup) -> dict:
    return {"path": str(backup.path), "name": backup.name, "destination": str(backup.destination),
            "created_at": backup.created_at.isoformat(timespec="seconds"), "verified": backup.verified,
            "findings": list(backup.findings), "size": backup.size, "counts": backup.counts,
            "scans_copied": backup.scans_copied, "scans_reused": backup.scans_reused,
            "pieces_written": backup.pieces_written, "pieces_reused": backup.pieces_reused,
            "removed": [str(p) for p in backup.removed]}


def _print_backup(backup) -> None:
    if backup.verified:
        print(f"Đã sao lưu và kiểm tra: {backup.path} ({backup.counts['dossiers']} hồ sơ, "
              f"{backup.counts['scans']} bản số hóa; chép mới {backup.scans_copied} tệp số hóa, "
              f"dùng lại {backup.scans_reused}; cơ sở dữ liệu: ghi {backup.pieces_written} mảnh thay đổi, dùng lại "
              f"{backup.pieces_reused}; xóa {len(backup.removed)} bản sao lưu cũ).")
    else:
        print(f"Bản sao lưu {backup.path} KHÔNG đạt kiểm tra, đã để riêng:")
        for finding in backup.findings:
            print(f"  - {finding}")


EXIT_CHECK_FAILED = 1


def cmd_check(args, ctx) -> int:
    """`check [--full] [--json]`: exit 0 when everything holds, 1 with each finding on a line of its own (stdout)."""
    from counter import integrity
    report = integrity.check(ctx, full=args.full, after_start=True)  # main.py's opening ran the file's quick_check
    return _check_answer(args, report)


def cmd_check_damaged(args, error) -> int:
    """`check` on a database the quick check at start refused (main.py opens nothing): that is its finding."""
    from counter import integrity
    return _check_answer(args, integrity.damaged_report(error, full=args.full))


def _check_answer(args, report) -> int:
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            print(finding.message)
        print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else EXIT_CHECK_FAILED


def _progress(done: int, total: int) -> None:
    print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


COMMANDS = {
    "setup": cmd_setup, "due-date": cmd_due_date, "parse-cccd": cmd_parse_cccd, "receive": cmd_receive,
    "demo-data": cmd_demo_data, "demo-init": cmd_demo_init, "receipt": cmd_receipt, "show": cmd_show,
    "attach": cmd_attach, "accept-database": cmd_accept_database, "audit": cmd_audit,
    "sync": sync_commands.cmd_sync, "settings": sync_commands.cmd_settings, "user": user_commands.cmd_user,
    "calendar": calendar_commands.cmd_calendar, "catalogue": cmd_catalogue,
    "check": cmd_check,
}
COMMANDS["backup"] = cmd_backup  # issue 18
COMMANDS["report"] = report_commands.cmd_report  # issue 19
COMMANDS["replaced-database"] = restore_commands.cmd_replaced_database  # issue 20: office mode's restores
