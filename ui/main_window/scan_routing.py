"""Where a scan goes. The scanner filter hands over the text; this decides what it means."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from counter.cccd import looks_like_cccd

if TYPE_CHECKING:
    from ui.main_window.window import MainWindow

SHOWN_CHARS = 120  # a garbled scan can be long: show its start


def route_scan(window: MainWindow, text: str) -> None:
    """A CCCD QR fills the receive form; anything else is shown as read."""
    if window.idle_lock.is_locked:
        return  # nobody is at the counter: a scan must not change what is behind the lock
    if window.receive_page is not None and looks_like_cccd(text):
        window.show_section("receive")
        window.receive_page.fill_from_cccd(text)
        return
    show_unrecognised(window, text)


def show_unrecognised(window: MainWindow, text: str) -> QMessageBox:
    read = text.strip()
    if len(read) > SHOWN_CHARS:
        read = read[:SHOWN_CHARS] + "…"
    if window.scan_message is not None:  # one message at a time, the latest scan
        window.scan_message.deleteLater()
    box = QMessageBox(QMessageBox.Icon.Information, "Mã vừa quét", f"Đã quét: {read} — chưa nhận ra mã này",
                      QMessageBox.StandardButton.Ok, window)
    box.setObjectName("scanMessage")
    box.open()  # returns at once (window-modal until OK), unlike exec()
    window.scan_message = box
    return box
