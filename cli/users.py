"""The `user` subcommands of main.py: an administrator's management of users, from the command line.

  main.py user add USERNAME --full-name NAME --role clerk|leader|admin [--title CHỨC_DANH]
  main.py user list [--json]
  main.py user disable|enable USERNAME
  main.py user reset-password USERNAME
  main.py user set-role USERNAME ROLE

A password is never an argument (it would stay in the shell's history and the process list): it is read from
standard input (one line, or two equal lines) or, at a terminal, typed twice at a prompt. Who acts is an
administrator: the one named with `--by`, else the only active administrator (with several, `--by` is required).
The intents check the role, so `--by` naming a clerk exits 2 with the permission error.
"""

from __future__ import annotations

import getpass
import json
import sys

from counter.errors import ValidationError

ROLES_METAVAR = "clerk|leader|admin"


def add_parsers(sub) -> None:
    u = sub.add_parser("user", help="quản lý người dùng (quản trị viên)")
    actions = u.add_subparsers(dest="user_command", parser_class=type(u), required=True)

    def action(name: str, help: str, *, username: bool = True):
        p = actions.add_parser(name, help=help)
        if username:
            p.add_argument("username", metavar="USERNAME")
        p.add_argument("--by", help="tên đăng nhập của quản trị viên thực hiện (mặc định: quản trị viên duy nhất)")
        return p

    add = action("add", "thêm người dùng (mật khẩu đọc từ đầu vào chuẩn hoặc nhập hai lần)")
    add.add_argument("--full-name", required=True, help="họ và tên")
    add.add_argument("--role", required=True, metavar=ROLES_METAVAR, help="vai trò")
    add.add_argument("--title", default="", help="chức danh (in ở chữ ký)")
    listing = actions.add_parser("list", help="danh sách người dùng")
    listing.add_argument("--json", action="store_true")
    action("disable", "khóa tài khoản (không đăng nhập được nữa)")
    action("enable", "mở lại tài khoản")
    action("reset-password", "đặt lại mật khẩu (người dùng phải đổi khi đăng nhập lần sau)")
    role = action("set-role", "đổi vai trò")
    role.add_argument("role", metavar=ROLES_METAVAR)  # checked by counter/, with a Vietnamese message


def cmd_user(args, ctx) -> int:
    from counter.office import users
    if args.user_command == "list":
        return _list(ctx, args.json)
    ctx.user = _acting_admin(ctx, args.by)
    name = args.username
    if args.user_command == "add":
        password = read_password(f"Mật khẩu của {name}: ")
        user, _ = users.add_user(ctx, name, args.full_name, args.role, password, args.title)
        print(f"đã thêm {user.username} ({user.full_name}, {users.ROLES[user.role]}); "
              "người dùng phải đổi mật khẩu khi đăng nhập lần đầu")
    elif args.user_command == "disable":
        user, _ = users.disable_user(ctx, name)
        print(f"đã khóa tài khoản {user.username}")
    elif args.user_command == "enable":
        user, _ = users.enable_user(ctx, name)
        print(f"đã mở lại tài khoản {user.username}")
    elif args.user_command == "reset-password":
        password = read_password(f"Mật khẩu tạm thời của {name}: ")
        user, _ = users.reset_password(ctx, name, password)
        print(f"đã đặt lại mật khẩu của {user.username}; người dùng phải đổi mật khẩu khi đăng nhập lần sau")
    else:
        user, _ = users.set_role(ctx, name, args.role)
        print(f"{user.username}: vai trò {users.ROLES[user.role]}")
    return 0


def _list(ctx, as_json: bool) -> int:
    from counter.office.users import ROLES, list_users
    rows = list_users(ctx)
    if as_json:
        print(json.dumps([{
            "username": u.username, "full_name": u.full_name, "role": u.role, "title": u.title, "active": u.active,
            "must_change_password": u.must_change_password,
            "last_login_at": u.last_login_at.isoformat(timespec="minutes") if u.last_login_at else None,
        } for u in rows], ensure_ascii=False, indent=2))
        return 0
    for u in rows:
        last = f"{u.last_login_at:%d/%m/%Y %H:%M}" if u.last_login_at else "chưa đăng nhập"
        state = "đang hoạt động" if u.active else "đã khóa"
        print(f"{u.username:<16} {u.full_name:<28} {ROLES[u.role]:<17} {state:<15} {last}")
    return 0


def _acting_admin(ctx, by: str | None):
    """Who acts: `--by` (an active user; the intent checks that he is an administrator), else the only active
    administrator."""
    from counter.office.roles import ADMIN
    from counter.office.users import active_user, list_users
    if by:
        return active_user(ctx, by)
    admins = [u for u in list_users(ctx) if u.role == ADMIN and u.active]
    if not admins:
        raise ValidationError("Chưa có quản trị viên nào đang hoạt động: hãy thiết lập cơ quan trước (main.py setup).")
    if len(admins) > 1:
        names = ", ".join(u.username for u in admins)
        raise ValidationError(f"Có nhiều quản trị viên ({names}): hãy ghi --by TÊN_ĐĂNG_NHẬP của người thực hiện.")
    return admins[0]


def read_password(prompt: str) -> str:
    """A password from standard input (one line, or two lines that must be equal) or, at a terminal, typed twice
    at a prompt. Empty or different: a ValidationError (exit 2)."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        second = getpass.getpass("Nhập lại mật khẩu: ")
        lines = [first, second]
    else:
        text = sys.stdin.read() if sys.stdin is not None else ""
        lines = [line.rstrip("\r") for line in text.split("\n")]
        while lines and lines[-1] == "":
            lines.pop()
        if len(lines) > 2:
            raise ValidationError("Đầu vào chuẩn phải có một dòng mật khẩu, hoặc hai dòng giống nhau để xác nhận.")
    if not lines or not lines[0]:
        raise ValidationError("Chưa nhập mật khẩu (đọc từ đầu vào chuẩn hoặc nhập khi được hỏi).")
    if len(lines) == 2 and lines[0] != lines[1]:
        raise ValidationError("Hai lần nhập mật khẩu không giống nhau.")
    return lines[0]
