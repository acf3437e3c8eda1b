"""At reception: once the id number and the procedure are known, the citizen's earlier digitised papers are
marked in the components table ("Có bản số hóa từ hồ sơ …, dùng lại"); once the dossier is received, those
still ticked as handed over are linked to it with `attachments.reuse` — the same stored file, no copy.

Offers are a few indexed reads (counter.scans.lookup), run on the GUI thread like the other lookups.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTableView

from counter import records
from counter.changes import NOTHING, Changes
from counter.context import AppContext
from counter.errors import CounterError
from counter.records import Attachment, ReuseOffer
from counter.scans import attachments
from counter.text import fold

log = logging.getLogger(__name__)


def note(offer: ReuseOffer) -> str:
    return f"Có bản số hóa từ hồ sơ {offer.attachment.dossier_code}, dùng lại"


class ReceptionReuse(QObject):
    def __init__(self, ctx: AppContext, table: QTableView, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.table = table
        self.model = table.components_model
        self.id_number = ""
        self.procedure_code = ""
        self.offers: dict[int, ReuseOffer] = {}  # row of the components table → the newest matching paper

    def person_changed(self, id_number: str) -> None:
        self.id_number = id_number
        self.refresh()

    def procedure_changed(self, procedure: records.Procedure | None) -> None:
        self.procedure_code = procedure.code if procedure else ""
        self.refresh()

    def refresh(self) -> None:
        found = []
        if self.id_number and self.procedure_code:
            try:
                found = attachments.reusable_for(self.ctx, self.id_number, self.procedure_code)
            except CounterError:
                log.exception("looking up reusable papers failed")
        self.offers = {}
        for offer in found:
            row = self._row_of(offer)
            if row is not None:
                self.offers.setdefault(row, offer)
        self.model.set_reuse_notes({row: note(offer) for row, offer in self.offers.items()})
        self.table.resizeRowsToContents()

    def _row_of(self, offer: ReuseOffer) -> int | None:
        for i, row in enumerate(self.model.rows):
            if (offer.component_code and row.code == offer.component_code) or fold(row.name) == fold(
                    offer.component_name):
                return i
        return None

    def chosen(self, skip: Collection[int] = ()) -> list[tuple[str, str, ReuseOffer]]:
        """(code, name, offer) of each offered paper still ticked as handed over, except the rows in `skip`."""
        return [(self.model.rows[r].code, self.model.rows[r].name, o) for r, o in self.offers.items()
                if r < len(self.model.rows) and self.model.rows[r].handed_over and r not in skip]

    def link(self, dossier: records.Dossier,
             skip: Collection[int] = ()) -> tuple[list[Attachment], list[str], Changes]:
        """Link the chosen papers to the received dossier; returns what was linked, what was refused, and what
        changed. `skip`: rows given a new scan at the counter — the new paper wins over the earlier one."""
        linked, refused, changes = [], [], NOTHING
        for code, name, offer in self.chosen(skip):
            component = next((c for c in dossier.components if (code and c.code == code)
                               or fold(c.name) == fold(name)), None)
            if component is None:
                continue
            try:
                attachment, change = attachments.reuse(self.ctx, dossier.code, component.position,
                                                       offer.attachment.id)
            except CounterError as exc:
                refused.append(str(exc))
                continue
            linked.append(attachment)
            changes |= change
        return linked, refused, changes
