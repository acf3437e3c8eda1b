"""Frozen records the domain returns to the UI, the printer and the CLI. Never peewee rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

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
    demo: bool = False  # a demonstration database: every form carries a "BẢN DÙNG THỬ" watermark


@dataclass(frozen=True)
class OfficeSetup:
    """What the first-run set-up asks for (the wizard and `main.py setup`): the office and its first
    administrator, whose password the clerk typed twice."""

    office: Office
    admin_username: str
    admin_full_name: str
    password: str
    password_again: str


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    title: str
    role: str  # clerk | leader | admin
    active: bool = True
    must_change_password: bool = False  # after a reset: changed before the app opens
    last_login_at: datetime | None = None


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
    field_code: str = ""  # mã lĩnh vực (LINHVUCTHUCHIEN[].MALINHVUC, sent as MaLinhVuc); "" while unknown
    source: str = ""  # where this version came from: the seed file, an import file, a decision an administrator entered
    fee_source: str = ""  # the decision the fee was entered from by an administrator; "" = from `source`
    time_source: str = ""  # the same for the time limit


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
    actor_id: int | None = None  # the user who took it (None: the province, or a user since removed)


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
    procedure_field_code: str = ""  # its code in the national catalogue, sent as MaLinhVuc; "" while unknown
    calendar_version: int | None = None  # the calendar version due_at was computed with (None: before versions)


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
    workstation: int = 0  # the receiving counter (Dossier.workstation): a centre's lists show it (issue 20)
    clerk_name: str = ""  # who received it ("" when unknown: the command line, a sync)


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


# After reception: pauses, result, return, rating, apology, stop, and the dossier page's bundle.

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
    items: tuple[GuidanceItem, ...]
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

    dossier: Dossier
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


# Digitisation: a checked input file, an attached paper, an offer to reuse one.

COMPONENT, RESULT = "component", "result"


@dataclass(frozen=True)
class FileInfo:
    """An input file that passed the checks: what it is and how many pages it gives."""

    path: Path
    kind: str  # jpeg | png | image (other formats Pillow reads) | pdf
    size: int  # bytes
    pages: int


@dataclass(frozen=True)
class Attachment:
    """A digitised paper linked to a dossier. `path` and `thumbnail` are relative to the data directory."""

    id: int
    uuid: str  # TepDinhKemId / GiayToId for the province
    dossier_code: str
    kind: str  # component | result
    component_position: int | None  # None for the result
    name: str
    type_code: str  # MaThanhPhanHoSo or MaGiayToKetQua
    sha256: str
    size: int
    pages: int
    path: str
    thumbnail: str
    owner_id_number: str
    digitised_at: datetime  # for a reused paper: when it was linked to this dossier
    digitised_by: str
    reused: bool  # linked from an earlier dossier (DuocTaiSuDung)
    reused_from_code: str = ""  # the dossier where it was first digitised
    valid_until: date | None = None
    replaced_at: datetime | None = None  # superseded by a newer scan (IsDeleted)
    remote_url: str | None = None  # DuongDanTaiTepTin once the sync has uploaded the file


@dataclass(frozen=True)
class ReuseOffer:
    """An earlier digitised paper of the same person that matches one component of a new dossier."""

    component_position: int  # in the procedure's list, or the dossier's when offered for a dossier
    component_name: str
    component_code: str
    attachment: Attachment  # the earlier one; pass its id to attachments.reuse()


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log (counter.audit): who did what and when."""

    id: int
    at: datetime
    actor: str  # user name; "" for a script or the system
    kind: str  # counter.audit.KINDS
    kind_label: str
    summary: str
    detail: dict[str, object]


@dataclass(frozen=True)
class AuditCheck:
    """What `counter.audit.verify` found: the chain holds (`bad_id` None), or the first row that does not."""

    rows: int
    bad_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_id is None
