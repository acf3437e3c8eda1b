"""Pieces shared by the forms: titles, labelled lines, the applicant, tables, the code with its barcode,
the signature blocks. Every text from a record goes through `esc` (NFC + XML escaping)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from counter.records import Applicant
from printing.barcode import code128_drawing, qr_drawing
from printing.document import FRAME_WIDTH
from printing.markup import esc, esc_or_blank
from printing.styles import TABLE_SIZE, styles, table_style

SIGNATURE_SPACE = 16 * mm  # room for the handwritten signature


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


def grid(head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
         plain: Sequence[int] = ()) -> Table:
    """A ruled table whose head row repeats on every page it spans. Cells are wrapped Paragraphs (markup
    strings), except in the `plain` columns: short centred values (numbers, 'x') drawn as plain strings,
    which costs a fraction of a Paragraph."""
    st = styles()
    data = [[Paragraph(esc(text), st.cell_head) for text in head]]
    for row in rows:
        data.append([cell if i in plain else Paragraph(cell, st.cell) for i, cell in enumerate(row)])
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


@dataclass(frozen=True)
class CodeMarks:
    """The dossier code's barcode and, when the office has a lookup address, its QR. Built once per
    document and shared by the copies (the QR takes milliseconds to encode)."""

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
    row: list = [Paragraph("Mã hồ sơ:", st.body), [marks.bars, Paragraph(esc(marks.code), st.code)]]
    widths = [25 * mm, marks.bars.width + 4 * mm]
    if marks.qr is not None:
        row.append([marks.qr, Paragraph("Tra cứu hồ sơ", st.caption)])
        widths.append(max(marks.qr.width, 20 * mm) + 4 * mm)  # the caption on one line
    table = Table([row], colWidths=widths, hAlign="CENTER")
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                               ("TOPPADDING", (0, 0), (-1, -1), 4), tight=True))
    return table


def _signature(heading: str, name: str) -> list[Flowable]:
    st = styles()
    return [Paragraph(esc(heading), st.centre_bold), Paragraph("(Ký và ghi rõ họ tên)", st.centre_italic),
            Spacer(1, SIGNATURE_SPACE), Paragraph(f"<b>{esc(name)}</b>" if esc(name) else "", st.centre)]


def signatures(left: tuple[str, str] | None, right: tuple[str, str]) -> Flowable:
    """Signature blocks, each (heading, printed name); `left=None` leaves the left half empty."""
    cells = [_signature(*left) if left else "", _signature(*right)]
    table = Table([cells], colWidths=[FRAME_WIDTH / 2] * 2)
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP"), tight=True))
    return KeepTogether([Spacer(1, 3 * mm), table])
