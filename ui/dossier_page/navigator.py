"""Opening a dossier by its code: the lookup runs a moment later and only the latest one counts, so a
scan that follows another (or a CCCD scanned meanwhile) is never overtaken by an older answer.

The lookup reads the dossier's own rows only (one probe of the code's index, then its papers, fees and history by
the dossier's id): enough for the page's first frame, which reads the rest once painted (DossierPage.open_dossier).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Signal,
    Slot,
)

from counter import records
from counter.context import AppContext
from counter.dossiers.lookup import get_dossier
from counter.errors import CounterError
from ui.board.lookups import Lookups
from ui.dossier_page.page import DossierPage
from ui.dossiers.table_model import ROW_ROLE

log = logging.getLogger(__name__)
CHANNEL = "open_dossier"


class DossierNavigator(QObject):
    opened = Signal(str)  # the code now shown on the dossier page
    failed = Signal(str)  # what to tell the clerk (a code not on this machine…)

    def __init__(self, ctx: AppContext, page: DossierPage, lookups: Lookups,
                 show_page: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.ctx, self.page, self.lookups = ctx, page, lookups
        self.show_page = show_page

    @Slot(str)
    def open_code(self, code: str) -> int:
        """Look the dossier up and show it; returns the request's ticket."""
        ctx = self.ctx
        return self.lookups.run(CHANNEL, lambda: get_dossier(ctx, code), self._show, self._fail)

    @Slot(QModelIndex)
    def open_index(self, index: QModelIndex) -> None:
        """A dossier list's row activated (Enter, or a double-click): open that row's dossier."""
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None:
            self.open_code(row.code)

    def cancel(self) -> None:
        """A later scan meant something else: drop the answer still on its way."""
        self.lookups.cancel(CHANNEL)

    def _show(self, dossier: records.Dossier) -> None:
        self.page.open_dossier(dossier)
        self.show_page()
        self.page.panel.focus_first()
        self.opened.emit(dossier.code)

    def _fail(self, error: Exception) -> None:
        if not isinstance(error, CounterError):
            log.error("opening a dossier failed", exc_info=error)
            self.failed.emit(f"Không mở được hồ sơ: {error}")
            return
        self.failed.emit(str(error))
