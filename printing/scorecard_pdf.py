"""The office's scorecard (counter/reports/scorecard.py) as a PDF: A4 portrait in the house style (the office's
heading, 'Trang x/y'), the period, the on-time rate and its trend by month as bars (reportlab.graphics, the same bars
as the Báo cáo screen), the period's figures, the QĐ 766 indicators with their formulas, labelled as the office's own
estimates, and the dossiers late or at most one working day from late when it was computed."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from counter.records import DossierRow, Office
from counter.reports.records import ESTIMATE, ON_TIME_FORMULA, MonthRate, Scorecard, share_text
from counter.text import nfc
from printing.document import FRAME_WIDTH, render
from printing.fonts import BOLD, REGULAR, register_fonts
from printing.header import national_header
from printing.markup import esc
from printing.styles import StyleCommand, styles, table_style

TITLE = "BÁO CÁO CỦA BỘ PHẬN MỘT CỬA"
CHART_HEIGHT = 55 * mm
GOOD, FAIR, POOR = colors.HexColor("#2e7d32"), colors.HexColor("#e0a800"), colors.HexColor("#c62828")


def rate_text(rate: float | None) -> str:
    """As the screen writes a rate: '77,8 %', or '—' when nothing was resolved."""
    return "—" if rate is None else f"{rate:.1f}".replace(".", ",") + " %"


def bar_colour(rate: float | None) -> colors.Color:
    value = rate or 0
    return GOOD if value >= 90 else FAIR if value >= 70 else POOR


def trend_chart(months: tuple[MonthRate, ...], width: float = FRAME_WIDTH, height: float = CHART_HEIGHT) -> Drawing:
    """One bar per month, its height the on-time rate (0–100 %), the rate above it and the month below it."""
    register_fonts()
    drawing = Drawing(width, height)
    bottom, top = 14.0, height - 14.0
    drawing.add(Line(0, bottom, width, bottom, strokeColor=colors.HexColor("#808b96"), strokeWidth=0.7))
    for percent in (50, 100):
        y = bottom + (top - bottom) * percent / 100
        drawing.add(Line(0, y, width, y, strokeColor=colors.HexColor("#d5dbe1"), strokeWidth=0.4,
                         strokeDashArray=[2, 2]))
        drawing.add(String(0, y + 1.5, f"{percent} %", fontName=REGULAR, fontSize=7,
                           fillColor=colors.HexColor("#808b96")))
    if not months:
        drawing.add(String(width / 2, height / 2, "Chưa có số liệu", fontName=REGULAR, fontSize=10,
                           textAnchor="middle"))
        return drawing
    slot = width / len(months)
    for i, month in enumerate(months):
        bar = (top - bottom) * (month.rate or 0) / 100
        centre = i * slot + slot / 2
        rect = Rect(i * slot + slot * 0.25, bottom, slot * 0.5, bar)
        rect.fillColor, rect.strokeColor = bar_colour(month.rate), None
        drawing.add(rect)
        drawing.add(String(centre, bottom + bar + 3, rate_text(month.rate), fontName=BOLD, fontSize=9,
                           textAnchor="middle"))
        drawing.add(String(centre, bottom - 10, f"{month.label} ({month.on_time}/{month.resolved})",
                           fontName=REGULAR, fontSize=8.5, textAnchor="middle"))
    return drawing


def _grid(data: list[list[object]], widths: list[float], *, head_rows: int = 1) -> Table:
    table = Table(data, colWidths=widths, repeatRows=head_rows)
    commands: list[StyleCommand] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                      ("BACKGROUND", (0, 0), (-1, head_rows - 1), colors.HexColor("#eef1f4")),
                      ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    table.setStyle(table_style(*commands))
    return table


def _figures(card: Scorecard) -> Table:
    cell, head = styles().cell, styles().cell_head
    items = [(f.label, str(f.value)) for f in card.figures]
    half = (len(items) + 1) // 2
    left, right = items[:half], items[half:] + [("", "")] * (2 * half - len(items))
    data: list[list[object]] = [[Paragraph("Số liệu", head), Paragraph("Số hồ sơ", head),
                                 Paragraph("Số liệu", head), Paragraph("Số hồ sơ", head)]]
    data += [[Paragraph(esc(a), cell), b, Paragraph(esc(c), cell), d]
             for (a, b), (c, d) in zip(left, right, strict=True)]
    number = 18 * mm
    table = _grid(data, [FRAME_WIDTH / 2 - number, number] * 2)
    table.setStyle(table_style(("ALIGN", (1, 1), (1, -1), "RIGHT"), ("ALIGN", (3, 1), (3, -1), "RIGHT")))
    return table


def _indicators(card: Scorecard) -> Table:
    cell, head = styles().cell, styles().cell_head
    data: list[list[object]] = [[Paragraph(h, head) for h in ("Chỉ số (ước tính)", "Tỷ lệ", "Điểm", "Cách tính")]]
    for i in card.indicators:
        points = "—" if i.points is None else f"{i.points:g}/{i.max_points:g}".replace(".", ",")
        data.append([Paragraph(esc(i.label), cell), Paragraph(esc(share_text(i.part, i.whole)), cell),
                     Paragraph(esc(points), cell), Paragraph(esc(i.formula), cell)])
    return _grid(data, [40 * mm, 30 * mm, 17 * mm, FRAME_WIDTH - 87 * mm])


def _dossiers(rows: tuple[DossierRow, ...]) -> Flowable:
    cell, head, small = styles().cell, styles().cell_head, styles().code
    if not rows:
        return Paragraph("<i>Không có hồ sơ nào.</i>", cell)
    data: list[list[object]] = [[Paragraph(h, head) for h in ("STT", "Mã hồ sơ", "Người nộp", "Thủ tục",
                                                               "Hẹn trả")]]
    for n, r in enumerate(rows, start=1):
        due = f"{r.due_at:%H:%M %d/%m/%Y}" if r.due_at else "—"
        data.append([str(n), Paragraph(esc(r.code), small), Paragraph(esc(nfc(r.applicant_name)), cell),
                     Paragraph(esc(nfc(r.procedure_name)), cell), Paragraph(esc(due), small)])
    return _grid(data, [11 * mm, 52 * mm, 36 * mm, FRAME_WIDTH - 131 * mm, 32 * mm])


def build_scorecard_pdf(card: Scorecard, office: Office, *, invariant: bool = False) -> bytes:
    st = styles()
    period = card.period
    story: list[Flowable] = [
        national_header(office, card.now),
        Paragraph(esc(f"{TITLE} — {nfc(office.office_name).upper()}"), st.title),
        Paragraph(esc(f"{period.heading}; tính lúc {card.now:%H:%M ngày %d/%m/%Y}"), st.subtitle),
        *([Paragraph(esc(card.stats.scope_line), st.subtitle)] if card.stats.scope else []),  # Quầy số 3…
    ]
    if card.stats.empty:
        story.append(Paragraph("<b>Kỳ báo cáo không có hồ sơ nào.</b>", st.centre))
    story += [
        Spacer(1, 2 * mm),
        Paragraph(f"<b>Tỷ lệ giải quyết đúng hạn: {esc(rate_text(card.on_time_rate))}</b> "
                  f"({card.on_time}/{card.resolved} hồ sơ) — cách tính: {esc(ON_TIME_FORMULA)}.", st.body),
        KeepTogether([Paragraph("Tỷ lệ đúng hạn theo tháng (số trong ngoặc: đúng hạn/đã giải quyết):", st.note),
                      trend_chart(card.trend), Spacer(1, 3 * mm)]),
        Paragraph("<b>Số liệu trong kỳ</b> (theo cách đếm của Biểu số 06)", st.body),
        Spacer(1, 1 * mm),
        _figures(card),
        Spacer(1, 2 * mm),
        KeepTogether([Paragraph(f"<b>Chỉ số theo QĐ 766/QĐ-TTg</b> — {esc(ESTIMATE)}", st.body),
                      Spacer(1, 1 * mm), _indicators(card)]),
        Spacer(1, 2 * mm),
        Paragraph(esc(f"Đang quá hạn lúc {card.now:%H:%M %d/%m/%Y}: {len(card.late)} hồ sơ"), st.body),
        Spacer(1, 1 * mm),
        _dossiers(card.late),
        Spacer(1, 2 * mm),
        Paragraph(esc(f"Sắp quá hạn (còn tối đa 1 ngày làm việc): {len(card.soon_late)} hồ sơ"), st.body),
        Spacer(1, 1 * mm),
        _dossiers(card.soon_late),
    ]
    if card.stats.notes:
        story.append(KeepTogether([Paragraph("<b>Ghi chú:</b>", st.note),
                                   *[Paragraph(f"- {esc(note)}", st.cell) for note in card.stats.notes]]))
    title = " — ".join(part for part in (f"Báo cáo của bộ phận một cửa {period.label}", card.stats.scope) if part)
    return render(story, title=title, office=office, invariant=invariant)
