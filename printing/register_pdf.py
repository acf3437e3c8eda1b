"""SỔ THEO DÕI HỒ SƠ (Mẫu 07) as a PDF: A4 landscape (A3 as an option), the office's heading, the book and the
period, the form's columns under a header repeated on every page, 'Trang x/y'.

A year's register is ~20,000 lines: a table that reportlab splits page by page re-measures every remaining row at
each split (quadratic), so the lines are measured once here and laid out one table per page."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph

from counter.clock import local
from counter.reports.records import Register, RegisterLine
from counter.status import Status
from counter.text import nfc
from printing.document import DEMO_MARK, DEMO_NOTE, SectionMark, _SectionCanvas
from printing.fonts import BOLD, ITALIC, REGULAR, register_fonts
from printing.header import national_header
from printing.markup import esc
from printing.styles import styles

TITLE = "SỔ THEO DÕI HỒ SƠ"
FORM = "Mẫu số 07"
MARGIN = 12 * mm
BOTTOM = 14 * mm  # 'Trang x/y' sits in it
PAD = 1.6  # cell padding, points
# The columns: (header, width in mm on A4 landscape); A3 scales them. The "Ngày, tháng, năm" and "Trả kết quả"
# groups are merged over their columns in the first header row, as on the form.
COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 8), ("Mã hồ sơ", 24), ("Tên thủ tục hành chính", 30), ("Số lượng hồ sơ (bộ)", 8),
    ("Tên cá nhân, tổ chức", 22), ("Địa chỉ, số điện thoại", 32), ("Cơ quan chủ trì giải quyết", 19),
    ("Nhận hồ sơ", 14), ("Hẹn trả kết quả", 14), ("Chuyển hồ sơ đến cơ quan giải quyết", 14),
    ("Nhận kết quả từ cơ quan giải quyết", 14),
    ("Ngày, tháng, năm", 14), ("Bên giao", 14), ("Bên nhận (ký nhận)", 15), ("Ghi chú", 20),
)
# A centre's register (issue 20, office mode, every counter's dossiers): one more column, last, naming each line's
# receiving counter and clerk (a counter's own register has none: its title names the counter).
COUNTER_COLUMN: tuple[str, float] = ("Quầy, người tiếp nhận", 20)
DATES = (7, 11)  # "Ngày, tháng, năm": columns 8 to 11 (0-based 7..10)
RETURN = (11, 14)  # "Trả kết quả": columns 12 to 14 (0-based 11..13)
HEAD_ROWS = 3  # the grouped header, the column names, the column numbers


def _when(dt: datetime | None) -> str:
    """'13/02/2026' over '10:05' (the column is narrow); '' when it has not happened."""
    if dt is None:
        return ""
    dt = local(dt)
    return f"{dt:%d/%m/%Y}\n{dt:%H:%M}"


def _code(code: str) -> str:
    """The dossier code broken after its agency part: '000.00.06.H56-' over '260213-0001'."""
    head, dash, tail = nfc(code).partition("-")
    return head + dash + ("\n" + tail if tail else "")


def columns_of(register: Register) -> tuple[tuple[str, float], ...]:
    """The register's columns: the form's, and a centre's counter column."""
    return (*COLUMNS, COUNTER_COLUMN) if register.counter_column else COLUMNS


def _row(register: Register, line: RegisterLine) -> list[str]:
    """The line's cells as text, in `columns_of`'s order ('\n' where a line must break)."""
    returned = line.status == Status.RETURNED
    return [
        register.number_label(line), _code(line.code), nfc(line.procedure_name), str(line.sets),
        nfc(line.applicant_name), nfc(line.address_phone), nfc(line.lead_unit),
        _when(line.received_at), _when(line.due_at), _when(line.sent_at), _when(line.result_at),
        _when(line.returned_at), nfc(line.returned_by) if returned else "", nfc(line.collected_by) if returned else "",
        nfc(line.note), *([nfc(line.counter_clerk)] if register.counter_column else []),
    ]


class _Fitter:
    """Breaks text into the lines that fit a width, in one font and size; the width of each word is measured
    once (a register repeats the same words thousands of times)."""

    def __init__(self, font: str, size: float):
        self.font, self.size = font, size
        self._widths: dict[str, float] = {}
        self.space = self.width(" ")

    def width(self, word: str) -> float:
        known = self._widths.get(word)
        if known is None:
            known = self._widths[word] = stringWidth(word, self.font, self.size)
        return known

    def lines(self, text: str, width: float) -> list[str]:
        out: list[str] = []
        for paragraph in text.split("\n"):
            current, current_width = "", 0.0
            for word in paragraph.split():
                for piece in self._pieces(word, width):
                    w = self.width(piece)
                    if current and current_width + self.space + w <= width:
                        current, current_width = f"{current} {piece}", current_width + self.space + w
                    else:
                        if current:
                            out.append(current)
                        current, current_width = piece, w
            out.append(current)
        return out

    def _pieces(self, word: str, width: float) -> list[str]:
        """A word wider than the column cut where it must be (a long number with no space): nothing overflows."""
        if self.width(word) <= width:
            return [word]
        pieces, current = [], ""
        for ch in word:
            if current and stringWidth(current + ch, self.font, self.size) > width:
                pieces.append(current)
                current = ""
            current += ch
        return [*pieces, current] if current else pieces


class _Layout:
    """The page size, the column widths and the fonts one build uses."""

    def __init__(self, paper: str, columns: tuple[tuple[str, float], ...] = COLUMNS):
        if paper not in ("A4", "A3"):
            raise ValueError(f"paper must be A4 or A3, not {paper!r}")
        register_fonts()
        self.columns = columns
        self.page_width, self.page_height = landscape(A3 if paper == "A3" else A4)
        self.frame_width = self.page_width - 2 * MARGIN
        self.frame_height = self.page_height - MARGIN - BOTTOM
        scale = self.frame_width / (sum(width for _, width in columns) * mm)
        self.widths = [width * mm * scale for _, width in columns]
        self.lefts = [sum(self.widths[:i]) for i in range(len(columns) + 1)]
        self.size = 8.0 if paper == "A4" else 10.0
        self.leading = self.size * 1.18
        self.text = _Fitter(REGULAR, self.size)
        self.bold = _Fitter(BOLD, self.size)
        self.italic = _Fitter(ITALIC, self.size - 1)
        self.centred = {0, 3, 7, 8, 9, 10, 11}
        self.head = self._head()
        self.head_height = sum(height for height, _ in self.head)

    def cells(self, texts: list[str]) -> tuple[float, list[list[str]]]:
        """(the row's height, each cell's lines)."""
        cells = [self.text.lines(text, width - 2 * PAD) for text, width in zip(texts, self.widths, strict=True)]
        return max(len(lines) for lines in cells) * self.leading + 2 * PAD, cells

    def _head(self) -> list[tuple[float, list[tuple[float, float, list[str]]]]]:
        """The header's three rows, each (height, [(left, width, lines)]); a name outside the groups sits in the
        first row and spans the second."""
        def fit(text: str, left: int, right: int) -> tuple[float, float, list[str]]:
            width = self.lefts[right] - self.lefts[left]
            return self.lefts[left], width, self.bold.lines(text, width - 2 * PAD)

        groups = [fit(group, start, end)
                  for group, (start, end) in (("Ngày, tháng, năm", DATES), ("Trả kết quả", RETURN))]
        names = [fit(name, col, col + 1) for col, (name, _) in enumerate(self.columns)]
        grouped = [names[col] for col in range(len(self.columns)) if _grouped(col)]
        spanning = [names[col] for col in range(len(self.columns)) if not _grouped(col)]
        first = max(len(lines) for *_, lines in groups) * self.leading + 2 * PAD
        second = max(max(len(lines) for *_, lines in grouped) * self.leading + 2 * PAD,
                     max(len(lines) for *_, lines in spanning) * self.leading + 2 * PAD - first)
        numbers = [(self.lefts[col], self.widths[col], [f"({col + 1})"]) for col in range(len(self.columns))]
        return [(first, groups + spanning), (second, grouped), (self.leading + 2 * PAD, numbers)]


def _grouped(col: int) -> bool:
    return DATES[0] <= col < DATES[1] or RETURN[0] <= col < RETURN[1]


class _Page(Flowable):
    """One page of the register's table: the header, then its rows, drawn straight on the canvas."""

    def __init__(self, layout: _Layout, rows: list[tuple[float, list[list[str]]]], spanning: str = ""):
        super().__init__()
        self.layout, self.rows, self.spanning = layout, rows, spanning
        self.width = layout.frame_width
        self.height = layout.head_height + sum(height for height, _ in rows)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        layout, canvas = self.layout, self.canv
        top = self.height
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.black)
        # The header: group titles over their names; the other names span both rows.
        (first, row0), (second, row1), (third, row2) = layout.head
        canvas.setFont(BOLD, layout.size)
        for left, width, lines in row0:
            spans = not any(abs(left - g) < 0.01 for g in (layout.lefts[DATES[0]], layout.lefts[RETURN[0]]))
            height = first + second if spans else first
            self._centred(left, width, top, height, lines)
            canvas.rect(left, top - height, width, height)
        for left, width, lines in row1:
            self._centred(left, width, top - first, second, lines)
            canvas.rect(left, top - first - second, width, second)
        canvas.setFont(ITALIC, layout.size - 1)
        y = top - first - second
        for left, width, lines in row2:
            self._centred(left, width, y, third, lines)
            canvas.rect(left, y - third, width, third)
        y -= third
        # The lines: one text object for the page (a text object per string is most of the time a page takes).
        if self.spanning:
            height = self.rows[0][0]
            canvas.setFont(REGULAR, layout.size)
            self._centred(0, self.width, y, height, [self.spanning])
            canvas.rect(0, y - height, self.width, height)
            return
        text = canvas.beginText()
        text.setFont(REGULAR, layout.size)
        measure = layout.text.width
        bottom = y
        for height, cells in self.rows:
            for col, lines in enumerate(cells):
                left, width = layout.lefts[col], layout.widths[col]
                baseline = bottom - PAD - layout.size
                centred = col in layout.centred
                for line in lines:
                    text.setTextOrigin(left + (width - measure(line)) / 2 if centred else left + PAD, baseline)
                    text.textOut(line)
                    baseline -= layout.leading
            bottom -= height
        canvas.drawText(text)
        path = canvas.beginPath()
        row_top = y
        for height, _ in self.rows:
            row_top -= height
            path.moveTo(0, row_top)
            path.lineTo(self.width, row_top)
        for x in layout.lefts:
            path.moveTo(x, bottom)
            path.lineTo(x, y)
        canvas.drawPath(path, stroke=1, fill=0)

    def _centred(self, left: float, width: float, top: float, height: float, lines: list[str],
                 middle: bool = True) -> None:
        """`lines` centred in the box (left, top, width, height), vertically in the middle."""
        leading = self.layout.leading
        block = len(lines) * leading
        baseline = top - (height - block) / 2 - self.layout.size if middle else top - PAD - self.layout.size
        for text in lines:
            self.canv.drawCentredString(left + width / 2, baseline, text)
            baseline -= leading


def _heading(register: Register) -> list[Flowable]:
    st = styles()
    subtitle = " — ".join(part for part in (register.book_label, register.period_label) if part)
    story: list[Flowable] = [
        SectionMark(_running_head(register)),
        Paragraph(esc(FORM), ParagraphStyle("form_no", parent=st.caption, alignment=2)),
        national_header(register.office, register.made_at),
        Paragraph(esc(TITLE), st.title),
        Paragraph(esc(subtitle), st.subtitle),
    ]
    if register.scope_label:
        story.append(Paragraph(esc(register.scope_label), st.centre_italic))
    return story


def _running_head(register: Register) -> str:
    office = nfc(register.office.office_name)
    parts = [p for p in (register.book_label, register.period_label, register.scope) if p]
    return f"{office} — {TITLE.capitalize()} — " + ", ".join(parts)


def _story(register: Register, layout: _Layout, progress: Callable[[int, int], bool] | None) -> list[Flowable]:
    story = _heading(register)
    heading_height = sum(f.wrap(layout.frame_width, layout.frame_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                         for f in story)
    if register.empty:
        label = nfc(register.empty_label)
        story.append(_Page(layout, [(3 * layout.leading + 2 * PAD, [])], spanning=label))
        return story
    room = layout.frame_height - heading_height - layout.head_height - 8  # the first page's rows; then a frame's
    rows: list[tuple[float, list[list[str]]]] = []
    used = 0.0
    total = len(register.lines)
    most = layout.frame_height - layout.head_height - 1
    for index, line in enumerate(register.lines):
        height, cells = layout.cells(_row(register, line))
        if height > most:  # a line taller than a page (never seen: a note of hundreds of words) is cut to one
            keep = int((most - 2 * PAD) // layout.leading)
            cells = [lines[:keep] for lines in cells]
            height = keep * layout.leading + 2 * PAD
        if rows and used + height > room:
            story += [_Page(layout, rows), PageBreak()]
            rows, used, room = [], 0.0, most
        rows.append((height, cells))
        used += height
        if progress is not None and index % 500 == 0 and not progress(index, total):
            raise Cancelled
    story.append(_Page(layout, rows))
    story.append(Paragraph(f"Tổng số: {total} hồ sơ.", styles().note))
    return story


class Cancelled(Exception):
    """The caller's progress callback said stop."""


class _LandscapeCanvas(_SectionCanvas):
    """The section canvas on the page size it was made with: 'Trang x/y' centred under the frame, the running head
    (office, book, period) on every page after the first."""

    def __init__(self, *args: Any, pagesize: tuple[float, float] = landscape(A4), **kw: Any) -> None:
        super().__init__(*args, pagesize=pagesize, **kw)
        self.page_size = pagesize

    def _decorate(self, page: int, total: int) -> None:
        width, height = self.page_size
        self.saveState()
        if page > 1 and self.section_head:
            self.setFont(ITALIC, 9)
            self.drawString(MARGIN, height - MARGIN + 3 * mm, f"{self.section_head} (tiếp theo)")
        self.setFont(REGULAR, 10)
        self.drawCentredString(width / 2, 6 * mm, f"Trang {page}/{total}")
        self.restoreState()

    def _watermark(self) -> None:
        width, height = self.page_size
        self.saveState()
        self.setFillColorRGB(0.55, 0.55, 0.55, alpha=0.3)
        self.setFont(BOLD, 72)
        self.translate(width / 2, height / 2)
        self.rotate(30)
        self.drawCentredString(0, -24, DEMO_MARK)
        self.restoreState()
        self.saveState()
        self.setFillColorRGB(0.35, 0.35, 0.35)
        self.setFont(BOLD, 9)
        self.drawCentredString(width / 2, 2.5 * mm, DEMO_NOTE)
        self.restoreState()


class _DemoLandscapeCanvas(_LandscapeCanvas):
    demo = True


def build_register_pdf(register: Register, *, paper: str = "A4", invariant: bool = False,
                       progress: Callable[[int, int], bool] | None = None) -> bytes:
    """The register on A4 (or A3) landscape. `progress(done, total)` is called as the lines are laid out; when it
    returns False the build stops with `Cancelled`."""
    layout = _Layout(paper, columns_of(register))
    story = _story(register, layout, progress)
    office = register.office
    title = " — ".join(part for part in (f"{TITLE} {register.book_label} {register.period_label}".strip(),
                                         register.scope) if part)
    if office.demo:
        title = f"{title} ({DEMO_MARK})"
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=(layout.page_width, layout.page_height), leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=BOTTOM, title=title, author=nfc(office.office_name), creator="Quầy Một Cửa",
        invariant=1 if invariant else 0, initialFontName=REGULAR, initialFontSize=10,
    )
    frame = Frame(MARGIN, BOTTOM, layout.frame_width, layout.frame_height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="landscape", frames=[frame])])
    doc.build(story, canvasmaker=_DemoLandscapeCanvas if office.demo else _LandscapeCanvas)
    return out.getvalue()
