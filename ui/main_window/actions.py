"""The main window's commands, with their shortcuts (shown in the menus)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import (
    QAction,
    QKeySequence,
)
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class MainActions:
    board: QAction
    receive: QAction | None  # None when the receive page is not available
    dossiers: QAction
    password: QAction
    lock: QAction
    quit: QAction

    def all(self) -> list[QAction]:
        return [a for a in (self.board, self.receive, self.dossiers, self.password, self.lock, self.quit)
                if a is not None]


def make_action(parent: QWidget, text: str, shortcut: str, tip: str = "") -> QAction:
    action = QAction(text, parent)
    action.setShortcut(QKeySequence(shortcut))
    action.setStatusTip(tip)
    return action


def create_actions(parent: QWidget, *, with_receive: bool) -> MainActions:
    return MainActions(
        board=make_action(parent, "&Hôm nay", "F1", "Hồ sơ hôm nay: nhận, đến hạn, quá hạn, chờ trả, chờ bổ sung"),
        receive=make_action(parent, "&Tiếp nhận hồ sơ", "F2", "Tiếp nhận hồ sơ mới") if with_receive else None,
        dossiers=make_action(parent, "T&ra cứu hồ sơ", "F3", "Danh sách hồ sơ đã tiếp nhận"),
        password=make_action(parent, "Đổi &mật khẩu…", "Ctrl+Shift+M", "Đổi mật khẩu của người đang đăng nhập"),
        lock=make_action(parent, "&Khóa máy", "Ctrl+L", "Khóa màn hình khi rời quầy"),
        # Ctrl+Q explicitly: QKeySequence.StandardKey.Quit is empty on Windows.
        quit=make_action(parent, "&Thoát", "Ctrl+Q", "Đóng chương trình"),
    )
