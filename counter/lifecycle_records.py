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
