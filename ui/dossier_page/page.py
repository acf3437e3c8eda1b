"""One dossier: who, what, when it is due and how much working time is left, what happened to it, and
the buttons for exactly the actions its state allows (each with its key).

Opened by a scan (`open_dossier`), the page paints what the clerk reads at once — the header with the code,
status and time left, the applicant, the procedure and its deadline, the fees, the actions offered — from the
dossier's own rows, and fills the rest right after that frame (ui.dossier_page.after_paint): the history, the
papers and their scans, what happened after reception, the sync conflict. An action, a drop or Ctrl+O meanwhile
first finishes that filling. `load` (after an action, a change) fills everything at once.

An action opens its small dialog; the dialog commits the change, the page reloads the dossier,
announces what changed (`changed`), and only then prints the action's form through the preview. Returning a
result goes on to the citizen's rating. A change made elsewhere (a scan stored in the background, a status
taken from the province) reloads the page only when it names this dossier.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import (
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.calendar import schedule
from counter.changes import Changes
from counter.context import AppContext
from counter.dossiers import board, transitions
from counter.dossiers.detail import detail_of, load_detail
from counter.records import DossierDetail
from counter.status import Status
from counter.sync import queue
from ui.dossier_page import jobs, reprint
from ui.dossier_page.actions import ACTIONS, BY_KEY, PRINT_SLIP, PRINTING, REPRINT
from ui.dossier_page.after_paint import AfterPaint
from ui.dossier_page.dialog_base import ActionDialog
from ui.dossier_page.panel import ActionPanel, HeaderBar
from ui.dossier_page.summary import (
    ComponentsBox,
    FactsBox,
    applicant_rows,
    fee_rows,
    procedure_rows,
    progress_rows,
    when,
)
from ui.dossier_page.timeline import Timeline
from ui.page_actions import page_action
from ui.printing.preview import PreviewDialog, PrintJob, open_preview
from ui.reception.look import MessageLine, readable
from ui.scans.box import ScansBox
from ui.signals import Announcer

log = logging.getLogger(__name__)

PRINT_FAILED = "{done} Nhưng chưa tạo được phiếu để in ({error}): hãy bấm In lại."
REST_FAILED = "Chưa đọc được quá trình giải quyết và bản số hóa của hồ sơ ({error}): hãy quét lại mã hồ sơ."
DONE = {
    "handover": "Đã bàn giao hồ sơ cho {unit}.",
    "request_supplement": "Đã ghi yêu cầu bổ sung; thời hạn giải quyết tạm dừng.",
    "receive_supplement": "Đã nhận hồ sơ bổ sung; thời hạn giải quyết chạy tiếp, hẹn trả mới: {due}.",
    "request_payment": "Đã ghi yêu cầu nộp phí, lệ phí.",
    "record_payment": "Đã ghi thu phí, lệ phí.",
    "record_result": "Đã ghi có kết quả giải quyết: hồ sơ chờ trả. Số hóa giấy tờ kết quả ở dòng “Kết quả” "
                     "(thẻ Bản số hóa, đã chọn sẵn): kéo thả tệp vào hoặc bấm “Chọn tệp…”.",
    "return_result": "Đã trả kết quả.",
    "rate_service": "Đã ghi đánh giá của công dân.",
    "apologise": "Đã ghi xin lỗi và hẹn lại ngày trả kết quả.",
    "withdraw": "Đã ghi công dân rút hồ sơ.",
    "stop": "Đã ghi dừng xử lý hồ sơ.",
}


class DossierPage(QWidget):
    changed = Signal(Changes)  # what an action, a scan or a print made here changed
    back = Signal()  # Esc: back to where the clerk came from
    populated = Signal(str)  # the code whose page is now whole (the part filled after the first paint included)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dossier: records.Dossier | None = None  # the dossier shown
        self.detail: DossierDetail | None = None  # all of it; None while its later part is being read
        self.dialog: ActionDialog | None = None
        self.preview: PreviewDialog | None = None
        self.reprint_dialog: reprint.ReprintDialog | None = None
        readable(self)
        self.header = HeaderBar()
        self.notice = MessageLine()
        self.message = MessageLine()
        self.applicant_box = FactsBox("Người nộp hồ sơ")
        self.procedure_box = FactsBox("Thủ tục và thời hạn")
        self.fees_box = FactsBox("Phí, lệ phí")
        self.progress_box = FactsBox("Diễn biến sau tiếp nhận")
        self.components_box = ComponentsBox()
        self.timeline = Timeline()
        self.scans = ScansBox(ctx)
        self.lower = QTabWidget()
        self.panel = ActionPanel([*ACTIONS, *PRINTING])
        self.announcer = Announcer(self.changed)
        self.rest = AfterPaint(self.header.code_label, self)  # the code is in every first frame
        self._lay_out()
        self._connect()

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        for box in (self.applicant_box, self.fees_box, self.progress_box):
            left.addWidget(box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.procedure_box)
        right.addStretch(1)
        facts = QHBoxLayout()
        facts.addLayout(left, 1)
        facts.addLayout(right, 1)
        # The history and the papers share the lower half: a return visit needs the facts above in view.
        self.lower.addTab(self.timeline, "")
        self.lower.addTab(self.components_box, "")
        self.lower.addTab(self.scans, "")
        self.lower.setMinimumHeight(200)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(facts)
        column.addWidget(self.lower, 1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QHBoxLayout()
        content.addWidget(scroll, 1)
        content.addWidget(self.panel)
        page = QVBoxLayout(self)
        page.setContentsMargins(10, 6, 10, 8)
        page.addWidget(self.header)
        page.addWidget(self.notice)
        page.addLayout(content, 1)
        page.addWidget(self.scans.offer_bar)
        page.addWidget(self.message)

    def _connect(self) -> None:
        self.header.back_button.clicked.connect(self.back)
        self.panel.triggered.connect(self.start)
        self.scans.attached.connect(self._scanned)
        self.scans.failed.connect(self.message.error)
        self.scans.valid_until_set.connect(self._valid_until_set)
        self.scans.job.running_changed.connect(self._scanning)
        self.setAcceptDrops(True)  # files dropped anywhere on the page go to the selected paper
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back.emit, context=context)
        # The page's commands as actions: their keys work while the page has focus; the main window's menus list them.
        self.page_actions = [page_action(self, a.text, (a.shortcut,), lambda key=a.key: self.start(key))
                             for a in (*ACTIONS, *PRINTING)]
        self.page_actions.append(page_action(self, "Gắn tệp quét…", ("Ctrl+O",), self.choose_scan,
                                             "Chọn tệp quét để gắn vào giấy tờ đang chọn"))

    # Showing ------------------------------------------------------------------------------------

    @property
    def code(self) -> str:
        return self.dossier.code if self.dossier else ""

    def load(self, code: str) -> DossierDetail:
        """Read the dossier now (on this thread) and show it."""
        detail = load_detail(self.ctx, code, self.ctx.user)
        self.show_detail(detail)
        return detail

    @Slot()
    def reload(self) -> None:
        if self.dossier is not None:
            self.load(self.code)

    @Slot(Changes)
    def on_changed(self, changes: Changes) -> None:
        """A change announced anywhere: reload only if it names this dossier (its record or its scans), or the
        calendar its time left is counted on. The page's own changes are shown already, and a hidden page is
        loaded afresh whenever a dossier is opened (ui.dossier_page.navigator)."""
        if self.dossier is None or self.announcer.announcing or not self.isVisible():
            return
        if changes.touches(self.code) or changes.calendar:
            self.reload()

    def open_dossier(self, dossier: records.Dossier) -> None:
        """A dossier just read by its code (counter.dossiers.lookup.get_dossier): shown now, the rest read and
        shown once this frame is painted. Nothing of the dossier shown before stays in view meanwhile."""
        new_dossier = dossier.code != self.code
        self.detail = None
        self._show_first(dossier, transitions.allowed_actions(dossier, self.ctx.user))
        if new_dossier:  # the same dossier again keeps its parts in view until they are read again: no flicker
            self.progress_box.hide()
            self.timeline.show_history(())
            self.components_box.clear()
            self.scans.show_loading(dossier.code)
            self._tab_text(2, f"Bản số hóa (…/{len(dossier.components)})")
        self.rest.schedule(partial(self._read_rest, dossier))

    def finish_loading(self) -> None:
        """The part still to be read, now: an action needs the whole dossier."""
        self.rest.run_now()

    def _read_rest(self, dossier: records.Dossier) -> None:
        if dossier is not self.dossier:
            return  # another dossier (or this one read again) is shown since
        try:
            detail = detail_of(self.ctx, dossier, self.ctx.user)
            self._show_rest(detail)
        except Exception as exc:  # the dossier stays on screen; the clerk is told what is missing
            log.exception("reading the rest of dossier %s failed", dossier.code)
            self.message.error(REST_FAILED.format(error=exc))
            return
        self.populated.emit(dossier.code)

    def show_detail(self, detail: DossierDetail) -> None:
        """All of it, now."""
        self.rest.cancel()
        self._show_first(detail.dossier, detail.allowed_actions)
        self._show_rest(detail)
        self.panel.focus_first()
        self.populated.emit(detail.dossier.code)

    def _show_first(self, d: records.Dossier, allowed: tuple[str, ...] | list[str]) -> None:
        """What the first frame shows: read from the dossier's own rows."""
        if d.code != self.code:
            self.message.clear_message()
        self.dossier = d
        self.header.show_dossier(d, *self.timing(d), schedule.calendar(self.ctx).day_minutes, self.ctx.clock.now())
        self.applicant_box.set_rows(applicant_rows(d))
        self.procedure_box.set_rows(procedure_rows(d))
        self.fees_box.set_rows(fee_rows(d))
        self._tab_text(0, f"Quá trình giải quyết — phiếu kiểm soát ({len(d.history)})")
        self._tab_text(1, f"Thành phần hồ sơ ({len(d.components)})")
        self.panel.show_allowed(allowed)
        self._show_refusal(d, allowed)

    def _show_rest(self, detail: DossierDetail) -> None:
        """What is filled after the first frame: the history, the papers, the scans, the sync conflict."""
        self.detail = detail
        d = detail.dossier
        progress = progress_rows(detail)
        self.progress_box.set_rows(progress)
        self.progress_box.setVisible(bool(progress))
        self.components_box.show_components(d)
        self.timeline.show_history(d.history)
        self.scans.show_detail(detail)
        done = sum(1 for slot in self.scans.slots if slot.position is not None and slot.scan is not None)
        self._tab_text(2, f"Bản số hóa ({done}/{len(d.components)})")
        conflict = queue.conflict_of(self.ctx, d.code)
        if conflict is not None:  # the clerk working on the dossier must know before changing it further
            self.notice.warn(f"{conflict} Chọn bên giữ lại ở mục Đồng bộ (Ctrl+Shift+S).")

    def _tab_text(self, index: int, text: str) -> None:
        if self.lower.tabText(index) != text:  # a tab's text set lays the whole tab bar out again
            self.lower.setTabText(index, text)

    def timing(self, dossier: records.Dossier) -> tuple[int | None, str]:
        return board.time_left(self.ctx.clock.now(), dossier, schedule.calendar(self.ctx))

    def _show_refusal(self, d: records.Dossier, allowed: tuple[str, ...] | list[str]) -> None:
        """Why the usual next step is not offered, in the domain's words (fees unpaid before a return). A sync
        conflict, read with the rest, takes this line over (_show_rest)."""
        refusal = None
        if d.status == Status.RESULT_READY and "return_result" not in allowed:
            refusal = transitions.refusal("return_result", d, self.ctx.user)
        if refusal is not None:
            self.notice.warn(str(refusal))
        else:
            self.notice.clear_message()

    def offered(self) -> list[str]:
        """The actions whose buttons are shown (print_slip included)."""
        return self.panel.shown()

    # Scans ------------------------------------------------------------------------------------

    def _scanned(self, attachment, changes: Changes) -> None:
        """A scan is committed (on the GUI thread): show it, say so, announce the change."""
        if attachment.dossier_code != self.code:  # the clerk moved on meanwhile: announce it all the same
            self.announcer.announce(changes)
            return
        self.load(self.code)
        how = "Đã dùng lại" if attachment.reused else "Đã gắn"
        self.message.info(f"{how} bản số hóa “{attachment.name}” ({attachment.pages} trang).")
        self.announcer.announce(changes)

    def _valid_until_set(self, attachment, changes: Changes) -> None:
        self.load(self.code)
        until = f"đến {attachment.valid_until:%d/%m/%Y}" if attachment.valid_until else "không thời hạn"
        self.message.info(f"Đã ghi hạn sử dụng của “{attachment.name}”: {until}.")
        self.announcer.announce(changes)

    def choose_scan(self) -> bool:
        """Ctrl+O: files for the paper selected on the scans tab (which comes into view)."""
        self.finish_loading()
        self.lower.setCurrentWidget(self.scans)
        self.scans.table.setFocus()
        return self.scans.choose_and_attach(self.scans.current_row())

    def _scanning(self, running: bool) -> None:
        """An attach started (from a row, a drop or the scanner's bar): its busy bar and row come into view."""
        if running:
            self.lower.setCurrentWidget(self.scans)

    def dragEnterEvent(self, event) -> None:
        self.finish_loading()
        self.scans.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        self.finish_loading()
        if self.scans.drop_on_selected(event.mimeData()):
            event.acceptProposedAction()

    # Actions ------------------------------------------------------------------------------------

    @Slot(str)
    def start(self, key: str) -> ActionDialog | None:
        self.finish_loading()
        if self.detail is None or self.dialog is not None:
            return None
        if key == PRINT_SLIP.key:
            self._print(lambda: jobs.control_slip_job(self.ctx, self.detail), "")
            return None
        if key == REPRINT.key:
            self.reprint()
            return None
        if key not in self.detail.allowed_actions:
            self._refuse(key)
            return None
        dialog = BY_KEY[key].dialog(self.ctx, self.detail, self)
        dialog.committed.connect(lambda dossier, changes, d=dialog: self._after(d, dossier, changes))
        dialog.finished.connect(self._dialog_closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def reprint(self) -> reprint.ReprintDialog:
        """The forms this dossier was given; the one chosen goes through the preview again."""
        self.finish_loading()
        clerk = self.ctx.user.full_name if self.ctx.user else ""
        dialog = reprint.ReprintDialog(reprint.forms(self.ctx, self.detail, clerk), self.code, self)
        self.reprint_dialog = dialog
        dialog.finished.connect(lambda result: self._reprinted(dialog, result))
        dialog.open()
        return dialog

    def _reprinted(self, dialog: reprint.ReprintDialog, result: int) -> None:
        self.reprint_dialog = None
        dialog.deleteLater()
        if result == reprint.ReprintDialog.DialogCode.Accepted and dialog.chosen is not None:
            self._print(dialog.chosen.build, "")  # the preview takes the focus
        else:
            self._take_focus()

    def _refuse(self, key: str) -> None:
        refusal = transitions.refusal(key, self.detail.dossier, self.ctx.user)
        label = transitions.ACTION_LABELS.get(key, key)
        self.message.error(str(refusal) if refusal else f"Không thể {label.lower()} lúc này.")

    @Slot()
    def _dialog_closed(self, *_) -> None:
        closed, self.dialog = self.dialog, None
        if closed is not None:
            closed.deleteLater()  # a counter opens hundreds a day
        self._take_focus()

    def _take_focus(self) -> None:
        """Back to the page's usual next step once a dialog or the preview is gone."""
        self.window().activateWindow()
        self.panel.focus_first()

    def _after(self, dialog: ActionDialog, dossier: records.Dossier, changes: Changes) -> None:
        """The change is committed: refresh, announce, then print from the stored record."""
        self.load(dossier.code)
        self.announcer.announce(changes)
        done = DONE[dialog.action].format(unit=dossier.unit, due=when(dossier.due_at))
        if dialog.action == "record_result":
            self._select_result_scan()
        preview = self._print(lambda: dialog.job(self.detail), done)
        if dialog.action == "return_result" and "rate_service" in self.detail.allowed_actions:
            if preview is not None:
                preview.finished.connect(lambda *_: self.start("rate_service"))
            else:
                self.start("rate_service")

    def _select_result_scan(self) -> None:
        """The paper result is digitised too (domain.md §8): its row comes into view, selected."""
        self.lower.setCurrentWidget(self.scans)
        rows = [i for i, slot in enumerate(self.scans.slots) if slot.position is None]
        if rows:
            self.scans.table.selectRow(rows[-1])

    def _print(self, build, done: str) -> PreviewDialog | None:
        try:
            job = build()
            if job is None:
                self.message.info(done)
                return None
            preview = self.show_preview(job)
        except Exception as exc:  # the change stands: say so, and how to print later
            log.exception("building or showing the form failed")
            self.message.error(PRINT_FAILED.format(done=done, error=exc).strip())
            return None
        if done:
            self.message.info(done)
        return preview

    def show_preview(self, job: PrintJob) -> PreviewDialog | None:
        """The print preview, without blocking (tests replace this seam to collect the job)."""
        self.preview = open_preview(self.ctx, job, self)
        self.preview.changed.connect(self.changed)  # the print log: nothing this page shows
        self.preview.finished.connect(self._preview_closed)
        self.preview.print_failed.connect(self.message.warn)  # stays after the preview is closed
        return self.preview

    @Slot()
    def _preview_closed(self, *_) -> None:
        self.preview = None
        self._take_focus()
