"""At reception, before the dossier exists: each component row can be given its scan (file dialog, dropped
files, the scanner folder's offer). The files are checked at once and queued on the row; once the dossier is
received they are attached in the background, one component after another, with the same BackgroundJob as the
dossier page. A failed attach leaves the dossier received: the clerk attaches again from the dossier page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Signal,
)
from PySide6.QtWidgets import QWidget

from counter import records
from counter.changes import NOTHING, Changes
from counter.context import AppContext
from counter.errors import CounterError
from counter.records import FileInfo
from counter.scans import attachments
from counter.scans.files import check_file, max_file_bytes
from counter.text import fold
from ui.scans import dialogs
from ui.scans.worker import BackgroundJob

log = logging.getLogger(__name__)


def row_note(queue: RowQueue) -> str:
    pages = sum(queue.pages)
    arranged = ", đã sắp thứ tự trang" if queue.order is not None else ""
    return f"📎 {len(queue.paths)} tệp, {pages} trang (gắn khi tiếp nhận{arranged})"


@dataclass
class RowQueue:
    """The files queued for one row, their page counts, and the page order if the clerk changed it."""

    paths: list[Path] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    order: list[int] | None = None

    def extend(self, infos: list[FileInfo]) -> None:
        before = sum(self.pages)
        self.paths += [i.path for i in infos]
        self.pages += [i.pages for i in infos]
        if self.order is not None:  # the new pages follow the order already chosen
            self.order += range(before, sum(self.pages))


@dataclass(frozen=True)
class Queued:
    position: int
    name: str
    paths: tuple[Path, ...]
    order: tuple[int, ...] | None = None


@dataclass(frozen=True)
class AttachReport:
    code: str
    stored: int
    failed: tuple[tuple[str, str], ...]  # (component name, why)
    changes: Changes = NOTHING  # what the attaches that succeeded changed

    def text(self) -> str:
        if not self.failed:
            return f"Đã lưu {self.stored} bản quét vào hồ sơ {self.code}."
        why = "; ".join(f"“{name}”: {reason.rstrip('.')}" for name, reason in self.failed)
        stored = f"Đã lưu {self.stored} bản quét. " if self.stored else ""
        return (f"{stored}Chưa lưu được bản quét của {why}. Hồ sơ {self.code} vẫn đã được tiếp nhận: "
                "hãy đính kèm lại ở trang hồ sơ.")


class PendingScans(QObject):
    """Row of the components table → the files queued for it (the model shows them)."""

    changed = Signal()
    finished = Signal(object)  # an AttachReport, on the GUI thread

    def __init__(self, ctx: AppContext, table, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.table = table
        self.model = table.components_model
        self.rows: dict[int, RowQueue] = {}
        self.job = BackgroundJob(self)
        self.job.succeeded.connect(lambda report: self.finished.emit(report))
        self.job.failed.connect(self._failed)
        self.code = ""
        self.unticked = 0  # files dropped at the last take: their paper was unticked meanwhile
        self.model.modelReset.connect(self.clear)  # another procedure: other papers
        self.model.rowsRemoved.connect(self._rows_removed)

    @property
    def queued(self) -> dict[int, list[Path]]:
        return {row: list(q.paths) for row, q in self.rows.items()}

    def count(self) -> int:
        return sum(len(q.paths) for q in self.rows.values())

    def add(self, row: int, paths: list[Path]) -> str | None:
        """Check and queue `paths` for `row`, ticking its paper as handed over (a scan is of a paper received);
        returns the Vietnamese reason if one is unusable (nothing queued)."""
        if not paths or not 0 <= row < len(self.model.rows):
            return None
        limit = max_file_bytes(self.ctx)
        try:
            infos = [check_file(path, max_bytes=limit) for path in paths]
        except CounterError as exc:
            return str(exc)
        self.rows.setdefault(row, RowQueue()).extend(infos)
        if not self.model.rows[row].handed_over:
            self.model.set_row(row, handed_over=True)
        self._show()
        return None

    def choose(self, row: int, parent: QWidget) -> str | None:
        return self.add(row, dialogs.choose_files(parent))

    def arrange(self, row: int, parent: QWidget) -> bool:
        """Let the clerk see the row's queued pages and change their order; False if cancelled or nothing queued."""
        queue = self.rows.get(row)
        if queue is None:
            return False
        order = dialogs.ask_order(queue.paths, self.model.rows[row].name, parent)
        if order is None:
            return False
        queue.order = None if order == sorted(order) else list(order)
        self._show()
        return True

    def drop(self, row: int) -> int:
        """Forget the files queued for `row`; returns how many there were."""
        queue = self.rows.pop(row, None)
        self._show()
        return len(queue.paths) if queue else 0

    def clear(self) -> int:
        """Forget the queue; returns how many files were queued."""
        dropped = self.count()
        self.rows = {}
        self._show()
        return dropped

    def take(self, dossier: records.Dossier) -> list[Queued]:
        """The queue, matched to the received dossier's components (by code, else name), and emptied. Files of
        a paper unticked since they were queued are dropped (counted in `unticked`): it was not received."""
        taken, self.unticked = [], 0
        for row, queue in sorted(self.rows.items()):
            if row >= len(self.model.rows):
                continue
            wanted = self.model.rows[row]
            component = next((c for c in dossier.components if (wanted.code and c.code == wanted.code)
                              or fold(c.name) == fold(wanted.name)), None)
            if component is None or not wanted.handed_over:
                self.unticked += len(queue.paths)
                continue
            order = tuple(queue.order) if queue.order is not None else None
            taken.append(Queued(component.position, component.name, tuple(queue.paths), order))
        self.rows = {}
        self._show()
        return taken

    def attach(self, code: str, batch: list[Queued]) -> bool:
        """Attach `batch` to dossier `code` in the background; False if another attach is running."""
        self.code = code
        return bool(batch) and self.job.start(_AttachAll(self.ctx, code, batch))

    def _failed(self, exc: BaseException) -> None:
        log.error("attaching scans at reception failed", exc_info=exc)
        self.finished.emit(AttachReport(self.code, 0, (("mọi thành phần", str(exc)),)))

    def _rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        gone = last - first + 1
        self.rows = {(r - gone if r > last else r): q for r, q in self.rows.items() if not first <= r <= last}
        self._show()

    def _show(self) -> None:
        self.model.set_scan_notes({row: row_note(queue) for row, queue in self.rows.items()})
        self.table.resizeRowsToContents()
        self.changed.emit()


class _AttachAll:
    """The worker's part: each component in turn; one failure does not stop the others."""

    def __init__(self, ctx: AppContext, code: str, batch: list[Queued]):
        self.ctx, self.code, self.batch = ctx, code, batch

    def __call__(self) -> AttachReport:
        stored, failed, changes = 0, [], NOTHING
        for item in self.batch:
            try:
                _, change = attachments.attach_component(self.ctx, self.code, item.position, list(item.paths),
                                                         order=item.order)
                stored += 1
                changes |= change
            except CounterError as exc:
                failed.append((item.name, str(exc)))
            except Exception as exc:  # a fault in one file must not lose the others
                log.exception("attaching %s failed", item.name)
                failed.append((item.name, f"lỗi: {exc}"))
        return AttachReport(self.code, stored, tuple(failed), changes)
