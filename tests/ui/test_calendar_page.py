"""The Lịch làm việc section: administrators only; add and remove a day on a document's authority, the list of
appointments the change moves, and "Dời lịch hẹn" for the later ones (an earlier one stays a warning)."""

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from counter.calendar import versions
from counter.dossiers.lookup import get_dossier
from db.models import CalendarDay, CalendarVersion
from tests.conftest import at
from tests.counter.lifecycle_steps import login, receive
from tests.ui.keys import press, type_text
from ui.app import create_main_window
from ui.main_window.window import CALENDAR

SOURCE = "Công văn số 12/UBND-VP"


def open_window(qtbot, ctx, username: str):
    login(ctx, username)
    window = create_main_window(ctx, ctx.user)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


@pytest.fixture
def page(qtbot, ctx):
    window = open_window(qtbot, ctx, "admin")
    window.show_section(CALENDAR)
    assert window.stack.currentWidget() is window.calendar.page
    page = window.calendar.page
    page.asked = []
    page.confirm_move = lambda count: page.asked.append(count) or True
    return page


def keys(widget, key, modifiers=Qt.KeyboardModifier.ControlModifier):
    press(widget, int(key.value), "", modifiers)


def set_day(page, day: date, kind: str) -> None:
    page.day.setDate(QDate(day.year, day.month, day.day))
    page.kind.setCurrentIndex(page.kind.findData(kind))


@pytest.mark.parametrize("username", ["canbo", "lanhdao"])
def test_only_administrators_have_the_section(qtbot, ctx, username):
    window = open_window(qtbot, ctx, username)
    assert window.calendar is None and CALENDAR not in window.sections()


def test_the_shortcut_opens_it_on_this_year(qtbot, ctx):
    window = open_window(qtbot, ctx, "admin")
    assert window.calendar.action.shortcut().toString() == "Ctrl+Shift+L"
    window.calendar.action.trigger()
    assert window.current_section() == CALENDAR
    page = window.calendar.page
    assert page.year.value() == 2026
    shown = [page.days.item(r, 0).text() for r in range(page.days.rowCount())]
    assert "02/09/2026" in shown and all(d.endswith("/2026") for d in shown)
    assert page.version_label.text() == "Phiên bản lịch hiện hành: 1"
    assert page.notice.isHidden()  # 2026 and 2027 are loaded


def test_a_new_holiday_is_written_with_its_document_and_the_later_appointment_moved(qtbot, ctx, page):
    login(ctx, "canbo")
    dossier = receive(ctx)  # due Wed 25/02/2026 10:00
    login(ctx, "admin")
    page.reload()
    assert page.impact.rowCount() == 0 and not page.move_button.isEnabled()
    set_day(page, date(2026, 2, 23), "holiday")
    type_text(page.source, SOURCE)
    type_text(page.note, "Nghỉ bù")
    keys(page, Qt.Key.Key_S)
    assert CalendarDay.get(CalendarDay.date == date(2026, 2, 23)).source == SOURCE
    assert page.message.kind == "info" and "phiên bản 2" in page.message.plain_text()
    assert page.versions.item(0, 0).text() == "2" and page.versions.item(0, 2).text() == "Lê Văn Quản"
    assert page.impact.rowCount() == 1
    assert [page.impact.item(0, c).text() for c in (0, 3, 4)] == [dossier.code, "10:00 25/02/2026",
                                                                    "10:00 26/02/2026"]
    assert page.move_button.isEnabled()

    keys(page, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.asked == [1]
    moved = get_dossier(ctx, dossier.code)
    assert moved.due_at == at("2026-02-26 10:00") and moved.history[-1].action == "calendar_move"
    assert page.impact.rowCount() == 0 and "Đã dời lịch hẹn của 1 hồ sơ" in page.message.plain_text()


def test_an_earlier_date_is_listed_as_a_warning_and_not_offered(qtbot, ctx, page):
    login(ctx, "canbo")
    dossier = receive(ctx)
    login(ctx, "admin")
    page.reload()
    row = next(r for r in range(page.days.rowCount()) if page.days.item(r, 0).text() == "20/02/2026")
    page.days.selectRow(row)
    assert page.day.date() == QDate(2026, 2, 20)
    type_text(page.source, SOURCE)
    keys(page, Qt.Key.Key_Delete)
    assert CalendarDay.get_or_none(CalendarDay.date == date(2026, 2, 20)) is None
    assert versions.list_versions(ctx)[0].action == "remove"
    assert page.impact.rowCount() == 1 and page.impact.item(0, 5).text().startswith("sớm hơn")
    assert not page.move_button.isEnabled()
    page.move_later()
    assert page.asked == [] and get_dossier(ctx, dossier.code).due_at == at("2026-02-25 10:00")


def test_without_a_document_nothing_is_written(qtbot, ctx, page):
    set_day(page, date(2026, 3, 3), "holiday")
    keys(page, Qt.Key.Key_S)
    assert page.message.kind == "error" and "văn bản căn cứ" in page.message.plain_text()
    assert page.source.hasFocus()
    assert CalendarVersion.select().count() == 1
    page.days.clearSelection()
    type_text(page.source, SOURCE)
    page.remove_day()
    assert page.message.kind == "error" and "chọn trong danh sách" in page.message.plain_text()


def test_a_year_entered_in_full_is_confirmed_with_its_document(qtbot, ctx, page):
    page.year.setValue(2031)
    assert "Chưa có lịch làm việc năm 2031" in page.version_label.text()
    keys(page, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.message.kind == "error" and page.source.hasFocus()  # not without the announcement
    type_text(page.source, "Thông báo 99/TB-UBND lịch nghỉ năm 2031")
    keys(page, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert page.message.kind == "info" and "Đã xác nhận lịch làm việc năm 2031" in page.message.plain_text()
    assert "Chưa có lịch" not in page.version_label.text()
