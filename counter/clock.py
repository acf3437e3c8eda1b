"""Time: every timestamp is aware, Asia/Ho_Chi_Minh (UTC+7, no daylight saving); the clock is injectable."""

from __future__ import annotations

from datetime import datetime, timedelta

from db.timezone import VN_TZ, local

__all__ = ["VN_TZ", "Clock", "FixedClock", "local"]


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

    def advance(self, **delta: float) -> None:
        self.at = self.at + timedelta(**delta)
