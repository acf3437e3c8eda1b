"""Pieces shared by the forms: titles, labelled lines, the applicant, tables, the code with its barcode,
the signature blocks. Every text from a record goes through `esc` (NFC + XML escaping)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from counter.records import Applicant, Dossier, Office
from counter.status import Status
from counter.text import nfc
from printing.barcode import code128_drawing, qr_drawing
from printing.document import FRAME_WIDTH
from printing.markup import esc, esc_or_blank, short_date
from printing.paragraph import Paragraph
from printing.styles import TABLE_SIZE, styles, table_style

SIGNATURE_SPACE = 16 * mm  # room for the handwritten signature
SIGN_HINT = "(Ký và ghi rõ họ tên)"
LEADER_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"
NO_NUMBER = "……/……"  # a letter's number, written by hand when none is given

# What a reportlab Table cell holds: a string, a flowable, or flowables stacked in a list.
Cell: TypeAlias = str | Flowable | list[Flowable]


def title(text: str, subtitle: str = "") -> list[Flowable]:
    st = styles()
    flowables: list[Flowable] = [Paragraph(esc(text), st.title)]
    if subtitle:
        flowables.append(Paragraph(esc(subtitle), st.subtitle))
    return flowables


def line(label: str, value_markup: str) -> Paragraph:
    """'Label: value' on the body style; `value_markup` is already escaped."""
    return Paragraph(f"{esc(label)} {value_markup}", styles().body)


def applicant_lines(applicant: Applicant, lead: str) -> list[Flowable]:
    phone = f"Số điện thoại: {esc_or_blank(applicant.phone)}"
    email = f"Thư điện tử (e-mail): {esc_or_blank(applicant.email)}"
    return [
        line(lead, f"<b>{esc(applicant.full_name)}</b>"),
        line("Địa chỉ:", esc_or_blank(applicant.address)),
        Paragraph(f"{phone}&nbsp;&nbsp;&nbsp;&nbsp;{email}", styles().body),
    ]


def procedure_lines(name: str, summary: str = "") -> list[Flowable]:
    lines: list[Flowable] = [line("Nội dung yêu cầu giải quyết:", f"<b>{esc(name)}</b>")]
    if esc(summary):
        lines.append(line("Trích yếu:", esc(summary)))
    return lines


def letter_opening(dossier: Dossier, office: Office) -> list[Flowable]:
    """'Kính gửi: Ông/Bà …' and the reception recital a letter about a dossier starts with."""
    st = styles()
    recital = (f"Ngày {short_date(dossier.received_at)}, {esc(office.office_name)} đã tiếp nhận hồ sơ của Ông/Bà "
               f"đề nghị giải quyết thủ tục hành chính: <b>{esc(dossier.procedure_name)}</b>; "
               f"mã hồ sơ: <b>{esc(dossier.code)}</b>.")
    return [Paragraph(f"Kính gửi: Ông/Bà <b>{esc(dossier.applicant.full_name)}</b>", st.centre),
            Spacer(1, 2 * mm), Paragraph(recital, st.body)]


def grid(head: Sequence[str], rows: Sequence[Sequence[str | Flowable]], widths: Sequence[float],
         plain: Sequence[int] = ()) -> Table:
    """A ruled table whose head row repeats on every page it spans. Cells are wrapped Paragraphs (markup
    strings), except in the `plain` columns: short centred values (numbers, 'x') drawn as plain strings,
    which costs a fraction of a Paragraph, or a flowable placed as it is."""
    st = styles()
    data: list[list[str | Flowable]] = [[Paragraph(esc(text), st.cell_head) for text in head]]
    for row in rows:
        data.append([cell if i in plain else _wrapped(cell, st.cell) for i, cell in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT", spaceBefore=3, spaceAfter=3)
    table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("LEADING", (0, 0), (-1, -1), styles().cell.leading),
        *[("ALIGN", (column, 1), (column, -1), "CENTER") for column in plain],
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ))
    return table


def _wrapped(cell: str | Flowable, style: ParagraphStyle) -> Paragraph:
    """A cell of a wrapped column: its markup string as a Paragraph."""
    if not isinstance(cell, str):
        raise TypeError(f"a wrapped grid column holds markup text, not a {type(cell).__name__}: list it in `plain`")
    return Paragraph(cell, style)


@dataclass(frozen=True)
class CodeMarks:
    """The dossier code's barcode and, when the office has a lookup address, its QR. Built once per
    document (the QR takes milliseconds to encode)."""

    code: str
    bars: Drawing
    qr: Drawing | None = None


def code_marks(code: str, lookup_url: str | None = None) -> CodeMarks:
    """'{code}' in `lookup_url` is replaced by the dossier code."""
    qr = None
    if lookup_url and "{code}" in lookup_url:
        qr = qr_drawing(lookup_url.replace("{code}", code), module_dots=4)
    return CodeMarks(code, code128_drawing(code), qr)


def code_block(marks: CodeMarks) -> Table:
    """'Mã hồ sơ:', the barcode with the code written under it, and the lookup QR if any."""
    st = styles()
    row: list[Cell] = [Paragraph("Mã hồ sơ:", st.body), [marks.bars, Paragraph(esc(marks.code), st.code)]]
    widths = [25 * mm, marks.bars.width + 4 * mm]
    if marks.qr is not None:
        row.append([marks.qr, Paragraph("Tra cứu hồ sơ", st.caption)])
        widths.append(max(marks.qr.width, 20 * mm) + 4 * mm)  # the caption on one line
    table = Table([row], colWidths=widths, hAlign="CENTER")
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), tight=True))
    return table


def _signature(heading: str, name: str, hint: str = SIGN_HINT) -> list[Flowable]:
    st = styles()
    return [Paragraph(esc(heading), st.centre_bold), Paragraph(esc(hint), st.centre_italic),
            Spacer(1, SIGNATURE_SPACE), Paragraph(f"<b>{esc(name)}</b>" if esc(name) else "", st.centre)]


def _halves(left: Cell, right: Cell) -> Flowable:
    table = Table([[left, right]], colWidths=[FRAME_WIDTH / 2] * 2)
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP"), tight=True))
    return KeepTogether([Spacer(1, 3 * mm), table])


def signatures(left: tuple[str, str] | None, right: tuple[str, str]) -> Flowable:
    """Signature blocks, each (heading, printed name); `left=None` leaves the left half empty."""
    return _halves(_signature(*left) if left else "", _signature(*right))


def signed_letter(signer_title: str, name: str, recipients: Sequence[str] = ("Như trên", "Lưu: VT")) -> Flowable:
    """How a letter ends (ND 30/2020): 'Nơi nhận:' and its list on the left; on the right the signer's
    title in capitals over the signature, the seal and the printed name."""
    st = styles()
    listed = [f"- {esc(item)}{'.' if i == len(recipients) - 1 else ';'}" for i, item in enumerate(recipients)]
    left: list[Flowable] = [Paragraph("<b>Nơi nhận:</b>", st.note), Paragraph("<br/>".join(listed), st.cell)]
    return _halves(left, _signature(nfc(signer_title).upper(), name, LEADER_HINT))


def event_time(dossier: Dossier, *, status: Status | None = None, action: str | None = None) -> datetime:
    """When the dossier last entered `status` (or last went through `action`), else its last change:
    the date a form about that event carries when the caller gives none."""
    times = [entry.at for entry in dossier.history
             if (status is None or entry.to_status == status) and (action is None or entry.action == action)]
    return max(times) if times else dossier.updated_at
