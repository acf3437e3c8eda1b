"""Typing into widgets in tests, Vietnamese included.

`qtbot.keyClicks` with a non-ASCII character aborts the whole pytest run, so every test types
through `type_text`, which sends QKeyEvents carrying the text. Pass a `ManualClock` that the
code under test also reads (e.g. the ScannerFilter's clock) to space keys without sleeping.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

_SPECIAL = {"\n": (Qt.Key.Key_Return, "\r"), "\r": (Qt.Key.Key_Return, "\r"), "\t": (Qt.Key.Key_Tab, "\t")}


class ManualClock:
    """A monotonic clock (seconds) that moves only when told."""

    def __init__(self, start: float = 1000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance_ms(self, ms: float) -> None:
        self.now += ms / 1000


def key_for(ch: str) -> tuple[int, str]:
    """The Qt key code and event text a keyboard would produce for one character."""
    if ch in _SPECIAL:
        key, text = _SPECIAL[ch]
        return int(key.value), text
    upper = ch.upper()
    return (ord(upper) if len(upper) == 1 else 0), ch


def press(widget: QWidget, key: int, text: str = "",
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key press and release, delivered like a keyboard's (app event filters see it)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


def type_text(widget: QWidget, text: str, gap_ms: float = 0, clock: ManualClock | None = None) -> None:
    """Type `text` into `widget` one key at a time, `gap_ms` apart ("\\n" is Enter).

    With a clock the gap is simulated by advancing it; without one the test really waits
    (processing events) between keys.
    """
    for i, ch in enumerate(text):
        if i and gap_ms:
            if clock is not None:
                clock.advance_ms(gap_ms)
            else:
                QTest.qWait(int(gap_ms))
        key, key_text = key_for(ch)
        press(widget, key, key_text)


def enter(widget: QWidget) -> None:
    press(widget, int(Qt.Key.Key_Return.value), "\r")
