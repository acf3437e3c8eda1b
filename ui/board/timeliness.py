"""Time left before the due time, in working hours, as words and a colour a clerk reads at a glance."""

from __future__ import annotations

from counter.dossiers.board import DUE_SOON, ON_TIME, OVERDUE

# (background, text) per state: on time green, due within one working day amber, overdue red.
COLOURS = {
    ON_TIME: ("#e3f4e7", "#1e6b34"),
    DUE_SOON: ("#fff1cc", "#7a4f00"),
    OVERDUE: ("#fde3e3", "#a61b1b"),
}
NEUTRAL = ("#eceff3", "#38434f")


def duration(minutes: int, day_minutes: int) -> str:
    """Working minutes as '2 ngày 3 giờ', '5 giờ 30 phút', '45 phút' (a working day is `day_minutes`)."""
    minutes = abs(minutes)
    days, rest = divmod(minutes, day_minutes) if day_minutes > 0 else (0, minutes)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} ngày"] if days else []
    if hours:
        parts.append(f"{hours} giờ")
    if mins and not days:  # minutes matter only on the last day
        parts.append(f"{mins} phút")
    return " ".join(parts) or "0 phút"


def describe(minutes: int | None, state: str, day_minutes: int, *, compact: bool = False) -> str:
    """'Còn 2 ngày 3 giờ làm việc', 'Quá hạn 4 giờ làm việc'; '' when no clock runs. `compact` drops the
    words a table's header and colour already say ('Còn 2 ngày 3 giờ')."""
    if minutes is None:
        return ""
    unit = "" if compact else " làm việc"
    if state == OVERDUE:
        late = -minutes if minutes < 0 else 0
        return f"Quá hạn {duration(late, day_minutes)}{unit}" if late else "Quá hạn"
    text = f"Còn {duration(minutes, day_minutes)}{unit}"
    return f"{text} (sắp đến hạn)" if state == DUE_SOON and not compact else text


def colours(state: str | None) -> tuple[str, str]:
    return COLOURS.get(state, NEUTRAL) if state else NEUTRAL
