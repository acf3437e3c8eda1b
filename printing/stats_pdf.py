"""Biểu số 06 "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" as a PDF: A4 landscape, the form's three header rows
with the column numbers 1–13 repeated on every page, the total row, the refused line, what the form shows beside
the table, the notes on how it counts (to the minute) and the "Người làm báo cáo" signature."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer, Table

from counter.records import Office
from counter.reports.records import GROUPINGS, Stats, StatsRow, share_text
from counter.text import nfc
from printing.document import DEMO_MARK, SectionMark, _DemoCanvas, _SectionCanvas
from printing.fonts import BOLD, ITALIC, REGULAR, register_fonts
from printing.header import national_header
from printing.markup import esc
from printing.styles import styles, table_style

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
FORM = "Biểu số 06"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
LEFT, MARGIN = 20 * mm, 12 * mm
WIDTH = PAGE_WIDTH - LEFT - MARGIN
NUMBER_WIDTH = 17 * mm
STT_WIDTH = 11 * mm
NAME_WIDTH = WIDTH - STT_WIDTH - 11 * NUMBER_WIDTH
HEAD_ROWS = 4  # three header rows and the column numbers


class _Landscape(_SectionCanvas):
    """The house canvas ('Trang x/y', the running head of later pages) placed on a landscape page."""

    def _decorate(self, page: int, total: int) -> None:
        self.saveState()
        if page > 1 and self.section_head:
            self.setFont(ITALIC, 10)
            self.drawString(LEFT, PAGE_HEIGHT - 8 * mm, f"{self.section_head} (tiếp theo)")
        self.setFont(REGULAR, 10)
        self.drawRightString(LEFT + WIDTH, 6 * mm, f"Trang {page}/{total}")  # the centre is the demo's note
        self.restoreState()


class _DemoLandscape(_Landscape, _DemoCanvas):
    pass


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    register_fonts()
    head = ParagraphStyle("b06_head", fontName=BOLD, fontSize=10.5, leading=12.5, alignment=TA_CENTER)
    cell = ParagraphStyle("b06_cell", fontName=REGULAR, fontSize=11, leading=13)
    bold = ParagraphStyle("b06_bold", parent=cell, fontName=BOLD)
    right = ParagraphStyle("b06_right", fontName=ITALIC, fontSize=12, leading=14, alignment=TA_RIGHT)
    return head, cell, bold, right


def _table(stats: Stats) -> Table:
    head, cell, bold, _ = _styles()

    def h(text: str) -> Paragraph:
        return Paragraph(esc(text), head)

    first = GROUPINGS[stats.by]
    name_head = "Lĩnh vực, công việc giải quyết theo cấp" if stats.by == "field" else first
    blank: Any = ""
    data: list[list[Any]] = [
        [h("STT"), h(name_head), h("Số hồ sơ nhận giải quyết"), blank, blank, blank, h("Số hồ sơ đã giải quyết"),
         blank, blank, blank, h("Số hồ sơ đang giải quyết"), blank, blank],
        [blank, blank, h("Tổng số"), h("Trong đó"), blank, blank, h("Tổng số"), h("Trước hạn"), h("Đúng hạn"),
         h("Quá hạn"), h("Tổng số"), h("Trong hạn"), h("Quá hạn")],
        [blank, blank, blank, h("Trực tuyến"), h("Trực tiếp, dịch vụ bưu chính"), h("Từ kỳ trước"),
         *[blank] * 7],
        [f"({i})" for i in range(1, 14)],
    ]

    def line(number: str, row: StatsRow, style: ParagraphStyle) -> list[Any]:
        return [number, Paragraph(esc(row.label), style), *(str(v) for v in row.columns())]

    data += [line(str(i), row, cell) for i, row in enumerate(stats.rows, start=1)]
    if not stats.rows:
        data.append(["", Paragraph("<i>Không có hồ sơ nào trong kỳ báo cáo.</i>", cell), *["0"] * 11])
    data.append(line("", stats.total, bold))
    last = len(data) - 1
    table = Table(data, colWidths=[STT_WIDTH, NAME_WIDTH, *[NUMBER_WIDTH] * 11], repeatRows=HEAD_ROWS)
    table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, HEAD_ROWS - 1), "MIDDLE"), ("VALIGN", (0, HEAD_ROWS), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("ALIGN", (2, HEAD_ROWS), (-1, -1), "RIGHT"),
        ("FONTSIZE", (0, 0), (-1, -1), 11), ("FONTNAME", (0, 3), (-1, 3), ITALIC), ("FONTSIZE", (0, 3), (-1, 3), 10),
        ("FONTNAME", (0, last), (-1, last), BOLD),
        ("SPAN", (0, 0), (0, 2)), ("SPAN", (1, 0), (1, 2)), ("SPAN", (2, 0), (5, 0)), ("SPAN", (6, 0), (9, 0)),
        ("SPAN", (10, 0), (12, 0)), ("SPAN", (2, 1), (2, 2)), ("SPAN", (3, 1), (5, 1)),
        *[("SPAN", (c, 1), (c, 2)) for c in range(6, 13)],
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ))
    return table


@dataclass(frozen=True)
class Line:
    """One line beside the table: a count (`whole` None), a share `part`/`whole`, or a text (`part` None)."""

    label: str
    part: int | None
    whole: int | None = None
    text: str = ""

    @property
    def value(self) -> str:
        if self.part is None:
            return self.text
        return str(self.part) if self.whole is None else share_text(self.part, self.whole)


def beside_lines(stats: Stats) -> list[Line]:
    """What the form shows beside the table: the PDF and the workbook print these."""
    s, d, y = stats.satisfaction, stats.digitisation, stats.sync
    lines = [
        Line("Hồ sơ từ chối tiếp nhận (Mẫu 03), không tính vào các cột trên:", stats.refused),
        *(Line(f"– {GROUPINGS[stats.by].lower()} {nfc(r.label)}:", r.count) for r in stats.refused_by),
        Line("Yêu cầu bổ sung hồ sơ trong quá trình giải quyết (Mẫu 02):", stats.supplements),
        Line("Văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04):", stats.apologies),
        Line("Hồ sơ công dân rút:", stats.withdrawals),
        Line("Thông báo dừng giải quyết (Mẫu 05):", stats.stops),
    ]
    if s.rated:
        lines += [Line("Rất hài lòng:", s.very_satisfied, s.rated), Line("Hài lòng:", s.satisfied, s.rated),
                  Line("Không hài lòng:", s.dissatisfied, s.rated)]
        if s.reasons:
            lines.append(Line("Lý do không hài lòng:", None, text="; ".join(f"{nfc(r)} ({n})" for r, n in s.reasons)))
        lines.append(Line("Số lượt đánh giá / số kết quả đã trả trong kỳ:", None, text=f"{s.rated}/{s.returned}"))
    else:
        lines.append(Line(f"Mức độ hài lòng ({s.returned} kết quả đã trả trong kỳ):", None, text="chưa có đánh giá"))
    lines += [
        Line("Hồ sơ tiếp nhận có toàn bộ thành phần đã số hóa:", d.papers_scanned, d.received),
        Line("Hồ sơ tiếp nhận có tái sử dụng giấy tờ đã số hóa:", d.reused, d.received),
        Line("Kết quả giải quyết đã số hóa:", d.results_scanned, d.resolved),
        Line("Đồng bộ với hệ thống tỉnh — đã đồng bộ:", y.synced, y.received),
        Line("Đang chờ gửi:", y.waiting, y.received),
        Line("Cần xử lý (bị từ chối, xung đột):", y.attention, y.received),
    ]
    if y.not_queued:
        lines.append(Line("Chưa đưa vào hàng đợi đồng bộ:", y.not_queued, y.received))
    return lines


def _beside(items: list[Line], cell: ParagraphStyle) -> Table:
    """The lines beside the table in two columns side by side, so the first page keeps them."""
    lines = [(line.label, line.value) for line in items]
    half = (len(lines) + 1) // 2
    left, right = lines[:half], lines[half:] + [("", "")] * (2 * half - len(lines))
    data = [[Paragraph(esc(a), cell), Paragraph(f"<b>{esc(b)}</b>", cell), Paragraph(esc(c), cell),
             Paragraph(f"<b>{esc(d)}</b>", cell)] for (a, b), (c, d) in zip(left, right, strict=True)]
    table = Table(data, colWidths=[0.37 * WIDTH, 0.12 * WIDTH, 0.36 * WIDTH, 0.15 * WIDTH])
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5), ("LEFTPADDING", (0, 0), (-1, -1), 0)))
    return table


def build_stats_pdf(stats: Stats, office: Office, *, invariant: bool = False) -> bytes:
    st = styles()
    _, cell, _, right = _styles()
    period = stats.period
    story: list[Flowable] = [
        Paragraph(f"<b>{FORM}</b>", right),
        national_header(office, stats.computed_at),
        Paragraph(esc(f"{TITLE} TẠI {nfc(office.office_name).upper()}"), st.title),
        Paragraph(esc(period.heading), st.subtitle),
        *([Paragraph(esc(stats.scope_line), st.subtitle)] if stats.scope else []),  # a centre's: Quầy số 3…
        Paragraph(esc(f"Đơn vị báo cáo: {office.office_name} — {office.parent_name}"), st.centre),
        Paragraph("Đơn vị nhận báo cáo: ……………………………………", st.centre),
        Paragraph(esc(f"Nhóm theo: {GROUPINGS[stats.by].lower()}. Đơn vị tính: Số hồ sơ TTHC."), right),
        Spacer(1, 2 * mm),
        _table(stats),
        Spacer(1, 3 * mm),
    ]
    if stats.empty:
        story.append(Paragraph("<b>Kỳ báo cáo không có hồ sơ nào.</b>", st.body))
    story.append(_beside(beside_lines(stats), cell))
    story.append(KeepTogether([Paragraph("<b>Ghi chú:</b>", st.note),
                               *[Paragraph(f"- {esc(note)}", cell) for note in stats.notes]]))
    signature = Table([["", [Paragraph("NGƯỜI LÀM BÁO CÁO", st.centre_bold),
                             Paragraph("(Ký và ghi rõ họ tên)", st.centre_italic)]]], colWidths=[WIDTH / 2] * 2)
    signature.setStyle(table_style(tight=True))
    story.append(KeepTogether([Spacer(1, 4 * mm), signature, Spacer(1, 18 * mm)]))
    return _render(story, " — ".join(part for part in (f"{FORM} {period.label}", stats.scope) if part), office,
                   invariant)


def _render(story: list[Flowable], title: str, office: Office, invariant: bool) -> bytes:
    register_fonts()
    if office.demo:
        title = f"{title} ({DEMO_MARK})"
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=LEFT, rightMargin=MARGIN,
                          topMargin=MARGIN, bottomMargin=MARGIN, title=title, author=nfc(office.office_name),
                          creator="Quầy Một Cửa", invariant=1 if invariant else 0, initialFontName=REGULAR,
                          initialFontSize=13)
    frame = Frame(LEFT, MARGIN, WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build([SectionMark(title), *story],
              canvasmaker=_DemoLandscape if office.demo else _Landscape)
    return out.getvalue()
