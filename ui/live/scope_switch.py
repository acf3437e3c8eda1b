"""Quầy của tôi / Cả trung tâm (issue 20): one switch for the window's lists (the board, Tra cứu) and its reports (F5
Báo cáo: the scorecard, the register and Biểu 06 exported), Ctrl+Alt+Q, in the Màn hình menu and said in the status
bar. Offered only in office mode (counter.dossiers.scope.offered): a clerk starts on their counter, a leader or an
administrator on the centre (counter/dossiers/scope.py says why)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from counter.context import AppContext
from counter.dossiers import scope

SHORTCUT = "Ctrl+Alt+Q"


class ScopeSwitch(QObject):
    changed = Signal(object)  # the workstation number the lists are narrowed to, or None: the whole centre

    def __init__(self, ctx: AppContext, parent: QWidget):
        super().__init__(parent)
        self.ctx = ctx
        self.mine = scope.my_counter(ctx)
        self.workstation = scope.default(ctx)
        self.action: QAction | None = None
        self.label = QLabel()
        if self.mine is None:
            self.label.hide()
            return
        self.action = QAction(f"Chỉ hồ sơ quầy của tôi (quầy {self.mine})", parent)
        self.action.setCheckable(True)
        self.action.setChecked(self.workstation is not None)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setStatusTip("Danh sách Hôm nay, Tra cứu và Báo cáo: chỉ hồ sơ quầy này tiếp nhận, hoặc của cả "
                                 "trung tâm")
        self.action.toggled.connect(self._toggled)
        parent.addAction(self.action)
        self._say()

    @Slot(bool)
    def _toggled(self, mine: bool) -> None:
        self.workstation = self.mine if mine else None
        self._say()
        self.changed.emit(self.workstation)

    def toggle(self) -> None:
        if self.action is not None:
            self.action.toggle()

    def _say(self) -> None:
        self.label.setText(f"{scope.label(self.workstation)}  ({SHORTCUT})")
