"""The office this database serves: names for the forms, hours, workstation, register book."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import time

from counter import records
from counter.calendar.workdays import check_hours
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.office.codes import validate_agency_id, validate_workstation
from db.models import Office

HOUR_FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end", "same_day_cutoff")


def _hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@bound
def get_office(ctx: AppContext) -> records.Office:
    row = Office.get_or_none()
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
        workstation=row.workstation,
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


@bound
def save_office(ctx: AppContext, office: records.Office) -> Changes:
    validate_agency_id(office.agency_id)
    validate_workstation(office.workstation)
    check_hours(office.hours)
    _check_lookup_url(office.lookup_url)
    values = {k: v for k, v in asdict(office).items() if k not in ("hours", "demo")}  # demo: counter.setup only
    values.update({f.name: getattr(office.hours, f.name).strftime("%H:%M") for f in fields(office.hours)})
    row = Office.get_or_none()
    if row is None:
        Office.create(**values)
    else:
        Office.update(**values).where(Office.id == row.id).execute()
    return Changes(settings=True)


def _check_lookup_url(url: str | None) -> None:
    """The look-up QR on Mẫu 01 needs where the code goes: without {code} no QR would print, unnoticed."""
    if not url:
        return
    if not url.startswith(("http://", "https://")) or "{code}" not in url:
        raise ValidationError(f"Địa chỉ tra cứu “{url}” phải bắt đầu bằng http:// hoặc https:// và có {{code}} "
                              "ở chỗ mã hồ sơ, ví dụ https://dichvucong.thanhhoa.gov.vn/tra-cuu?ma={code}.")

