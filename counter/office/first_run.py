"""The first run of a real office: until its office row has an agency id and an active administrator exists,
the database issues no dossier code. `set_up_office` writes both at once (the wizard and `main.py setup`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from counter import records
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import Field, SetupRequired, ValidationError
from counter.office import users
from counter.office.codes import validate_agency_id, validate_workstation
from counter.office.profile import check_office_text, save_office
from counter.office.read_once import office_row
from counter.office.users import create_user
from counter.text import nfc
from db.database import advisory_xact_lock, is_postgres
from db.models import Office, User

SETUP_LOCK_KEY = 0x514D4304  # the centre's first-run set-up, one PC at a time (counter.audit's is 0x514D4301)

SETUP_HOW = ("Quản trị viên hãy mở ứng dụng để thiết lập (trình hướng dẫn thiết lập), hoặc chạy: main.py setup "
             "--agency-id 000.00.00.H00 --office-name … --parent-name … --place-name … --workstation N --admin TÊN")


@bound
def is_set_up(ctx: AppContext) -> bool:
    """Whether this database serves an office: its row has an agency id and an active administrator exists."""
    office = office_row(ctx)
    if office is None or not office.agency_id:
        return False
    return bool(User.select().where((User.role == "admin") & (User.active == True)).exists())  # noqa: E712 (peewee SQL)


@bound
def is_demo(ctx: AppContext) -> bool:
    """Whether this database is the demonstration (`counter.setup.seed_demo`): the window title and every form
    say "BẢN DÙNG THỬ"."""
    office = office_row(ctx)
    return bool(office is not None and office.demo)


@bound
def require_set_up(ctx: AppContext) -> None:
    """Refuse, with how to do it, anything that would issue a dossier code before the office is set up."""
    if not is_set_up(ctx):
        raise SetupRequired(f"Chưa thiết lập cơ quan tiếp nhận nên chưa tiếp nhận được hồ sơ. {SETUP_HOW}")


@bound
def check_not_set_up(ctx: AppContext) -> None:
    """Refuse a second set-up: the office exists with its administrator (or this is the demo)."""
    if not is_set_up(ctx):
        return
    office = Office.get()
    if office.demo:
        raise ValidationError("Đây là cơ sở dữ liệu dùng thử (đã có cơ quan mẫu): thiết lập cơ quan thật "
                              "trong một thư mục dữ liệu mới (main.py --data-dir THƯ_MỤC setup …).")
    raise ValidationError(f"Cơ quan {office.agency_id} đã được thiết lập trong cơ sở dữ liệu này; không "
                          "thiết lập lại. Quản trị viên sửa thông tin cơ quan ở trang Quản trị.")


def default_register_book(today: date) -> str:
    """The register book a new office starts with: book 01 of this year."""
    return f"01/{today.year}"


def check_password(username: str, password: str, again: str) -> None:
    """The first administrator's password: every user's rules (counter.office.users.check_password), typed the
    same twice; the error names the box it is about."""
    try:
        users.check_password(username, password)
    except ValidationError as e:
        raise ValidationError(str(e), Field.PASSWORD) from None
    if password != again:
        raise ValidationError("Hai lần nhập mật khẩu không khớp nhau.", Field.PASSWORD_AGAIN)


def clean_office(office: records.Office) -> records.Office:
    """The office of a set-up with its texts trimmed and in NFC, or a ValidationError naming the first bad field."""
    office = replace(office, agency_id=office.agency_id.strip(), office_name=nfc(office.office_name.strip()),
                     parent_name=nfc(office.parent_name.strip()), place_name=nfc(office.place_name.strip()),
                     address=nfc(office.address.strip()), phone=office.phone.strip(),
                     register_book=office.register_book.strip(), demo=False)
    try:
        validate_agency_id(office.agency_id)
    except ValidationError as exc:
        raise ValidationError(str(exc), Field.AGENCY_ID) from None
    office = check_office_text(office)
    for value, field, label in ((office.office_name, Field.OFFICE_NAME, "Tên cơ quan tiếp nhận"),
                                (office.parent_name, Field.PARENT_NAME, "Cơ quan chủ quản"),
                                (office.place_name, Field.PLACE_NAME, "Địa danh")):
        if not value:
            raise ValidationError(f"{label} không được để trống.", field)
    try:
        validate_workstation(office.workstation)
    except ValidationError as exc:
        raise ValidationError(str(exc), Field.WORKSTATION) from None
    if not office.register_book:
        raise ValidationError("Quyển số của sổ theo dõi hồ sơ không được để trống.", Field.REGISTER_BOOK)
    return office


def clean_admin(username: str, full_name: str) -> tuple[str, str]:
    """The first administrator's user name (lower case) and full name (NFC), or a ValidationError."""
    username = username.strip().lower()
    if not username or any(c.isspace() for c in username):
        raise ValidationError("Tên đăng nhập không được để trống và không có dấu cách.", Field.USERNAME)
    full_name = nfc(full_name.strip())
    if not full_name:
        raise ValidationError("Họ tên quản trị viên không được để trống.", Field.FULL_NAME)
    return username, full_name


def _clean(setup: records.OfficeSetup) -> records.OfficeSetup:
    office = clean_office(setup.office)
    username, full_name = clean_admin(setup.admin_username, setup.admin_full_name)
    check_password(username, setup.password, setup.password_again)
    return replace(setup, office=office, admin_username=username, admin_full_name=full_name)


@bound
def set_up_office(ctx: AppContext, setup: records.OfficeSetup) -> tuple[records.User, Changes]:
    """Write the office and its first administrator together, or nothing. Refused once the office is set up. On
    PostgreSQL two PCs setting up the centre at once take turns (an advisory transaction lock): the second finds it
    set up, rather than both checking an empty database and writing two offices."""
    setup = _clean(setup)
    with ctx.transaction():
        if is_postgres(ctx.database):
            advisory_xact_lock(ctx.database, SETUP_LOCK_KEY)
        check_not_set_up(ctx)
        if User.select().where(User.username == setup.admin_username).exists():
            raise ValidationError(f"Tên đăng nhập “{setup.admin_username}” đã có.", Field.USERNAME)
        changes = save_office(ctx, setup.office)
        admin, user_changes = create_user(ctx, setup.admin_username, setup.admin_full_name, setup.password, "admin",
                                          "Quản trị hệ thống", now=ctx.clock.now())
    return admin, changes | user_changes
