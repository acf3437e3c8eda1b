"""Người nộp hồ sơ: typed, read from the citizen ID card's QR, or completed from an earlier visit."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import (
    QEvent,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from counter.context import AppContext
from counter.dossiers import applicants
from counter.dossiers.cccd import parse_cccd
from counter.errors import Field, ValidationError
from counter.records import ApplicantInput
from counter.text import nfc, parse_day
from ui.reception.enter_moves import EnterMoves
from ui.reception.look import MessageLine

SEXES = ("", "Nam", "Nữ")
SHOWN_CHARS = 160  # of a bad scan, enough to recognise it
HINT_PADDING = 16  # a line edit's frame and inner margins around its text


def parse_birth_date(text: str) -> date | None:
    """'15/03/1990' (or 15031990, 15-3-1990) → date; '' → None; anything else a ValidationError."""
    return parse_day(text, "Ngày sinh", example="15/03/1990", field=Field.BIRTH_DATE)


class HintEdit(QLineEdit):
    """A box whose hint is never cut: at least as wide as its hint in the font it is drawn with (a style sheet
    may change the font after it is made), and at least `least`."""

    def __init__(self, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._least = 0
        self.setPlaceholderText(placeholder)
        self._fit()

    def set_least(self, width: int) -> None:
        self._least = width
        self._fit()

    def _fit(self) -> None:
        hint = self.fontMetrics().horizontalAdvance(self.placeholderText()) + HINT_PADDING
        self.setMinimumWidth(max(self._least, hint))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()


class ApplicantBox(QGroupBox):
    person_changed = Signal(str)  # the 12-digit id now entered, or "" when there is none

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__("Người nộp hồ sơ", parent)
        self.ctx = ctx
        self._looked_up = ""
        self.id_edit = self._edit("12 chữ số, hoặc quét QR thẻ căn cước")
        self.id_edit.setToolTip("Gõ 12 chữ số của số định danh, hoặc quét mã QR trên thẻ căn cước: các ô tự điền")
        self.old_id_edit = self._edit("9 chữ số (nếu có)")
        self.name_edit = self._edit("Họ và tên có dấu")
        self.birth_edit = self._edit("ngày/tháng/năm")
        self.sex_combo = QComboBox()
        self.sex_combo.addItems(SEXES)
        self.phone_edit = self._edit("Số điện thoại")
        self.email_edit = self._edit("(nếu có)")
        self.address_edit = self._edit("Địa chỉ thường trú / liên hệ")
        self.message = MessageLine()
        self._lay_out()
        self.id_edit.textChanged.connect(self._on_id_changed)
        self.enter = EnterMoves(self, before=self._before_next)
        self.enter.watch(*self.fields())

    def _edit(self, placeholder: str) -> HintEdit:
        edit = HintEdit(placeholder)
        edit.setClearButtonEnabled(True)
        return edit

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        rows = [
            [("Số định danh (CCCD):", self.id_edit, 3), ("CMND cũ:", self.old_id_edit, 1)],
            [("Họ và tên:", self.name_edit, 3), ("Giới tính:", self.sex_combo, 1)],
            [("Ngày sinh:", self.birth_edit, 1), ("Điện thoại:", self.phone_edit, 1), ("E-mail:", self.email_edit, 1)],
            [("Địa chỉ:", self.address_edit, 5)],
        ]
        for r, row in enumerate(rows):
            column = 0
            for label, field, span in row:
                caption = QLabel(label)
                caption.setBuddy(field)
                grid.addWidget(caption, r, column)
                grid.addWidget(field, r, column + 1, 1, span)
                column += span + 1
        grid.addWidget(self.message, len(rows), 0, 1, 6)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        for edit, width in ((self.old_id_edit, 120), (self.birth_edit, 120), (self.phone_edit, 130),
                            (self.email_edit, 150)):
            edit.set_least(width)
        self.sex_combo.setMinimumWidth(90)

    def fields(self) -> list[QWidget]:
        return [self.id_edit, self.old_id_edit, self.name_edit, self.sex_combo, self.birth_edit,
                self.phone_edit, self.email_edit, self.address_edit]

    # The card ---------------------------------------------------------------------------------

    @Slot(str)
    def fill_from_cccd(self, text: str) -> bool:
        """Fill from a scanned CCCD QR. A bad one: the message, what was read, and the fields as read
        so the clerk can correct them rather than type everything."""
        try:
            card = parse_cccd(text, today=self.ctx.clock.now().date())
        except ValidationError as exc:
            self._fill_as_read(text)
            read = nfc(text)[:SHOWN_CHARS]
            shown = "" if read in str(exc) else f"\nĐã đọc: “{read}”"
            self.message.error(f"Mã QR căn cước không hợp lệ: {exc}{shown}\n"
                               "Hãy quét lại, hoặc sửa trực tiếp các ô ở trên.")
            self.id_edit.setFocus()
            return False
        if card.id_number != self.id_edit.text().strip():
            self.phone_edit.clear()  # contact details belonged to the person typed before
            self.email_edit.clear()
        self.old_id_edit.setText(card.old_id_number or "")
        self.name_edit.setText(card.full_name)
        self.birth_edit.setText(f"{card.birth_date:%d/%m/%Y}")
        self.sex_combo.setCurrentText(card.sex)
        self.address_edit.setText(card.address)
        self.message.info(f"Đã đọc thẻ căn cước (cấp ngày {card.issue_date:%d/%m/%Y}). "
                          "Kiểm tra họ tên có dấu trước khi tiếp nhận.")
        self.id_edit.setText(card.id_number)  # last: the look-up then only fills what the card lacks
        self.phone_edit.setFocus()
        return True

    def _fill_as_read(self, text: str) -> None:
        parts = [p.strip() for p in nfc(text).split("|")]
        parts += [""] * (7 - len(parts))
        birth = parts[3]
        if re.fullmatch(r"\d{8}", birth):
            birth = f"{birth[:2]}/{birth[2:4]}/{birth[4:]}"
        for field, value in ((self.old_id_edit, parts[1]), (self.name_edit, parts[2]), (self.birth_edit, birth),
                             (self.address_edit, parts[5]), (self.id_edit, parts[0])):
            if value:
                field.setText(value)
        if parts[4] in SEXES:
            self.sex_combo.setCurrentText(parts[4])

    def _before_next(self, field: QWidget) -> bool:
        """Enter in the id field after a scan that was typed slowly: read it as a card."""
        if field is self.id_edit and "|" in self.id_edit.text():
            self.fill_from_cccd(self.id_edit.text())
            return True
        return False

    # An earlier visit -------------------------------------------------------------------------

    @Slot(str)
    def _on_id_changed(self, text: str) -> None:
        text = text.strip()
        if applicants.ID_RE.match(text):  # a whole id: look the person up
            if text != self._looked_up:
                self.look_up(text)
        elif self._looked_up:
            self._looked_up = ""
            self.person_changed.emit("")

    def look_up(self, id_number: str) -> None:
        """A known person: fill the blanks from their last visit (what the clerk typed wins)."""
        self._looked_up = id_number
        person = applicants.find_by_id_number(self.ctx, id_number)
        if person is not None:
            filled = self._fill_blanks(person)
            if filled and self.message.kind != "error":
                note = "Người đã nộp hồ sơ trước đây: đã điền " + ", ".join(filled) + " từ lần trước."
                previous = self.message.plain_text() + "\n" if self.message.kind == "info" else ""
                self.message.info(previous + note)
        self.person_changed.emit(id_number)

    def _fill_blanks(self, person) -> list[str]:
        filled = []
        for label, field, value in (
            ("họ tên", self.name_edit, person.full_name), ("CMND cũ", self.old_id_edit, person.old_id_number),
            ("ngày sinh", self.birth_edit, f"{person.birth_date:%d/%m/%Y}" if person.birth_date else ""),
            ("địa chỉ", self.address_edit, person.address), ("điện thoại", self.phone_edit, person.phone),
            ("e-mail", self.email_edit, person.email),
        ):
            if value and not field.text().strip():
                field.setText(value)
                filled.append(label)
        if person.sex and not self.sex_combo.currentText():
            self.sex_combo.setCurrentText(person.sex)
            filled.append("giới tính")
        return filled

    # The form ---------------------------------------------------------------------------------

    def applicant_input(self) -> ApplicantInput:
        """What was entered (a date that does not parse, or lies in the future, is refused at once); the domain
        checks the rest when the dossier is written."""
        birth = applicants.check_birth_date(parse_birth_date(self.birth_edit.text()), self.ctx.clock.now().date())
        return ApplicantInput(
            id_number=self.id_edit.text().strip(), full_name=self.name_edit.text(),
            old_id_number=self.old_id_edit.text().strip() or None, birth_date=birth,
            sex=self.sex_combo.currentText(), address=self.address_edit.text(),
            phone=self.phone_edit.text().strip(), email=self.email_edit.text().strip(),
        )

    def clear_form(self) -> None:
        self._looked_up = ""
        for field in self.fields():
            if isinstance(field, QLineEdit):
                field.clear()
        self.sex_combo.setCurrentIndex(0)
        self.message.clear_message()
        self.person_changed.emit("")
