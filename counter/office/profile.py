"""The office this database serves: names for the forms, hours, workstation, register book."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from datetime import time

from counter import audit, records
from counter.calendar.workdays import check_hours
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import Field, ValidationError
from counter.office import code_ledger, workstations
from counter.office.codes import validate_agency_id, validate_workstation
from counter.office.read_once import office_row
from counter.text import ADDRESS_MAX, NAME_MAX, OFFICE_NAME_MAX, ascii_digits, clean_line
from db.models import Office

HOUR_FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end", "same_day_cutoff")


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@bound
def get_office(ctx: AppContext) -> records.Office:
    row = office_row(ctx)
    if row is None:
        raise ValidationError("Chưa cấu hình cơ quan tiếp nhận. Quản trị viên hãy nhập mã định danh và tên cơ quan.")
    hours = records.OfficeHours(**{name: _hm(getattr(row, name)) for name in HOUR_FIELDS})
    return records.Office(
        agency_id=row.agency_id,
        parent_name=row.parent_name,
        office_name=row.office_name,
        place_name=row.place_name,
        address=row.address,
        phone=row.phone,
        hours=hours,
        # office mode: this PC's number (its local configuration), not the shared row's (counter.office.workstations)
        workstation=row.workstation if ctx.workstation is None or not workstations.office_mode(ctx)
        else ctx.workstation,
        register_book=row.register_book,
        lookup_url=row.lookup_url,
        demo=row.demo,
    )


@bound
def office_hours(ctx: AppContext) -> records.OfficeHours:
    """The office's hours, or the national defaults before an office is configured."""
    try:
        return get_office(ctx).hours
    except ValidationError:
        return records.OfficeHours()


OFFICE_TEXTS = (  # (attribute, field, label, limit): printed on every form's heading, sent to the province
    ("office_name", Field.OFFICE_NAME, "Tên cơ quan tiếp nhận", OFFICE_NAME_MAX),
    ("parent_name", Field.PARENT_NAME, "Cơ quan chủ quản", OFFICE_NAME_MAX),
    ("place_name", Field.PLACE_NAME, "Địa danh", NAME_MAX),
    ("address", None, "Địa chỉ cơ quan", ADDRESS_MAX),
)


def check_office_text(office: records.Office) -> records.Office:
    """The office's names and address without control characters and within the forms' limits, its phone
    and register book with ASCII digits only (the same values, in NFC), or a ValidationError naming the field."""
    names = {name: clean_line(getattr(office, name), label, limit, field) for name, field, label, limit in OFFICE_TEXTS}
    book = ascii_digits(office.register_book, "Quyển số sổ theo dõi", Field.REGISTER_BOOK)
    return replace(office, office_name=names["office_name"], parent_name=names["parent_name"],
                   place_name=names["place_name"], address=names["address"],
                   phone=clean_line(ascii_digits(office.phone, "Điện thoại cơ quan"), "Điện thoại cơ quan", 20),
                   register_book=clean_line(book, "Quyển số sổ theo dõi", 20, Field.REGISTER_BOOK))


@bound
def save_office(ctx: AppContext, office: records.Office) -> Changes:
    validate_agency_id(office.agency_id)
    office = check_office_text(office)
    validate_workstation(office.workstation)
    check_hours(office.hours)
    _check_lookup_url(office.lookup_url)
    values = _stored(office)
    shared = workstations.office_mode(ctx)
    if shared and Office.get_or_none() is None:  # the centre set up from this PC: its number claimed first
        workstations.claim(ctx, office.workstation)
    with ctx.transaction():
        row = Office.get_or_none()
        if shared and row is not None:  # the shared row's number is nobody's (workstations.claim sets a PC's)
            values["workstation"] = row.workstation
        numbered = row is None or (row.agency_id, row.workstation) != (office.agency_id, values["workstation"])
        if row is None:
            Office.create(**values)
            audit.record(ctx, "setup", f"Thiết lập cơ quan {office.agency_id} — {office.office_name}.",
                         detail={"office": values})
        else:
            old = _stored(get_office(ctx))
            if shared:
                old["workstation"] = row.workstation
            Office.update(**values).where(Office.id == row.id).execute()
            for key, value in values.items():
                audit.setting_changed(ctx, f"office.{key}", OFFICE_LABELS.get(key, key), _text(old[key]),
                                      _text(value))
    if numbered:  # a number this PC never issued from becomes this database's (counter.office.code_ledger)
        code_ledger.register(ctx)
        if not shared:
            workstations.claim(ctx, office.workstation)  # one PC: registered too, harmlessly
    return Changes(settings=True)


OFFICE_LABELS = {  # as the admin form names them (counter.sync.settings.OFFICE_KEYS), and the hours
    "agency_id": "mã định danh cơ quan", "parent_name": "tên cơ quan chủ quản", "office_name": "tên bộ phận tiếp nhận",
    "place_name": "địa danh", "address": "địa chỉ cơ quan", "phone": "điện thoại cơ quan",
    "workstation": "số máy tiếp nhận", "register_book": "số sổ theo dõi hồ sơ", "lookup_url": "địa chỉ tra cứu",
    "morning_start": "giờ bắt đầu buổi sáng", "morning_end": "giờ kết thúc buổi sáng",
    "afternoon_start": "giờ bắt đầu buổi chiều", "afternoon_end": "giờ kết thúc buổi chiều",
    "same_day_cutoff": "giờ nhận hồ sơ trả trong ngày",
}


def _stored(office: records.Office) -> dict[str, object]:
    """The office row's values as stored (hours as HH:MM)."""
    # demo: only counter.setup marks an office the demo; saving an office never changes it
    values: dict[str, object] = {k: v for k, v in asdict(office).items() if k not in ("hours", "demo")}
    values.update({f.name: getattr(office.hours, f.name).strftime("%H:%M") for f in fields(office.hours)})
    return values


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _check_lookup_url(url: str | None) -> None:
    """The look-up QR on Mẫu 01 needs where the code goes: without {code} no QR would print, unnoticed."""
    if not url:
        return
    if not url.startswith(("http://", "https://")) or "{code}" not in url:
        raise ValidationError(f"Địa chỉ tra cứu “{url}” phải bắt đầu bằng http:// hoặc https:// và có {{code}} "
                              "ở chỗ mã hồ sơ, ví dụ https://dichvucong.thanhhoa.gov.vn/tra-cuu?ma={code}.")

