"""Frozen records of what happens to a dossier after reception, and the dossier page's bundle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter import records

# Satisfaction levels (domain.md §3): a reason is mandatory for the last one.
RATING_LEVELS = {
    "very_satisfied": "RẤT HÀI LÒNG",
    "satisfied": "HÀI LÒNG",
    "dissatisfied": "KHÔNG HÀI LÒNG",
}
REASON_REQUIRED = "dissatisfied"


@dataclass(frozen=True)
class Pause:
    """A supplement asked during processing: the clock stopped at `paused_at` with `remaining_minutes` left."""

    unit: str
    paused_at: datetime
    reason: str
    items: tuple[records.GuidanceItem, ...]
    due_before: datetime | None  # None: the procedure has no deadline
    remaining_minutes: int | None
    resumed_at: datetime | None = None  # None: still waiting for the supplement
    due_after: datetime | None = None
    requested_by: str = ""


@dataclass(frozen=True)
class Result:
    recorded_at: datetime
    number: str  # số, ký hiệu
    result_code: str  # e.g. KQ.G15.000031
    result_name: str
    note: str = ""
    recorded_by: str = ""


@dataclass(frozen=True)
class Returned:
    returned_at: datetime
    collector_name: str
    collector_id_number: str
    authorised: bool  # collected by someone on the applicant's behalf
    returned_by: str = ""


@dataclass(frozen=True)
class Rating:
    rated_at: datetime
    level: str  # a key of RATING_LEVELS
    reason: str = ""

    @property
    def label(self) -> str:
        return RATING_LEVELS[self.level]


@dataclass(frozen=True)
class Apology:
    """Mẫu 04: the one re-scheduling a dossier may get."""

    issued_at: datetime
    reason: str
    due_before: datetime
    new_due: datetime
    signer_name: str
    signer_title: str = ""


STOP_NOTE = "Dừng xử lý hồ sơ: "  # the stop's history note, before its reason


@dataclass(frozen=True)
class Stopped:
    """Mẫu 05 as issued: processing stopped, why, and who signs the notice."""

    stopped_at: datetime
    reason: str
    signer_name: str
    signer_title: str = ""


@dataclass(frozen=True)
class DossierDetail:
    """Everything the dossier page shows, with the actions it may offer now."""

    dossier: records.Dossier
    pauses: tuple[Pause, ...] = ()
    result: Result | None = None
    returned: Returned | None = None
    rating: Rating | None = None
    apology: Apology | None = None
    allowed_actions: tuple[str, ...] = ()
    stopped: Stopped | None = None

    def due_timeline(self) -> tuple[tuple[datetime, datetime | None], ...]:
        """(from when, the appointment then in force), in time order: the first one from reception, a
        supplement's pause (None: the clock stopped) and resume, the apology's new date. Mẫu 06 judges each
        hand-over against the appointment in force at its moment, not against today's."""
        changes: list[tuple[datetime, datetime | None, datetime | None]] = []  # (when, due before, due after)
        for p in self.pauses:
            changes.append((p.paused_at, p.due_before, None))
            if p.resumed_at is not None:
                changes.append((p.resumed_at, None, p.due_after))
        if self.apology:
            changes.append((self.apology.issued_at, self.apology.due_before, self.apology.new_due))
        changes.sort(key=lambda c: c[0])
        first = changes[0][1] if changes else self.dossier.due_at
        return ((self.dossier.received_at, first), *((when, after) for when, _, after in changes))
