"""Time: every timestamp is aware, Asia/Ho_Chi_Minh (UTC+7, no daylight saving)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

try:
    VN_TZ: tzinfo = ZoneInfo("Asia/Ho_Chi_Minh")
except Exception:  # no tz database on this machine: Vietnam has had a fixed +07:00 since 1975
    VN_TZ = timezone(timedelta(hours=7), "ICT")


def local(dt: datetime) -> datetime:
    """An aware datetime in Vietnam time; a naive one is taken to be Vietnam time already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=VN_TZ)
    return dt.astimezone(VN_TZ)


class Clock:
    """The real clock. Injected through the AppContext so tests can fix the time."""

    def now(self) -> datetime:
        return datetime.now(VN_TZ)


class FixedClock(Clock):
    """A clock that says what it is told; `advance` moves it on."""

    def __init__(self, at: datetime):
        self.at = local(at)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at = self.at + timedelta(**delta)
