"""What the reports compute, frozen: the renderers (printing/, ui/, the CLI's JSON) read these and compute nothing.

# Biểu số 06 (stats.py) ----------------------------------------------------------------------------------
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Biểu số 06's columns 3–13 as StatsRow attributes, in the form's order (columns 1 and 2 are STT and the name).
STATS_COLUMNS = ("received", "online", "direct", "carried", "resolved", "early", "on_time", "late",
                 "open", "open_in_time", "open_late")
GROUPINGS = {"field": "Lĩnh vực", "procedure": "Thủ tục hành chính", "clerk": "Công chức tiếp nhận"}


@dataclass(frozen=True)
class Period:
    start: date  # first day
    end: date  # last day, included
    label: str  # "Quý IV năm 2026", "Từ ngày 01/10/2026 đến ngày 31/12/2026"…


@dataclass(frozen=True)
class StatsRow:
    """One line of Biểu số 06: a field, a procedure or a receiving clerk (or the total)."""

    key: str  # field name, procedure code or user id ("" for the total)
    label: str
    online: int  # column 4: received in the period, online
    direct: int  # column 5: received in the period at the desk or by post
    carried: int  # column 6: received before the period, still open at its start
    early: int  # column 8
    on_time: int  # column 9 (withdrawn ones included)
    late: int  # column 10
    open_in_time: int  # column 12: open at the period's end (paused for a supplement included), not late
    open_late: int  # column 13
    withdrawn: int = 0  # of columns 7/9: withdrawn by the citizen in the period
    stopped: int = 0  # of column 7: processing stopped (Mẫu 05) in the period

    @property
    def received(self) -> int:  # column 3
        return self.online + self.direct + self.carried

    @property
    def resolved(self) -> int:  # column 7
        return self.early + self.on_time + self.late

    @property
    def open(self) -> int:  # column 11
        return self.open_in_time + self.open_late

    def columns(self) -> tuple[int, ...]:
        """Columns 3–13 in the form's order."""
        return tuple(getattr(self, name) for name in STATS_COLUMNS)


@dataclass(frozen=True)
class Satisfaction:
    very_satisfied: int
    satisfied: int
    dissatisfied: int
    reasons: tuple[tuple[str, int], ...]  # the "không hài lòng" ratings' reasons and how often, most frequent first
    returned: int  # results returned in the period: the ratings' base (those without a rating are not asked)

    @property
    def rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied


@dataclass(frozen=True)
class Digitisation:
    received: int  # dossiers received in the period (not refused)
    papers_scanned: int  # of them, every paper handed over digitised
    reused: int  # of them, at least one paper reused from an earlier digitisation
    resolved: int  # dossiers resolved in the period with a result (withdrawn and stopped ones aside)
    results_scanned: int  # of them, with their result digitised


@dataclass(frozen=True)
class SyncShares:
    received: int  # dossiers received in the period (not refused)
    synced: int
    waiting: int  # pending or being sent
    attention: int  # refused by the province or in conflict
    not_queued: int  # no entry in the outbox (a database from before the sync)


@dataclass(frozen=True)
class Stats:
    """Biểu số 06 for one period and one grouping, with what the form shows beside the table."""

    period: Period
    by: str  # a key of GROUPINGS
    rows: tuple[StatsRow, ...]
    total: StatsRow
    refused: int  # Mẫu 03 issued for dossiers brought in the period: a line of its own, not in the 13 columns
    supplements: int  # Mẫu 02 requests during processing, in the period
    apologies: int  # Mẫu 04 issued in the period
    withdrawals: int  # dossiers withdrawn in the period
    stops: int  # Mẫu 05 issued in the period
    satisfaction: Satisfaction
    digitisation: Digitisation
    sync: SyncShares
    computed_at: datetime
    notes: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return self.total.received == 0 and self.refused == 0


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, to one decimal; None when there is no whole to take a share of."""
    return round(100 * part / whole, 1) if whole else None


def share_text(part: int, whole: int) -> str:
    """'2/3 (66,7 %)' as the reports print a share; '0/0 (—)' when there is no whole."""
    value = share(part, whole)
    return f"{part}/{whole} ({'—' if value is None else f'{value:.1f}'.replace('.', ',') + ' %'})"
