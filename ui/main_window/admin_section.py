"""One administrator's section of the main window (Quản trị, Người dùng, Lịch làm việc, Danh mục, Nhật ký): its
page and the action that opens it, made only for an administrator (counter/ refuses anyone else as well).

A page may emit `changed` (what it changed) and take `on_changed` (what changed elsewhere): both are plugged
into the window's signals when it has them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from counter.office.roles import ADMINS, has_role
from ui.main_window.actions import make_action

P = TypeVar("P", bound=QWidget)


@dataclass(frozen=True)
class AdminSection(Generic[P]):
    page: P
    action: QAction


def install_admin_section(window, section: str, make_page: Callable[..., P], text: str, shortcut: str,
                          tip: str) -> AdminSection[P] | None:
    """The page (`make_page(ctx, window)`) and its command when the logged-in user is an administrator; None for
    anyone else."""
    if not has_role(window.user, ADMINS):
        install_refusal(window, text, shortcut)
        return None
    page = make_page(window.ctx, window)
    action = make_action(window, text, shortcut, tip)
    window.addAction(action)
    action.triggered.connect(lambda: window.show_section(section))
    if hasattr(page, "changed"):
        page.changed.connect(window.signals.changed)
    if hasattr(page, "on_changed"):
        window.signals.changed.connect(page.on_changed)
    return AdminSection(page, action)


REFUSAL = "refusal"  # the property of an action that only says why nothing opens (not listed in the menus)


def install_refusal(window, text: str, shortcut: str) -> QAction:
    """For anyone but an administrator: the key of an administrators' screen says why nothing opens."""
    name = text.replace("&", "")
    action = make_action(window, name, shortcut)
    action.setProperty(REFUSAL, True)
    window.addAction(action)
    action.triggered.connect(lambda: window.statusBar().showMessage(
        f"{shortcut} mở trang “{name}”, chỉ dành cho quản trị viên: tài khoản đang đăng nhập không có quyền này. "
        "Cần thay đổi thiết lập thì hãy gọi quản trị viên.", 10_000))
    return action
