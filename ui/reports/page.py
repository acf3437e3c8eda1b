"""The Báo cáo page: a period (this month by default), the on-time rate and its trend, the dossiers late and soon
late now (Enter opens the dossier's page), every figure and indicator (Enter or a double click lists the dossiers
behind it, and that list exports to Excel). The scorecard and a figure's dossiers are computed off the GUI thread
(ui/reports/waits.py: the runner's worker, its own database connection, no Qt there); past 600 ms "Đang tính…" shows
with a cancel (Esc).

In office mode the page follows the window's Quầy của tôi / Cả trung tâm switch (Ctrl+Alt+Q, ui/live/scope_switch.py;
`set_workstation`): the scorecard, a figure's dossiers, the register and Biểu 06 exported are of that counter or of
the whole centre, the page and every file say which ("Quầy số 3", "Cả trung tâm"), and an exported file's name too.
On SQLite (one counter) there is nothing to choose and nothing changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter.context import AppContext
from counter.dossiers import scope
from counter.errors import CounterError
from counter.office.profile import get_office
from counter.records import DossierRow
from counter.reports.periods import date_range, parse_period
from counter.reports.records import Period, Scorecard, share_text
from counter.reports.scorecard import ESTIMATE, compute_scorecard, figure_dossiers, figure_label
from counter.status import Status
from ui.live.scope_switch import SHORTCUT as SCOPE_SHORTCUT
from ui.printing.preview import PreviewDialog, PrintJob, open_preview
from ui.reports.chart import TrendChart, rate_text
from ui.reports.export import BY_KEY, EXPORTS, Export, make, target_problem
from ui.reports.waits import ReportWork

KEY = Qt.ItemDataRole.UserRole
SCORECARD_FORM = "scorecard"  # the print log's key (counter/dossiers/prints.py FORMS)
BUSY = "Đang tính một báo cáo khác: chờ xong hoặc bấm Hủy (Esc)."


def _table(headers: tuple[str, ...], stretch: int | None = None) -> QTableWidget:
    """A read-only list; column `stretch` takes the width the others leave and elides (its full text is the
    tooltip), so half of a 1366×768 screen needs no horizontal scrollbar."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def _fill(table: QTableWidget, lines: list[tuple[str | None, tuple[str, ...]]]) -> None:
    # Emptied first: replacing the items of a filled list re-measured its columns at every item (800 soon-late
    # dossiers on the benchmark database blocked the screen for minutes on the second opening).
    table.setRowCount(0)
    table.setRowCount(len(lines))
    for r, (key, cells) in enumerate(lines):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(KEY, key)
            item.setToolTip(text)  # an elided name or formula is read in full here
            table.setItem(r, c, item)
    if lines:
        table.setCurrentCell(0, 0)


def _due(row: DossierRow) -> str:
    return f"{row.due_at:%H:%M %d/%m/%Y}" if row.due_at else "—"


# The late and soon-late lists' status column, short (the full name is the cell's tooltip): an open dossier's.
SHORT_STATUS = {Status.RECEIVED: "Đã tiếp nhận", Status.IN_PROGRESS: "Đang xử lý", Status.SUPPLEMENT: "Chờ bổ sung",
                Status.AWAITING_PAYMENT: "Chờ nộp thuế, phí"}


def due_lines(rows: tuple[DossierRow, ...]) -> list[tuple[str | None, tuple[str, ...]]]:
    return [(r.code, (r.code, r.applicant_name, r.procedure_name, _due(r), SHORT_STATUS.get(r.status, r.status.label)))
            for r in rows]


def dossier_lines(rows: tuple[DossierRow, ...]) -> list[tuple[str | None, tuple[str, ...]]]:
    return [(r.code, (r.code, r.applicant_name, r.procedure_name, f"{r.received_at:%d/%m/%Y}", _due(r),
                      r.status.label)) for r in rows]


DOSSIER_HEADERS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Ngày nhận", "Hẹn trả", "Trạng thái")
# The late and soon-late lists on the screen: what a clerk acts on (the figure dialog keeps every column).
DUE_HEADERS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Hẹn trả", "Trạng thái")
NAME_COLUMN, PROCEDURE_COLUMN, STATUS_COLUMN = 1, 2, 4  # the name and the procedure share what the others leave
# The late and soon-late lists show their first SHOWN dossiers, three screenfuls at 1366×768 (filling 800 rows blocked
# the screen ~300 ms on the benchmark database, 100 rows ~50–100 ms with the layout, 30 ~20 ms); "Xem tất cả (N)"
# lists them all in the figure dialog, which exports to Excel.
SHOWN = 30
ALL_SHORTCUTS = ("Ctrl+Shift+Q", "Ctrl+Shift+W")  # Q: quá hạn; W beside it


class DossierListDialog(QDialog):
    """The dossiers behind one figure; Enter opens one, Ctrl+E exports the list to Excel."""

    open_code = Signal(str)

    def __init__(self, title: str, period: Period, rows: tuple[DossierRow, ...], parent: QWidget | None = None,
                 unit: str = "hồ sơ", scope_part: str = ""):
        super().__init__(parent)
        self.title, self.period, self.rows = title, period, rows
        self.file_name = f"danh-sach-ho-so-{scope_part}.xlsx" if scope_part else "danh-sach-ho-so.xlsx"
        self.setWindowTitle(f"{title} — {period.label}")
        self.resize(1100, 560)
        self.table = _table(DOSSIER_HEADERS)
        _fill(self.table, dossier_lines(rows))
        self.table.activated.connect(self._open)
        self.export_button = QPushButton("&Xuất Excel (Ctrl+E)")
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.clicked.connect(self.choose_export)
        close = QPushButton("Đóng (Esc)")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        each = " (mỗi lượt một dòng)" if unit != "hồ sơ" else ""
        self.count_label = QLabel(f"{len(rows)} {unit}{each}. Enter: mở hồ sơ.")
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{title}</b> — {period.label}"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _open(self, index) -> None:
        code = self.table.item(index.row(), 0).data(KEY)
        if code:
            self.open_code.emit(code)
            self.accept()

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Xuất danh sách hồ sơ ra Excel", self.file_name,
                                              "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from printing.dossier_list_xlsx import build_dossier_list_xlsx  # openpyxl: imported for its first export

        path.write_bytes(build_dossier_list_xlsx(self.title, self.period.label, self.rows))


def ask_export_path(parent: QWidget, export: Export, period: Period, report_scope: str = "") -> str:
    """Where to write an export: the file dialog's answer ("" when the clerk cancels); the name suggested says the
    centre's scope when there is one ("bieu-06-quay-3-…")."""
    title = " — ".join(part for part in (f"Xuất {export.what}", report_scope, period.label) if part)
    path, _ = QFileDialog.getSaveFileName(parent, title, export.suggested(period, scope.file_part(report_scope)),
                                          export.file_filter)
    return path


class ReportsPage(QWidget):
    open_code = Signal(str)  # a dossier to open (the window's navigator)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.card: Scorecard | None = None
        self.dialog: DossierListDialog | None = None
        self.workstation: int | None = None  # the window's Quầy của tôi / Cả trung tâm (`set_workstation`)
        self._stale = False  # the scope changed while hidden: recomputed when shown
        self.scope_label = QLabel()
        self.scope_label.setObjectName("reportsScope")
        self.scope_label.setStyleSheet("font-weight: bold; color: #1f4e79;")
        self.work = ReportWork(ctx, self)
        self.work.finished.connect(self._done)
        self.work.failed.connect(self._failed)
        self.work.cancelled.connect(lambda tag: self.status.setText(
            "Đã hủy: không ghi tệp nào." if tag[0] == "export" else "Đã hủy."))
        self.work.progressed.connect(self._progressed)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # how long a query takes is not known: a moving bar
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(140)
        self.busy_label = QLabel("Đang tính…")
        self.cancel_button = QPushButton("&Hủy (Esc)")
        self.cancel_button.clicked.connect(self.work.cancel)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.work.cancel,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.work.busy.connect(self._busy)
        self._busy(False)
        self.start, self.end = QDateEdit(), QDateEdit()
        for edit in (self.start, self.end):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
        self.show_button = QPushButton("&Xem (Ctrl+R)")
        self.show_button.setShortcut(QKeySequence("Ctrl+R"))
        self.show_button.clicked.connect(self.load)
        this_month = QPushButton("&Tháng này (Ctrl+M)")
        this_month.setShortcut(QKeySequence("Ctrl+M"))
        this_month.clicked.connect(lambda: (self.set_month(), self.load()))
        self.preview: PreviewDialog | None = None
        self.pdf_button = QPushButton("&In, lưu PDF (Ctrl+P)")
        self.pdf_button.clicked.connect(self.print_pdf)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_pdf, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.export_actions: list[QAction] = []
        self.export_buttons = [self._export_button("&Sổ Mẫu 07", EXPORTS[:2]),
                               self._export_button("Biểu &06", EXPORTS[2:])]
        self.rate = QLabel("—")
        self.rate.setStyleSheet("font-size: 22pt; font-weight: bold; color: #1f4e79;")
        self.chart = TrendChart()
        self.late = _table(DUE_HEADERS, stretch=NAME_COLUMN)
        self.soon = _table(DUE_HEADERS, stretch=NAME_COLUMN)
        for table in (self.late, self.soon):  # a 60-letter name or procedure must not push a column out of view
            header = table.horizontalHeader()
            header.setSectionResizeMode(PROCEDURE_COLUMN, QHeaderView.ResizeMode.Stretch)
            header.setStretchLastSection(False)
        self.figures = _table(("Số liệu", "Số"), stretch=0)
        self.indicators = _table(("Chỉ số (ước tính)", "Tỷ lệ", "Điểm"), stretch=0)
        self.formula = QLabel()  # the selected indicator's formula: a column too narrow to read at 1366×768
        self.formula.setWordWrap(True)
        self.formula.setStyleSheet("color: #333;")
        self.indicators.currentCellChanged.connect(lambda row, *_: self._show_formula(row))
        for table in (self.late, self.soon):
            table.activated.connect(lambda index, t=table: self._open_dossier(t, index.row()))
        self.all_late, self.all_soon = (QPushButton(), QPushButton())
        for button, which, keys in zip((self.all_late, self.all_soon), ("late", "soon"), ALL_SHORTCUTS, strict=True):
            button.clicked.connect(lambda _=False, w=which: self.show_all(w))
            QShortcut(QKeySequence(keys), self, lambda w=which: self.show_all(w),
                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._set_all_buttons()
        for table in (self.figures, self.indicators):
            table.activated.connect(lambda index, t=table: self.show_figure(t.item(index.row(), 0).data(KEY)))
        QShortcut(QKeySequence("Alt+1"), self, self.late.setFocus)
        QShortcut(QKeySequence("Alt+2"), self, self.soon.setFocus)
        QShortcut(QKeySequence("Alt+3"), self, self.figures.setFocus)
        QShortcut(QKeySequence("Alt+4"), self, self.indicators.setFocus)
        self._lay_out(this_month)
        self.set_month()
        self._say_scope()

    @property
    def report_scope(self) -> str:
        """Whose dossiers the page counts, as the reports say it: "Quầy số 3", "Cả trung tâm"; "" on SQLite."""
        return scope.report_scope(self.ctx, self.workstation)

    def set_workstation(self, workstation: int | None) -> None:
        """The window's switch: one counter's reports, or the whole centre's (None); recomputed now if shown, else
        when next shown."""
        if workstation == self.workstation:
            return
        self.workstation = workstation
        self._say_scope()
        if self.isVisible():
            self._stale = not self.load()  # busy: recomputed when the computation under way ends
        else:
            self._stale = self.card is not None  # nothing shown yet: F5 computes it

    def showEvent(self, event) -> None:  # Qt's name
        """Shown from the list of sections (F5 recomputes anyway): a scorecard of the other scope recomputed."""
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self._refresh)

    def _refresh(self) -> None:
        if self._stale and self.isVisible() and not self.work.running:
            self._stale = not self.load()

    def _say_scope(self) -> None:
        said = self.report_scope
        self.scope_label.setVisible(bool(said))
        keys = f" ({SCOPE_SHORTCUT})" if scope.offered(self.ctx) else ""
        self.scope_label.setText(f"{said}{keys}")
        self.scope_label.setToolTip("Báo cáo, sổ theo dõi và Biểu 06 xuất ra: của quầy này hay của cả trung tâm "
                                    f"(đổi bằng {SCOPE_SHORTCUT}, như danh sách Hôm nay và Tra cứu)")

    def _lay_out(self, this_month: QPushButton) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>Báo cáo</b> từ ngày"))
        bar.addWidget(self.start)
        bar.addWidget(QLabel("đến ngày"))
        bar.addWidget(self.end)
        bar.addWidget(self.show_button)
        bar.addWidget(this_month)
        bar.addWidget(self.pdf_button)
        for button in self.export_buttons:
            bar.addWidget(button)
        bar.addStretch(1)
        rate = QHBoxLayout()  # the progress and the messages beside the rate: the bar has no room left at 1366
        rate.addWidget(self.rate)
        rate.addStretch(1)
        rate.addWidget(self.busy_label)
        rate.addWidget(self.progress)
        rate.addWidget(self.cancel_button)
        rate.addWidget(self.status, 2)
        left = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(QLabel("Tỷ lệ giải quyết đúng hạn (trước hạn + đúng hạn ÷ đã giải quyết):"))
        top.addStretch(1)
        top.addWidget(self.scope_label)
        left.addLayout(top)
        left.addLayout(rate)
        left.addWidget(self.chart)
        for text, button, table in (("Đang quá hạn (Alt+1, Enter mở hồ sơ):", self.all_late, self.late),
                                    ("Sắp quá hạn, còn tối đa 1 ngày làm việc (Alt+2):", self.all_soon, self.soon)):
            title = QHBoxLayout()
            title.addWidget(QLabel(text))
            title.addStretch(1)
            title.addWidget(button)
            left.addLayout(title)
            left.addWidget(table, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("Số liệu trong kỳ (Alt+3, Enter xem danh sách hồ sơ):"))
        right.addWidget(self.figures, 2)
        estimate = QLabel(f"Chỉ số theo QĐ 766 (Alt+4). {ESTIMATE}")
        estimate.setWordWrap(True)
        right.addWidget(estimate)
        right.addWidget(self.indicators, 1)
        right.addWidget(self.formula)
        grid = QGridLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 2)  # the dossier lists have five columns; the figures two
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(grid, 1)

    def _export_button(self, text: str, exports: tuple[Export, ...]) -> QPushButton:
        """A button whose menu exports the chosen period's report as PDF or Excel; each action has its shortcut
        (working anywhere on the page, shown in the menu and in the button's tooltip)."""
        button = QPushButton(text)
        menu = QMenu(button)
        for export in exports:
            action = QAction(export.label, self)
            action.setShortcut(QKeySequence(export.shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{export.label.replace('&', '').rstrip('…')} ({export.shortcut})")
            action.triggered.connect(lambda _=False, key=export.key: self.choose_export(key))
            self.addAction(action)  # the shortcut works without opening the menu
            menu.addAction(action)
            self.export_actions.append(action)
        button.setMenu(menu)
        button.setToolTip("Xuất của kỳ đang chọn: " + "; ".join(
            f"{e.label.replace('&', '').rstrip('…')} ({e.shortcut})" for e in exports))
        return button

    def set_month(self, today: date | None = None) -> None:
        day = today or self.ctx.clock.now().date()
        month = parse_period(f"{day.year}-{day.month:02d}")
        self.start.setDate(QDate(month.start.year, month.start.month, month.start.day))
        self.end.setDate(QDate(month.end.year, month.end.month, month.end.day))

    def period(self) -> Period:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return date_range(start, end)

    def load(self) -> bool:
        """The scorecard of the chosen period (of the switch's counter or the centre), computed on a worker thread;
        False when it could not start (a bad period, or another computation under way)."""
        try:
            period = self.period()
        except CounterError as e:
            self.status.setText(str(e))
            return False
        workstation = self.workstation
        if self.work.start(("card", None), lambda ctx: compute_scorecard(ctx, period, workstation=workstation)):
            self._stale = False
            self.status.setText("")
            return True
        self.status.setText(BUSY)
        return False

    @property
    def busy(self) -> bool:
        """Whether the "Đang tính…" progress and its cancel show."""
        return not self.progress.isHidden()

    def _busy(self, on: bool) -> None:
        for widget in (self.busy_label, self.progress, self.cancel_button):
            widget.setVisible(on)
        if not on:
            self.progress.setRange(0, 0)  # the next computation starts as a moving bar

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _done(self, tag: tuple[str, str | None], result: object) -> None:
        kind, key = tag
        if kind == "card":
            assert isinstance(result, Scorecard)
            self._show(result)
            if result.stats.workstation != self.workstation:  # switched while it was computed: the new scope's
                self._stale = True
        elif kind == "pdf" and self.card is not None:
            assert isinstance(result, bytes)
            period = self.card.period
            said = self.card.stats.scope
            part = scope.file_part(said)
            self.show_preview(PrintJob(form=SCORECARD_FORM, pdf=result,
                                       title=" — ".join(x for x in ("Báo cáo của bộ phận một cửa", said,
                                                                    period.label) if x),
                                       file_name=f"bao-cao-{part + '-' if part else ''}"
                                                 f"{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"))
        elif kind == "export":
            assert key is not None and isinstance(result, Path)
            self.status.setText(f"Đã ghi {BY_KEY[key].what} vào {result}.")
        elif self.card is not None and key is not None:
            assert isinstance(result, tuple)
            self._list(key, self.card.period, result)
        self._refresh()  # the switch moved while this was computed

    def _failed(self, tag: tuple[str, str | None], error: object) -> None:
        what = {"card": "Không tính được báo cáo", "pdf": "Không tạo được tệp PDF"}.get(
            tag[0], "Không lấy được danh sách hồ sơ")
        if tag[0] == "export" and tag[1] is not None:
            what = f"Không xuất được {BY_KEY[tag[1]].what}"
        self.status.setText(f"{what}: {error}")

    def _show(self, card: Scorecard) -> None:
        self.card = card
        self.status.setText(("Kỳ báo cáo không có hồ sơ nào. " if card.stats.empty else "")
                            + f"Tính lúc {card.now:%H:%M %d/%m/%Y}.")
        self.rate.setText(f"{rate_text(card.on_time_rate)}  ({card.on_time}/{card.resolved} hồ sơ)")
        self.chart.set_months(card.trend)
        for table, rows in ((self.late, card.late), (self.soon, card.soon_late)):
            _fill(table, due_lines(rows[:SHOWN]))
            for r, row in enumerate(rows[:SHOWN]):  # the short status's full name
                table.item(r, STATUS_COLUMN).setToolTip(row.status.label)
        self._set_all_buttons()
        _fill(self.figures, [(f.key, (f.label, f.value_text)) for f in card.figures])
        _fill(self.indicators, [
            (i.figure, (i.label, share_text(i.part, i.whole),
                        "—" if i.points is None else f"{i.points:g}/{i.max_points:g}".replace(".", ",")))
            for i in card.indicators])
        self._show_formula(self.indicators.currentRow())

    def _set_all_buttons(self) -> None:
        card = self.card
        for button, rows, keys in ((self.all_late, card.late if card else (), ALL_SHORTCUTS[0]),
                                   (self.all_soon, card.soon_late if card else (), ALL_SHORTCUTS[1])):
            shown = min(len(rows), SHOWN)
            button.setText(f"Xem tất cả ({len(rows)}) ({keys})")
            button.setToolTip(f"Danh sách hiện {shown}/{len(rows)} hồ sơ; xem tất cả và xuất Excel ({keys})")
            button.setEnabled(bool(rows))

    def show_all(self, which: str) -> bool:
        """Every late ("late") or soon-late ("soon") dossier of the scorecard shown, in the figure dialog (the lists
        show the first SHOWN); no query: the scorecard has them. False when there is none."""
        if self.card is None:
            return False
        key = "late_now" if which == "late" else "soon_late"
        rows = self.card.late if which == "late" else self.card.soon_late
        if not rows:
            return False
        self._list(key, self.card.period, rows)
        return True

    def _show_formula(self, row: int) -> None:
        indicators = self.card.indicators if self.card is not None else ()
        self.formula.setText(f"Cách tính: {indicators[row].formula}" if 0 <= row < len(indicators) else "")

    def _open_dossier(self, table: QTableWidget, row: int) -> None:
        code = table.item(row, 0).data(KEY)
        if code:
            self.open_code.emit(code)

    def show_figure(self, key: str) -> bool:
        """The dossiers behind figure `key` of the period shown, read on the worker, then in a dialog that exports
        them (`self.dialog`). False when there is no scorecard yet or a computation is under way."""
        if self.card is None:
            return False
        period, now, workstation = self.card.period, self.card.now, self.card.stats.workstation
        if not self.work.start(("figure", key), lambda ctx: figure_dossiers(ctx, period, key, now, workstation)):
            self.status.setText(BUSY)
            return False
        self.status.setText("")
        return True

    def print_pdf(self) -> bool:
        """The scorecard shown, as a PDF (made on the worker) in the print preview: print it or save it."""
        if self.card is None:
            return False
        card = self.card
        from printing.scorecard_pdf import build_scorecard_pdf  # reportlab: imported by the first PDF

        if not self.work.start(("pdf", None), lambda ctx: build_scorecard_pdf(card, get_office(ctx))):
            self.status.setText(BUSY)
            return False
        self.status.setText("")
        return True

    def choose_export(self, key: str) -> bool:
        """Ask where to write the chosen period's report `key` (ui/reports/export.py EXPORTS), then write it."""
        export = BY_KEY[key]
        try:
            period = self.period()
        except CounterError as e:
            self.status.setText(str(e))
            return False
        path = ask_export_path(self, export, period, self.report_scope)
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != export.suffix:
            target = target.with_name(target.name + export.suffix)
        return self.export_to(key, target)

    def export_to(self, key: str, target: Path) -> bool:
        """The report `key` of the chosen period, made and written on the worker (progress past 600 ms, Esc
        cancels and nothing is written). False when the target cannot be written or another computation runs."""
        export = BY_KEY[key]
        try:
            period = self.period()
        except CounterError as e:
            self.status.setText(str(e))
            return False
        problem = target_problem(target)
        if problem is not None:
            self.status.setText(f"Không xuất được {export.what}: {problem}")
            return False
        workstation, said = self.workstation, self.report_scope
        if not self.work.start(("export", key),
                               lambda ctx, keep_going: make(ctx, key, period, target, keep_going, workstation),
                               steps=True):
            self.status.setText(BUSY)
            return False
        self.status.setText(f"Đang xuất {export.what} ({', '.join(x for x in (said, period.label) if x)})…")
        return True

    def show_preview(self, job: PrintJob) -> PreviewDialog:
        """The print preview, without blocking (it logs what is printed or saved)."""
        self.preview = open_preview(self.ctx, job, self)
        return self.preview

    def _list(self, key: str, period: Period, rows: tuple[DossierRow, ...]) -> None:
        figure = next((f for f in self.card.figures if f.key == key), None) if self.card is not None else None
        label, unit = (figure.label, figure.unit) if figure is not None else (figure_label(key), "hồ sơ")
        said = self.card.stats.scope if self.card is not None else ""
        label = f"{label} — {said}" if said else label
        self.dialog = DossierListDialog(label, period, rows, self, unit=unit, scope_part=scope.file_part(said))
        self.dialog.open_code.connect(self.open_code)
        self.dialog.open()
