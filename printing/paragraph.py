"""reportlab's Paragraph, its lines broken once per width.

A table measures its rows by wrapping every cell, then wraps each cell again to draw it; a KeepTogether
wraps its content to see whether it fits, then the frame wraps it again. Each wrap broke the paragraph into
lines anew, the same lines: a quarter of a receipt's layout. A paragraph's lines depend only on the width
(reportlab's `wrap` never reads the height), so a wrap at the width of the last one returns what it found,
as long as those lines are still the paragraph's (a failed `split` deletes them).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph as _ReportlabParagraph


class Paragraph(_ReportlabParagraph):
    # (width, the size wrap returned at that width, the lines it broke: reportlab's blPara)
    _wrapped: tuple[float, tuple[float, float], Any] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is not None:
            width, size, lines = self._wrapped
            if width == availWidth and self.__dict__.get("blPara") is lines:
                return size  # its width and height are still those of that wrap, as are its lines
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size, self.__dict__.get("blPara"))
        return size
