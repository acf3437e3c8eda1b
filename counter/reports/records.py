"""The reports' results as frozen records: computed once in counter/reports/, rendered by printing/ (PDF, xlsx),
the command line and the screens. printing/ may read this module (tests/test_layering.py PRINTING_MAY_READ)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter.records import Office
from counter.status import Status

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
        """What the register is limited to: the field and procedure asked for, '' for everything."""
        parts = ([f"Lĩnh vực: {self.field}"] if self.field else []) + (
            [f"Thủ tục: {self.procedure}"] if self.procedure else [])
        return "; ".join(parts)

    @property
    def empty_label(self) -> str:
        return "Không có hồ sơ nào được tiếp nhận trong kỳ này" + (f" ({self.scope_label})" if self.scope_label
                                                                   else "") + "."

    def number_label(self, line: RegisterLine) -> str:
        """The running number as the STT column shows it: with its book when the register spans several."""
        number = str(line.number) if line.number is not None else "—"
        return f"{line.book}-{number}" if len(self.books) > 1 and not self.book else number
