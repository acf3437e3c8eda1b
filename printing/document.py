"""A4 page set-up and the PDF build: margins, page numbers 'Trang x/y', running heads per section, copies, and on
every page of a demonstration database's forms the "BẢN DÙNG THỬ" watermark.

A section is a part of a document numbered on its own. A page numbered only once the whole section is laid
out needs the page count, so the canvas keeps its pages until `save()` and decorates them then.

A form printed in several copies (Liên 1, Liên 2…) is laid out once: the copies differ only by the line saying
which copy a page is (`CopyLabel`) and their running heads, so `save()` prints the laid-out pages once per copy,
each with its own label and page numbers. Laying out and drawing the same form twice was half its build time.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from counter.records import Office
from counter.text import nfc
from counter.version import label as version_label
from printing.fonts import BOLD, ITALIC, REGULAR, register_fonts
from printing.paragraph import Paragraph

# Compressed binary streams without an ASCII85 layer on top: smaller files, and reportlab's pure-Python
# ASCII85 encoder was a tenth of the build time. Process-wide, but printing is reportlab's only user here.
rl_config.useA85 = 0


class _QuickFlate(pdfdoc.PDFStreamFilterZCompress):
    """Flate at zlib's level 1: reportlab compresses every stream at the default level 6, and its three embedded
    font subsets and the pages were a fifth of a receipt's build; level 1 takes half the time for 6 % more bytes
    (84 KB instead of 80 KB for Mẫu 01). The same FlateDecode filter: every reader decodes it alike."""

    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, 1)


# reportlab's streams and font files name this one filter object when they are written: process-wide, as above.
pdfdoc.PDFZCompress = _QuickFlate()

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 20 * mm
MARGIN = 15 * mm  # top, right, bottom
FRAME_WIDTH = PAGE_WIDTH - LEFT_MARGIN - MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN
FOOT_Y = 8 * mm  # baseline of 'Trang x/y', inside the bottom margin
HEAD_Y = PAGE_HEIGHT - 10 * mm  # baseline of the running head of continuation pages
VERSION_SIZE = 6  # points: the version in the footer, small type
VERSION_Y = 6 * mm  # its baseline: above the 5 mm a printer cannot reach, under 'Trang x/y'
DEMO_MARK = "BẢN DÙNG THỬ"  # across every page a demonstration database prints: never taken for a real paper
DEMO_NOTE = "BẢN DÙNG THỬ — dữ liệu mẫu, không có giá trị pháp lý"  # in the top and bottom margins too
COPY = "{copy}"  # in a running head: replaced by the label of the copy the page belongs to


class SectionMark(Flowable):
    """Zero-size marker at the start of a section: the pages from here on belong to a new section whose
    continuation pages repeat `head` at the top."""

    def __init__(self, head: str):
        """`head` may hold `COPY`, which each copy's pages read as that copy's label."""
        super().__init__()
        self.head = head
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        assert isinstance(canvas, _SectionCanvas), "render() lays every story out on a _SectionCanvas"
        canvas.section_no += 1
        canvas.section_head = self.head


class CopyLabel(Flowable):
    """The line saying which copy a page belongs to, e.g. "(Liên 1: Lưu)": it holds its place in the layout, as
    tall as the tallest of the labels, and the canvas writes each copy's own label there when it prints the
    pages once per copy. `labels` is markup, one per copy, in the order `render` is given the copies."""

    def __init__(self, labels: Sequence[str], style: ParagraphStyle):
        super().__init__()
        self.paragraphs = [Paragraph(label, style) for label in labels]
        self.style = style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        heights = [paragraph.wrap(availWidth, availHeight)[1] for paragraph in self.paragraphs]
        self.width, self.height = availWidth, max(heights, default=0)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        canvas = self.canv
        assert isinstance(canvas, _SectionCanvas), "render() lays every story out on a _SectionCanvas"
        # Where this line is on the page: the transformation drawOn set up for it (reportlab's, not in its stubs).
        canvas.copy_labels.append((tuple(canvas._currentMatrix), self))  # type: ignore[attr-defined]

    def draw_copy(self, canvas: Canvas, copy: int) -> None:
        paragraph = self.paragraphs[copy]
        paragraph.drawOn(canvas, 0, self.height - paragraph.height)  # at the top of the line's place


# What reportlab's Canvas.showPage consumes or appends to, per page: each printing of a page gets its own.
_PAGE_ACCUMULATORS = ("_code", "_formsinuse", "_annotationrefs", "_colorsUsed", "_shadingUsed")


class _SectionCanvas(Canvas):
    """Holds every page until `save()`, then prints them once per copy, numbered 'Trang x/y' within their
    section."""

    demo = False  # set by render() for a demonstration database's forms: every page watermarked

    def __init__(self, *args: Any, copies: Sequence[str] = ("",), **kw: Any) -> None:
        # reportlab's Canvas(filename, pagesize=…, …); `copies`: the copies' labels, as read in a running head
        super().__init__(*args, **kw)
        self.copies = tuple(copies)
        self.section_no = 0
        self.section_head = ""
        self.copy_labels: list[tuple[tuple[float, ...], CopyLabel]] = []  # where this page says which copy it is
        self._pages: list[dict[str, Any]] = []  # each page's canvas state (its __dict__)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self.copy_labels = []
        # Canvas.showPage's last step, a fresh page state: private to reportlab, so absent from its stubs.
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        totals = Counter(state["section_no"] for state in self._pages)
        for copy, label in enumerate(self.copies):
            seen: Counter[int] = Counter()
            for state in self._pages:
                self.__dict__.update(state)
                for name in _PAGE_ACCUMULATORS:  # the page as laid out, for this copy to add to
                    setattr(self, name, type(state[name])(state[name]))
                self.section_head = state["section_head"].replace(COPY, label)
                self._write_copy_labels(copy)
                seen[self.section_no] += 1
                if totals[self.section_no] > 1:  # a one-page copy needs no 'Trang 1/1'
                    self._decorate(seen[self.section_no], totals[self.section_no])
                if self.demo:
                    self._watermark()
                self._version_mark()
                Canvas.showPage(self)
        Canvas.save(self)

    def _write_copy_labels(self, copy: int) -> None:
        page_matrix = self._currentMatrix  # type: ignore[attr-defined]  # reportlab's
        assert page_matrix == (1, 0, 0, 1, 0, 0), "a page ends with every transformation undone"
        for matrix, label in self.copy_labels:
            self.saveState()
            self.transform(*matrix)  # from the page's origin, where the page ended: to the label's place
            label.draw_copy(self, copy)
            self.restoreState()

    def _decorate(self, page: int, total: int) -> None:
        self.saveState()
        if page > 1 and self.section_head:
            self.setFont(ITALIC, 10)
            self.drawString(LEFT_MARGIN, HEAD_Y, f"{self.section_head} (tiếp theo)")
        self.setFont(REGULAR, 10)
        self.drawCentredString(LEFT_MARGIN + FRAME_WIDTH / 2, FOOT_Y, f"Trang {page}/{total}")
        self.restoreState()


    def _version_mark(self) -> None:
        """The program and its version in small grey type in the bottom right corner of every page: which build
        printed a paper, for whoever supports the office."""
        width, _height = self._pagesize  # type: ignore[attr-defined]  # reportlab's
        self.saveState()
        self.setFillColorRGB(0.45, 0.45, 0.45)
        self.setFont(REGULAR, VERSION_SIZE)
        self.drawRightString(width - MARGIN, VERSION_Y, version_label())  # inside every form's right margin
        self.restoreState()

    def _watermark(self) -> None:
        """Over the page, in translucent grey (the text below stays readable, a copier keeps the mark)."""
        self.saveState()
        self.setFillColorRGB(0.55, 0.55, 0.55, alpha=0.3)
        self.setFont(BOLD, 64)
        width, height = self._pagesize  # type: ignore[attr-defined]  # reportlab's; portrait forms, landscape reports
        self.translate(width / 2, height / 2)
        self.rotate(50)
        self.drawCentredString(0, -22, DEMO_MARK)
        self.restoreState()
        self.saveState()
        self.setFillColorRGB(0.35, 0.35, 0.35)
        self.setFont(BOLD, 9)
        for y in (height - 6 * mm, 4 * mm):
            self.drawCentredString(width / 2, y, DEMO_NOTE)
        self.restoreState()


class _DemoCanvas(_SectionCanvas):
    demo = True


def render(story: Sequence[Flowable], *, title: str, office: Office, invariant: bool = False,
           copies: Sequence[str] = ("",)) -> bytes:
    """Lay `story` out on A4 and return the PDF of `office` (its name as the author; a demo office's pages
    watermarked "BẢN DÙNG THỬ"). `invariant` fixes the timestamps and ids, so the same input gives the same bytes.
    The pages are printed once per copy, in the order of `copies` (their labels as `COPY` reads in running
    heads), each on its own pages; a `CopyLabel` in `story` has one label per copy."""
    if not copies:
        raise ValueError("render needs at least one copy")
    register_fonts()
    author = nfc(office.office_name)
    if office.demo:
        title = f"{title} ({DEMO_MARK})"
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, leftMargin=LEFT_MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=title, author=author, creator=version_label(), invariant=1 if invariant else 0,
        initialFontName=REGULAR, initialFontSize=13,  # else reportlab references (unembedded) Helvetica
    )
    frame = Frame(LEFT_MARGIN, MARGIN, FRAME_WIDTH, FRAME_HEIGHT, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(list(story), canvasmaker=partial(_DemoCanvas if office.demo else _SectionCanvas, copies=copies))
    return out.getvalue()
