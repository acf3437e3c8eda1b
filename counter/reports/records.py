"""What the reports compute, frozen: the renderers (printing/: PDF and xlsx; ui/; the command line's JSON) read
these and compute nothing. printing/ may read this module (tests/test_layering.py PRINTING_MAY_READ)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter.records import DossierRow, Office
from counter.status import Status

# Biểu số 06 (stats.py) ----------------------------------------------------------------------------------

# Biểu số 06's columns 3–13 as StatsRow attributes, in the form's order (columns 1 and 2 are STT and the name).
STATS_COLUMNS = ("received", "online", "direct", "carried", "resolved", "early", "on_time", "late",
                 "open", "open_in_time", "open_late")
GROUPINGS = {"field": "Lĩnh vực", "procedure": "Thủ tục hành chính", "clerk": "Công chức tiếp nhận",
             "workstation": "Quầy tiếp nhận"}


@dataclass(frozen=True)
class Period:
    start: date  # first day
    end: date  # last day, included
    label: str  # "Quý IV năm 2026", "Từ ngày 01/10/2026 đến ngày 31/12/2026"…

    @property
    def heading(self) -> str:
        """"Kỳ báo cáo: …" as the forms print it: the label, and the days when the label does not say them."""
        days = f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"
        return f"Kỳ báo cáo: {self.label}" + ("" if self.label == days else f" ({days})")


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
class RefusedLine:
    """The dossiers refused (Mẫu 03) in the period for one line of the grouping (a field, a procedure, a clerk)."""

    key: str  # as StatsRow.key: the field's name, the procedure's code, the clerk's id
    label: str
    count: int


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
    refused_by: tuple[RefusedLine, ...] = ()  # `refused` split by the report's grouping, its counts summing to it
    workstation: int | None = None  # one counter's dossiers (issue 20), None: the whole centre
    scope: str = ""  # the narrowing as the report says it: "Quầy số 3", "Cả trung tâm"; "" for one counter (SQLite)

    @property
    def empty(self) -> bool:
        return self.total.received == 0 and self.refused == 0

    @property
    def scope_line(self) -> str:
        """The line under the title that says whose dossiers the report counts ('' on a one-counter database)."""
        return scope_line(self.scope)


def scope_line(scope: str) -> str:
    """'Phạm vi: Quầy số 3' / 'Phạm vi: Cả trung tâm'; '' when there is nothing to say (one counter)."""
    return f"Phạm vi: {scope}" if scope else ""


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, to one decimal; None when there is no whole to take a share of."""
    return round(100 * part / whole, 1) if whole else None


def share_text(part: int, whole: int) -> str:
    """'2/3 (66,7 %)' as the reports print a share; '0/0 (—)' when there is no whole."""
    value = share(part, whole)
    return f"{part}/{whole} ({'—' if value is None else f'{value:.1f}'.replace('.', ',') + ' %'})"



# The register — Sổ theo dõi hồ sơ (Mẫu 07) ----------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterLine:
    """One dossier received, as the register's legal columns show it (reports.md §1)."""

    book: str  # Quyển số
    number: int | None  # Số thứ tự, as Mẫu 01 printed it
    code: str  # Mã hồ sơ
    procedure_code: str
    procedure_name: str  # Tên TTHC, as the version in force at reception named it
    field: str  # lĩnh vực
    sets: int  # Số lượng hồ sơ (bộ)
    applicant_name: str  # Tên cá nhân, tổ chức
    address: str
    phone: str
    lead_unit: str  # Cơ quan chủ trì giải quyết: where the desk first sent the file
    received_at: datetime  # Nhận hồ sơ
    due_at: datetime | None  # Hẹn trả kết quả (as it stands, after any apology)
    sent_at: datetime | None  # Chuyển hồ sơ đến cơ quan giải quyết
    result_at: datetime | None  # Nhận kết quả từ cơ quan giải quyết
    returned_at: datetime | None  # Trả kết quả: ngày
    returned_by: str  # bên giao (the clerk)
    collected_by: str  # bên nhận (ký nhận): the applicant or the person they authorised
    status: Status
    note: str  # Ghi chú
    workstation: int = 0  # the receiving counter (issue 20: a centre's register names it)
    received_by: str = ""  # the receiving clerk ("" when unknown)

    @property
    def counter_clerk(self) -> str:
        """'Quầy 3 — Lê Thị Lan': the receiving counter and clerk, as a centre's register shows them."""
        return " — ".join(part for part in (f"Quầy {self.workstation}", self.received_by) if part)

    @property
    def address_phone(self) -> str:
        """'Địa chỉ, số điện thoại' in one cell."""
        return "; ".join(part for part in (self.address, f"ĐT: {self.phone}" if self.phone else "") if part)


@dataclass(frozen=True)
class Register:
    """The register of a book (`book`) or of a reception date range, optionally one field or procedure."""

    office: Office
    book: str  # the book asked for; "" for a date range
    books: tuple[str, ...]  # the books its lines come from (several when a range spans a change of book)
    start: date | None  # the period: the range asked for, or a book's first and last reception days
    end: date | None
    field: str  # the field (lĩnh vực) asked for, "" for all
    procedure: str  # the procedure asked for ("code — name"), "" for all
    made_at: datetime
    lines: tuple[RegisterLine, ...]
    workstation: int | None = None  # one counter's dossiers (issue 20), None: the whole centre
    scope: str = ""  # the narrowing as the register says it: "Quầy số 3", "Cả trung tâm"; "" for one counter
    counter_column: bool = False  # a centre's register: a column names each line's receiving counter and clerk

    @property
    def empty(self) -> bool:
        return not self.lines

    @property
    def book_label(self) -> str:
        """'Quyển số 01/2026', or the books a range spans."""
        books = (self.book,) if self.book else self.books
        return ("Quyển số " + ", ".join(books)) if books else ""

    @property
    def period_label(self) -> str:
        if self.start is None or self.end is None:
            return "Chưa có hồ sơ nào trong sổ"
        return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    @property
    def scope_label(self) -> str:
        """What the register is limited to: the field, procedure and counter asked for, '' for everything."""
        parts = ([f"Lĩnh vực: {self.field}"] if self.field else []) + (
            [f"Thủ tục: {self.procedure}"] if self.procedure else []) + (
            [scope_line(self.scope)] if self.scope else
            [f"Quầy tiếp nhận: {self.workstation}"] if self.workstation is not None else [])
        return "; ".join(parts)

    @property
    def empty_label(self) -> str:
        return "Không có hồ sơ nào được tiếp nhận trong kỳ này" + (f" ({self.scope_label})" if self.scope_label
                                                                   else "") + "."

    def number_label(self, line: RegisterLine) -> str:
        """The running number as the STT column shows it: with its book when the register spans several."""
        number = str(line.number) if line.number is not None else "—"
        return f"{line.book}-{number}" if len(self.books) > 1 and not self.book else number


# The office's scorecard (scorecard.py) --------------------------------------------------------------------------

ESTIMATE = "Ước tính của bộ phận một cửa từ số liệu của mình, không phải điểm do tỉnh chấm."
ON_TIME_FORMULA = "(trước hạn + đúng hạn, kể cả hồ sơ rút) ÷ đã giải quyết trong kỳ"


@dataclass(frozen=True)
class Figure:
    """A number the scorecard shows; `key` names the list of dossiers behind it (scorecard.figure_dossiers)."""

    key: str
    label: str
    value: int
    unit: str = "hồ sơ"  # what the value and its list count: "hồ sơ" (dossiers) or "lượt" (events, one line each)

    @property
    def value_text(self) -> str:
        return f"{self.value} {self.unit}"


@dataclass(frozen=True)
class MonthRate:
    """One bar of the on-time trend: a month's dossiers resolved early or on time of those resolved."""

    month: date  # its first day
    label: str  # "T10/2026"
    on_time: int  # early + on time (withdrawn included, as Biểu 06 counts them)
    resolved: int

    @property
    def rate(self) -> float | None:
        return share(self.on_time, self.resolved)


@dataclass(frozen=True)
class Indicator:
    """A QĐ 766 indicator as the office's own data estimates it (reports.md §3), never the province's score."""

    key: str
    label: str
    part: int
    whole: int
    points: float | None  # the estimated score, None when the rule gives none (or nothing to take a share of)
    max_points: float | None
    formula: str  # the rule in words, shown beside the figure
    figure: str  # the key of the dossiers that pull it down

    @property
    def value(self) -> float | None:
        return share(self.part, self.whole)


@dataclass(frozen=True)
class Scorecard:
    """The office's scorecard for a period: Biểu 06's figures (the same computation), the on-time trend, the
    dossiers late or soon late now, and the QĐ 766 indicators the office can estimate."""

    stats: Stats
    now: datetime
    on_time: int  # resolved early or on time in the period (withdrawn included)
    resolved: int
    trend: tuple[MonthRate, ...]
    figures: tuple[Figure, ...]
    late: tuple[DossierRow, ...]  # open now, past their due time
    soon_late: tuple[DossierRow, ...]  # open now, at most one working day left
    indicators: tuple[Indicator, ...]

    @property
    def period(self) -> Period:
        return self.stats.period

    @property
    def on_time_rate(self) -> float | None:
        return share(self.on_time, self.resolved)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)
