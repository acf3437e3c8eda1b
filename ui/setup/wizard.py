"""The first-run set-up wizard: a database with no office set up opens this instead of the log-in. Two pages, the
office (and this computer's workstation number and register book), then its first administrator; every check is
`counter.office.first_run`'s, and Hoàn tất writes both at once (`set_up_office`).

Or, from the office page, "Máy này dùng chung cơ sở dữ liệu của trung tâm…" (Alt+G): the join page — the centre's
server (host, port, database, user), its password and this PC's workstation number. Kiểm tra kết nối (Alt+K) reaches
it off the GUI thread (ui/sync/runner.py's worker: a server that does not answer takes the connection's timeout,
and the window stays live and closable meanwhile; the button is off and "Đang kiểm tra kết nối…" shows until the
answer comes) and says what it found; Hoàn tất joins (`counter.office.centre.join_centre`: the number claimed, the
URL and the password kept in this PC's configuration), on a worker too ("Đang kết nối máy chủ của trung tâm…", the
buttons off and the window not closable until the answer, which comes within the connection's timeout), and
`joined` is the centre's context the log-in then opens. A
server that cannot be reached, a wrong password, a missing database, a number another PC holds: one sentence under
the page.

Keyboard: Tab between boxes, Enter for Tiếp theo / Hoàn tất, Alt+T Tiếp theo, Alt+Q Quay lại, Alt+H Hoàn tất,
Esc Thoát; Alt and a label's underlined letter go to its box. A refused value puts its message under the page
and the cursor in its box.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from counter import records
from counter.clock import Clock
from counter.context import AppContext
from counter.errors import CounterError, Field, ValidationError
from counter.office import connection, first_run
from counter.office.centre import DEFAULT_PORT, Server, ServerCheck, check_server, join_centre
from ui.sync.runner import WorkerRunner
from ui.title import app_title

FIELD_WIDTH = 420
OFFICE_PAGE, ADMIN_PAGE, JOIN_PAGE = 0, 1, 2
UNCHOSEN = -1  # the workstation spin box before a number is chosen
CHECKING = "Đang kiểm tra kết nối…"
JOINING = "Đang kết nối máy chủ của trung tâm và nhận số máy…"
# The connection tests under way: a wizard closed meanwhile lets its test finish here (its worker's outcome is then
# dropped), so the runner is not destroyed with a thread still running. A join under way is kept here too.
_CHECKS: set[WorkerRunner] = set()


def _line(placeholder: str = "", *, password: bool = False) -> QLineEdit:
    box = QLineEdit()
    box.setPlaceholderText(placeholder)
    box.setMinimumWidth(FIELD_WIDTH)
    if password:
        box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("setupError")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


class _Page(QWizardPage):
    """A page whose Tiếp theo / Hoàn tất asks the wizard to check it first."""

    def __init__(self, wizard: SetupWizard, title: str, subtitle: str):
        super().__init__()
        self.owner = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = QFormLayout()
        self.form.setSpacing(10)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error = _error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addSpacing(8)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def validatePage(self) -> bool:  # Qt's name
        return self.owner.check_page(self)

    def nextId(self) -> int:  # Qt's name: office → administrator, or → join when joining; both end the wizard
        if self is self.owner.office_page:
            return JOIN_PAGE if self.owner.joining else ADMIN_PAGE
        return -1


class SetupWizard(QWizard):
    """`exec()` it; once accepted, `admin` is the administrator it created (the log-in comes next)."""

    connection_checked = Signal(bool)  # the connection test's answer is shown: whether the server was reached
    join_answered = Signal(bool)  # Hoàn tất's join is over: joined (the wizard then closes), or refused and said

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.admin: records.User | None = None
        self.joined: AppContext | None = None  # the centre's database, once this PC joined it
        self.joining = False
        self._check: WorkerRunner | None = None  # the connection test under way
        self._join_run: WorkerRunner | None = None  # Hoàn tất's join under way
        self.setWindowTitle(f"Thiết lập lần đầu — {app_title(ctx)}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Tiếp theo >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Thoát")
        self.office_page = self._office_page()
        self.admin_page = self._admin_page()
        self.setPage(OFFICE_PAGE, self.office_page)
        self.setPage(ADMIN_PAGE, self.admin_page)
        self.join_page = self._join_page()
        self.setPage(JOIN_PAGE, self.join_page)
        self.currentIdChanged.connect(self._page_changed)
        office, admin = self.office_page, self.admin_page
        self.field_widgets: dict[Field, tuple[_Page, QWidget]] = {
            Field.AGENCY_ID: (office, self.agency_id), Field.OFFICE_NAME: (office, self.office_name),
            Field.PARENT_NAME: (office, self.parent_name), Field.PLACE_NAME: (office, self.place_name),
            Field.WORKSTATION: (office, self.workstation), Field.REGISTER_BOOK: (office, self.register_book),
            Field.USERNAME: (admin, self.username), Field.FULL_NAME: (admin, self.full_name),
            Field.PASSWORD: (admin, self.password), Field.PASSWORD_AGAIN: (admin, self.password_again),
        }
        self.resize(760, 600)  # inside 1366×768 with the taskbar

    # Pages ------------------------------------------------------------------------------

    def _office_page(self) -> _Page:
        page = _Page(self, "Cơ quan tiếp nhận",
                     "Chưa có cơ quan nào được thiết lập trong cơ sở dữ liệu này. Nhập thông tin cơ quan như ghi "
                     "trên giấy tờ (in lên giấy tiếp nhận và các mẫu phiếu).")
        self.agency_id = _line("000.00.00.H00")
        self.agency_id.setToolTip("Mã định danh điện tử của cơ quan, dạng 000.00.00.H00 (tiền tố của mã hồ sơ)")
        self.office_name = _line("Trung tâm Phục vụ hành chính công")
        self.parent_name = _line("UBND XÃ …")
        self.place_name = _line("tên xã, phường (dòng “…, ngày … tháng … năm …”)")
        self.address = _line()
        self.phone = _line()
        self.workstation = QSpinBox()
        # No number until one is chosen: two PCs left on a default both issue …-0001 (issue 18).
        self.workstation.setRange(UNCHOSEN, 9)
        self.workstation.setSpecialValueText("— chọn số máy —")
        self.workstation.setValue(UNCHOSEN)
        self.workstation.setToolTip("Mỗi máy tiếp nhận của cơ quan một số khác nhau, từ 0 đến 9")
        self.register_book = QLineEdit(first_run.default_register_book(self.ctx.clock.now().date()))
        rows = (("&Mã định danh cơ quan:", self.agency_id), ("Tên &cơ quan tiếp nhận:", self.office_name),
                ("Cơ q&uan chủ quản:", self.parent_name), ("Địa &danh:", self.place_name),
                ("Đị&a chỉ:", self.address), ("Điện th&oại:", self.phone),
                ("&Số máy tiếp nhận này (0–9):", self.workstation), ("Qu&yển sổ theo dõi hồ sơ:", self.register_book))
        for label, box in rows:
            page.form.addRow(label, box)
        self.join_button = QPushButton("Máy này dùng chun&g cơ sở dữ liệu của trung tâm…")
        self.join_button.setObjectName("joinCentre")
        self.join_button.setToolTip("Trung tâm có nhiều quầy dùng chung một cơ sở dữ liệu (PostgreSQL) đã thiết lập: "
                                    "cho máy này tham gia thay vì thiết lập cơ quan mới (Alt+G)")
        self.join_button.setAutoDefault(False)
        self.join_button.clicked.connect(self.start_joining)
        page.form.addRow("", self.join_button)
        return page

    def _join_page(self) -> _Page:
        page = _Page(self, "Máy này dùng chung cơ sở dữ liệu của trung tâm",
                     "Nhập máy chủ cơ sở dữ liệu của trung tâm (quản trị viên trung tâm cung cấp) và số máy tiếp nhận "
                     "của máy này. Mật khẩu được lưu riêng trên máy này, chỉ người dùng máy đọc được.")
        self.server_host = _line("ví dụ 192.168.1.10 hoặc may-chu-trung-tam")
        self.server_port = QSpinBox()
        self.server_port.setRange(1, 65535)
        self.server_port.setValue(DEFAULT_PORT)
        self.server_database = _line("ví dụ motcua")
        self.server_user = _line("ví dụ quay")
        self.server_password = _line(password=True)
        self.join_workstation = QSpinBox()
        self.join_workstation.setRange(UNCHOSEN, 9)
        self.join_workstation.setSpecialValueText("— chọn số máy —")
        self.join_workstation.setValue(UNCHOSEN)
        self.join_workstation.setToolTip("Mỗi máy của trung tâm một số khác nhau, từ 0 đến 9")
        self.test_button = QPushButton("&Kiểm tra kết nối")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.join_result = QLabel()
        self.join_result.setObjectName("joinResult")
        self.join_result.setWordWrap(True)
        self.join_result.hide()
        rows = (("&Máy chủ:", self.server_host), ("Cổn&g:", self.server_port),
                ("Tên cơ &sở dữ liệu:", self.server_database), ("Tên đăng &nhập:", self.server_user),
                ("Mật khẩ&u:", self.server_password), ("Số má&y tiếp nhận này (0–9):", self.join_workstation))
        for label, box in rows:
            page.form.addRow(label, box)
        page.form.addRow("", self.test_button)
        page.form.addRow("", self.join_result)
        return page

    def _page_changed(self, page_id: int) -> None:
        if page_id == OFFICE_PAGE:  # back from the join page: the office page leads to its administrator again
            self.joining = False

    def start_joining(self) -> None:
        """The office page's "dùng chung" button: to the join page, the office's boxes left unchecked."""
        self.joining = True
        self.next()
        self.server_host.setFocus(Qt.FocusReason.OtherFocusReason)

    # The centre ---------------------------------------------------------------------------

    def server(self) -> Server:
        return Server(self.server_host.text(), self.server_port.value(), self.server_database.text(),
                      self.server_user.text())

    @property
    def checking(self) -> bool:
        """Whether a connection test is under way (its answer not shown yet)."""
        return self._check is not None

    def test_connection(self) -> bool:
        """Kiểm tra kết nối: what the server holds, or why it cannot be reached (nothing written), found on a worker
        thread; the answer shows when it comes (`connection_checked`). False when nothing was started (a test under
        way, or a box left empty: said at once)."""
        if self._check is not None:
            return False
        self.join_page.error.hide()
        self.join_result.hide()
        try:
            server = self.server().check()
        except ValidationError as exc:
            self._refuse_join(exc)
            self.connection_checked.emit(False)
            return False
        password, data_dir, clock = self.server_password.text(), self.ctx.data_dir, self.ctx.clock
        runner = WorkerRunner()
        runner.finished.connect(self._checked)
        runner.failed.connect(self._check_failed)
        for outcome in (runner.finished, runner.failed):
            outcome.connect(lambda _=None, r=runner: _forget(r))
        runner.run(lambda _progress, _cancel: check_server(server, password, data_dir, clock))
        _CHECKS.add(runner)
        self._check = runner
        self.test_button.setEnabled(False)
        self.join_result.setText(CHECKING)
        self.join_result.show()
        return True

    def _checked(self, found: ServerCheck) -> None:
        self._check_over()
        self.join_result.setText(found.summary())
        self.join_result.show()
        self.connection_checked.emit(True)

    def _check_failed(self, exc: Exception) -> None:
        self._check_over()
        self.join_result.hide()
        if not isinstance(exc, CounterError):  # a bug, not the server: said, never a traceback
            exc = CounterError(f"Không kiểm tra được kết nối: {exc}")
        self._refuse_join(exc)
        self.connection_checked.emit(False)

    def _check_over(self) -> None:
        self._check = None
        self.test_button.setEnabled(True)

    def done(self, result: int) -> None:  # Qt's name: the wizard closes (Hoàn tất, Thoát, Esc)
        """Closing while a connection test runs: its answer is no longer this window's (the worker ends alone).
        Not while the PC is joining: the join claims a number and keeps the server in this PC's configuration, and
        its answer must be seen (it comes within the connection's timeout)."""
        if self._join_run is not None:
            return
        if self._check is not None:
            for outcome, slot in ((self._check.finished, self._checked), (self._check.failed, self._check_failed)):
                outcome.disconnect(slot)
            self._check_over()
        super().done(result)

    def _admin_page(self) -> _Page:
        page = _Page(self, "Quản trị viên đầu tiên",
                     "Người này quản lý người dùng, lịch làm việc và danh mục thủ tục. Mật khẩu ít nhất 8 ký tự, "
                     "không trùng tên đăng nhập, gõ hai lần.")
        self.username = _line("ví dụ quantri")
        self.full_name = _line()
        self.password = _line(password=True)
        self.password_again = _line(password=True)
        for label, box in (("Tên đăng &nhập:", self.username), ("Họ &và tên:", self.full_name),
                           ("&Mật khẩu:", self.password), ("Nhập &lại mật khẩu:", self.password_again)):
            page.form.addRow(label, box)
        return page

    # Checks -----------------------------------------------------------------------------

    def office(self) -> records.Office:
        return records.Office(
            agency_id=self.agency_id.text(), office_name=self.office_name.text(), parent_name=self.parent_name.text(),
            place_name=self.place_name.text(), address=self.address.text(), phone=self.phone.text(),
            workstation=self.workstation.value(), register_book=self.register_book.text())

    def setup(self) -> records.OfficeSetup:
        return records.OfficeSetup(self.office(), self.username.text(), self.full_name.text(), self.password.text(),
                                   self.password_again.text())

    def check_page(self, page: _Page) -> bool:
        """Tiếp theo checks the office; Hoàn tất writes the office and the administrator (or nothing)."""
        for shown in (self.office_page, self.admin_page):
            shown.error.hide()
        if page is self.join_page:
            return self._join()
        if page is self.office_page and self.joining:
            return True
        try:
            if page is self.office_page:
                first_run.check_not_set_up(self.ctx)
                if self.workstation.value() == UNCHOSEN:
                    raise ValidationError("Hãy chọn số máy tiếp nhận của máy này (0–9): mỗi máy của cơ quan một số "
                                          "khác nhau, để hai máy không cấp trùng mã hồ sơ.", Field.WORKSTATION)
                first_run.clean_office(self.office())
            else:
                self.admin, _ = first_run.set_up_office(self.ctx, self.setup())
        except ValidationError as exc:
            self._refuse(page, exc)
            return False
        return True

    def _refuse(self, page: _Page, exc: ValidationError) -> None:
        where, widget = self.field_widgets.get(exc.field, (page, None)) if exc.field else (page, None)
        if where is not page:  # an office value refused at Hoàn tất: back to its page
            self.back()
        where.error.setText(str(exc))
        where.error.show()
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def _join(self) -> bool:
        """Hoàn tất on the join page: the join runs on a worker thread (a server that does not answer takes the
        connection's timeout, the window stays live meanwhile, its buttons off and JOINING shown); once it is done
        the wizard closes (`_join_done` accepts again, and this returns True), or says why not."""
        if self.joined is not None:
            return True
        if self._join_run is not None:
            return False
        self.join_page.error.hide()
        self.join_result.hide()
        try:
            if self.join_workstation.value() == UNCHOSEN:
                raise ValidationError("Hãy chọn số máy tiếp nhận của máy này (0–9): mỗi máy của trung tâm một số "
                                      "khác nhau.", Field.WORKSTATION)
            server = self.server().check()
        except CounterError as exc:
            self._refuse_join(exc)
            self.join_answered.emit(False)
            return False
        password, number, data_dir, clock = (self.server_password.text(), self.join_workstation.value(),
                                             self.ctx.data_dir, self.ctx.clock)
        runner = WorkerRunner()
        runner.finished.connect(self._join_done)
        runner.failed.connect(self._join_failed)
        for outcome in (runner.finished, runner.failed):
            outcome.connect(lambda _=None, r=runner: _forget(r))
        runner.run(lambda _progress, _cancel: _joined_on_worker(server, password, number, data_dir, clock))
        _CHECKS.add(runner)
        self._join_run = runner
        self._busy(True)
        self.join_result.setText(JOINING)
        self.join_result.show()
        return False

    def _busy(self, joining: bool) -> None:
        """The buttons that would start something else, off while the join runs."""
        for button in (QWizard.WizardButton.FinishButton, QWizard.WizardButton.BackButton,
                       QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not joining)
        self.test_button.setEnabled(not joining and self._check is None)

    def _join_done(self, joined: AppContext) -> None:
        self._join_run = None
        self._busy(False)
        self.joined = joined
        self.join_answered.emit(True)
        self.accept()  # Hoàn tất again: this time the page holds (`_join`), and the wizard closes

    def _join_failed(self, exc: Exception) -> None:
        self._join_run = None
        self._busy(False)
        self.join_result.hide()
        if not isinstance(exc, CounterError):  # a bug, not the server: said, never a traceback
            exc = CounterError(f"Không tham gia được cơ sở dữ liệu của trung tâm: {exc}")
        self._refuse_join(exc)
        self.join_answered.emit(False)

    def _refuse_join(self, exc: CounterError) -> None:
        self.join_page.error.setText(str(exc))
        self.join_page.error.show()
        kind = getattr(exc, "kind", None)
        widget: QWidget = {
            connection.WRONG_PASSWORD: self.server_password, connection.PASSWORD_NEEDED: self.server_password,
            connection.NO_DATABASE: self.server_database, connection.NO_USER: self.server_user,
        }.get(kind or "", self.server_host)
        if exc.field == Field.WORKSTATION:
            widget = self.join_workstation
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()


def _joined_on_worker(server: Server, password: str, number: int, data_dir: Path, clock: Clock) -> AppContext:
    """`join_centre` on the worker thread; the connection it opened there is closed (peewee keeps one per thread:
    the GUI thread opens its own when it first reads the centre)."""
    joined = join_centre(server, password, number, data_dir, clock)
    joined.database.close()
    return joined


def _forget(runner: WorkerRunner) -> None:
    """A connection test or a join over: its runner may go (after its signal's other listeners)."""
    _CHECKS.discard(runner)
    runner.deleteLater()
