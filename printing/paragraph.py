"""reportlab's Paragraph, its markup parsed once per text and style, its lines broken once per width.

Building a receipt parsed the same markup again and again (the labels, the header, the signatures: the same
for every receipt of an office), and broke the same paragraphs into lines several times: a table measures its
rows by wrapping every cell, then wraps each cell again to draw it; a KeepTogether wraps its content to see
whether it fits, then the frame wraps it again. Both were a third of the receipt's layout.

- The parse of a (text, style) is kept (a bounded cache, by the style object itself: the forms' styles live as
  long as the process), and each paragraph gets its own copies of the fragments, which reportlab annotates.
- A paragraph's lines depend only on the width (reportlab's `wrap` never reads the height), so a wrap at the
  width of the last one returns what it found, as long as those lines are still the paragraph's (a failed
  `split` deletes them).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.platypus.paragraph import textTransformFrags  # type: ignore[attr-defined]  # not in the stubs
from reportlab.platypus.paraparser import ParaParser


@lru_cache(maxsize=2048)
def _parsed(text: str, style: ParagraphStyle, case_sensitive: int) -> tuple[ParagraphStyle, tuple[Any, ...], Any]:
    """(style, fragments, bullet fragments) as reportlab's Paragraph._setup makes them from `text`."""
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    style, frags, bullet = parser.parse(text, style)  # type: ignore[no-untyped-call]  # unannotated
    if frags is None:
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning\n'{text[:30]}'")
    textTransformFrags(frags, style)
    return style, tuple(frags), bullet


# Paragraph.__init__'s parse step: private to reportlab, absent from its stubs.
_reportlab_setup = _ReportlabParagraph._setup  # type: ignore[attr-defined]


class Paragraph(_ReportlabParagraph):
    # (width, the size wrap returned at that width, the lines it broke: reportlab's blPara)
    _wrapped: tuple[float, tuple[float, float], Any] | None = None

    def _setup(self, text: str, style: ParagraphStyle, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is not None:  # a part of a split paragraph: its fragments are given
            _reportlab_setup(self, text, style, bulletText, frags, cleaner)
            return
        text = cleaner(text)
        style, parsed, bullet = _parsed(text, style, self.caseSensitive)
        if bullet:  # a <bullet> of its own (none in the forms): reportlab's own parse, not shared
            _reportlab_setup(self, text, style, bulletText, None, lambda same: same)
            return
        _reportlab_setup(self, text, style, bulletText, [frag.clone() for frag in parsed], cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is not None:
            width, size, lines = self._wrapped
            if width == availWidth and self.__dict__.get("blPara") is lines:
                return size  # its width and height are still those of that wrap, as are its lines
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size, self.__dict__.get("blPara"))
        return size
