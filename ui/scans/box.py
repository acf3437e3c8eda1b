"""The dossier's digitised papers: one row per component (and the result once recorded), each with its
thumbnail, what is stored, and the ways to give it a scan — a file dialog, files dropped on the row, the
scanner's folder (ui.scans.watch), or an earlier paper of the same person reused without a copy.

The heavy part of an attach runs on a worker (ui.scans.worker); the row buttons are disabled and a busy bar
shows meanwhile. `attached(record, changes)` is emitted on the GUI thread once the attachment is committed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError, Field
from counter.records import Attachment, DossierDetail
from counter.scans import attachments
from counter.text import parse_day
from ui.scans import dialogs
from ui.scans.offer_bar import OfferBar
from ui.scans.slots import CLOSED, RESULT_ROW, Slot, describe, slots_of
from ui.scans.watch import FolderWatcher, set_watch_folder, watch_folder
from ui.scans.worker import BackgroundJob
from ui.settings import ui_settings

log = logging.getLogger(__name__)

THUMB_HEIGHT = 72


class ScansBox(QWidget):
    attached = Signal(object, object)  # the Attachment just committed (or linked), and its Changes
    failed = Signal(str)  # the Vietnamese message of a refused attach
    valid_until_set = Signal(object, object)  # the Attachment whose validity date the clerk recorded, and its Changes
    COLUMNS = ("Bản số hóa", "Thành phần / giấy tờ", "Tình trạng", "")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.code = ""
        self.slots: list[Slot] = []
        self.job = BackgroundJob(self)
        self.job.succeeded.connect(self._attached)
        self.job.failed.connect(self._failed)
        self.job.running_changed.connect(self._set_busy)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setIconSize(QSize(THUMB_HEIGHT * 3 // 4, THUMB_HEIGHT))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # long names and states wrap
        self.table.setWordWrap(True)
        self.table.cellDoubleClicked.connect(lambda row, _c: self.view(row))
        for keys, act in (("Return", self.view), ("Enter", self.view), ("Ctrl+U", self.reuse),
                          ("Ctrl+H", self.ask_valid_until)):
            QShortcut(QKeySequence(keys), self.table, lambda act=act: act(self.current_row()),
                      context=Qt.ShortcutContext.WidgetShortcut)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setFormat("")
        self.busy.setMaximumHeight(10)
        self.busy_label = QLabel("Đang ghép và lưu bản số hóa…")
        self.folder_button = QPushButton("Thư mục máy quét…")
        self.folder_label = QLabel()
        self.folder_label.setStyleSheet("color: #5b6570;")
        self.offer_bar = OfferBar()  # the page places it where it is seen whichever tab is shown
        self.offer_bar.accepted.connect(self._offer_accepted)
        self.watcher = FolderWatcher(self)
        self.watcher.arrived.connect(self.offer)
        self.folder_button.clicked.connect(self.choose_folder)
        self.open = False
        self.loading = False  # a dossier is shown whose rows are still being read (show_loading)
        self.arrived: list[Path] = []  # the scanner's files that came meanwhile: offered once the rows are in
        self.offer_row = -1
        self.waiting: list[tuple[str, int | None, list[Path], bool]] = []  # accepted while an attach ran
        self._lay_out()
        self._set_busy(False)
        self.set_folder(watch_folder(ui_settings(ctx)), remember=False)
        self.setAcceptDrops(True)

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        hint = QLabel("Kéo thả tệp ảnh/PDF vào một dòng · Ctrl+O: chọn tệp · Enter: xem · Ctrl+U: dùng lại · "
                      "Ctrl+H: hạn sử dụng")
        hint.setWordWrap(True)  # never wider than the tab: the page keeps its 1366-pixel layout
        bar.addWidget(hint, 1)
        bar.addWidget(self.busy_label)
        bar.addWidget(self.busy)
        bar.addWidget(self.folder_label)
        bar.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

    # Showing ------------------------------------------------------------------------------------

    def show_loading(self, code: str) -> None:
        """Another dossier is opened and its rows are read a moment later: none of the last one's rows stay in
        view, nor take a file, meanwhile."""
        self.code = code
        self.open = False
        self.loading = True
        self.slots = []
        self.table.setRowCount(0)

    def show_detail(self, detail: DossierDetail) -> None:
        keep = self.current_row()
        self.loading = False
        self.code = detail.dossier.code
        self.open = detail.dossier.status not in CLOSED
        self.slots = slots_of(self.ctx, detail)
        self.table.setRowCount(len(self.slots))
        for row, slot in enumerate(self.slots):
            self._show_row(row, slot)
        self.table.resizeRowsToContents()
        if self.slots:
            self.table.selectRow(keep if 0 <= keep < len(self.slots) else self._first_undigitised())
        arrived, self.arrived = self.arrived, []
        for path in arrived:
            self.offer(path)

    def _show_row(self, row: int, slot: Slot) -> None:
        thumb = QTableWidgetItem("" if slot.scan else "—")
        unavailable = ""
        if slot.scan is not None:
            cached = attachments.local_thumbnail(self.ctx, slot.scan.sha256)  # office mode: from the server
            pixmap = QPixmap(str(cached)) if cached else QPixmap()
            thumb.setIcon(pixmap.scaledToHeight(THUMB_HEIGHT, Qt.TransformationMode.SmoothTransformation))
            if not attachments.openable(self.ctx, slot.scan.sha256, slot.scan.size):
                unavailable = " — không mở được: " + ("máy chủ không có tệp" if attachments.shared(self.ctx)
                                                       else "tệp không còn trong thư mục dữ liệu")
        thumb.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.setItem(row, 0, thumb)
        label = f"{slot.position}. {slot.name}" if slot.position is not None else slot.name
        self.table.setItem(row, 1, QTableWidgetItem(label))
        status = QTableWidgetItem(describe(slot, self.ctx.clock.now().date()) + unavailable)
        if slot.scan is None and slot.offer is not None:
            status.setForeground(Qt.GlobalColor.darkGreen)
        if unavailable:
            status.setForeground(Qt.GlobalColor.darkRed)
        self.table.setItem(row, 2, status)
        self.table.setCellWidget(row, 3, self._buttons(row, slot))

    def _buttons(self, row: int, slot: Slot) -> QWidget:
        cell = QWidget()
        layout = QHBoxLayout(cell)
        layout.setContentsMargins(2, 2, 2, 2)
        choose = QPushButton("Chọn tệp…")
        choose.clicked.connect(lambda: self.choose_and_attach(row))
        choose.setEnabled(self.open and not self.job.is_running())
        layout.addWidget(choose)
        if slot.scan is None and slot.offer is not None:
            again = QPushButton("Dùng lại")
            again.clicked.connect(lambda: self.reuse(row))
            again.setEnabled(self.open and not self.job.is_running())
            layout.addWidget(again)
        if slot.scan is not None:
            view = QPushButton("Xem")
            view.clicked.connect(lambda: self.view(row))
            layout.addWidget(view)
            if slot.position is not RESULT_ROW:
                expiry = QPushButton("Hạn…")
                expiry.setToolTip("Giấy tờ còn giá trị đến ngày nào (Ctrl+H): hết hạn thì không được dùng lại")
                expiry.clicked.connect(lambda: self.ask_valid_until(row))
                layout.addWidget(expiry)
        layout.addStretch(1)
        return cell

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else -1

    def _first_undigitised(self) -> int:
        return next((i for i, s in enumerate(self.slots) if s.scan is None), 0)

    def thumbnail_shown(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return item is not None and not item.icon().isNull()

    # Attaching ----------------------------------------------------------------------------------

    def choose_and_attach(self, row: int) -> bool:
        if not 0 <= row < len(self.slots) or not self.open or self.job.is_running():
            return False
        paths = dialogs.choose_files(self)
        return bool(paths) and self.attach(row, paths)

    def attach(self, row: int, paths: list[Path], *, add_pages: bool = False) -> bool:
        """Start attaching `paths` to the row's component (or the result); False if nothing started.
        With `add_pages` they follow the pages of the row's current scan instead of replacing it."""
        if not 0 <= row < len(self.slots) or self.job.is_running() or not self.open:
            return False
        slot = self.slots[row]
        add_pages = add_pages and slot.scan is not None and slot.position is not RESULT_ROW
        order = None
        if len(paths) > 1:
            order = dialogs.ask_order(paths, slot.name, self)
            if order is None:
                return False
            if add_pages:  # the domain's order counts the pages already stored first
                order = list(range(slot.scan.pages)) + [slot.scan.pages + i for i in order]
        self.table.selectRow(row)
        return self.job.start(_AttachWork(self.ctx, self.code, slot.position, list(paths), order, add_pages))

    def reuse(self, row: int) -> None:
        if not 0 <= row < len(self.slots) or self.slots[row].offer is None or self.slots[row].scan is not None:
            return
        if not self.open or self.job.is_running():
            return
        slot = self.slots[row]
        try:
            linked, changes = attachments.reuse(self.ctx, self.code, slot.position, slot.offer.attachment.id)
        except CounterError as exc:
            self.failed.emit(str(exc))
            return
        self.attached.emit(linked, changes)

    def ask_valid_until(self, row: int) -> bool:
        """Ctrl+H: until when the row's scanned paper is valid (an expired one is not offered for reuse)."""
        if not 0 <= row < len(self.slots) or self.slots[row].scan is None or self.slots[row].position is RESULT_ROW:
            return False
        slot = self.slots[row]
        text = dialogs.ask_valid_until(slot.name, slot.scan.valid_until, self)
        if text is None:
            return False
        try:
            day = parse_day(text, "Hạn sử dụng", field=Field.VALID_UNTIL)
            record, changes = attachments.set_valid_until(self.ctx, self.code, slot.position, day)
        except CounterError as exc:
            self.failed.emit(str(exc))
            return False
        self.valid_until_set.emit(record, changes)
        return True

    def _attached(self, outcome: tuple[Attachment, Changes]) -> None:
        self.attached.emit(*outcome)
        QTimer.singleShot(0, self._start_waiting)  # once the page has shown the new scan

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CounterError):
            log.error("attach failed", exc_info=exc)
            exc = f"Không gắn được bản số hóa: {exc}"
        self.failed.emit(str(exc))
        QTimer.singleShot(0, self._start_waiting)

    def _set_busy(self, running: bool) -> None:
        if running:
            self.busy_label.setText("Đang ghép và lưu bản số hóa…")
        self.busy.setVisible(running)
        self.busy_label.setVisible(running)
        for row in range(self.table.rowCount()):
            cell = self.table.cellWidget(row, 3)
            for button in cell.findChildren(QPushButton) if cell else ():
                button.setEnabled(not running and (self.open or button.text() == "Xem"))

    def view(self, row: int):
        if not 0 <= row < len(self.slots) or self.slots[row].scan is None:
            return None
        scan = self.slots[row].scan
        try:  # office mode: fetched from the centre's database into this PC's cache, checked by its SHA-256
            path = attachments.local_file(self.ctx, scan.sha256, scan.size, scan.name)
        except CounterError as e:
            self.failed.emit(str(e))
            return None
        return dialogs.open_viewer(path, f"{scan.name} — {self.code}", self)

    # The scanner's folder -----------------------------------------------------------------------

    def choose_folder(self) -> None:
        folder = dialogs.choose_folder(self, self.watcher.folder)
        if folder is not None:
            self.set_folder(folder)

    def set_folder(self, folder: Path | None, *, remember: bool = True) -> None:
        if remember:
            set_watch_folder(ui_settings(self.ctx), folder)
        self.watcher.watch(folder)
        watched = self.watcher.folder
        self.folder_label.setText(f"Theo dõi thư mục “{watched.name}”" if watched else "Chưa chọn thư mục máy quét")
        self.folder_label.setToolTip(str(watched or ""))

    def offer(self, path: Path) -> None:
        """A new file from the scanner, offered for the selected row (nothing if no open dossier is shown)."""
        if self.loading:
            self.arrived.append(path)
            return
        row = self.current_row()
        host = self.offer_bar.parentWidget()
        if not self.open or not 0 <= row < len(self.slots) or host is None or not host.isVisible():
            return
        self.offer_row = row
        busy_elsewhere = any(d.isVisible() for d in self.window().findChildren(QDialog))
        slot = self.slots[row]
        has_scan = slot.scan is not None or self._waiting_for(slot)
        self.offer_bar.offer(path, slot.name, take_focus=not busy_elsewhere,
                             has_scan=has_scan and slot.position is not RESULT_ROW)

    def _offer_accepted(self, paths: list[Path], replace: bool) -> None:
        if not 0 <= self.offer_row < len(self.slots):
            return
        if self.job.is_running():  # the scanner's next pages while the first ones are stored: queued, not lost
            self.waiting.append((self.code, self.slots[self.offer_row].position, paths, replace))
            self.busy_label.setText(f"Đang lưu bản số hóa… ({len(self.waiting)} lượt tệp đang chờ)")
            return
        self.attach(self.offer_row, paths, add_pages=not replace)

    def _waiting_for(self, slot: Slot) -> bool:
        return any(code == self.code and position == slot.position for code, position, _p, _r in self.waiting)

    def _start_waiting(self) -> None:
        """After an attach ends: the scanner files accepted meanwhile, for the same dossier and row."""
        if not self.waiting or self.job.is_running():
            return
        code, position, paths, replace = self.waiting.pop(0)
        row = next((i for i, slot in enumerate(self.slots) if slot.position == position), -1)
        if code != self.code or row < 0 or not self.attach(row, paths, add_pages=not replace):
            names = ", ".join(p.name for p in paths)
            self.failed.emit(f"Chưa gắn được {names} vào hồ sơ {code}: hồ sơ đã đóng hoặc đang xem hồ sơ khác. "
                             "Hãy mở lại hồ sơ và chọn tệp.")
            QTimer.singleShot(0, self._start_waiting)

    # Dropping files -----------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if dialogs.dropped_files(event.mimeData()) and self.open:
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = dialogs.dropped_files(event.mimeData())
        position = self.table.viewport().mapFrom(self, event.position().toPoint())
        index = self.table.indexAt(position)
        if paths and self.attach(index.row() if index.isValid() else self.current_row(), paths):
            event.acceptProposedAction()


    def drop_on_selected(self, mime) -> bool:
        """Files dropped elsewhere on the page: for the selected row."""
        paths = dialogs.dropped_files(mime)
        return bool(paths) and self.attach(self.current_row(), paths)


class _AttachWork:
    """What the worker runs: pure domain code, no Qt object (ui.scans.worker)."""

    def __init__(self, ctx: AppContext, code: str, position: int | None, paths: list[Path], order, add_pages: bool):
        self.ctx, self.code, self.position, self.paths, self.order = ctx, code, position, paths, order
        self.add_pages = add_pages

    def __call__(self) -> tuple[Attachment, Changes]:
        try:
            if self.position is RESULT_ROW:
                return attachments.attach_result(self.ctx, self.code, self.paths, order=self.order)
            return attachments.attach_component(self.ctx, self.code, self.position, self.paths, order=self.order,
                                                add_pages=self.add_pages)
        finally:
            self.ctx.database.close()  # this thread's own SQLite connection
