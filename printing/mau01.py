"""Mẫu 01 (TT 03/2025): GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ, one copy (liên) after the other."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from counter.records import Dossier, DossierComponent, Office
from counter.text import fold, format_vnd, nfc
from printing import blocks
from printing.document import COPY, FRAME_WIDTH, CopyLabel, SectionMark, render
from printing.header import national_header
from printing.markup import BLANK, clock_date, esc
from printing.paragraph import Paragraph
from printing.styles import styles

TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
COPIES = ("Liên 1: Lưu", "Liên 2: Giao người nộp")
NO_DUE_DATE = "Không có ngày hẹn trả cụ thể theo quy định"
RETURN_PLACES = {0: "Tại Bộ phận tiếp nhận và trả kết quả", 1: "Qua dịch vụ bưu chính công ích"}
NOTE = "Khi đến nhận kết quả, mang theo Giấy này (và giấy ủy quyền nếu nhận thay)."

_HEAD = ("TT", "Tên giấy tờ", "Số lượng", "Bản chính", "Bản sao/ chứng thực", "Bản photo")
_FIXED = [9 * mm, 15 * mm, 15 * mm, 24 * mm, 15 * mm]  # the name column gets the rest, ~97 mm
_WIDTHS = [_FIXED[0], FRAME_WIDTH - sum(_FIXED), *_FIXED[1:]]


def build_receipt(dossier: Dossier, office: Office, *, copies: Sequence[str] = COPIES,
                  invariant: bool = False) -> bytes:
    """The receipt and appointment slip, each copy on its own pages and saying which copy it is (laid out once:
    the copies differ only by that line)."""
    if not copies:
        raise ValueError("build_receipt needs at least one copy label")
    labels = [nfc(copy) for copy in copies]
    return render(_story(dossier, office, labels), title=f"{TITLE} - {dossier.code}", office=office,
                  invariant=invariant, copies=labels)


def _story(dossier: Dossier, office: Office, labels: Sequence[str]) -> list[Flowable]:
    st = styles()
    return [
        SectionMark(f"Mẫu 01 - Mã hồ sơ: {dossier.code} - {COPY}"),
        national_header(office, dossier.received_at),
        *blocks.title(TITLE),
        *_copy_label(labels),
        blocks.code_block(blocks.code_marks(dossier.code, office.lookup_url)),
        *blocks.applicant_lines(dossier.applicant, f"{nfc(office.office_name)} tiếp nhận hồ sơ của:"),
        *blocks.procedure_lines(dossier.procedure_name, dossier.summary),
        Paragraph("1. Thành phần hồ sơ nộp gồm:", st.body),
        _components_table(dossier.components),
        *_numbered_lines(dossier),
        *_fee_lines(dossier),
        blocks.line("Vào Sổ theo dõi hồ sơ,", _register(dossier)),
        blocks.signatures(("NGƯỜI NỘP HỒ SƠ", ""), ("NGƯỜI TIẾP NHẬN HỒ SƠ", dossier.received_by)),
        Paragraph(f"Ghi chú: {esc(NOTE)}", st.note),
    ]


def _copy_label(labels: Sequence[str]) -> list[Flowable]:
    """'(Liên 1: Lưu)' under the title, each copy's own; no line when no copy has a label (a copy without one,
    among copies with one, leaves its line blank: the copies share one layout)."""
    if not any(labels):
        return []
    return [CopyLabel([f"({esc(label)})" if label else "" for label in labels], styles().subtitle)]


def form_column(form: str) -> int:
    """0 bản chính, 1 bản sao/chứng thực, 2 bản photo, from the component's free-text form."""
    key = fold(form)
    if "photo" in key:
        return 2
    if "sao" in key or "chung thuc" in key:
        return 1
    return 0


def _components_table(components: Sequence[DossierComponent]) -> Table:
    rows = []
    for index, component in enumerate((c for c in components if c.handed_over), start=1):
        marks = ["", "", ""]
        marks[form_column(component.form)] = "x"
        rows.append([str(index), esc(component.name), f"{component.quantity:02d}", *marks])
    if not rows:
        rows.append(["", "Không có giấy tờ nộp kèm", "", "", "", ""])
    return blocks.grid(_HEAD, rows, _WIDTHS, plain=(0, 2, 3, 4, 5))


def _numbered_lines(dossier: Dossier) -> list[Flowable]:
    appointed = dossier.original_due_at or dossier.due_at  # printed again later: still the reception's date
    due = clock_date(appointed) if appointed else NO_DUE_DATE
    place = RETURN_PLACES.get(dossier.return_method, RETURN_PLACES[0])
    return [
        blocks.line("2. Số lượng hồ sơ:", f"{dossier.sets:02d} (bộ)"),
        blocks.line("3. Thời gian giải quyết hồ sơ theo quy định:", esc(dossier.time_rule.describe())),
        blocks.line("4. Thời gian nhận hồ sơ:", clock_date(dossier.received_at)),
        blocks.line("5. Thời gian trả kết quả giải quyết hồ sơ:", f"<b>{esc(due)}</b>"),
        blocks.line("6. Đăng ký nhận kết quả:", esc(place)),
    ]


def _fee_lines(dossier: Dossier) -> list[Flowable]:
    if nfc(dossier.fee_exempt_reason):
        return [blocks.line("Phí, lệ phí:", f"Miễn ({esc(dossier.fee_exempt_reason)})")]
    if not dossier.fees and not dossier.fee_total:
        return []
    parts = [f"{esc(fee.name)}: {format_vnd(fee.amount)} đồng" for fee in dossier.fees]
    if len(parts) != 1:
        parts.append(f"tổng cộng: <b>{format_vnd(dossier.fee_total)} đồng</b>")
    paid = " (đã nộp)" if dossier.fees and all(fee.paid_at for fee in dossier.fees) else ""
    return [blocks.line("Phí, lệ phí:", "; ".join(parts) + paid)]


def _register(dossier: Dossier) -> str:
    book = esc(dossier.register_book) or BLANK
    number = str(dossier.register_number) if dossier.register_number is not None else BLANK
    return f"Quyển số: {book}&nbsp;&nbsp;&nbsp;Số thứ tự: {number}"
