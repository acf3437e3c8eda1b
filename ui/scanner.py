"""USB scanners type like a keyboard: recognise their bursts whatever widget has the focus.

A scan is a run of printable keys at most `max_gap_ms` apart, ending in Enter/Return, at
least `min_length` characters long. The filter cannot know that a key starts a scan until
the next one arrives, so it holds printable keys back: a key arriving within the gap makes
a burst; a pause longer than the gap (or any other key) means a person is typing, and the
held keys are delivered to the widget they were going to, in order, at most one gap late.

An application-wide filter sees a key press several times: first for the QWindow, then for
the focused widget, then for each parent the widget passes an ignored key to. Only widget
receivers count. A held key is accepted, so it stops at the first widget; a key let through
goes on to the parents, whose copies find nothing left to flush and get the same answer.
"""

from __future__ import annotations

import math
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
                 Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock)
COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                     | Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True)
class _HeldKey:
    receiver: weakref.ref
    kind: QEvent.Type
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScannerFilter(QObject):
    """Install with `app.installEventFilter(filter)`; connect `scanned(str)` to route the text."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, max_gap_ms: int = 50, min_length: int = 8,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self._clock = clock  # seconds, monotonic; injected by tests
        self._held: list[_HeldKey] = []
        self._last_at = 0.0  # clock time of the last held printable key
        self._last_stamp = 0  # its event timestamp (ms), 0 when the platform gave none
        self._scan_end: tuple[float, int] | None = None  # (clock, stamp) of the Enter that ended a scan
        self._replaying = False
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._on_quiet)

    # Qt entry point ----------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Every event of the app comes here (paints, layouts, timers…): the class test is made in C, where asking
        # the type would make a Python enum of it first (that was most of this filter's own cost).
        if self._replaying or not isinstance(event, QKeyEvent):
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # a key event of another kind (a shortcut's)
            return False
        if not isinstance(obj, QWidget):  # the QWindow's copy: the focused widget's comes next
            return False
        swallow = self._on_press(obj, event) if kind == QEvent.Type.KeyPress else self._on_release(obj, event)
        if swallow:
            event.accept()  # stops the propagation to parent widgets
        return swallow

    # Key handling --------------------------------------------------------------------------

    def _on_press(self, obj: QWidget, event: QKeyEvent) -> bool:
        now, stamp = self._clock(), event.timestamp()
        if event.key() in ENTER_KEYS:
            return self._on_enter(now, stamp)
        if _is_neutral(event):
            return False
        if event.isAutoRepeat() or not _is_printable(event):
            self.flush()
            return False
        if self._held and self._gap(now, stamp, self._last_at, self._last_stamp) > self.max_gap_ms:
            self.flush()  # a pause: what was held was typed by hand
        self._hold(obj, event)
        self._last_at, self._last_stamp = now, stamp
        self._quiet.start(self.max_gap_ms + 1)
        return True

    def _on_release(self, obj: QWidget, event: QKeyEvent) -> bool:
        if not self._held or event.isAutoRepeat():
            return False
        self._hold(obj, event)  # keep press/release order for widgets that act on release
        return True

    def _on_enter(self, now: float, stamp: int) -> bool:
        text = self._held_text()
        if (len(text) >= self.min_length
                and self._gap(now, stamp, self._last_at, self._last_stamp) <= self.max_gap_ms):
            self._held.clear()
            self._quiet.stop()
            self._scan_end = (now, stamp)
            QTimer.singleShot(0, partial(self.scanned.emit, text))  # after this key event is done
            return True
        if not self._held and self._scan_end and self._gap(now, stamp, *self._scan_end) <= self.max_gap_ms:
            self._scan_end = (now, stamp)  # the LF of a scanner's CR LF
            return True
        self.flush()
        return False

    def _hold(self, obj: QWidget, event: QKeyEvent) -> None:
        self._held.append(_HeldKey(weakref.ref(obj), event.type(), event.key(), event.modifiers(), event.text()))

    def _held_text(self) -> str:
        return "".join(k.text for k in self._held if k.kind == QEvent.Type.KeyPress)

    def _gap(self, now: float, stamp: int, then: float, then_stamp: int) -> float:
        """Milliseconds between two keys: the platform's timestamps when both have one (they do
        not grow while the GUI is busy), else the clock."""
        if stamp and then_stamp:
            return stamp - then_stamp
        return (now - then) * 1000

    # Delivering held keys ----------------------------------------------------------------

    @Slot()
    def _on_quiet(self) -> None:
        if not self._held:
            return
        waited = (self._clock() - self._last_at) * 1000
        if waited <= self.max_gap_ms:
            self._quiet.start(max(1, math.ceil(self.max_gap_ms - waited) + 1))
            return
        self.flush()

    def flush(self) -> None:
        """Deliver the held keys, in order, to the widgets they were going to."""
        held, self._held = self._held, []
        self._quiet.stop()
        if not held:
            return
        self._replaying = True
        try:
            for key in held:
                target = _alive(key.receiver()) or QApplication.focusWidget()
                if target is not None:
                    QApplication.sendEvent(target, QKeyEvent(key.kind, key.key, key.modifiers, key.text))
        finally:
            self._replaying = False


def _alive(widget: QWidget | None) -> QWidget | None:
    return widget if widget is not None and shiboken6.isValid(widget) else None


def _is_neutral(event: QKeyEvent) -> bool:
    """Keys that neither start nor end a burst: a scanner's Shift around capitals, or the
    numpad digits of an Alt+code character."""
    alt_code = not event.text() and event.modifiers() & Qt.KeyboardModifier.AltModifier
    return event.key() in MODIFIER_KEYS or bool(alt_code)


def _is_printable(event: QKeyEvent) -> bool:
    text = event.text()
    return bool(text) and text.isprintable() and not (event.modifiers() & COMMAND_MODIFIERS)
