"""Table columns as wide as the longest text they show, measured from that text's shape.

Qt's ResizeToContents asks every row of the model for its text, font and decorations at each change of the rows:
thousands of Python data() calls for a list of 500 or 2,000 rows, a GUI stall of a second on a busy counter PC
(the day's benchmark, tests/bench/test_bench_day.py). A column's widest text is known in advance (a dossier code, a
date and time, a label from a fixed set), so it is measured once, in the font the view paints with.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView

PADDING = 14  # the cell's margins and the grid line, as Qt's own size hint adds them
SORT_ARROW = 16  # a sortable header's indicator beside its title


def fit_columns(view: QTableView, samples: Mapping[int, str]) -> None:
    """Each column of `samples` (column → its longest text) as wide as that text or its title, whichever is
    wider; the columns stay resizable by the clerk. Call again when the view's font or style changes."""
    header, model = view.horizontalHeader(), view.model()
    if model is None:  # a font or style change before the model is set, or after it is gone
        return
    metrics, titles = view.fontMetrics(), header.fontMetrics()
    arrow = SORT_ARROW if view.isSortingEnabled() or header.isSortIndicatorShown() else 0
    for column, sample in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(metrics.horizontalAdvance(sample), titles.horizontalAdvance(title) + arrow) + PADDING
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
