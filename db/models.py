"""peewee tables. Fields and tiny helpers only; rules live in counter/.

Enumerated values (stored as plain strings or integers):
- User.role: 'clerk' | 'leader' | 'admin'
- CalendarDay.kind: 'holiday' | 'rest_day' | 'workday' (a make-up working day on a weekend)
- ProcedureVersion.time_rule_kind: 'working_days' | 'same_day' | 'calendar_days' | 'none'
- Dossier.status: national TrangThaiHoSo codes 1–10 (see counter.status)
- Dossier.channel: KenhThucHien 1 direct, 2 online, 3 post; Dossier.return_method: HinhThuc 0 counter, 1 post
- Attachment.kind: 'component' | 'result'
- OutboxEntry.state: 'pending' | 'sending' | 'synced' | 'attention'; kind: 'dossier' | 'step' | 'attachment'

Beside each foreign key `x`, the bare annotation `x_id: int` (or `int | None`) declares for the type checker
the id accessor peewee adds at run time; it creates no column.
"""

from __future__ import annotations

from peewee import (
    BlobField,
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from db.database import AwareDateTimeField, BaseModel


class Meta(BaseModel):
    """Facts about this database file: schema version, instance id (never copied elsewhere)."""

    key = CharField(primary_key=True)
    value = TextField()


class Setting(BaseModel):
    """Business configuration that is not part of the office row (sync gateway, limits…)."""

    key = CharField(primary_key=True)
    value = TextField()

    @classmethod
    def put(cls, key: str, value: str) -> None:
        """Set one setting, inserting or overwriting it: one upsert both engines read (SQLite's INSERT OR REPLACE
        is not PostgreSQL's)."""
        cls.insert(key=key, value=value).on_conflict(conflict_target=[cls.key], update={cls.value: value}).execute()


class Office(BaseModel):
    agency_id = CharField()  # mã định danh điện tử, e.g. 000.00.06.H56
    parent_name = CharField()  # UBND XÃ QUẢNG HÙNG
    office_name = CharField()  # Trung tâm Phục vụ hành chính công (as in a sentence; form headers upper-case it)
    place_name = CharField()  # địa danh for the date line
    address = CharField(default="")
    phone = CharField(default="")
    morning_start = CharField(default="07:00")
    morning_end = CharField(default="11:30")
    afternoon_start = CharField(default="13:30")
    afternoon_end = CharField(default="17:00")
    same_day_cutoff = CharField(default="15:00")
    workstation = IntegerField(default=0)  # 0–9: owns the code block w000–w999
    register_book = CharField(default="01")  # Quyển số of the Sổ theo dõi hồ sơ
    lookup_url = CharField(null=True)  # e.g. https://dichvucong.../tra-cuu?MHS={code}
    demo = BooleanField(default=False)  # a demonstration database: forms watermarked "BẢN DÙNG THỬ" (migration 0011)


class User(BaseModel):
    username = CharField(unique=True)
    full_name = CharField()
    title = CharField(default="")  # chức danh, for signatures and progress steps
    role = CharField(default="clerk")
    password_hash = CharField()
    active = BooleanField(default=True)
    created_at = AwareDateTimeField()
    # Log-in (migration 0008): failed attempts in a row, the wait they impose, a reset password to change.
    failed_logins = IntegerField(default=0)
    locked_until = AwareDateTimeField(null=True)
    must_change_password = BooleanField(default=False)
    last_login_at = AwareDateTimeField(null=True)


class Procedure(BaseModel):
    """A procedure's identity; its rules live in versions with an effective date."""

    code = CharField(unique=True)  # national MaTTHC, e.g. 1.001193
    name = CharField()
    name_folded = CharField(index=True)
    field = CharField(default="")  # lĩnh vực
    field_code = CharField(default="")  # mã lĩnh vực, LINHVUCTHUCHIEN[].MALINHVUC (migration 0007); "" while unknown
    active = BooleanField(default=True)
    use_count = IntegerField(default=0)  # dossiers received: most-used first in pickers


class ProcedureVersion(BaseModel):
    procedure = ForeignKeyField(Procedure, backref="versions", on_delete="CASCADE")
    procedure_id: int
    version = IntegerField()
    effective_from = DateField()
    name = CharField()
    time_rule_kind = CharField()
    time_rule_days = IntegerField(default=0)
    fee_amount = IntegerField(null=True)  # đồng per unit; null = set by the province, unknown
    fee_per = CharField(default="")  # unit of the fee: bản sao, trường hợp…
    fee_formula = CharField(default="")  # e.g. per_page_2000_1000_cap_200000
    fee_note = CharField(default="")
    result_name = CharField(default="")
    result_code = CharField(default="")  # e.g. KQ.G15.000031
    verified = BooleanField(default=False)
    note = TextField(default="")
    source = CharField(default="")  # where this version came from (seed file, import file, administrator)
    fee_source = CharField(default="")  # the decision an administrator entered the fee from; "" = from `source`
    time_source = CharField(default="")  # the same for the time limit (migration 0012)

    class Meta:
        indexes = ((("procedure", "version"), True),)


class ProcedureComponent(BaseModel):
    version = ForeignKeyField(ProcedureVersion, backref="components", on_delete="CASCADE")
    version_id: int
    position = IntegerField()
    code = CharField()  # MaThanhPhanHoSo
    name = TextField()
    form = CharField(default="bản chính")  # bản chính | bản sao | bản photo
    optional = BooleanField(default=False)


class CalendarDay(BaseModel):
    """A dated exception to the Mon–Fri week, with the document that announced it."""

    date = DateField(unique=True)
    kind = CharField()
    name = CharField()
    source = CharField(default="")
    status = CharField(default="official")  # official | estimate
    origin = CharField(default="seed")  # seed | holidays | admin


class CalendarVersion(BaseModel):
    """One version of the calendar (migration 0010): the change that made it, who made it, when and on which
    document, and the whole table as it then stood (`days`: JSON [[date, kind, name, source, status, origin], …]),
    so every old version is kept. Numbers run 1, 2, … in order of the changes."""

    number = IntegerField(unique=True)
    created_at = AwareDateTimeField()
    actor = ForeignKeyField(User, null=True)
    actor_id: int | None
    actor_name = CharField(default="")
    action = CharField()  # initial | seed | add | remove
    day = DateField(null=True)  # the day added or removed; null for initial and seed
    kind = CharField(default="")  # what the day became (add) or was (remove)
    source = CharField(default="")  # the document: "Công văn số …"
    note = TextField(default="")
    days = TextField()


class Applicant(BaseModel):
    id_number = CharField(unique=True)  # 12-digit CCCD
    old_id_number = CharField(null=True)  # 9-digit CMND
    full_name = CharField()
    name_folded = CharField(index=True)
    birth_date = DateField(null=True)
    sex = CharField(default="")
    address = TextField(default="")
    address_folded = TextField(default="")
    phone = CharField(default="", index=True)
    email = CharField(default="")
    created_at = AwareDateTimeField()
    updated_at = AwareDateTimeField()


class Dossier(BaseModel):
    code = CharField(unique=True)
    procedure = ForeignKeyField(Procedure, backref="dossiers", index=False)  # dossier_procedure_received_at (0023)
    procedure_id: int
    procedure_version = ForeignKeyField(ProcedureVersion)
    procedure_version_id: int
    applicant = ForeignKeyField(Applicant, backref="dossiers")
    applicant_id: int
    # What the applicant said at reception: the legal record, kept even if their details change.
    applicant_name = CharField()
    applicant_id_number = CharField()
    applicant_address = TextField(default="")
    applicant_phone = CharField(default="")
    applicant_email = CharField(default="")
    applicant_kind = IntegerField(default=1)  # LoaiDoiTuong: 1 citizen, 2 business, 3 state body, 4 other
    channel = IntegerField(default=1)
    return_method = IntegerField(default=0)
    summary = TextField(default="")
    sets = IntegerField(default=1)
    fee_total = IntegerField(default=0)
    fee_exempt_reason = CharField(default="")
    received_at = AwareDateTimeField()  # indexed first in dossier_report (migration 0023)
    due_at = AwareDateTimeField(null=True, index=True)
    original_due_at = AwareDateTimeField(null=True)
    status = IntegerField()  # indexed first in dossier_status_due_at and dossier_status_received_at (0023)
    unit = CharField(default="")  # where the dossier is now (DonViXuLy)
    register_book = CharField(default="")
    register_number = IntegerField(null=True)
    received_by = ForeignKeyField(User, null=True)
    received_by_id: int | None
    workstation = IntegerField(default=0)
    has_digitised = BooleanField(default=False)
    updated_at = AwareDateTimeField()
    calendar_version = IntegerField(null=True)  # CalendarVersion.number due_at was computed with (migration 0010)

    class Meta:
        # Today's board: open dossiers by status, in due order (migration 0002).
        indexes = ((("status", "due_at"), False),)


class DossierComponent(BaseModel):
    dossier = ForeignKeyField(Dossier, backref="components", on_delete="CASCADE")
    dossier_id: int
    position = IntegerField()
    code = CharField(default="")
    name = TextField()
    form = CharField(default="bản chính")
    quantity = IntegerField(default=1)
    pages = IntegerField(default=0)  # for per-page fees
    handed_over = BooleanField(default=True)


class DossierFee(BaseModel):
    dossier = ForeignKeyField(Dossier, backref="fees", on_delete="CASCADE")
    dossier_id: int
    name = CharField()
    code = CharField(default="")
    amount = IntegerField()  # đồng, after any exemption
    kind = IntegerField(default=1)  # LoaiPhiLePhi: 1 phí, 2 lệ phí
    paid_at = AwareDateTimeField(null=True)


class DossierHistory(BaseModel):
    """One row per transition or hand-over: the electronic Mẫu 06 and the source of progress steps."""

    dossier = ForeignKeyField(Dossier, backref="history", on_delete="CASCADE")
    dossier_id: int
    at = AwareDateTimeField()
    action = CharField()  # receive, refuse, handover, …
    from_status = IntegerField(null=True)
    to_status = IntegerField()
    from_unit = CharField(default="")
    to_unit = CharField(default="")
    actor = ForeignKeyField(User, null=True, index=False)  # no list is by step taker (migration 0023)
    actor_id: int | None
    actor_name = CharField(default="")
    note = TextField(default="")
    step_uuid = CharField(unique=True)
    due_at = AwareDateTimeField(null=True)  # in force when the step happened (migration 0006); None before it


class OutboxEntry(BaseModel):
    kind = CharField()
    key = CharField()  # dossier code (upsert) or step uuid (sent once)
    dossier = ForeignKeyField(Dossier, null=True, on_delete="CASCADE")
    dossier_id: int | None
    state = CharField(default="pending")  # the unconfirmed ones: outbox_entry_waiting, partial (migration 0023)
    revision = IntegerField(default=1)  # bumped on every change; an ack of an older one is stale
    sent_revision = IntegerField(default=0)
    sent_status = IntegerField(null=True)  # TrangThaiHoSo the province last confirmed (migration 0004)
    attempts = IntegerField(default=0)
    next_attempt_at = AwareDateTimeField(null=True)
    last_error = TextField(default="")
    created_at = AwareDateTimeField()
    updated_at = AwareDateTimeField()

    class Meta:
        indexes = ((("kind", "key"), True),)


class CodeCounter(BaseModel):
    """Last sequence number issued per agency, day and workstation."""

    agency_id = CharField()
    day = CharField()  # yyMMdd
    workstation = IntegerField()
    last_seq = IntegerField()

    class Meta:
        indexes = ((("agency_id", "day", "workstation"), True),)


class RegisterCounter(BaseModel):
    """Running number (Số thứ tự) per register book."""

    book = CharField(primary_key=True)
    last_number = IntegerField(default=0)


class Guidance(BaseModel):
    """Counter guidance for an incomplete dossier (Mẫu 02): not received, but remembered."""

    at = AwareDateTimeField(index=True)
    user = ForeignKeyField(User, null=True)
    user_id: int | None
    applicant = ForeignKeyField(Applicant, null=True, backref="guidance")
    applicant_id: int | None
    applicant_name = CharField()
    id_number = CharField(default="", index=True)
    phone = CharField(default="")
    procedure = ForeignKeyField(Procedure)
    procedure_id: int
    items = TextField(default="[]")  # JSON list of {name, problem}
    reason = TextField(default="")


class PrintLog(BaseModel):
    at = AwareDateTimeField()
    user = ForeignKeyField(User, null=True)
    user_id: int | None
    dossier = ForeignKeyField(Dossier, null=True, on_delete="CASCADE")
    dossier_id: int | None
    guidance = ForeignKeyField(Guidance, null=True, on_delete="CASCADE")
    guidance_id: int | None
    form = CharField()  # mau01, mau02, …
    copy_no = IntegerField(default=0)  # 0 = original, n = copy n
    target = CharField(default="")  # printer name or PDF path


# Lifecycle after reception (migration 0002) -------------------------------------------------


class DossierPause(BaseModel):
    """A supplement requested during processing (Mẫu 02): the clock stops, then resumes."""

    dossier = ForeignKeyField(Dossier, backref="pauses", on_delete="CASCADE")
    dossier_id: int
    unit = CharField()  # the processing unit that asked: at most one pause per unit
    paused_at = AwareDateTimeField()
    reason = TextField()
    items = TextField(default="[]")  # JSON list of [name, problem]
    due_before = AwareDateTimeField(null=True)
    remaining_minutes = IntegerField(null=True)  # working minutes left at the pause; null: no deadline
    resumed_at = AwareDateTimeField(null=True)
    due_after = AwareDateTimeField(null=True)
    requested_by = ForeignKeyField(User, null=True)
    requested_by_id: int | None


class DossierResult(BaseModel):
    """The result handed back to the desk by the processing unit (DanhSachGiayToKetQua)."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    dossier_id: int
    recorded_at = AwareDateTimeField()
    number = CharField()  # số, ký hiệu
    result_code = CharField(default="")  # MaGiayToKetQua, e.g. KQ.G15.000031
    result_name = CharField(default="")
    note = TextField(default="")
    recorded_by = ForeignKeyField(User, null=True)
    recorded_by_id: int | None


class DossierReturn(BaseModel):
    """Who collected the result, and when (Giấy biên nhận trả kết quả)."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    dossier_id: int
    returned_at = AwareDateTimeField()
    collector_name = CharField()
    collector_id_number = CharField()
    authorised = BooleanField(default=False)  # collected by someone else on the applicant's behalf
    returned_by = ForeignKeyField(User, null=True)
    returned_by_id: int | None


class ServiceRating(BaseModel):
    """The citizen's satisfaction, once, after the return."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    dossier_id: int
    rated_at = AwareDateTimeField()
    level = CharField()  # very_satisfied | satisfied | dissatisfied
    reason = TextField(default="")


class DossierApology(BaseModel):
    """Mẫu 04: apology and new appointment date, at most once per dossier, signed by a leader."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    dossier_id: int
    issued_at = AwareDateTimeField()
    reason = TextField()
    due_before = AwareDateTimeField()
    new_due = AwareDateTimeField()
    signed_by = ForeignKeyField(User, null=True)
    signed_by_id: int | None
    signer_name = CharField(default="")
    signer_title = CharField(default="")


class DossierStop(BaseModel):
    """Mẫu 05 as issued (migration 0005): why processing stopped and who signs the notice."""

    dossier = ForeignKeyField(Dossier, unique=True, on_delete="CASCADE")
    dossier_id: int
    stopped_at = AwareDateTimeField()
    reason = TextField()
    signer_name = CharField(default="")
    signer_title = CharField(default="")
    recorded_by = ForeignKeyField(User, null=True)
    recorded_by_id: int | None


# Digitisation (migration 0003) --------------------------------------------------------------


class StoredFile(BaseModel):
    """A digitised document, stored once in the data directory under the SHA-256 of its bytes."""

    sha256 = CharField(unique=True)
    source_digest = CharField(index=True)  # SHA-256 over the scanned pages it was made from, in order
    size = IntegerField()  # bytes
    pages = IntegerField()
    created_at = AwareDateTimeField()
    remote_url = CharField(null=True)  # DuongDanTaiTepTin once uploaded to the province (sync)


class Attachment(BaseModel):
    """A digitised paper of a dossier: one of its components, or its result (TaiLieuNop, DanhSachGiayToKetQua).

    A component has at most one current attachment; a new scan of it sets `replaced_at` on the old one
    (sent as IsDeleted). A reused document links the earlier dossier's file: no copy (DuocTaiSuDung).
    """

    uuid = CharField(unique=True)  # TepDinhKemId / GiayToId for the province
    dossier = ForeignKeyField(Dossier, backref="attachments", on_delete="CASCADE", index=False)  # composite below
    dossier_id: int
    file = ForeignKeyField(StoredFile, backref="attachments")
    file_id: int
    kind = CharField()  # component | result
    component_position = IntegerField(null=True)  # DossierComponent.position; null for the result
    type_code = CharField(default="")  # MaThanhPhanHoSo or MaGiayToKetQua
    name = TextField()  # the component's or the result's name
    name_folded = TextField(default="")  # matched when a later dossier offers reuse
    owner_id_number = CharField(index=True)  # whose paper it is: the applicant's id number
    owner_name = CharField(default="")
    valid_until = DateField(null=True)  # null: no expiry known
    digitised_at = AwareDateTimeField()  # for a reused document: when it was linked
    digitised_by = ForeignKeyField(User, null=True)
    digitised_by_id: int | None
    digitised_by_name = CharField(default="")
    reused_from = ForeignKeyField("self", null=True, backref="reuses")  # the original digitisation
    reused_from_id: int | None
    replaced_at = AwareDateTimeField(null=True)

    class Meta:
        indexes = ((("dossier", "kind", "component_position"), False),)


# The audit log (migration 0009) -------------------------------------------------------------


class AuditEntry(BaseModel):
    """Who did what and when, for everything that is not a dossier's history row. Append-only (triggers refuse
    UPDATE and DELETE) and chained: `hash` is the SHA-256 of the row's content and `prev_hash`, the previous row's
    hash (the database's instance id for the first row). counter.audit writes and checks it."""

    at = AwareDateTimeField(index=True)
    actor = CharField(default="", index=True)  # user name, "" for a script or the system
    kind = CharField(index=True)  # login, login_failed, logout, lock, unlock, settings, print, … (counter.audit.KINDS)
    summary = TextField()  # one Vietnamese sentence
    detail = TextField(default="{}")  # JSON object
    prev_hash = CharField()
    hash = CharField()


# Office mode (migration 0019) --------------------------------------------------------------


class WorkstationClaim(BaseModel):
    """Which PC holds a workstation number: the machine id of its local configuration, its name, since when
    (counter.office.workstations)."""

    number = IntegerField(primary_key=True)
    machine_id = TextField()
    machine_name = TextField()
    claimed_at = AwareDateTimeField()

    class Meta:
        table_name = "workstation_claim"


class ScanBlob(BaseModel):
    """A stored file's bytes in the centre's database (migration 0021, office mode only; empty on SQLite): the PDF
    and its thumbnail, keyed by the PDF's SHA-256 (counter.scans.blobs)."""

    sha256 = CharField(primary_key=True)
    data = BlobField()
    thumbnail = BlobField()

    class Meta:
        table_name = "scan_blob"


class LiveChange(BaseModel):
    """The live board's change feed (migration 0022): one row per insert or update of a dossier, by trigger;
    counter.live reads it."""

    code = TextField()

    class Meta:
        table_name = "live_change"


MODELS = [
    Meta,
    Setting,
    Office,
    User,
    Procedure,
    ProcedureVersion,
    ProcedureComponent,
    CalendarDay,
    CalendarVersion,
    Applicant,
    Dossier,
    DossierComponent,
    DossierFee,
    DossierHistory,
    OutboxEntry,
    CodeCounter,
    RegisterCounter,
    Guidance,
    PrintLog,
    DossierPause,
    DossierResult,
    DossierReturn,
    ServiceRating,
    DossierApology,
    DossierStop,
    StoredFile,
    Attachment,
    AuditEntry,
    WorkstationClaim,
    ScanBlob,
    LiveChange,
]
