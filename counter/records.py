"""Frozen records the domain returns to the UI, the printer and the CLI. Never peewee rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from counter.status import Status


@dataclass(frozen=True)
class OfficeHours:
    morning_start: time = time(7, 0)
    morning_end: time = time(11, 30)
    afternoon_start: time = time(13, 30)
    afternoon_end: time = time(17, 0)
    same_day_cutoff: time = time(15, 0)


@dataclass(frozen=True)
class Office:
    agency_id: str
    parent_name: str  # UBND XÃ …
    office_name: str  # Trung tâm Phục vụ hành chính công (as in a sentence; form headers upper-case it)
    place_name: str  # for "{place}, ngày … tháng … năm …"
    address: str = ""
    phone: str = ""
    hours: OfficeHours = field(default_factory=OfficeHours)
    workstation: int = 0
    register_book: str = "01"
    lookup_url: str | None = None  # with {code} where the dossier code goes


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    title: str
    role: str  # clerk | leader | admin


@dataclass(frozen=True)
class TimeRule:
    kind: str  # working_days | same_day | calendar_days | none
    days: int = 0

    def describe(self) -> str:
        if self.kind == "working_days":
            return f"{self.days:02d} ngày làm việc"
        if self.kind == "same_day":
            return "Trong ngày (nhận trước 15 giờ)"
        if self.kind == "calendar_days":
            return f"{self.days:02d} ngày"
        return "Không quy định thời hạn"


@dataclass(frozen=True)
class FeeRule:
    amount: int | None  # đồng per unit; None = set by the province and not yet entered
    per: str = ""  # unit: bản sao, trường hợp, hợp đồng…
    formula: str = ""  # e.g. per_page_2000_1000_cap_200000
    note: str = ""


@dataclass(frozen=True)
class ComponentSpec:
    """One paper of a procedure's checklist."""

    position: int
    code: str
    name: str
    form: str  # bản chính | bản sao | bản photo
    optional: bool = False


@dataclass(frozen=True)
class Procedure:
    id: int
    code: str
    name: str
    field: str
    active: bool
    version_id: int
    version: int
    effective_from: date
    time_rule: TimeRule
    fee_rule: FeeRule
    result_name: str
    result_code: str
    verified: bool
    note: str
    components: tuple[ComponentSpec, ...]
    use_count: int = 0


@dataclass(frozen=True)
class Applicant:
    id: int | None
    id_number: str
    full_name: str
    old_id_number: str | None = None
    birth_date: date | None = None
    sex: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class DossierComponent:
    position: int
    name: str
    form: str = "bản chính"
    quantity: int = 1
    code: str = ""
    pages: int = 0
    handed_over: bool = True


@dataclass(frozen=True)
class Fee:
    name: str
    amount: int
    code: str = ""
    kind: int = 2  # LoaiPhiLePhi: 1 phí, 2 lệ phí
    paid_at: datetime | None = None


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    from_status: Status | None
    to_status: Status
    from_unit: str
    to_unit: str
    actor_name: str
    note: str
    step_uuid: str
    due_at: datetime | None = None  # the due date in force once the step was taken (None: not recorded)


@dataclass(frozen=True)
class Dossier:
    id: int
    code: str
    status: Status
    procedure_code: str
    procedure_name: str
    procedure_version: int
    time_rule: TimeRule
    applicant_id: int
    applicant: Applicant  # as declared at reception
    applicant_kind: int
    channel: int
    return_method: int  # 0 counter, 1 post
    summary: str
    sets: int
    components: tuple[DossierComponent, ...]
    fees: tuple[Fee, ...]
    fee_total: int
    fee_exempt_reason: str
    received_at: datetime
    due_at: datetime | None
    original_due_at: datetime | None
    unit: str
    register_book: str
    register_number: int | None
    received_by: str  # full name of the receiving clerk
    workstation: int
    has_digitised: bool
    updated_at: datetime
    history: tuple[HistoryEntry, ...] = ()
    procedure_field: str = ""  # the procedure's lĩnh vực ("Hộ tịch"), sent as TenLinhVuc


@dataclass(frozen=True)
class DossierRow:
    """One line of a dossier list (no components or history: cheap to load by the thousand)."""

    id: int
    code: str
    applicant_name: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    status: Status
    applicant_phone: str = ""  # as declared at reception: whom to call when the result is ready


@dataclass(frozen=True)
class GuidanceItem:
    name: str  # the paper concerned
    problem: str  # what is missing or must be corrected


@dataclass(frozen=True)
class Guidance:
    """Mẫu 02 given at the counter: the dossier was not received."""

    id: int
    at: datetime
    applicant: Applicant
    procedure_code: str
    procedure_name: str
    items: tuple[GuidanceItem, ...]
    reason: str
    clerk_name: str
    clerk_phone: str = ""


# Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantInput:
    id_number: str
    full_name: str
    old_id_number: str | None = None
    birth_date: date | None = None
    sex: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ComponentInput:
    name: str
    form: str = "bản chính"
    quantity: int = 1
    pages: int = 0  # pages per copy, for per-page fees (chứng thực)
    handed_over: bool = True
    code: str = ""


@dataclass(frozen=True)
class DossierDraft:
    """What the clerk entered. `components=None` means the procedure's required papers, handed over."""

    procedure_code: str
    applicant: ApplicantInput
    components: tuple[ComponentInput, ...] | None = None
    summary: str = ""
    sets: int = 1
    channel: int = 1
    return_method: int = 0
    applicant_kind: int = 1
    fee_units: int = 1  # copies / cases / contracts the fee is counted on
    fee_exempt_reason: str = ""  # non-empty: exempt, with this reason
    received_at: datetime | None = None  # None: the context clock's now
