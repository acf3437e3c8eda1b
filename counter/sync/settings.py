"""Sync settings: the dialect, the province's addresses, account, routing and unit codes, the status mapping and
the attachment switch, kept in the Setting table (docs/settings.md explains each to an administrator).

The password is stored sealed (counter.sync.secret: what that protects against is written there);
it never reaches a log line or the database file in clear. A sealed token opens only on the PC (the data folder)
that sealed it, so in office mode (a centre's PostgreSQL database, several PCs) each PC keeps its own token, under
`sync.password.may.<its machine id>` (counter.office.local_config): one PC entering the password never breaks it
for another, and a PC without one says so in words (`NO_PASSWORD_HERE`). On SQLite (one PC) it is `sync.password`.
The agency id and the other office fields live on the office row and go through
counter.office.profile.save_office and its validation.
Per-machine UI preferences (idle lock minutes, printer) stay in Qt's settings, not here.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from counter import audit, backup_settings, records
from counter.changes import NOTHING, Changes
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.office import acting, local_config, workstations
from counter.office.first_run import SETUP_HOW
from counter.office.profile import get_office, save_office
from counter.scans import files as scan_files
from counter.sync import secret
from counter.sync.profiles import ACTIONS, GATEWAY, MAX_STEPS_PER_CALL, NO_MAPPING, OPENCPS, StatusMap, profile
from counter.text import nfc
from db.models import Setting

PREFIX = "sync."
UNSET = "(chưa đặt)"
HIDDEN = "********"

SYNC_KEYS = {  # short labels (the admin form shows them at 1366×768); docs/settings.md says more of each
    "dialect": "Kiểu kết nối (opencps hoặc gateway)",
    "gateway_url": "Địa chỉ gửi dữ liệu (http:// hoặc https://)",
    "login_url": "Địa chỉ đăng nhập (opencps)",
    "username": "Tên đăng nhập (opencps)",
    "password": "Mật khẩu, lưu đã mã hóa (opencps)",
    "dstcode": "Mã định tuyến dstcode (opencps)",
    "madonvi": "Mã đơn vị gửi kèm (madonvi)",
    "timeout": "Thời gian chờ mỗi lần gọi, giây",
    "status_map": "Đổi trạng thái khi gửi, dạng 5=9,6=9",
    "steps_per_call": "Số bước xử lý mỗi lần gửi (1–10)",
    "path_insert": "Đường dẫn thêm mới hồ sơ (gateway)",
    "path_update": "Đường dẫn cập nhật hồ sơ (gateway)",
    "path_steps": "Đường dẫn gửi tiến trình (gateway)",
    "path_lookup": "Đường dẫn tra cứu hồ sơ (gateway)",
    "upload_url": "Địa chỉ tải tệp số hóa lên (trống: không tải)",
    "file_url": "Mẫu địa chỉ tệp số hóa, có {sha256}",
    "trusted_lan": "Mạng nội bộ tin cậy: cho phép http:// (có/không)",
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
MACHINE_KEYS = {
    "workstation_user": "Người dùng ghi cho lệnh dòng lệnh (khi không có --by)",
}
BACKUP_KEYS = backup_settings.KEYS  # backup_dir, backup_hours, backup_keep_daily/weekly/monthly
KEYS = {**SYNC_KEYS, **OFFICE_KEYS, **SCAN_KEYS, **BACKUP_KEYS, **MACHINE_KEYS}
REQUIRED = {OPENCPS: ("gateway_url", "login_url", "username", "password", "dstcode"), GATEWAY: ("gateway_url",)}
URL_KEYS = ("gateway_url", "login_url", "upload_url")
ADDRESS_KEYS = ("gateway_url", "login_url", "upload_url", "file_url")  # where the password or citizens' data go
LOOPBACK = ("localhost", "::1")  # and 127.0.0.0/8
YES, NO = "có", "không"
TRUSTED_LAN_WARNING = ("Cảnh báo: với http:// mật khẩu và dữ liệu của công dân đi qua mạng không mã hóa; chỉ bật "
                       "khi máy này và hệ thống tỉnh nằm trong mạng nội bộ tin cậy của cơ quan.")
DEFAULT_TIMEOUT = 15.0
PER_PC = "password.may."  # office mode: PREFIX + PER_PC + this PC's machine id, one sealed token per PC
NO_PASSWORD_HERE = ("Máy này chưa có mật khẩu đồng bộ: ở trung tâm mỗi máy giữ mật khẩu riêng, mã hóa bằng khóa của "
                    "chính máy đó, nên mật khẩu nhập ở máy khác không dùng được ở đây. Hãy nhập mật khẩu đồng bộ trên "
                    "chính máy này (trang Quản trị).")
NO_PASSWORD_HERE_SHOWN = "(máy này chưa có: nhập trên máy này)"


@dataclass(frozen=True)
class SyncSettings:
    """What a client needs to reach the province; `statuses`, `steps_per_call` and `paths` already merged with
    the dialect's profile."""

    dialect: str = OPENCPS
    gateway_url: str = ""
    login_url: str = ""
    username: str = ""
    password: str = ""
    dstcode: str = ""
    madonvi: str = ""
    timeout: float = DEFAULT_TIMEOUT
    statuses: StatusMap = StatusMap()
    steps_per_call: int = MAX_STEPS_PER_CALL
    paths: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    upload_url: str = ""
    file_url: str = ""
    trusted_lan: bool = False

    def missing(self) -> list[str]:
        return [key for key in REQUIRED[self.dialect] if not getattr(self, key)]


def in_words(keys: list[str]) -> str:
    """Settings as a person reads them, not their keys: "địa chỉ gửi dữ liệu, tên đăng nhập, mật khẩu"."""
    def short(key: str) -> str:
        label = " ".join(KEYS.get(key, key).split(" (")[0].split(",")[0].replace(key, "").split())
        return label[:1].lower() + label[1:]
    return ", ".join(short(k) for k in keys)


class SettingsMissing(ValidationError):
    """Sync cannot run: a required setting is not set."""


def _raw(key: str) -> str:
    row = Setting.get_or_none(Setting.key == PREFIX + key)
    return row.value if row else ""


def password_key(ctx: AppContext) -> str:
    """The Setting key (after PREFIX) of the password this PC uses: "password" on SQLite; in office mode this PC's
    own, "password.may.<machine id>" (the machine id made the first time it is needed)."""
    if not workstations.office_mode(ctx):
        return "password"
    return PER_PC + local_config.with_machine_id(local_config.load()).machine_id


def _token(ctx: AppContext) -> tuple[str, str]:
    """(key, sealed token) of this PC's password ("" when none). In office mode a centre's `sync.password` from
    before the tokens were per PC counts as this PC's when it opens here (only the PC that sealed it can)."""
    key = password_key(ctx)
    token = _raw(key)
    if not token and key != "password":
        shared = _raw("password")
        if shared and _unsealed(ctx, shared):
            return "password", shared
    return key, token


def _unsealed(ctx: AppContext, sealed: str) -> str:
    """The stored password in clear ("" when none, or sealed with another machine's key)."""
    try:
        return secret.unseal(ctx.data_dir, sealed) if sealed else ""
    except secret.SealError:
        return ""


@bound
def load(ctx: AppContext) -> SyncSettings:
    """The settings as stored, over the dialect's profile; a password sealed with another machine's key reads as
    not set (in office mode: this PC's own, `_token`); the unit code defaults to the office's agency id."""
    password = _unsealed(ctx, _token(ctx)[1])
    base = profile(_raw("dialect") or OPENCPS)
    mapping = _raw("status_map")
    statuses = base.statuses if not mapping else StatusMap() if mapping in NO_MAPPING else StatusMap.parse(mapping)
    paths = {action: _raw(f"path_{action}") or base.paths.get(action, "") for action in ACTIONS}
    return SyncSettings(
        dialect=base.name, gateway_url=_raw("gateway_url"), login_url=_raw("login_url"), username=_raw("username"),
        password=password, dstcode=_raw("dstcode"), madonvi=_raw("madonvi") or _agency_id(ctx),
        timeout=float(_raw("timeout") or DEFAULT_TIMEOUT), statuses=statuses,
        steps_per_call=int(_raw("steps_per_call") or base.steps_per_call), paths=MappingProxyType(paths),
        upload_url=_raw("upload_url"), file_url=_raw("file_url"), trusted_lan=_raw("trusted_lan") == YES)


def _office(ctx: AppContext) -> records.Office | None:
    """The office, or None before the first-run set-up (the sync settings can be shown and set before it)."""
    try:
        return get_office(ctx)
    except ValidationError:
        return None


def _agency_id(ctx: AppContext) -> str:
    office = _office(ctx)
    return office.agency_id if office else ""


@bound
def require(ctx: AppContext) -> SyncSettings:
    settings = load(ctx)
    missing = settings.missing()
    if missing and workstations.office_mode(ctx):
        raise SettingsMissing(missing_said(ctx, missing))
    if missing:
        raise SettingsMissing("Chưa cấu hình đồng bộ với hệ thống tỉnh, còn thiếu: " + ", ".join(missing)
                              + " (python main.py settings set KHÓA GIÁ_TRỊ).")
    check_addresses(settings)
    return settings


def lacks_password_here(ctx: AppContext, missing: list[str]) -> bool:
    """Office mode and the password is among `missing`: this PC has none of its own (another PC's does not open
    here)."""
    return "password" in missing and workstations.office_mode(ctx)


def missing_said(ctx: AppContext, missing: list[str]) -> str:
    """What `missing` (SyncSettings.missing's keys) means, in words, as a sentence: the settings not set, and in
    office mode this PC's own password as `NO_PASSWORD_HERE` says it."""
    here = lacks_password_here(ctx, missing)
    rest = [key for key in missing if not (here and key == "password")]
    said = f"Chưa cấu hình đồng bộ với hệ thống tỉnh, còn thiếu: {in_words(rest)}." if rest else ""
    return " ".join(part for part in (said, NO_PASSWORD_HERE if here else "") if part)


def check_addresses(config: SyncSettings) -> None:
    """Every address the client will reach is https://, or http:// to this machine, unless the network is marked
    trusted; an address stored before this rule, or by hand, is refused here (before anything is sent)."""
    if not config.trusted_lan:
        for key in ADDRESS_KEYS:
            _refuse_plain_http(key, getattr(config, key))


def is_loopback(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse_plain_http(key: str, value: str) -> None:
    """http:// to anything but this machine is refused unless the network is marked trusted (`trusted_lan`)."""
    if not value.lower().startswith("http://"):
        return
    host = urlsplit(value.replace("{sha256}", "x")).hostname or ""
    if not is_loopback(host):
        raise ValidationError(
            f"Địa chỉ {key} “{value}” dùng http:// (không mã hóa) tới máy khác: hãy dùng https://, hoặc nếu đây là "
            f"mạng nội bộ tin cậy, quản trị viên bật trusted_lan (mạng nội bộ tin cậy) trước. {TRUSTED_LAN_WARNING}")


@bound
def set_value(ctx: AppContext, key: str, value: str) -> Changes:
    if key not in KEYS:
        raise ValidationError(f"Không có thiết lập “{key}”. Các thiết lập: {', '.join(KEYS)}.")
    value = nfc(value)
    if key in OFFICE_KEYS:
        return _set_office(ctx, key, value)
    if key in SCAN_KEYS:
        return _set_scan_limit(ctx, value)
    if key in BACKUP_KEYS:
        return backup_settings.set_value(ctx, key, value)
    if key == "workstation_user":
        return acting.set_workstation_user(ctx, value)
    if key == "password":
        return _set_password(ctx, value)
    stored = _checked(key, value)
    with ctx.transaction():
        old = _raw(key)
        audit.setting_changed(ctx, key, SYNC_KEYS[key], old, stored)
        if stored:
            Setting.put(PREFIX + key, stored)
        else:
            Setting.delete().where(Setting.key == PREFIX + key).execute()
    return Changes(settings=True)


@bound
def set_values(ctx: AppContext, values: dict[str, str]) -> tuple[dict[str, str], Changes]:
    """Several keys at once, all or nothing (the admin form's Save): each refused key's message, and what
    changed (nothing when a key was refused)."""
    errors: dict[str, str] = {}
    changes = NOTHING
    # trusted_lan first (the addresses are checked against it); the password last, and only when every other key
    # was taken: sealing it may write to the OS credential store, which no rollback undoes.
    ordered = sorted(values.items(), key=lambda item: (item[0] != "trusted_lan", item[0] == "password"))
    with ctx.transaction() as transaction:
        for key, value in ordered:
            if key == "password" and errors:
                break
            try:
                changes |= set_value(ctx, key, value)
            except ValidationError as e:
                errors[key] = str(e)
        if errors:
            transaction.rollback()
    return errors, NOTHING if errors else changes


def _set_password(ctx: AppContext, value: str, *, by_a_person: bool = True) -> Changes:
    """Seal and store the gateway password (in office mode this PC's own, `password_key`; a centre's shared one
    this PC sealed before is moved to it); the audit log says only that it changed (`by_a_person`: not a re-seal
    of the same password by the app itself)."""
    key = password_key(ctx)
    old_key, old = _token(ctx)
    label = SYNC_KEYS["password"]
    if key != "password":
        label += f" của máy “{local_config.load().machine_name}”"
    with ctx.transaction():
        if by_a_person:  # a sealed value differs each time: compare what it opens to
            audit.setting_changed(ctx, "password", label, _unsealed(ctx, old), value, secret=True)
        if value:
            Setting.put(PREFIX + key, secret.seal(ctx.data_dir, value))
        else:
            Setting.delete().where(Setting.key == PREFIX + key).execute()
        if old_key != key:
            Setting.delete().where(Setting.key == PREFIX + old_key).execute()
    if old and not value:
        secret.forget(old)
    return Changes(settings=True)


@bound
def reseal_legacy(ctx: AppContext) -> bool:
    """A password sealed by an earlier version (`v1:`) sealed again the current way (counter.sync.secret);
    True when it was. One that cannot be opened here is left as it is (it reads as not set)."""
    token = _token(ctx)[1]
    if not secret.is_legacy(token):
        return False
    try:
        password = secret.unseal(ctx.data_dir, token)
    except secret.SealError:
        return False
    _set_password(ctx, password, by_a_person=False)
    return True


def _checked(key: str, value: str) -> str:
    """The value to store for a sync key, or a ValidationError saying what is wrong with it."""
    if key in URL_KEYS and value and not value.startswith(("http://", "https://")):
        raise ValidationError(f"Địa chỉ phải bắt đầu bằng http:// hoặc https:// (đã nhập “{value}”).")
    if key in ADDRESS_KEYS and value and _raw("trusted_lan") != YES:
        _refuse_plain_http(key, value)
    if key == "trusted_lan":
        return _checked_trusted_lan(value)
    if key == "dialect" and value:
        return profile(value.strip().lower()).name
    if key == "status_map" and value and value.strip().lower() not in NO_MAPPING:
        return str(StatusMap.parse(value)) or "không"
    if key == "status_map" and value:
        return "không"
    if key == "steps_per_call" and value and not (value.isdigit() and 1 <= int(value) <= MAX_STEPS_PER_CALL):
        raise ValidationError(f"Số bước mỗi lần gọi phải từ 1 đến {MAX_STEPS_PER_CALL} (đã nhập “{value}”).")
    if key.startswith("path_") and value and not value.startswith("/"):
        raise ValidationError(f"Đường dẫn phải bắt đầu bằng / (đã nhập “{value}”).")
    if key == "file_url" and value and not value.startswith(("http://", "https://")):
        raise ValidationError(f"Mẫu địa chỉ tệp phải bắt đầu bằng http:// hoặc https:// (đã nhập “{value}”).")
    if key == "timeout" and value:
        try:
            seconds = float(value)
        except ValueError:
            seconds = 0
        if not 0 < seconds <= 300:
            raise ValidationError(f"Thời gian chờ phải là số giây từ 1 đến 300 (đã nhập “{value}”).")
    return value


def _checked_trusted_lan(value: str) -> str:
    """"có" (stored) or "" (not trusted: the row is removed); turning it off is refused while an address stored
    uses http:// to another machine."""
    answer = value.strip().lower()
    if answer in ("có", "co", "1", "true", "yes", "bật"):
        return YES
    if answer not in ("", "không", "khong", "0", "false", "no", "tắt"):
        raise ValidationError(f"Mạng nội bộ tin cậy: nhập “có” hoặc “không” (đã nhập “{value}”).")
    for key in ADDRESS_KEYS:
        try:
            _refuse_plain_http(key, _raw(key))
        except ValidationError:
            raise ValidationError(f"Chưa tắt được mạng nội bộ tin cậy: địa chỉ {key} “{_raw(key)}” dùng http://; "
                                  "hãy đổi sang https:// trước.") from None
    return ""


def _default_shown(key: str, settings: SyncSettings) -> str:
    """What an unset sync key means, as the admin screen shows it."""
    if key == "timeout":
        return str(DEFAULT_TIMEOUT)
    if key == "dialect":
        return settings.dialect
    if key == "status_map":
        return f"{str(settings.statuses) or 'không'} (theo {settings.dialect})"
    if key == "steps_per_call":
        return str(settings.steps_per_call)
    if key == "trusted_lan":
        return NO
    if key == "madonvi":
        return f"{settings.madonvi} (mã định danh cơ quan)"
    if key.startswith("path_") and settings.dialect == GATEWAY:
        return settings.paths.get(key.removeprefix("path_"), "") or UNSET
    return UNSET


def _set_office(ctx: AppContext, key: str, value: str) -> Changes:
    if key == "workstation" and workstations.office_mode(ctx):  # the PC's number, not the shared office row's
        if not value.isdigit():
            raise ValidationError(f"Số máy tiếp nhận phải từ 0 đến 9 (đã nhập “{value}”).")
        return workstations.claim(ctx, int(value))
    office = _office(ctx)
    if office is None:
        raise ValidationError(f"Chưa thiết lập cơ quan nên chưa sửa được “{key}”. {SETUP_HOW}")
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
        old = scan_files.megabytes(scan_files.max_file_bytes(ctx))
        if not value:
            Setting.delete().where(Setting.key == scan_files.MAX_BYTES_KEY).execute()
            audit.setting_changed(ctx, "scan_max_mb", SCAN_KEYS["scan_max_mb"], old,
                                  scan_files.megabytes(scan_files.max_file_bytes(ctx)))
            return Changes(settings=True)
        try:
            megabytes = float(value.upper().removesuffix("MB").strip().replace(",", "."))
        except ValueError:
            megabytes = math.nan
        if not math.isfinite(megabytes):  # "abc", "nan", "inf": not a size at all
            raise ValidationError(f"Dung lượng tối đa của tệp số hóa phải là một số MB (đã nhập “{value}”).")
        changes = scan_files.set_max_file_bytes(ctx, int(megabytes * 1024 * 1024))  # the range is checked there
        audit.setting_changed(ctx, "scan_max_mb", SCAN_KEYS["scan_max_mb"], old,
                              scan_files.megabytes(scan_files.max_file_bytes(ctx)))
        return changes


@bound
def shown(ctx: AppContext) -> list[tuple[str, str, str]]:
    """(key, label, value as shown): the password only as ******** or (chưa đặt)."""
    settings = load(ctx)
    office = _office(ctx)
    backups = backup_settings.shown(ctx)
    rows = []
    for key, label in KEYS.items():
        if key == "password":
            value = HIDDEN if settings.password else NO_PASSWORD_HERE_SHOWN if workstations.office_mode(ctx) else UNSET
        elif key in SYNC_KEYS:
            value = _raw(key) or _default_shown(key, settings)
        elif key in SCAN_KEYS:
            value = scan_files.megabytes(scan_files.max_file_bytes(ctx))
        elif key in BACKUP_KEYS:
            value = backups[key] or backup_settings.default_shown(key)
        elif key == "workstation_user":
            value = acting.workstation_user(ctx) or UNSET
        elif key == "workstation" and workstations.office_mode(ctx):  # this PC's, none until it claims one
            value = UNSET if ctx.workstation is None else str(ctx.workstation)
        else:
            value = str(getattr(office, key) if office and getattr(office, key) is not None else "") or UNSET
        rows.append((key, label, value))
    return rows


@bound
def editable(ctx: AppContext) -> dict[str, tuple[str, str]]:
    """Per key, for a form: the text to edit (what is stored, "" when unset; never the password) and what an
    empty field means (the profile's default, "(chưa đặt)", or "********" for a stored password)."""
    rows = {}
    for key, _label, value in shown(ctx):
        if key in SYNC_KEYS:
            text = "" if key == "password" else _raw(key)
            rows[key] = (text, "" if text else value)
        elif key in BACKUP_KEYS:
            text = backup_settings.shown(ctx)[key]
            rows[key] = (text, "" if text else value)
        else:
            rows[key] = ("" if value == UNSET else value, "")
    return rows


@bound
def preview(ctx: AppContext, values: dict[str, str]) -> SyncSettings:
    """The sync settings `values` (keys as typed in a form) would make over what is stored, without storing
    anything (a connection test before saving); a value that would be refused counts as unset. The password is
    taken as typed, never sealed (sealing may write to the OS credential store, which no rollback undoes)."""
    password = values.get("password", "")
    with ctx.transaction() as transaction:
        for key, value in values.items():
            if key == "password":
                continue
            try:
                set_value(ctx, key, value)
            except ValidationError:
                set_value(ctx, key, "")
        config = load(ctx)
        transaction.rollback()
    return dataclasses.replace(config, password=nfc(password)) if password else config
