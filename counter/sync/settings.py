"""Sync settings: the gateway address, account, routing code and timeout, kept in the Setting table.

The password is stored sealed (counter.sync.secret: what that protects against is written there);
it never reaches a log line or the database file in clear. The agency id and the other office
fields live on the office row and go through counter.office.profile.save_office and its validation.
Per-machine UI preferences (idle lock minutes, printer) stay in Qt's settings, not here.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from counter.changes import NOTHING, Changes
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.office.profile import get_office, save_office
from counter.scans import files as scan_files
from counter.sync import secret
from counter.text import nfc
from db.models import Setting

PREFIX = "sync."
UNSET = "(chưa đặt)"
HIDDEN = "********"

SYNC_KEYS = {
    "gateway_url": "Địa chỉ cổng tích hợp của tỉnh (http:// hoặc https://)",
    "username": "Tên đăng nhập cổng tích hợp",
    "password": "Mật khẩu cổng tích hợp (lưu đã mã hóa)",
    "dstcode": "Mã định tuyến (header dstcode)",
    "timeout": "Thời gian chờ mỗi lần gọi, giây (mặc định 15)",
}
OFFICE_KEYS = {
    "agency_id": "Mã định danh cơ quan (000.00.00.H00)",
    "office_name": "Tên bộ phận tiếp nhận",
    "parent_name": "Tên cơ quan chủ quản (UBND xã …)",
    "place_name": "Địa danh ghi trên giấy tờ",
    "address": "Địa chỉ cơ quan",
    "phone": "Điện thoại cơ quan",
    "workstation": "Số máy tiếp nhận (0–9)",
    "register_book": "Số sổ theo dõi hồ sơ",
    "lookup_url": "Địa chỉ tra cứu hồ sơ, có {code}",
}
SCAN_KEYS = {
    "scan_max_mb": "Dung lượng tối đa của một tệp số hóa, MB (mặc định 50)",
}
KEYS = {**SYNC_KEYS, **OFFICE_KEYS, **SCAN_KEYS}
REQUIRED = ("gateway_url", "username", "password", "dstcode")
DEFAULT_TIMEOUT = 15.0


@dataclass(frozen=True)
class SyncSettings:
    gateway_url: str = ""
    username: str = ""
    password: str = ""
    dstcode: str = ""
    timeout: float = DEFAULT_TIMEOUT

    def missing(self) -> list[str]:
        return [key for key in REQUIRED if not getattr(self, key)]


class SettingsMissing(ValidationError):
    """Sync cannot run: a required setting is not set."""


def _raw(key: str) -> str:
    row = Setting.get_or_none(Setting.key == PREFIX + key)
    return row.value if row else ""


@bound
def load(ctx: AppContext) -> SyncSettings:
    """The settings as stored; a password sealed with another machine's key reads as not set."""
    try:
        password = secret.unseal(ctx.data_dir, _raw("password")) if _raw("password") else ""
    except secret.SealError:
        password = ""
    timeout = float(_raw("timeout") or DEFAULT_TIMEOUT)
    return SyncSettings(_raw("gateway_url"), _raw("username"), password, _raw("dstcode"), timeout)


@bound
def require(ctx: AppContext) -> SyncSettings:
    settings = load(ctx)
    if settings.missing():
        raise SettingsMissing("Chưa cấu hình đồng bộ với hệ thống tỉnh, còn thiếu: " + ", ".join(settings.missing())
                              + " (python main.py settings set KHÓA GIÁ_TRỊ).")
    return settings


@bound
def set_value(ctx: AppContext, key: str, value: str) -> Changes:
    if key not in KEYS:
        raise ValidationError(f"Không có thiết lập “{key}”. Các thiết lập: {', '.join(KEYS)}.")
    value = nfc(value)
    if key in OFFICE_KEYS:
        return _set_office(ctx, key, value)
    if key in SCAN_KEYS:
        return _set_scan_limit(ctx, value)
    stored = secret.seal(ctx.data_dir, value) if key == "password" and value else _checked(key, value)
    with ctx.transaction():
        if stored:
            Setting.insert(key=PREFIX + key, value=stored).on_conflict_replace().execute()
        else:
            Setting.delete().where(Setting.key == PREFIX + key).execute()
    return Changes(settings=True)


@bound
def set_values(ctx: AppContext, values: dict[str, str]) -> tuple[dict[str, str], Changes]:
    """Several keys at once, all or nothing (the admin form's Save): each refused key's message, and what
    changed (nothing when a key was refused)."""
    errors: dict[str, str] = {}
    changes = NOTHING
    with ctx.transaction() as transaction:
        for key, value in values.items():
            try:
                changes |= set_value(ctx, key, value)
            except ValidationError as e:
                errors[key] = str(e)
        if errors:
            transaction.rollback()
    return errors, NOTHING if errors else changes


def _checked(key: str, value: str) -> str:
    if key == "gateway_url" and value and not value.startswith(("http://", "https://")):
        raise ValidationError(f"Địa chỉ cổng tích hợp phải bắt đầu bằng http:// hoặc https:// (đã nhập “{value}”).")
    if key == "timeout" and value:
        try:
            seconds = float(value)
        except ValueError:
            seconds = 0
        if not 0 < seconds <= 300:
            raise ValidationError(f"Thời gian chờ phải là số giây từ 1 đến 300 (đã nhập “{value}”).")
    return value


def _set_office(ctx: AppContext, key: str, value: str) -> Changes:
    office = get_office(ctx)
    new: int | str | None
    if key == "workstation":
        if not value.isdigit():
            raise ValidationError(f"Số máy tiếp nhận phải từ 0 đến 9 (đã nhập “{value}”).")
        new = int(value)
    elif key == "lookup_url":
        new = value or None
    else:
        new = value
    # The field is named at run time, so its type cannot be checked here: the branches above give each key
    # its field's type, and save_office validates the whole record.
    field: dict[str, Any] = {key: new}
    return save_office(ctx, dataclasses.replace(office, **field))


def _set_scan_limit(ctx: AppContext, value: str) -> Changes:
    """Megabytes as the clerk's admin thinks of them; stored in bytes (counter.scans.files); '' → the default."""
    with ctx.transaction():
        if not value:
            Setting.delete().where(Setting.key == scan_files.MAX_BYTES_KEY).execute()
            return Changes(settings=True)
        try:
            megabytes = float(value.upper().removesuffix("MB").strip().replace(",", "."))
        except ValueError:
            megabytes = math.nan
        if not math.isfinite(megabytes):  # "abc", "nan", "inf": not a size at all
            raise ValidationError(f"Dung lượng tối đa của tệp số hóa phải là một số MB (đã nhập “{value}”).")
        return scan_files.set_max_file_bytes(ctx, int(megabytes * 1024 * 1024))  # the range is checked there


@bound
def shown(ctx: AppContext) -> list[tuple[str, str, str]]:
    """(key, label, value as shown): the password only as ******** or (chưa đặt)."""
    settings = load(ctx)
    office = get_office(ctx)
    rows = []
    for key, label in KEYS.items():
        if key == "password":
            value = HIDDEN if settings.password else UNSET
        elif key in SYNC_KEYS:
            value = _raw(key) or (str(DEFAULT_TIMEOUT) if key == "timeout" else UNSET)
        elif key in SCAN_KEYS:
            value = scan_files.megabytes(scan_files.max_file_bytes(ctx))
        else:
            value = str(getattr(office, key) if getattr(office, key) is not None else "") or UNSET
        rows.append((key, label, value))
    return rows
