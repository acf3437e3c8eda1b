"""The main window: wiring only. Sections on the left, the current page on the right, the
clerk in the header, the sync backlog in the status bar. The dossier page is not a section: it opens
over the section the clerk came from (a list, the board, a scan) and Esc goes back there."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import (
    QSize,
    Qt,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.context import AppContext
from counter.office.sessions import log_out
from ui import settings
from ui.admin.wiring import install as install_admin
from ui.audit.wiring import install as install_audit
from ui.backup.wiring import install as install_backup
from ui.board.lookups import Lookups
from ui.board.page import BoardPage
from ui.calendar.wiring import install as install_calendar
from ui.catalogue.wiring import install as install_catalogue
from ui.dossier_page.navigator import DossierNavigator
from ui.dossier_page.page import DossierPage
from ui.dossiers.list_page import DossierListPage
from ui.help.wiring import install as install_help
from ui.live.poller import LivePoller
from ui.live.scope_switch import ScopeSwitch
from ui.login.password import ChangePasswordDialog
from ui.main_window.actions import create_actions
from ui.main_window.header import Header, role_label
from ui.main_window.menus import build_menus
from ui.main_window.scan_routing import ScanRouter
from ui.main_window.sync_status import SyncCountLabel
from ui.reports.wiring import SECTION as REPORTS
from ui.reports.wiring import install as install_reports
from ui.scanner import ScannerFilter
from ui.session import IdleLock
from ui.signals import AppSignals
from ui.sync.wiring import install as install_sync
from ui.title import app_title
from ui.users.wiring import SECTION as USERS
from ui.users.wiring import install as install_users

log = logging.getLogger(__name__)

BOARD, RECEIVE, DOSSIERS, DOSSIER = "board", "receive", "dossiers", "dossier"
SYNC, ADMIN, CALENDAR, AUDIT, CATALOGUE = "sync", "admin", "calendar", "audit", "catalogue"
TITLES = {BOARD: "Hôm nay", RECEIVE: "Tiếp nhận", DOSSIERS: "Tra cứu", SYNC: "Đồng bộ", ADMIN: "Quản trị",
          USERS: "Người dùng", CALENDAR: "Lịch làm việc", AUDIT: "Nhật ký", CATALOGUE: "Danh mục",
          REPORTS: "Báo cáo"}
NAV_WIDTH = 168

PageFactory = Callable[[AppContext, QWidget], QWidget | None]


class InstalledSection(Protocol):
    """What a section's install() returns: its page and the action (with the shortcut) that opens it."""

    @property
    def page(self) -> QWidget: ...

    @property
    def action(self) -> QAction: ...


def load_receive_page(ctx: AppContext, parent: QWidget) -> QWidget | None:
    """The receive page if its module is there (it is built separately); None otherwise."""
    try:
        from ui.reception.page import ReceivePage
    except ModuleNotFoundError as e:
        if e.name not in ("ui.reception", "ui.reception.page"):
            log.exception("receive page: a module it needs is missing")
        return None
    except ImportError:
        log.exception("receive page failed to import")
        return None
    return ReceivePage(ctx, parent)


def window_title(ctx: AppContext, user: records.User) -> str:
    return f"{app_title(ctx)} — {user.full_name} ({role_label(user)})"


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, user: records.User, *, receive_page_factory: PageFactory = load_receive_page,
                 clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.signals = AppSignals(self)
        self.settings = settings.ui_settings(ctx)
        self.scan_message: QMessageBox | None = None
        self.lookups = Lookups(self)
        self.live = LivePoller(ctx, self.signals, self)  # other counters' changes, announced within a second
        self.board_page = BoardPage(ctx, self.lookups, self)
        self.receive_page = receive_page_factory(ctx, self)
        self.dossier_page = DossierListPage(ctx, self)
        self.detail_page = DossierPage(ctx, self)
        self.scope = ScopeSwitch(ctx, self)  # Quầy của tôi / Cả trung tâm: the lists' narrowing (office mode)
        self.navigator = DossierNavigator(ctx, self.detail_page, self.lookups, self.show_detail_page, self)
        self.scan_router = ScanRouter(self)
        self._back_to = BOARD
        self._logged_out = False
        self.main_actions = create_actions(self, with_receive=self.receive_page is not None)
        self.header = Header(ctx, user)
        self.nav = QListWidget()
        self.stack = QStackedWidget()
        self._sections: list[str] = []
        self._add_section(BOARD, self.board_page, "F1")
        if self.receive_page is not None:
            self._add_section(RECEIVE, self.receive_page, "F2")
        self._add_section(DOSSIERS, self.dossier_page, "F3")
        self.sync = install_sync(self)  # background sync, its status label, the Đồng bộ page
        self._add_installed(SYNC, self.sync)
        self.reports = install_reports(self)  # every logged-in user (leaders especially)
        self._add_installed(REPORTS, self.reports)
        # The administrators' sections: each install() returns None for anyone else.
        self.admin = install_admin(self)
        self._add_installed(ADMIN, self.admin)
        self.users = install_users(self)
        self._add_installed(USERS, self.users)
        self.calendar = install_calendar(self)
        self._add_installed(CALENDAR, self.calendar)
        self.catalogue = install_catalogue(self)
        self._add_installed(CATALOGUE, self.catalogue)
        self.audit = install_audit(self)
        self._add_installed(AUDIT, self.audit)
        self.stack.addWidget(self.detail_page)  # after the sections: nav rows and stack indexes agree
        self.backup = install_backup(self)  # after the sync (its batch) and Quản trị (the backups' box)
        self.sync_count = SyncCountLabel(ctx, self)
        self.idle_lock = IdleLock(ctx, self, user.username,
                                  idle_minutes=settings.read(self.settings, settings.IDLE_MINUTES), clock=clock)
        self._lay_out()
        self.menus = build_menus(self)  # from the actions above: every screen and command with its key
        self._build_help_menu()
        self._connect()
        self.setWindowTitle(window_title(ctx, user))
        self.show_section(self._sections[0])

    # Building ---------------------------------------------------------------------------

    def _add_installed(self, section: str, parts: InstalledSection | None) -> None:
        """A section an install() gave (None: not for this user): its page, and its nav row naming its shortcut."""
        if parts is None:
            return
        key = parts.action.shortcut().toString()
        self._add_section(section, parts.page, key)
        self.nav.item(self.nav.count() - 1).setText(f"{TITLES[section]}\n({key})")

    def _add_section(self, name: str, page: QWidget, key: str) -> None:
        item = QListWidgetItem(f"{TITLES[name]}  ({key})")
        item.setData(Qt.ItemDataRole.UserRole, name)
        item.setToolTip(f"Phím tắt: {key}")
        item.setSizeHint(QSize(NAV_WIDTH, 52))
        self.nav.addItem(item)
        self.stack.addWidget(page)
        self._sections.append(name)

    def _lay_out(self) -> None:
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F2/F3 and clicks move it; Tab skips it
        self.nav.setStyleSheet("#nav { font-size: 13pt; border: none; background: #e4e9ef; outline: 0; }"
                               "#nav::item { padding-left: 14px; border: none; color: #1f2d3d; }"
                               "#nav::item:hover { background: #d3dbe5; }"
                               "#nav::item:selected { background: palette(window); color: #1f4e79;"
                               " border-left: 5px solid #1f4e79; }")
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.scope.label)
        self.statusBar().addPermanentWidget(self.sync_count)
        self.setMinimumSize(1024, 640)

    def _build_help_menu(self) -> None:
        """Trợ giúp (issue 22): the actions and what they do live in ui/help/."""
        def screen() -> tuple[QWidget | None, str]:
            return self.stack.currentWidget(), TITLES.get(self.current_section(), "Hồ sơ")
        self.help = install_help(self, self.ctx, screen)
        self.help.add_menu(self.menuBar())

    def _connect(self) -> None:
        a = self.main_actions
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        a.board.triggered.connect(self.show_board)
        if a.receive is not None:
            a.receive.triggered.connect(self.show_receive)
        a.dossiers.triggered.connect(self.show_dossiers)
        self.sync.action.triggered.connect(lambda: self.show_section(SYNC))
        a.lock.triggered.connect(self.idle_lock.lock)
        a.password.triggered.connect(self.change_password)
        a.quit.triggered.connect(self.close)
        for view in (self.sync_count, self.dossier_page, self.board_page, self.detail_page):
            self.signals.changed.connect(view.on_changed)  # each refreshes only what the Changes names
        if hasattr(self.receive_page, "changed"):
            self.receive_page.changed.connect(self.signals.changed)
        self.detail_page.changed.connect(self.signals.changed)
        self.detail_page.back.connect(self.go_back)
        self.scope.changed.connect(self.board_page.set_workstation)
        self.scope.changed.connect(self.dossier_page.set_workstation)
        self.board_page.open_code.connect(self.navigator.open_code)
        self.dossier_page.view.activated.connect(self.navigator.open_index)
        self.board_page.receive_for.connect(self.scan_router.receive_cccd)
        self.navigator.failed.connect(self.scan_router.say)

    def change_password(self) -> None:
        """Hệ thống → Đổi mật khẩu: the logged-in user's own password (the old one checked by counter/)."""
        self.password_dialog = ChangePasswordDialog(self.ctx, parent=self)
        self.password_dialog.accepted.connect(lambda: self.statusBar().showMessage("Đã đổi mật khẩu.", 5000))
        self.password_dialog.open()

    def connect_scanner(self, scanner: ScannerFilter) -> None:
        scanner.scanned.connect(self.on_scanned)

    # Sections ---------------------------------------------------------------------------

    def sections(self) -> list[str]:
        return list(self._sections)

    def show_section(self, name: str) -> None:
        if name not in self._sections:
            raise ValueError(f"no section {name!r} (available: {', '.join(self._sections)})")
        self.nav.setCurrentRow(self._sections.index(name))

    def current_section(self) -> str:
        index = self.stack.currentIndex()
        return self._sections[index] if index < len(self._sections) else DOSSIER

    def show_detail_page(self) -> None:
        if self.current_section() != DOSSIER:
            self._back_to = self.current_section()
        self.nav.blockSignals(True)  # no section is current while a dossier is shown
        self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(self.detail_page)

    @Slot()
    def go_back(self) -> None:
        self.show_section(self._back_to)

    @Slot()
    def show_board(self) -> None:
        self.show_section(BOARD)

    @Slot()
    def show_receive(self) -> None:
        self.show_section(RECEIVE)

    @Slot()
    def show_dossiers(self) -> None:
        self.show_section(DOSSIERS)
        self.dossier_page.focus_search()  # F3, and F3 again: to the search box

    @Slot(str)
    def on_scanned(self, text: str) -> None:
        self.scan_router.route(text)

    # Geometry -----------------------------------------------------------------------------

    def restore_geometry(self) -> bool:
        saved = settings.read(self.settings, settings.MAIN_GEOMETRY)
        return bool(saved) and self.restoreGeometry(saved)

    def show_at_start(self) -> None:
        """Its last size, or the whole screen: sized to the screen's free area first, so that a desktop without a
        window manager to maximise it (a bare X server, a kiosk) does not leave it at its minimum size."""
        if self.restore_geometry():
            self.show()
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.availableGeometry())
        self.showMaximized()

    def close_damaged(self) -> None:
        """The background check found the database file damaged (ui/start_check.py; its writes are refused
        already): the window closes without trying to write — no log-out in the audit log, no backup on close."""
        self._logged_out = True
        self.backup.background.stop()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.write(self.settings, settings.MAIN_GEOMETRY, self.saveGeometry())
        if not self._logged_out:
            self._logged_out = True
            try:
                log_out(self.ctx, self.user)
            except Exception:  # the window closes even when the audit log cannot be written (a locked file)
                log.exception("the log-out could not be written to the audit log")
        self.live.stop()
        self.lookups.shutdown()
        self.board_page.loader.shutdown()
        self.sync.page.reader.shutdown()
        self.sync.background.shutdown()
        self.backup.background.before_close(self)  # bounded; only once started (ui/app.py's run)
        super().closeEvent(event)
