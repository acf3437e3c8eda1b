"""The dossier page's frame: the header (code, status, time left) and the column of action buttons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from counter import records
from counter.dossiers.board import OVERDUE
from counter.status import Status
from ui.board.timeliness import NEUTRAL, colours, describe
from ui.dossier_page.actions import PageAction
from ui.reception.look import bold

PANEL_WIDTH = 300
ALWAYS = {"print_slip", "reprint"}  # the printing actions, whatever the state
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
CLOSED = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


def badge_style(back: str, fore: str) -> str:
    return (f"QLabel {{ background: {back}; color: {fore}; border-radius: 4px; padding: 4px 10px;"
            " font-weight: bold; }")


def paused_text(dossier: records.Dossier) -> str:
    """The badge when no clock runs."""
    if dossier.status == Status.SUPPLEMENT:
        return "Tạm dừng: chờ công dân bổ sung"
    if dossier.status in CLOSED or dossier.status == Status.RESULT_READY:
        return ""
    return "Không quy định thời hạn" if dossier.due_at is None else ""


def due_today(dossier: records.Dossier, minutes: int | None, state: str, now: datetime | None) -> str:
    """"Hạn hôm nay, 17:00" for a dossier due later today ("Còn 1 ngày làm việc" would read as tomorrow)."""
    if now is None or minutes is None or dossier.due_at is None or state == OVERDUE or minutes <= 0:
        return ""
    due = dossier.due_at.astimezone(now.tzinfo) if now.tzinfo and dossier.due_at.tzinfo else dossier.due_at
    return f"Hạn hôm nay, {due:%H:%M}" if due.date() == now.date() else ""


class HeaderBar(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.back_button = QPushButton("←  Quay lại  (Esc)")
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.code_label = QLabel()
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold(self.code_label, 16)
        # The code never shrinks (a clerk reads it against the paper); at the window's narrowest the badges wrap.
        self.code_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.status_badge = QLabel()
        self.status_badge.setStyleSheet(badge_style("#dfe8f3", "#1f4e79"))
        self.time_badge = QLabel()
        for badge in (self.status_badge, self.time_badge):
            badge.setWordWrap(True)
        self.state = ""  # on_time | due_soon | overdue | '' (no clock)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.back_button)
        layout.addSpacing(12)
        layout.addWidget(self.code_label)
        layout.addSpacing(8)
        layout.addWidget(self.status_badge)
        layout.addWidget(self.time_badge)
        layout.addStretch(1)

    def show_dossier(self, dossier: records.Dossier, minutes: int | None, state: str, day_minutes: int,
                     now: datetime | None = None) -> None:
        self.code_label.setText(dossier.code)
        self.status_badge.setText(dossier.status.label)
        text = due_today(dossier, minutes, state, now) or describe(minutes, state, day_minutes)
        self.state = state if text else ""
        if not text:
            text = paused_text(dossier)
        self.time_badge.setText(text)
        style = badge_style(*(colours(self.state) if self.state else NEUTRAL))
        if self.time_badge.styleSheet() != style:  # a style sheet set again is parsed and polished again
            self.time_badge.setStyleSheet(style)
        self.time_badge.setVisible(bool(text))


class ActionButton(QPushButton):
    """The action's name on the left and its key on the right, so neither is cut off in a narrow
    column; Enter presses it too (outside dialogs QPushButton answers only to Space)."""

    def __init__(self, text: str, shortcut: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name_label = QLabel(text)
        self.name_label.setWordWrap(True)
        self.key_label = QLabel(shortcut)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label in (self.name_label, self.key_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 8, 4)
        row.addWidget(self.name_label, 1)
        row.addWidget(self.key_label)
        self.setAccessibleName(f"{text} ({shortcut})")
        self.setToolTip(f"Phím tắt: {shortcut}")
        self.setMinimumHeight(40)

    def text(self) -> str:  # what the clerk reads on it
        return self.name_label.text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ENTER_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.click()
            event.accept()
            return
        super().keyPressEvent(event)


class ActionPanel(QFrame):
    triggered = Signal(str)  # the action key

    def __init__(self, actions: Sequence[PageAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedWidth(PANEL_WIDTH)
        self.buttons: dict[str, ActionButton] = {}
        self.order = [a.key for a in actions]
        title = QLabel("Thao tác")
        bold(title, 12)
        self.empty = QLabel("Hồ sơ đã kết thúc: không còn thao tác nào.")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #5b6570;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(title)
        for action in (a for a in actions if not a.grave and a.key not in ALWAYS):
            layout.addWidget(self._button(action))
        layout.addWidget(self.empty)
        layout.addStretch(1)
        for action in (a for a in actions if a.grave or a.key in ALWAYS):
            layout.addWidget(self._button(action))

    def _button(self, action: PageAction) -> ActionButton:
        button = ActionButton(action.text, action.shortcut)
        button.primary = action.primary
        if action.primary:
            bold(button.name_label)
            button.setStyleSheet("QPushButton { background: #1f4e79; } QPushButton:focus { border: 3px solid #f0b429; }"
                                 " QLabel { color: white; }")
        else:
            colour = "#8b1a1a" if action.grave else "#1f2d3d"
            button.setStyleSheet(f"QPushButton:focus {{ border: 3px solid #f0b429; }} QLabel {{ color: {colour}; }}")
        button.key_label.setStyleSheet("color: #c9d6e3;" if action.primary else "color: #6b7580;")
        button.clicked.connect(lambda: self.triggered.emit(action.key))
        self.buttons[action.key] = button
        return button

    def show_allowed(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed) | ALWAYS
        for key, button in self.buttons.items():
            if button.isHidden() == (key in allowed):
                button.setVisible(key in allowed)
        self.empty.setVisible(allowed == ALWAYS)

    def shown(self) -> list[str]:
        return [key for key in self.order if not self.buttons[key].isHidden()]

    def focus_first(self) -> None:
        """The usual next step gets the focus (Enter presses it), else the first action offered."""
        shown = [self.buttons[k] for k in self.shown()]
        first = next((b for b in shown if b.primary), shown[0] if shown else None)
        if first is not None:
            first.setFocus()
