"""The strip at the top: which office this counter serves and who is logged in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QWidget,
)

from counter import APP_NAME, records
from counter.context import AppContext
from counter.errors import ValidationError
from counter.office.profile import get_office
from counter.office.users import ROLES


def role_label(user: records.User) -> str:
    return ROLES.get(user.role, user.role)


class Header(QWidget):
    def __init__(self, ctx: AppContext, user: records.User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#header { background: #1f4e79; } #header QLabel { color: white; }")
        self.office = QLabel(_office_text(ctx))
        self.office.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.clerk = QLabel(f"{user.full_name} · {role_label(user)}")
        self.clerk.setObjectName("clerk")
        self.clerk.setStyleSheet("font-size: 12pt;")
        self.clerk.setToolTip(user.title)
        self.clerk.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.office, 1)
        layout.addWidget(self.clerk)


def _office_text(ctx: AppContext) -> str:
    try:
        office = get_office(ctx)
    except ValidationError:
        return APP_NAME
    return f"{office.parent_name} — {office.office_name}"
