"""The scanner filter: bursts ending in Enter become one `scanned` text; human typing is untouched."""

import pytest
from PySide6.QtCore import (
    QEvent,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tests.ui.keys import enter, type_text

CCCD = "038090012345|123456789|Nguyễn Văn An|15031990|Nam|Thôn 3, Xã Quảng Hùng, Thanh Hóa|20042021"


@pytest.fixture
def form(qtbot):
    """A window with a line edit (focused) and a button inside a container."""
    window = QWidget()
    layout = QVBoxLayout(window)
    window.edit = QLineEdit()
    window.button = QPushButton("Nút")
    layout.addWidget(window.edit)
    layout.addWidget(window.button)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.edit.setFocus()
    return window


def record(scanner):
    texts = []
    scanner.scanned.connect(texts.append)
    return texts


def test_burst_with_vietnamese_letters_emits_once_and_types_nothing(qtbot, scanner, monotonic, form):
    texts = record(scanner)
    with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
        type_text(form.edit, CCCD + "\n", gap_ms=5, clock=monotonic)
    assert blocker.args == [CCCD]
    QApplication.processEvents()
    assert texts == [CCCD]
    assert form.edit.text() == ""


def test_scanner_crlf_does_not_leak_an_enter(qtbot, scanner, monotonic, form):
    returns = []
    form.edit.returnPressed.connect(lambda: returns.append(True))
    with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
        type_text(form.edit, "000.00.06.H56-260213-0001\r\n", gap_ms=5, clock=monotonic)
    assert blocker.args == ["000.00.06.H56-260213-0001"]
    assert returns == [] and form.edit.text() == ""


def test_human_typing_reaches_the_field_and_emits_nothing(qtbot, scanner, monotonic, form):
    texts = record(scanner)
    returns = []
    form.edit.returnPressed.connect(lambda: returns.append(form.edit.text()))
    type_text(form.edit, "Trần Thị Bích Ngọc\n", gap_ms=120, clock=monotonic)
    assert returns == ["Trần Thị Bích Ngọc"]  # every key arrived, in order, before the Enter
    QApplication.processEvents()
    assert texts == []


def test_last_key_typed_by_hand_is_delivered_after_the_gap(qtbot, scanner, monotonic, form):
    type_text(form.edit, "Lê Hà", gap_ms=120, clock=monotonic)
    assert form.edit.text() == "Lê H"  # the last key is held until the gap shows it was typed by hand
    monotonic.advance_ms(60)
    qtbot.waitUntil(lambda: form.edit.text() == "Lê Hà", timeout=2000)
    assert scanner._held == []


def test_fast_but_short_burst_is_typed_not_scanned(qtbot, scanner, monotonic, form):
    texts = record(scanner)
    type_text(form.edit, "ab12\n", gap_ms=5, clock=monotonic)  # under min_length: a fast typist, not a scan
    assert form.edit.text() == "ab12"
    QApplication.processEvents()
    assert texts == []


def test_burst_without_enter_is_given_back_to_the_field(qtbot, scanner, monotonic, form):
    type_text(form.edit, "Nguyễn Văn Bình", gap_ms=5, clock=monotonic)
    assert form.edit.text() == ""
    monotonic.advance_ms(60)
    qtbot.waitUntil(lambda: form.edit.text() == "Nguyễn Văn Bình", timeout=2000)


def test_keys_a_widget_ignores_are_counted_once(qtbot, scanner, monotonic, form):
    """A button ignores letters, so each goes on to its parents: the text must not double."""
    form.button.setFocus()
    with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
        type_text(form.button, "ĐƯỜNG-2026-0001\n", gap_ms=5, clock=monotonic)
    assert blocker.args == ["ĐƯỜNG-2026-0001"]


def test_keys_through_the_window_are_counted_once(qtbot, scanner, monotonic, form):
    """Real keyboard events reach the QWindow first, then the focused widget."""
    handle = form.windowHandle()
    with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
        for ch in "H56-260213-0001":
            QTest.keyClick(handle, ch)
        QTest.keyClick(handle, Qt.Key.Key_Return)
    assert blocker.args == ["H56-260213-0001"]
    assert form.edit.text() == ""


def test_enter_after_a_pause_is_a_normal_enter(qtbot, scanner, monotonic, form):
    texts = record(scanner)
    returns = []
    form.edit.returnPressed.connect(lambda: returns.append(form.edit.text()))
    type_text(form.edit, "038090012345", gap_ms=5, clock=monotonic)
    monotonic.advance_ms(200)
    enter(form.edit)
    assert returns == ["038090012345"]
    QApplication.processEvents()
    assert texts == []


def test_shift_around_capitals_does_not_break_a_burst(qtbot, scanner, monotonic, form):
    """Scanners in keyboard mode press Shift for each capital letter."""
    shift = int(Qt.Key.Key_Shift.value)
    with qtbot.waitSignal(scanner.scanned, timeout=2000) as blocker:
        for ch in "AB-12345-CD\n":
            monotonic.advance_ms(3)
            if ch.isupper():
                QApplication.sendEvent(form.edit, QKeyEvent(QEvent.Type.KeyPress, shift,
                                                             Qt.KeyboardModifier.ShiftModifier))
            type_text(form.edit, ch)
            if ch.isupper():
                QApplication.sendEvent(form.edit, QKeyEvent(QEvent.Type.KeyRelease, shift,
                                                             Qt.KeyboardModifier.NoModifier))
    assert blocker.args == ["AB-12345-CD"] and form.edit.text() == ""
