"""The Đồng bộ section: the queue, "gửi lại", and the end-of-day batch with its report.

The batch runs through BackgroundSync (a worker thread that touches no Qt); this page only shows its
progress, offers Hủy, and shows the report, which the preview prints or saves as PDF.
"""

from __future__ import annotations

import logging
from html import escape

from PySide6.QtCore import (
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from counter.changes import Changes
from counter.context import AppContext
from counter.errors import CounterError
from counter.office.profile import get_office
from counter.office.roles import ADMINS, has_role
from counter.sync import queue, settings
from counter.sync.outbox import waiting_counts
from ui.background_read import BackgroundRead
from ui.column_widths import fit_columns
from ui.printing.preview import PrintJob, open_preview
from ui.signals import Announcer
from ui.sync.background import BackgroundSync
from ui.sync.queue_model import QueueModel
from ui.sync.report_view import report_html
from ui.sync.runner import WorkerRunner

FORM = "sync_report"
# The longest text of each column but the last (which takes the rest): a code of workstation 9, the kinds' and
# states' longest labels, the next attempt's time.
COLUMN_SAMPLES = {0: "000.00.09.H56-261207-9999", 1: max(queue.KIND_LABELS.values(), key=len),
                  2: max(queue.STATE_LABELS.values(), key=len), 3: "99", 4: "16:45 28/12"}
FILTERS = ((queue.OPEN, "Chưa đồng bộ xong"), *queue.STATE_LABELS.items(), ("", "Tất cả"))

log = logging.getLogger(__name__)


class SyncPage(QWidget):
    changed = Signal(Changes)  # what a retry, a conflict resolved, a print or a sync pass changed
    configure = Signal(str)  # an administrator is taken to this missing setting (ui/sync/wiring.py)

    def __init__(self, ctx: AppContext, background: BackgroundSync, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.background = ctx, background
        self.report = None
        self._resolving = ""
        self.model = QueueModel(self)
        self.view = QTableView()
        self.filter = QComboBox()
        self.counts = QLabel()
        self.retry_button = QPushButton("Gửi lại mục đã chọn")
        self.retry_all_button = QPushButton("Gửi lại tất cả")
        self.keep_province_button = QPushButton("Giữ trạng thái của tỉnh")
        self.keep_local_button = QPushButton("Giữ trạng thái tại máy")
        self.resolver = WorkerRunner(self)
        # The queue's lines and counts, up to 2,000 lines (~200 ms at a million dossiers): on a worker thread
        self.reader = BackgroundRead(ctx, self)
        self.reader.done.connect(self._show_queue)
        self.reader.failed.connect(self._queue_unread)
        # "Đã đồng bộ" counts millions of entries at a large office (200–500 ms): on a worker thread, the rest at once
        self.synced_counter = BackgroundRead(ctx, self)
        self.synced: int | None = None  # the last count, shown until the next one arrives
        self._waiting: dict[str, int] = {}  # the waiting counts read at the last refresh
        self._fitted = False
        self.batch_button = QPushButton("Đồng bộ cuối ngày")
        self.cancel_button = QPushButton("Hủy")
        self.progress = QProgressBar()
        self.message = QLabel()
        self.report_view = QTextBrowser()
        self.print_button = QPushButton("Xem, in hoặc lưu PDF báo cáo…")
        self.announcer = Announcer(self.changed)
        self._lay_out()
        self._connect()
        self._show_idle()  # the queue is read when the page is shown (showEvent), not while the window is built:
        # at a million dossiers its 2,000 lines sized to their contents held the board back by half a second

    def _lay_out(self) -> None:
        for value, label in FILTERS:
            self.filter.addItem(label, value)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)  # the last error's text takes the rest
        fit_columns(self.view, COLUMN_SAMPLES)  # not resized to contents: 2,000 rows asked at each refresh
        self.batch_button.setMinimumHeight(36)
        self.batch_button.setStyleSheet("font-weight: bold")
        self.batch_button.setToolTip("Gửi mọi thứ còn chờ, rồi hỏi tỉnh xác nhận các hồ sơ đã gửi trong ngày")
        self.message.setWordWrap(True)
        self.report_view.setOpenLinks(False)
        title = QLabel("<b style='font-size:15pt'>Đồng bộ với hệ thống một cửa của tỉnh</b>")
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Xem:"))
        tools.addWidget(self.filter)
        tools.addWidget(self.counts, 1)
        tools.addWidget(self.retry_button)
        tools.addWidget(self.retry_all_button)
        tools.addWidget(self.keep_province_button)
        tools.addWidget(self.keep_local_button)
        batch = QHBoxLayout()
        batch.addWidget(self.batch_button)
        batch.addWidget(self.progress, 1)
        batch.addWidget(self.cancel_button)
        report_bar = QHBoxLayout()
        report_bar.addWidget(QLabel("<b>Báo cáo lượt đồng bộ cuối ngày</b>"), 1)
        report_bar.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(tools)
        layout.addWidget(self.view, 3)
        layout.addLayout(batch)
        layout.addWidget(self.message)
        layout.addLayout(report_bar)
        layout.addWidget(self.report_view, 2)

    def _connect(self) -> None:
        self.filter.currentIndexChanged.connect(self.refresh)
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_all_button.clicked.connect(self.retry_all)
        self.keep_province_button.clicked.connect(lambda: self.resolve("province"))
        self.keep_local_button.clicked.connect(lambda: self.resolve("local"))
        self.resolver.finished.connect(self._on_resolved)
        self.resolver.failed.connect(lambda error: self._on_resolved(None, error))
        self.batch_button.clicked.connect(self.start_batch)
        self.cancel_button.clicked.connect(self.background.cancel_batch)
        self.print_button.clicked.connect(self.preview_report)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        bg = self.background
        bg.batch_started.connect(self._show_running)
        bg.progress.connect(self._on_progress)
        bg.batch_finished.connect(self._on_report)
        bg.batch_failed.connect(self._on_failed)
        bg.synced.connect(self._synced)
        self.synced_counter.done.connect(self._counted)
        self.synced_counter.failed.connect(lambda error: self._counted(None))

    # The queue ------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Read the queue again (on a worker thread: `_show_queue` shows it) and the confirmed count."""
        ctx, state = self.ctx, self.filter.currentData() or None
        self.reader.read(lambda: (queue.list_entries(ctx, state), waiting_counts(ctx)))
        self._count_synced()

    @Slot(object)
    def _show_queue(self, read: tuple[list[queue.QueueRow], dict[str, int]]) -> None:
        entries, waiting = read
        selected = self.selected()
        self.model.set_rows(entries, self.ctx.clock.now())
        if selected is not None:
            for i, row in enumerate(self.model.rows):
                if row.id == selected.id:
                    self.view.selectRow(i)
        self._show_counts(waiting)
        self._update_buttons()

    @Slot(object)
    def _queue_unread(self, error: Exception) -> None:
        if not isinstance(error, CounterError):
            log.error("the sync queue could not be read", exc_info=error)
        self._say(str(error) if isinstance(error, CounterError) else
                  "Không đọc được hàng đợi đồng bộ (chi tiết trong nhật ký).", "#b00020")

    def _show_counts(self, waiting: dict[str, int] | None = None) -> None:
        """The counts line: the waiting counts read now (`waiting`, at a refresh) or the last ones read, beside the
        last confirmed count the worker brought (no query here when only that count arrives)."""
        if waiting is not None:
            self._waiting = waiting
        if not self._waiting:
            return  # the confirmed count came first: the line waits for the waiting counts (read on a worker too)
        counted = {} if self.synced is None else {queue.SYNCED: self.synced}
        self.counts.setText(queue.counts_text({**self._waiting, **counted}))

    def _count_synced(self) -> None:
        """The confirmed entries counted on the worker thread (its own connection); asked again while counting,
        counted once more after (ui/background_read.py)."""
        ctx = self.ctx
        self.synced_counter.read(lambda: queue.synced_count(ctx))

    @Slot(object)
    def _counted(self, count: object) -> None:
        if isinstance(count, int):
            self.synced = count
            self._show_counts()

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        if changes.sync_queue and self.isVisible() and not self.announcer.announcing:
            self.refresh()

    @Slot(object)
    def _synced(self, changes: Changes) -> None:
        """A sync pass ended (in the background or the end-of-day batch): show the queue, and announce what the
        pass changed to the other views (the counts, a dossier whose status came from the province)."""
        if self.isVisible():  # else read when shown
            self.refresh()
        self.announcer.announce(changes)

    def showEvent(self, event) -> None:
        if not self._fitted:  # in the font it paints with, known once shown
            self._fitted = True
            fit_columns(self.view, COLUMN_SAMPLES)
        self.refresh()
        if not self.message.text() and settings.lacks_password_here(self.ctx, settings.load(self.ctx).missing()):
            self._say(settings.NO_PASSWORD_HERE, "#8a5a00")  # office mode: said before the clerk tries to sync
        super().showEvent(event)

    def selected(self) -> queue.QueueRow | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_at(rows[0]) if rows else None

    @Slot()
    def retry_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            changes = queue.retry(self.ctx, row.id)
        except CounterError as e:
            return self._say(str(e), "#b00020")
        self._after_retry(f"Mục {row.code} sẽ được gửi lại ở lượt đồng bộ tới.", changes)

    @Slot()
    def retry_all(self) -> None:
        count, changes = queue.retry_all(self.ctx)
        self._after_retry(f"{count} mục sẽ được gửi lại ở lượt đồng bộ tới." if count
                          else "Không có mục nào chờ gửi lại.", changes)

    def _after_retry(self, text: str, changes: Changes) -> None:
        self._say(text, "#1b7a3a")
        self.refresh()
        self.announcer.announce(changes)

    @Slot()
    def _update_buttons(self) -> None:
        row = self.selected()
        self.retry_button.setEnabled(row is not None and row.state in (queue.PENDING, queue.ATTENTION)
                                     and not row.is_conflict)
        self.print_button.setEnabled(self.report is not None)
        conflict = row is not None and row.is_conflict and not self.resolver.running
        for button in (self.keep_province_button, self.keep_local_button):
            button.setVisible(row is not None and row.is_conflict)
            button.setEnabled(conflict)

    def resolve(self, keep: str) -> bool:
        """The clerk's decision on the selected conflict, asked of the province in the background."""
        row = self.selected()
        if row is None or not row.is_conflict or self.resolver.running:
            return False
        self._resolving = row.code
        self.resolver.run(lambda _progress, _cancel: queue.resolve_conflict(self.ctx, row.code, keep),
                          close=self.ctx.database.close)
        self._say(f"Đang hỏi hệ thống tỉnh về hồ sơ {row.code}…", "#1f4e79")
        self._update_buttons()
        return True

    def _on_resolved(self, outcome: tuple[str, Changes] | None, error=None) -> None:
        self.refresh()
        if error is not None:
            self._say(f"Chưa xử lý được xung đột của hồ sơ {self._resolving}: {error}", "#b00020")
            return
        label, changes = outcome
        self._say(f"Hồ sơ {self._resolving}: giữ trạng thái “{label}”; sẽ gửi ở lượt đồng bộ tới.", "#1b7a3a")
        self.announcer.announce(changes)

    # The end-of-day batch -------------------------------------------------------------------

    @Slot()
    def start_batch(self) -> None:
        if self.background.start_batch():
            return
        missing = settings.load(self.ctx).missing() if self.background.connection.state == "unconfigured" else []
        if not missing:
            self._say("Chưa chạy được: đang có một lượt đồng bộ cuối ngày.", "#b00020")
        elif settings.lacks_password_here(self.ctx, missing):  # office mode: this PC has no password of its own
            admin = has_role(self.ctx.user, ADMINS)
            self._say(f"Chưa đồng bộ được. {settings.missing_said(self.ctx, missing)} "
                      + ("Đã mở trang Quản trị đến mục còn thiếu." if admin else
                         "Hãy nhờ quản trị viên nhập trên máy này; hồ sơ vẫn được giữ để gửi sau."), "#b00020")
            if admin:
                self.configure.emit(missing[0])
        elif has_role(self.ctx.user, ADMINS):
            self._say(f"Chưa cấu hình đồng bộ với hệ thống tỉnh: còn thiếu {settings.in_words(missing)}. Hãy điền "
                      "ở trang Quản trị (đã mở đến mục đầu tiên còn thiếu), bấm Lưu rồi đồng bộ lại.", "#b00020")
            self.configure.emit(missing[0])
        else:
            self._say(f"Chưa đồng bộ được: máy này chưa cấu hình đồng bộ với hệ thống tỉnh (còn thiếu "
                      f"{settings.in_words(missing)}). Hãy gọi quản trị viên để cấu hình; hồ sơ vẫn được giữ "
                      "để gửi sau.", "#b00020")

    @Slot()
    def _show_running(self) -> None:
        self.batch_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self._say("Đang đồng bộ cuối ngày… Vẫn có thể tiếp tục làm việc trong lúc chờ.", "#1f4e79")

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.progress.setFormat(f"{done}/{total} mục")

    @Slot(object)
    def _on_report(self, report) -> None:
        self.report = report
        self._show_idle()
        self.report_view.setHtml(report_html(report))
        self._say("Đồng bộ cuối ngày đã xong: báo cáo ở dưới, có thể in hoặc lưu PDF.", "#1b7a3a")
        self.refresh()

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        self._show_idle()
        self._say(f"Chưa đồng bộ được: {reason}", "#b00020")
        self.refresh()

    def _show_idle(self) -> None:
        self.batch_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        self._update_buttons()

    def _say(self, text: str, colour: str) -> None:
        self.message.setText(f"<span style='color:{colour}'>{escape(text)}</span>")

    @Slot()
    def preview_report(self):
        if self.report is None:
            return None
        from printing.sync_report import build_sync_report  # reportlab: imported by the first report printed

        pdf = build_sync_report(self.report, get_office(self.ctx))
        day = f"{self.report.started_at:%Y-%m-%d}"
        job = PrintJob(FORM, pdf, f"Báo cáo đồng bộ ngày {self.report.started_at:%d/%m/%Y}", f"bao-cao-dong-bo-{day}")
        preview = open_preview(self.ctx, job, self)
        preview.changed.connect(self.changed)
        return preview
