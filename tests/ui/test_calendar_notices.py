"""A year with no loaded calendar is named on the board and the Quản trị page, and a dossier received with a due
date in it warns the clerk. The clock here is at the end of 2027: the shipped calendar stops at 2027."""

import pytest

from counter.clock import FixedClock
from tests.conftest import at
from tests.counter.lifecycle_steps import login
from tests.ui.test_reception import filled
from ui.app import create_main_window
from ui.main_window.window import ADMIN


@pytest.fixture
def clock():
    return FixedClock(at("2027-12-29 10:00"))  # a Wednesday


def test_the_board_names_the_year_without_a_calendar(window):
    note = window.board_page.calendar_note
    assert note.isVisible() and note.kind == "warn"
    assert note.plain_text().startswith("Chưa có lịch làm việc năm 2028")


def test_the_admin_page_names_it(qtbot, ctx):
    login(ctx, "admin")
    window = create_main_window(ctx, ctx.user)
    qtbot.addWidget(window)
    window.show()
    window.show_section(ADMIN)
    note = window.admin.page.calendar_note
    assert note.isVisible() and note.plain_text().startswith("Chưa có lịch làm việc năm 2028")


def test_receiving_a_dossier_due_in_that_year_warns_the_clerk(qtbot, receive_page):
    page = filled(qtbot, receive_page, "1.004873", "tinh trang hon nhan")  # 3 working days: due in 2028
    dossier = page.receive()
    assert dossier is not None and dossier.due_at.year == 2028
    assert page.message.kind == "warn"
    text = page.message.plain_text()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in text and "Chưa có lịch làm việc năm 2028" in text


def test_a_due_date_in_a_loaded_year_says_nothing_more(qtbot, ctx, receive_page):
    ctx.clock = FixedClock(at("2027-06-02 10:00"))
    page = filled(qtbot, receive_page, "1.004873", "tinh trang hon nhan")
    page.receive()
    assert page.message.kind == "info" and "Chưa có lịch" not in page.message.plain_text()
