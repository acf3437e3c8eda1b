"""The main window: wiring only. Sections on the left, the current page on the right, the
clerk in the header, the sync backlog in the status bar."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import (
    QSize,
    Qt,
    Slot,
)
from PySide6.QtGui import QCloseEvent
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

from counter import APP_NAME, records
from counter.context import AppContext
from ui import settings
from ui.dossiers.list_page import DossierListPage
from ui.main_window.actions import create_actions
from ui.main_window.header import Header, role_label
from ui.main_window.scan_routing import route_scan
from ui.main_window.sync_status import SyncCountLabel
from ui.scanner import ScannerFilter
from ui.session import IdleLock
from ui.signals import AppSignals

log = logging.getLogger(__name__)

RECEIVE, DOSSIERS = "receive", "dossiers"
TITLES = {RECEIVE: "Tiếp nhận", DOSSIERS: "Tra cứu"}
NAV_WIDTH = 168

PageFactory = Callable[[AppContext, QWidget], QWidget | None]


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


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, user: records.User, *, receive_page_factory: PageFactory = load_receive_page,
                 clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.signals = AppSignals(self)
        self.settings = settings.ui_settings(ctx)
        self.scan_message: QMessageBox | None = None
        self.receive_page = receive_page_factory(ctx, self)
        self.dossier_page = DossierListPage(ctx, self)
        self.main_actions = create_actions(self, with_receive=self.receive_page is not None)
        self.header = Header(user)
        self.nav = QListWidget()
        self.stack = QStackedWidget()
        self._sections: list[str] = []
        if self.receive_page is not None:
            self._add_section(RECEIVE, self.receive_page, "F2")
        self._add_section(DOSSIERS, self.dossier_page, "F3")
        self.sync_count = SyncCountLabel(self)
        self.idle_lock = IdleLock(self, user.username, idle_minutes=settings.read(self.settings, settings.IDLE_MINUTES),
                                  clock=clock)
        self._lay_out()
        self._build_menus()
        self._connect()
        self.setWindowTitle(f"{APP_NAME} — {user.full_name} ({role_label(user)})")
        self.show_section(self._sections[0])

    # Building ---------------------------------------------------------------------------

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
        self.statusBar().addPermanentWidget(self.sync_count)
        self.setMinimumSize(1024, 640)

    def _build_menus(self) -> None:
        a = self.main_actions
        dossiers = self.menuBar().addMenu("&Hồ sơ")
        dossiers.addActions([x for x in (a.receive, a.dossiers) if x is not None])
        system = self.menuBar().addMenu("Hệ thố&ng")
        system.addAction(a.lock)
        system.addSeparator()
        system.addAction(a.quit)

    def _connect(self) -> None:
        a = self.main_actions
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        if a.receive is not None:
            a.receive.triggered.connect(self.show_receive)
        a.dossiers.triggered.connect(self.show_dossiers)
        a.lock.triggered.connect(self.idle_lock.lock)
        a.quit.triggered.connect(self.close)
        self.signals.changed.connect(self.sync_count.on_changed)
        self.signals.changed.connect(self.dossier_page.on_changed)

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
        return self._sections[self.stack.currentIndex()]

    @Slot()
    def show_receive(self) -> None:
        self.show_section(RECEIVE)

    @Slot()
    def show_dossiers(self) -> None:
        self.show_section(DOSSIERS)

    @Slot(str)
    def on_scanned(self, text: str) -> None:
        route_scan(self, text)

    # Geometry -----------------------------------------------------------------------------

    def restore_geometry(self) -> bool:
        saved = settings.read(self.settings, settings.MAIN_GEOMETRY)
        return bool(saved) and self.restoreGeometry(saved)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings.write(self.settings, settings.MAIN_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
