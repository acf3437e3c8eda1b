"""The receive page's side of scans queued before the dossier exists (ui.scans.pending): the row actions
(Ctrl+O, context menu, dropped files), the scanner folder's offer bar, and what the message line says."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QObject,
)
from PySide6.QtWidgets import QDialog

from counter import records
from counter.context import AppContext
from ui.scans.offer_bar import OfferBar
from ui.scans.pending import AttachReport, PendingScans, Queued
from ui.scans.watch import FolderWatcher, watch_folder
from ui.settings import ui_settings


class ScanQueue(QObject):
    def __init__(self, ctx: AppContext, page):
        super().__init__(page)
        self.ctx, self.page, self.table = ctx, page, page.table
        self.pending = PendingScans(ctx, page.table, self)
        self.offer_bar = OfferBar()
        self.offer_row = -1
        self.watcher = FolderWatcher(self)
        self._taken: list[Queued] = []
        self._code = ""
        self._said = ""
        self._discarded = 0
        self.table.choose_requested.connect(self.choose)
        self.table.files_dropped.connect(self.add)
        self.table.arrange_requested.connect(lambda row: self.pending.arrange(row, self.page))
        self.table.unqueue_requested.connect(self.unqueue)
        self.watcher.arrived.connect(self.offer)
        self.offer_bar.accepted.connect(lambda paths, _replace: self.add(self.offer_row, paths))
        self.pending.finished.connect(self._finished)
        page.installEventFilter(self)
        self.watch_setting()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page and event.type() == QEvent.Type.Show:
            self.watch_setting()  # the folder may have been chosen on the dossier page meanwhile
        return False

    def watch_setting(self) -> None:
        folder = watch_folder(ui_settings(self.ctx))
        if folder != self.watcher.folder:
            self.watcher.watch(folder)

    # Queuing ------------------------------------------------------------------------------------

    def choose(self, row: int) -> bool:
        return self._said_ok(self.pending.choose(row, self.page))

    def add(self, row: int, paths: list[Path]) -> bool:
        return self._said_ok(self.pending.add(row, paths))

    def unqueue(self, row: int) -> int:
        dropped = self.pending.drop(row)
        if dropped:
            self.page.message.info(f"Đã bỏ {dropped} tệp quét đang chờ của “{self.pending.model.rows[row].name}”.")
        return dropped

    def _said_ok(self, refused: str | None) -> bool:
        if refused:
            self.page.message.error(refused)
            return False
        return True

    def offer(self, path: Path) -> None:
        """A new file from the scanner, offered for the current row while the page is in use."""
        row = self.table.currentIndex().row()
        if not self.page.isVisible() or not 0 <= row < len(self.pending.model.rows):
            return
        self.offer_row = row
        busy_elsewhere = any(d.isVisible() for d in self.page.window().findChildren(QDialog))
        self.offer_bar.offer(path, self.pending.model.rows[row].name, take_focus=not busy_elsewhere)

    # The outcomes -------------------------------------------------------------------------------

    def take(self, dossier: records.Dossier) -> None:
        """Inside the receipt's write: the queue, matched to the stored components, kept for attach_taken."""
        self._taken, self._code = self.pending.take(dossier), dossier.code

    def saving(self) -> str:
        unticked = self.pending.unticked
        dropped = f" Bỏ {unticked} tệp quét của giấy tờ không nộp." if unticked else ""
        return dropped + (f" Đang lưu bản quét của {len(self._taken)} giấy tờ…" if self._taken else "")

    def attach_taken(self) -> None:
        taken, self._taken = self._taken, []
        if not taken:
            return
        self._said = self.page.message.plain_text()
        if not self.pending.attach(self._code, taken):
            self.page.message.warn(f"Hồ sơ {self._code} đã được tiếp nhận, nhưng máy đang lưu một bản quét khác: "
                                   "hãy đính kèm bản quét ở trang hồ sơ.")

    def discard(self) -> None:
        self._discarded = self.pending.clear()

    def discarded(self) -> str:
        count, self._discarded = self._discarded, 0
        return f" Đã bỏ {count} tệp quét đang chờ (không lưu)." if count else ""

    def _finished(self, report: AttachReport) -> None:
        said = self.page.message.plain_text()
        saving = " Đang lưu bản quét của"
        text = said.split(saving)[0] + " " + report.text() if said == self._said and saving in said \
            else report.text()
        (self.page.message.warn if report.failed else self.page.message.info)(text)
        if report.changes:  # an open page of that dossier shows its new scans, the queue counts them
            self.page.changed.emit(report.changes)
