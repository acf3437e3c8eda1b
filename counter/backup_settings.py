"""The backups' settings (issue 18): the second destination, how often the app backs up while it runs, and how many
backups rotation keeps. Kept in the Setting table (`backup.*`) like the office's other settings, set through
`main.py settings set KEY VALUE` and the Quản trị page (counter.sync.settings dispatches the `backup_…` keys here).

An empty value means the default. The second destination need not exist when it is set (a USB drive is plugged in
only now and then): the schedule says when it is missing; it must be a full path and not inside the data folder
(a copy on the same disk is no second copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from counter import audit
from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import ValidationError
from db.models import Setting

PREFIX = "backup."
DEFAULT_HOURS = 4
MAX_HOURS = 168  # once a week at least, if on at all
DEFAULT_DAILY, DEFAULT_WEEKLY, DEFAULT_MONTHLY = 7, 4, 12

KEYS = {  # the key as typed in `settings set`, its label (short: the admin form at 1366×768)
    "backup_dir": "Thư mục sao lưu thứ hai (ổ USB, ổ mạng)",
    "backup_hours": "Tự động sao lưu mỗi … giờ (0: tắt)",
    "backup_keep_daily": "Giữ bản sao lưu của … ngày gần nhất",
    "backup_keep_weekly": "Giữ bản sao lưu của … tuần gần nhất",
    "backup_keep_monthly": "Giữ bản sao lưu của … tháng gần nhất",
}
# key → (default, smallest, largest, what it counts)
_NUMBERS = {
    "backup_hours": (DEFAULT_HOURS, 0, MAX_HOURS, "giờ"),
    "backup_keep_daily": (DEFAULT_DAILY, 1, 366, "ngày"),
    "backup_keep_weekly": (DEFAULT_WEEKLY, 0, 104, "tuần"),
    "backup_keep_monthly": (DEFAULT_MONTHLY, 0, 120, "tháng"),
}


@dataclass(frozen=True)
class BackupSettings:
    second_destination: Path | None = None
    interval_hours: int = DEFAULT_HOURS  # 0: no backups on a timer (after the batch and on close still)
    keep_daily: int = DEFAULT_DAILY
    keep_weekly: int = DEFAULT_WEEKLY
    keep_monthly: int = DEFAULT_MONTHLY


def _stored(key: str) -> str:
    row = Setting.get_or_none(Setting.key == PREFIX + key.removeprefix("backup_"))
    return str(row.value) if row else ""


def _number(key: str) -> int:
    default, low, high, _unit = _NUMBERS[key]
    text = _stored(key)
    if not text.isdigit() or not low <= int(text) <= high:
        return default  # a value written by hand that the rules refuse reads as the default
    return int(text)


@bound
def load(ctx: AppContext) -> BackupSettings:
    folder = _stored("backup_dir")
    return BackupSettings(second_destination=Path(folder) if folder else None,
                          interval_hours=_number("backup_hours"), keep_daily=_number("backup_keep_daily"),
                          keep_weekly=_number("backup_keep_weekly"), keep_monthly=_number("backup_keep_monthly"))


@bound
def set_value(ctx: AppContext, key: str, value: str) -> Changes:
    """One `backup_…` key; '' restores the default. A ValidationError (in Vietnamese) for a value refused."""
    if key not in KEYS:
        raise ValidationError(f"Không có thiết lập sao lưu “{key}”. Các thiết lập: {', '.join(KEYS)}.")
    stored = _checked(ctx, key, value.strip())
    with ctx.transaction():
        old = _stored(key)
        audit.setting_changed(ctx, key, KEYS[key], old, stored)
        if stored:
            Setting.put(PREFIX + key.removeprefix("backup_"), stored)
        else:
            Setting.delete().where(Setting.key == PREFIX + key.removeprefix("backup_")).execute()
    return Changes(settings=True)


def _checked(ctx: AppContext, key: str, value: str) -> str:
    if not value:
        return ""
    if key == "backup_dir":
        return _checked_folder(ctx, value)
    _default, low, high, unit = _NUMBERS[key]
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        what = "Số giờ giữa hai lần tự động sao lưu" if key == "backup_hours" else f"Số {unit} giữ bản sao lưu"
        raise ValidationError(f"{what} phải là số nguyên từ {low} đến {high} (đã nhập “{value}”).")
    return str(int(value))


def _checked_folder(ctx: AppContext, value: str) -> str:
    folder = Path(value).expanduser()
    if not folder.is_absolute():
        raise ValidationError(f"Thư mục sao lưu thứ hai phải là đường dẫn đầy đủ, ví dụ E:\\SaoLuu hoặc "
                              f"/media/usb/SaoLuu (đã nhập “{value}”).")
    data = ctx.data_dir.resolve()
    resolved = folder.resolve()
    if resolved == data or data in resolved.parents:
        raise ValidationError(f"Thư mục sao lưu thứ hai “{value}” nằm trong thư mục dữ liệu: bản sao trên cùng ổ "
                              "đĩa không phải bản thứ hai. Hãy chọn ổ USB hoặc ổ mạng.")
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"“{value}” là một tệp, không phải thư mục.")
    return str(folder)


@bound
def shown(ctx: AppContext) -> dict[str, str]:
    """Each key's stored text ('' when it is the default) and, for the form's placeholder, what '' means."""
    return {key: _stored(key) for key in KEYS}


def default_shown(key: str) -> str:
    if key == "backup_dir":
        return "(chưa đặt: chỉ sao lưu trong máy)"
    return f"{_NUMBERS[key][0]} (mặc định)"
