"""Tra cứu's results: a dossier table that loads a page at a time as the view scrolls (Qt's canFetchMore/fetchMore),
each page after where the last ended (keyset: counter/dossiers/search.py), never the rows already shown again."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
)

from counter.dossiers.search import Page, Position
from counter.records import DossierRow
from ui.dossiers.table_model import DossierTableModel

Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[Position | None], Page]  # the page after a position (None: the first)


class LazyDossierModel(DossierTableModel):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._fetch: Fetch | None = None
        self._next: Position | None = None

    def start(self, fetch: Fetch) -> None:
        """Show the first page of another list (its later pages when the view asks for them)."""
        page = fetch(None)
        self._fetch, self._next = fetch, page.next
        self.set_rows(page.rows)

    def clear(self) -> None:
        self._fetch, self._next = None, None
        self.set_rows(())

    def complete(self) -> bool:
        """Whether every row of the list is shown."""
        return self._next is None

    # Keeping a shown list current ------------------------------------------------------------

    def prepend_rows(self, rows: Iterable[DossierRow]) -> int:
        """Newer rows at the top (those received since the list was read)."""
        known = {r.id for r in self._rows}
        new = [r for r in rows if r.id not in known]
        if new:
            self.beginInsertRows(QModelIndex(), 0, len(new) - 1)
            self._rows[:0] = new
            self.endInsertRows()
        return len(new)

    def update_rows(self, current: Mapping[str, DossierRow], keep: Callable[[DossierRow], bool]) -> None:
        """Rows shown replaced by their `current` line (by code); those `keep` refuses (no longer an answer) go."""
        for position in range(len(self._rows) - 1, -1, -1):
            row = current.get(self._rows[position].code)
            if row is None:
                continue
            if keep(row):
                self._rows[position] = row
                self.dataChanged.emit(self.index(position, 0), self.index(position, self.columnCount() - 1))
            else:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self.endRemoveRows()

    def first_position(self) -> Position | None:
        return Position(self._rows[0].received_at, self._rows[0].id) if self._rows else None

    def codes(self) -> set[str]:
        return {r.code for r in self._rows}

    # Qt's lazy loading -------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._fetch is not None and self._next is not None

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        page = self._fetch(self._next)
        self._next = page.next
        if page.rows:  # after the last row shown (keyset): none is shown already, no need to look
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
