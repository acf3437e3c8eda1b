"""Where a scan goes. The scanner filter hands over the text; this decides what it means, from any screen:

- a well-formed dossier code (checked before any lookup) opens that dossier, or says it is not here and
  offers to look it up at the province (ui/main_window/province_lookup.py);
- a CCCD QR fills the receive form when that form is on screen, else lists the person's dossiers on
  the board (with the offer to receive one for them when they have none);
- a dialog that takes an ID card (the return's "who collects") gets the CCCD; other dialogs keep
  the screen as it is;
- anything else is shown as read, with why it was not recognised.

Each scan makes any answer still on its way for an earlier scan stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QObject,
    Slot,
)
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
)

from counter.dossiers.cccd import looks_like_cccd, parse_cccd
from counter.errors import ValidationError
from counter.office.codes import code_in_lookup_address, has_impossible_date, is_dossier_code
from counter.sync.settings import SyncSettings
from ui.main_window.province_lookup import ProvinceLookupDialog, offer_lookup, open_lookup

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

SHOWN_CHARS = 120  # a garbled scan can be long: show its start
CODE_SHAPE = "000.00.00.H00-yyMMdd-NNNN"
STATUS_MS = 8000
NOT_HERE = "Không có hồ sơ mã {code} trên máy này."  # counter.dossiers.lookup.get_dossier's NotFound


class ScanRouter(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.scanned_code = ""  # the last dossier code scanned, for the province offer
        self.lookup_dialog: ProvinceLookupDialog | None = None

    @Slot(str)
    def route(self, text: str) -> None:
        w = self.window
        if w.idle_lock.is_locked:
            return  # nobody is at the counter: a scan must not change what is behind the lock
        read = text.strip()
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not w.scan_message:
            self._into_dialog(modal, read)
            return
        w.navigator.cancel()  # whatever an earlier scan was opening, this one wins
        self.scanned_code = read.upper() if is_dossier_code(read.upper()) else code_in_lookup_address(read) or ""
        if self.scanned_code:
            w.navigator.open_code(self.scanned_code)
        elif looks_like_cccd(read):
            self._person(read)
        else:
            show_unrecognised(w, read)

    def _into_dialog(self, dialog, read: str) -> None:
        if looks_like_cccd(read) and hasattr(dialog, "fill_from_cccd"):
            dialog.fill_from_cccd(read)
            return
        self.window.statusBar().showMessage(f"Đã quét “{_shown(read)}” khi đang mở hộp thoại “{dialog.windowTitle()}”: "
                                            "đóng hộp thoại rồi quét lại.", STATUS_MS)

    def _person(self, read: str) -> None:
        w = self.window
        if w.receive_page is not None and w.current_section() == "receive":
            w.receive_page.fill_from_cccd(read)
            return
        try:
            card = parse_cccd(read, today=w.ctx.clock.now().date())
            id_number, name = card.id_number, card.full_name
        except ValidationError:  # garbled beyond the id: the id still finds the person's dossiers
            id_number, name = read[:12], f"người có số định danh {read[:12]}"
        w.board_page.show_person(id_number, name, read if w.receive_page is not None else "")
        w.show_section("board")

    @Slot(str)
    def receive_cccd(self, cccd: str) -> None:
        """From the board: receive a new dossier for the person whose card was scanned."""
        w = self.window
        if w.receive_page is not None and cccd:
            w.show_section("receive")
            w.receive_page.fill_from_cccd(cccd)

    @Slot(str)
    def say(self, text: str) -> None:
        """A lookup's answer the clerk must see (a code not on this machine: the province may have it)."""
        box = scan_message(self.window, text)
        code = self.scanned_code
        if code and text == NOT_HERE.format(code=code):
            offer_lookup(self.window.ctx, box, lambda config: self._ask_province(config, code))

    def _ask_province(self, config: SyncSettings, code: str) -> None:
        self.lookup_dialog = open_lookup(config, code, self.window)


def why_unrecognised(read: str) -> str:
    if "|" in read:
        try:
            parse_cccd(read)
        except ValidationError as exc:
            return f"Có vẻ là mã QR trên thẻ căn cước nhưng đọc không đủ: {exc}"
    if has_impossible_date(read.upper()):
        return (f"Có dạng mã hồ sơ nhưng ngày tiếp nhận “{read[-11:-5]}” (yyMMdd) không có thật: "
                "có thể máy quét đọc sai một chữ số, hãy quét lại.")
    if "-" in read and any(ch.isdigit() for ch in read):
        return f"Không đúng dạng mã hồ sơ {CODE_SHAPE}."
    return f"Không phải mã hồ sơ (dạng {CODE_SHAPE}) cũng không phải mã QR trên thẻ căn cước."


def show_unrecognised(window: MainWindow, text: str) -> QMessageBox:
    read = text.strip()
    return scan_message(window, f"Đã quét: {_shown(read)} — chưa nhận ra mã này", why_unrecognised(read))


def alert_sound() -> None:
    """The sound of a scan that did not open anything: the clerk hears it without looking at the screen."""
    QApplication.beep()


def scan_message(window: MainWindow, text: str, why: str = "") -> QMessageBox:
    """A scan that opened nothing: a warning (not an information) and a sound."""
    if window.scan_message is not None:  # one message at a time, the latest scan
        window.scan_message.deleteLater()
    box = QMessageBox(QMessageBox.Icon.Warning, "Mã vừa quét", text, QMessageBox.StandardButton.Ok, window)
    box.setObjectName("scanMessage")
    if why:
        box.setInformativeText(why)
    box.open()  # returns at once (window-modal until OK), unlike exec()
    window.scan_message = box
    alert_sound()
    return box


def _shown(read: str) -> str:
    return read[:SHOWN_CHARS] + "…" if len(read) > SHOWN_CHARS else read
