"""Vietnam time, the one zone every stored timestamp is in (DESIGN.md "Data").

It lives here, below the domain, because the storage layer needs it to read and write aware
datetimes; `counter.clock` re-exports it for everything above.
"""

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
