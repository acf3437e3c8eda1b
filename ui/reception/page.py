"""Tiếp nhận hồ sơ: the screen the counter clerk works in all day.

Three outcomes, one key each: F9 (or Ctrl+Enter) receives and prints Mẫu 01, F7 records the
guidance for an incomplete dossier and prints Mẫu 02, F8 refuses and prints Mẫu 03. Each one
commits first, then builds the form from the stored record and opens the preview, then empties
the form for the next citizen. Nothing typed is lost when an outcome fails.

The domain calls run on the GUI thread: one reception is a few milliseconds of SQLite work.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable

from PySide6.QtCore import (
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter.calendar import admin as calendar_admin
from counter.changes import NOTHING, Changes
from counter.context import AppContext
from counter.dossiers import applicants, reception
from counter.errors import CounterError, Field, ValidationError
from counter.records import Dossier, DossierDraft, Procedure
from ui.page_actions import page_action
from ui.printing.preview import PreviewDialog, PrintJob, open_preview
from ui.reception import dialogs, jobs
from ui.reception.applicant_box import ApplicantBox
from ui.reception.components_table import ComponentsTable
from ui.reception.details_box import DetailsBox
from ui.reception.enter_moves import EnterMoves
from ui.reception.fee_box import FeeBox
from ui.reception.history_box import HistoryBox
from ui.reception.look import ERROR, MessageLine, bold, readable, show_error
from ui.reception.procedure_info import ProcedureInfo, format_due
from ui.reception.procedure_picker import ProcedurePicker
from ui.reception.scan_queue import ScanQueue
from ui.scans.reception_reuse import ReceptionReuse

log = logging.getLogger(__name__)

WRITE_FAILED = ("Không ghi được hồ sơ vào máy ({error}). Chưa in phiếu nào; thông tin vừa nhập vẫn còn "
                "trên màn hình — hãy thử lại, nếu vẫn lỗi thì báo quản trị viên.")
PRINT_FAILED = "{done} Nhưng chưa tạo được phiếu để in ({error}): hãy in lại từ màn hình Tra cứu."


class _Form(QWidget):
    """The form inside the page's scroll area. It asks for its minimum height, not its preferred
    one, so the scroll bar appears only when the form truly does not fit (wrapped labels already
    claim the height their text needs)."""

    def heightForWidth(self, width: int) -> int:
        return self.minimumSizeHint().height()


class ReceivePage(QWidget):
    changed = Signal(Changes)  # what an outcome changed (emitted once its preview is up), or the scans stored after

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.preview: PreviewDialog | None = None
        readable(self)
        self.applicant = ApplicantBox(ctx)
        self.history = HistoryBox(ctx)
        self.picker = ProcedurePicker(ctx, today=lambda: ctx.clock.now().date())
        self.info = ProcedureInfo(ctx)
        self.table = ComponentsTable()
        self.components = self.table.components_model
        self.fee = FeeBox()
        self.details = DetailsBox()
        self.message = MessageLine()
        self.reuse = ReceptionReuse(ctx, self.table, self)
        self.scans = ScanQueue(ctx, self)
        self.receive_button = self._button("Tiếp nhận, in Mẫu 01  (F9)", self.receive, primary=True)
        self.guide_button = self._button("Thiếu giấy tờ: Mẫu 02  (F7)", self.guide)
        self.refuse_button = self._button("Từ chối: Mẫu 03  (F8)", self.refuse)
        self.new_button = self._button("Làm mới  (Ctrl+N)", self.new_reception)
        self._lay_out()
        self._connect()
        self._shortcuts()
        self.field_widgets: dict[Field | None, QWidget] = {  # the cursor goes here after an error about the field
            Field.ID_NUMBER: self.applicant.id_edit, Field.OLD_ID_NUMBER: self.applicant.old_id_edit,
            Field.NAME: self.applicant.name_edit, Field.BIRTH_DATE: self.applicant.birth_edit,
            Field.PHONE: self.applicant.phone_edit, Field.ADDRESS: self.applicant.address_edit,
            Field.PROCEDURE: self.picker, Field.COMPONENTS: self.table,
            Field.SUMMARY: self.details.summary_edit, Field.SETS: self.details.sets_spin,
            Field.FEE_UNITS: self.fee.units_spin,
            Field.FEE_EXEMPT_REASON: self.fee.reason_edit,
        }
        self.applicant.id_edit.setFocus()

    def _button(self, text: str, slot: Callable[[], object], primary: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumHeight(40)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(slot)
        if primary:
            bold(button)
            button.setStyleSheet("QPushButton { background: #1f4e79; color: white; padding: 0 18px; }"
                                 "QPushButton:focus { border: 2px solid #f0b429; }")
        return button

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in (self.receive_button, self.guide_button, self.refuse_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.new_button)
        page = QVBoxLayout(self)
        page.setContentsMargins(10, 8, 10, 8)
        page.addWidget(self._form_area(), 1)
        page.addWidget(self.scans.offer_bar)
        page.addWidget(self.message)
        page.addLayout(actions)
        chain = [*self.applicant.fields(), self.picker.edit, self.table, *self.fee.fields(), *self.details.fields(),
                 self.receive_button, self.guide_button, self.refuse_button, self.new_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _form_area(self) -> QScrollArea:
        """Applicant, procedure and papers on the left; history, fee and details on the right. Long
        messages on a small screen scroll the form, while the outcome buttons stay in view."""
        procedure = QGroupBox("Thủ tục hành chính")
        procedure_column = QVBoxLayout(procedure)
        procedure_column.addWidget(self.picker)
        procedure_column.addWidget(self.info)
        papers = QGroupBox("Thành phần hồ sơ  (Space: đánh dấu đã nộp · Insert: thêm giấy tờ khác · "
                           "Ctrl+O: chọn tệp quét)")
        QVBoxLayout(papers).addWidget(self.table)
        left = QVBoxLayout()
        for widget, stretch in ((self.applicant, 0), (procedure, 0), (papers, 1)):
            left.addWidget(widget, stretch)
        right = QVBoxLayout()
        for widget, stretch in ((self.history, 1), (self.fee, 0), (self.details, 0)):
            right.addWidget(widget, stretch)
        form = _Form()
        columns = QHBoxLayout(form)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        scroll = QScrollArea()
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _connect(self) -> None:
        self.applicant.person_changed.connect(self.history.show_for)
        self.picker.picked.connect(self._on_pick)
        self.applicant.person_changed.connect(self.reuse.person_changed)
        self.picker.picked.connect(self.reuse.procedure_changed)  # after _on_pick has reset the table
        for signal in (self.components.dataChanged, self.components.rowsInserted, self.components.rowsRemoved,
                       self.components.modelReset, self.fee.units_changed):
            signal.connect(self._recompute_fee)
        self.fee.reason_edit.textChanged.connect(self._recompute_fee)
        EnterMoves(self).watch(*self.fee.fields(), *self.details.fields())

    def _shortcuts(self) -> None:
        """The page's commands: their keys work while the page has focus, and the main window's menus list them."""
        self.page_actions = [
            page_action(self, "&Tiếp nhận, in giấy biên nhận", ("F9", "Ctrl+Return", "Ctrl+Enter"), self.receive,
                        "Tiếp nhận hồ sơ đang nhập và in giấy biên nhận (Mẫu 01)"),
            page_action(self, "&Hướng dẫn bổ sung (Mẫu 02)", ("F7",), self.guide,
                        "Hồ sơ chưa đủ: in phiếu hướng dẫn bổ sung, không cấp mã"),
            page_action(self, "Từ &chối tiếp nhận (Mẫu 03)", ("F8",), self.refuse, "In phiếu từ chối tiếp nhận"),
            page_action(self, "Tiếp nhận hồ sơ &mới", ("Ctrl+N",), self.new_reception, "Xóa trang để nhận hồ sơ khác"),
        ]

    # Filling -----------------------------------------------------------------------------------

    @Slot(str)
    def fill_from_cccd(self, text: str) -> bool:
        """A scanned CCCD QR (from the main window's scanner): fill the applicant."""
        return self.applicant.fill_from_cccd(text)

    @Slot(object)
    def _on_pick(self, procedure: Procedure | None) -> None:
        self.info.set_procedure(procedure)
        self.components.set_procedure(procedure)
        self.fee.set_procedure(procedure)
        self._recompute_fee()
        if procedure is not None:
            self.message.clear_message()

    @Slot()
    def _recompute_fee(self, *_) -> None:
        self.fee.recompute(self.components.components())

    # Outcomes ----------------------------------------------------------------------------------

    def draft(self) -> DossierDraft:
        """What the form says, as the domain's input; a ValidationError if the screen itself is incomplete."""
        procedure = self._chosen_procedure()
        applicant = self.applicant.applicant_input()
        details = self.details.values()
        return DossierDraft(
            procedure_code=procedure.code, applicant=applicant, components=self.components.components(),
            summary=details.summary, sets=details.sets, channel=details.channel,
            return_method=details.return_method, fee_units=self.fee.units(),
            fee_exempt_reason=self.fee.exempt_reason(),
        )

    def _chosen_procedure(self) -> Procedure:
        procedure = self.picker.procedure()
        if procedure is None:
            raise ValidationError("Chưa chọn thủ tục: gõ tên hoặc mã thủ tục rồi Enter để chọn.", Field.PROCEDURE)
        return procedure

    @Slot()
    def receive(self):
        """F9: receive the dossier, then Mẫu 01."""
        reused = ""

        def write():
            nonlocal reused
            dossier, changes = reception.receive_dossier(self.ctx, self.draft())
            reused, linked = self._after_commit(dossier)
            return dossier, changes | linked
        record = self._outcome(write, lambda d: jobs.receipt_job(self.ctx, d),
                               lambda d: f"Đã tiếp nhận hồ sơ {d.code} của {d.applicant.full_name}; "
                                         f"hẹn trả: {format_due(d.due_at)}.{reused}{self.scans.saving()}")
        self.scans.attach_taken()  # after the preview: the scans are stored in the background
        if record is not None:
            self._warn_if_no_calendar(record)
        return record

    def _warn_if_no_calendar(self, dossier: Dossier) -> None:
        """A due date in a year with no loaded calendar: said with the receipt, in the warning colour."""
        warning = calendar_admin.due_date_warning(self.ctx, dossier.received_at, dossier.due_at)
        if warning:
            said = self.message.plain_text()
            (self.message.error if self.message.kind == ERROR else self.message.warn)(f"{said}\n{warning}")

    def _after_commit(self, dossier: Dossier) -> tuple[str, Changes]:
        """Link the earlier scans chosen and take the queued ones; what to add to the message, and what the links
        changed. The dossier is committed: whatever fails here is said, never reported as a failed reception
        (F9 again would receive the citizen twice)."""
        try:
            linked, refused, changes = self.reuse.link(dossier, skip=self.scans.pending.rows)  # a refusal: it stands
        except Exception as exc:
            log.exception("linking earlier scans to %s failed", dossier.code)
            linked, changes = [], NOTHING
            refused = [f"Chưa dùng lại được bản số hóa đã có ({exc}): hãy làm lại ở trang hồ sơ."]
        try:
            self.scans.take(dossier)
        except Exception as exc:
            log.exception("taking the queued scans of %s failed", dossier.code)
            refused.append(f"Chưa gắn được các tệp quét ({exc}): hãy gắn lại ở trang hồ sơ.")
        said = (f" Dùng lại {len(linked)} bản số hóa đã có." if linked else "") + "".join(f" {t}" for t in refused)
        return said, changes

    @Slot()
    def guide(self):
        """F7: the dossier is incomplete: list what is missing, then Mẫu 02 (nothing is received)."""
        def write():
            procedure = self._chosen_procedure()
            applicant = self.applicant.applicant_input()
            applicants.require_name(applicant.full_name)  # before the clerk lists the papers, as on F7's commit
            missing = [s.name for s in reception.missing_papers(procedure, self.components.components())]
            answer = dialogs.ask_guidance(self, missing)
            if answer is None:
                return None
            items, reason = answer
            guidance, changes = reception.record_guidance(self.ctx, procedure.code, applicant, items, reason)
            self.scans.discard()
            return guidance, changes
        return self._outcome(write, lambda g: jobs.guidance_job(self.ctx, g),
                             lambda g: f"Đã ghi hướng dẫn bổ sung (Mẫu 02) cho {g.applicant.full_name}; "
                                       f"hồ sơ chưa được tiếp nhận.{self.scans.discarded()}")

    @Slot()
    def refuse(self):
        """F8: not eligible: the reason, then Mẫu 03."""
        reason = ""

        def write():
            nonlocal reason
            draft = self.draft()
            applicants.clean(draft.applicant)  # a bad id fails before the clerk writes the reason
            reception.dossier_summary(draft.summary)  # and so does a summary too long for the portal
            reason = dialogs.ask_refusal_reason(self) or ""
            if not reason:
                return None
            dossier, changes = reception.refuse_dossier(self.ctx, draft, reason)
            self.scans.discard()
            return dossier, changes
        return self._outcome(write, lambda d: jobs.refusal_job(self.ctx, d, reason),
                             lambda d: f"Đã ghi từ chối tiếp nhận hồ sơ {d.code} của {d.applicant.full_name}."
                                       f"{self.scans.discarded()}")

    def _outcome(self, write: Callable[[], tuple[object, Changes] | None], job_for: Callable[[object], PrintJob],
                 done: Callable[[object], str]):
        """Write (committed, or nothing at all); only then preview the form, empty the page behind it and announce what
        changed. Returns the stored record (None if nothing was written)."""
        self.message.clear_message()
        try:
            outcome = write()
        except CounterError as exc:  # an error about no one field leaves the cursor where it is
            show_error(self.message, exc, self.field_widgets)
            return None
        except Exception as exc:  # a fault in the write: the transaction rolled back
            log.exception("reception write failed")
            self.message.error(WRITE_FAILED.format(error=exc))
            return None
        if outcome is None:  # the clerk cancelled the dialog
            return None
        record, changes = outcome
        failure: Exception | None = None
        try:
            self.show_preview(job_for(record))  # first: the clerk and the citizen wait for it
        except Exception as exc:  # committed all the same: say so, and how to print it later
            log.exception("building or showing the form failed")
            failure = exc
        self.new_reception()  # behind the (modal) preview: empty for the next citizen when it closes
        if failure is None:
            self.message.info(done(record))
        else:
            self.message.error(PRINT_FAILED.format(done=done(record), error=failure))
        # On the next turn of the event loop: the preview paints first, then the other views refresh
        # (on a large database that takes longer than building the form).
        QTimer.singleShot(0, self, lambda: self.changed.emit(changes))
        return record

    def show_preview(self, job: PrintJob) -> None:
        """The print preview, without blocking (tests replace this seam to collect the job)."""
        self.preview = open_preview(self.ctx, job, self)
        self.preview.changed.connect(self.changed)
        self.preview.finished.connect(self._preview_closed)
        self.preview.print_failed.connect(self.message.warn)  # stays after the preview is closed

    @Slot()
    def _preview_closed(self, *_) -> None:
        self.preview = None
        self.applicant.id_edit.setFocus()

    @Slot()
    def new_reception(self) -> None:
        """An empty form, cursor in the id field, for the next citizen."""
        self.message.clear_message()
        self.applicant.clear_form()
        self.picker.clear_choice()
        self._on_pick(None)
        self.fee.clear_form()
        self.details.clear_form()
        self.scans.pending.clear()
        self.applicant.id_edit.setFocus()
