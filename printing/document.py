"""A4 page set-up and the PDF build: margins, page numbers 'Trang x/y', running heads per section, and on every page
of a demonstration database's forms the "BẢN DÙNG THỬ" watermark.

A section is one copy of a form (Liên 1, Liên 2…). A page numbered only once the whole section is laid
out needs the page count, so the canvas keeps its pages until `save()` and decorates them then.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from counter.records import Office
from counter.text import nfc
from counter.version import label as version_label
from printing.fonts import BOLD, ITALIC, REGULAR, register_fonts

# Compressed binary streams without an ASCII85 layer on top: smaller files, and reportlab's pure-Python
# ASCII85 encoder was a tenth of the build time. Process-wide, but printing is reportlab's only user here.
rl_config.useA85 = 0

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


class SectionMark(Flowable):
    """Zero-size marker at the start of a section: the pages from here on belong to a new section whose
    continuation pages repeat `head` at the top."""

    def __init__(self, head: str):
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


class _SectionCanvas(Canvas):
    """Holds every page until `save()`, then numbers them 'Trang x/y' within their section."""

    demo = False  # set by render() for a demonstration database's forms: every page watermarked

    def __init__(self, *args: Any, **kw: Any) -> None:  # reportlab's Canvas(filename, pagesize=…, …)
        super().__init__(*args, **kw)
        self.section_no = 0
        self.section_head = ""
        self._pages: list[dict[str, Any]] = []  # each page's canvas state (its __dict__)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        # Canvas.showPage's last step, a fresh page state: private to reportlab, so absent from its stubs.
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        totals = Counter(state["section_no"] for state in self._pages)
        seen: Counter[int] = Counter()
        for state in self._pages:
            self.__dict__.update(state)
            seen[self.section_no] += 1
            if totals[self.section_no] > 1:  # a one-page copy needs no 'Trang 1/1'
                self._decorate(seen[self.section_no], totals[self.section_no])
            if self.demo:
                self._watermark()
            self._version_mark()
            Canvas.showPage(self)
        Canvas.save(self)

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


def render(story: Sequence[Flowable], *, title: str, office: Office, invariant: bool = False) -> bytes:
    """Lay `story` out on A4 and return the PDF of `office` (its name as the author; a demo office's pages
    watermarked "BẢN DÙNG THỬ"). `invariant` fixes the timestamps and ids, so the same input gives the same bytes."""
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
    doc.build(list(story), canvasmaker=_DemoCanvas if office.demo else _SectionCanvas)
    return out.getvalue()
