"""The main window's menus, built from the actions that carry the shortcuts (one source of truth): every screen,
every command of the window, and the receive and dossier pages' commands, each with its key beside it. Menus are
how a new clerk discovers the keyboard.

A page's commands work only while the page shows (their keys are the page's), so their menu entries are enabled
only then.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QStackedWidget, QWidget

from ui.main_window.admin_section import REFUSAL


def _add(menu: QMenu, actions: Iterable[QAction | None]) -> None:
    menu.addActions([a for a in actions if a is not None])


def _follow_page(stack: QStackedWidget, page: QWidget, actions: list[QAction]) -> None:
    """The page's actions enabled only while it is the stack's current page."""
    def update(_index: int = -1) -> None:
        for action in actions:
            action.setEnabled(stack.currentWidget() is page)
    stack.currentChanged.connect(update)
    update()


def build_menus(window) -> list[QMenu]:
    """Màn hình, Tiếp nhận, Hồ sơ, Báo cáo, Quản trị (administrators), Hệ thống; returns them in that order."""
    a = window.main_actions
    bar = window.menuBar()
    menus: list[QMenu] = []

    screens = bar.addMenu("&Màn hình")
    _add(screens, (a.board, a.receive, a.dossiers, window.sync.action, window.reports.action))
    if window.scope.action is not None:  # Quầy của tôi / Cả trung tâm (office mode)
        screens.addSeparator()
        screens.addAction(window.scope.action)
    admin_screens = [s.action for s in (window.admin, window.users, window.calendar, window.catalogue, window.audit)
                     if s is not None]
    if admin_screens:
        screens.addSeparator()
        _add(screens, admin_screens)
    menus.append(screens)

    receive_actions = list(getattr(window.receive_page, "page_actions", []))
    if receive_actions:
        receiving = bar.addMenu("&Tiếp nhận")
        _add(receiving, receive_actions)
        _follow_page(window.stack, window.receive_page, receive_actions)
        menus.append(receiving)

    dossier = bar.addMenu("&Hồ sơ")
    dossier_actions = list(window.detail_page.page_actions)
    _add(dossier, dossier_actions)
    _follow_page(window.stack, window.detail_page, dossier_actions)
    menus.append(dossier)

    reports = bar.addMenu("&Báo cáo")  # the exports' shortcuts work while the Báo cáo page shows
    reports.addAction(window.reports.action)
    reports.addSeparator()
    _add(reports, window.reports.page.export_actions)
    menus.append(reports)

    if window.admin is not None:
        admin = bar.addMenu("&Quản trị")
        _add(admin, admin_screens)
        extra = [x for x in window.actions() if x not in admin_screens and x not in a.all() and not x.property(REFUSAL)
                 and x is not window.sync.action and x is not window.reports.action and x is not window.scope.action]
        if extra:
            admin.addSeparator()
            _add(admin, extra)  # Sao lưu ngay, Khôi phục…, Cấp mã tiếp… (ui/backup): the window's other commands
        menus.append(admin)

    system = bar.addMenu("Hệ thố&ng")
    _add(system, (a.password, a.lock))
    system.addSeparator()
    system.addAction(a.quit)
    menus.append(system)
    return menus
