"""Today's board (now: Fri 13/02/2026 10:00): the five lists with their colours and phones, Enter or a
double-click to open, the search box, and stale answers dropped."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from counter.changes import dossier_changed
from counter.dossiers import lifecycle
from counter.records import ApplicantInput, GuidanceItem
from tests.conftest import at
from tests.counter.lifecycle_steps import UNIT, login, receive
from tests.ui.keys import type_text
from ui.board.lookups import Lookups
from ui.board.page import BoardPage
from ui.board.table_model import LEFT, PHONE
from ui.board.timeliness import COLOURS
from ui.dossiers.table_model import CODE

BICH = ApplicantInput(id_number="038190054321", full_name="Trần Thị Bích", phone="0987654321")


def received(ctx, procedure, when, applicant=None, then=()):
    ctx.clock.at = at(when)
    d = receive(ctx, procedure, applicant) if applicant else receive(ctx, procedure)
    for step in then:
        step(ctx, d.code)
    ctx.clock.at = at("2026-02-13 10:00")
    return d


@pytest.fixture
def desk(ctx):
    login(ctx, "canbo")
    handed = lambda c, code: lifecycle.handover(c, code, UNIT)  # noqa: E731
    paused = lambda c, code: lifecycle.request_supplement(  # noqa: E731
        c, code, [GuidanceItem("Tờ khai", "Chưa ký")], "Chưa ký")
    ready = lambda c, code: lifecycle.record_result(c, code, "12/2026")  # noqa: E731
    return {
        "paused": received(ctx, "1.001193", "2026-02-09 08:00", then=(handed, paused)),
        "late": received(ctx, "1.004873", "2026-02-10 08:00", then=(handed,)),  # due 13/02 08:00
        "ready": received(ctx, "1.001193", "2026-02-10 09:00", BICH, then=(handed, ready)),
        "today_early": received(ctx, "1.004873", "2026-02-13 08:00"),
        "today_same_day": received(ctx, "1.001193", "2026-02-13 09:00"),  # khai sinh: due 17:00 today
    }


@pytest.fixture
def board(qtbot, ctx, desk):
    lookups = Lookups()
    page = BoardPage(ctx, lookups)
    qtbot.addWidget(page)
    page.resize(1190, 640)
    page.opened = []
    page.open_code.connect(page.opened.append)
    page.show()
    qtbot.waitUntil(lambda: page.loaded)
    yield page
    lookups.shutdown()


def cell(view, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return view.model().index(row, column).data(role)


def test_the_five_lists(board, desk):
    codes = {key: board.views[key].codes() for key in ("received", "due_today", "overdue", "ready", "supplement")}
    assert codes["received"] == [desk["today_same_day"].code, desk["today_early"].code]  # newest first
    assert codes["due_today"] == [desk["today_same_day"].code]
    assert codes["overdue"] == [desk["late"].code]
    assert codes["ready"] == [desk["ready"].code]
    assert codes["supplement"] == [desk["paused"].code]
    titles = [board.tabs.tabText(i) for i in range(board.tabs.count())]
    assert titles == ["Nhận hôm nay (2)", "Đến hạn hôm nay (1)", "Quá hạn (1)", "Chờ trả kết quả (1)",
                      "Chờ bổ sung (1)"]
    assert board.title.text() == "Hôm nay, Thứ Sáu 13/02/2026"


def test_ready_results_show_the_phone_to_call(board):
    view = board.views["ready"]
    assert not view.isColumnHidden(PHONE) and cell(view, 0, PHONE) == "0987654321"
    assert view.isColumnHidden(LEFT)  # the clock stopped with the result
    assert board.views["received"].isColumnHidden(PHONE)


def test_time_left_is_coloured(board):
    late = board.views["overdue"]
    assert cell(late, 0, LEFT) == "Quá hạn 2 giờ"
    assert cell(late, 0, LEFT, Qt.ItemDataRole.BackgroundRole) == QColor(COLOURS["overdue"][0])
    due = board.views["due_today"]
    assert cell(due, 0, LEFT) == "Còn 5 giờ"  # to 17:00, lunch excluded
    assert cell(due, 0, LEFT, Qt.ItemDataRole.BackgroundRole) == QColor(COLOURS["due_soon"][0])
    early = board.views["received"]
    assert cell(early, 1, LEFT, Qt.ItemDataRole.BackgroundRole) == QColor(COLOURS["on_time"][0])


def test_sorting_by_time_left(board, desk):
    view = board.views["received"]
    view.sortByColumn(LEFT, Qt.SortOrder.AscendingOrder)
    assert view.codes() == [desk["today_same_day"].code, desk["today_early"].code]  # least time left first
    view.sortByColumn(LEFT, Qt.SortOrder.DescendingOrder)
    assert view.codes() == [desk["today_early"].code, desk["today_same_day"].code]


def test_enter_or_double_click_opens_the_dossier(qtbot, board, desk):
    board.show_list("overdue")
    view = board.current_view()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    board.show_list("ready")
    view = board.current_view()
    rect = view.visualRect(view.model().index(0, CODE))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert board.opened == [desk["late"].code, desk["ready"].code]


@pytest.mark.parametrize(("typed", "who"), [
    ("nguyen van an", "Nguyễn Văn An"),  # no diacritics
    ("0987654321", "Trần Thị Bích"),  # phone
    ("038190054321", "Trần Thị Bích"),  # id number
])
def test_search_by_name_phone_or_id(qtbot, board, typed, who):
    board.focus_search()
    type_text(board.search_edit, typed)
    view = board.views["search"]
    qtbot.waitUntil(lambda: board.tabs.currentWidget() is view and view.model().rowCount() > 0)
    names = {cell(view, r, 1) for r in range(view.model().rowCount())}
    assert names == {who}
    assert board.tabs.tabText(0).startswith("Kết quả tìm kiếm (")


def test_search_by_code_then_enter_opens_it(qtbot, board, desk):
    code = desk["ready"].code
    board.focus_search()
    type_text(board.search_edit, code[-11:] + "\n")  # "260210-xxxx": the end of the code
    view = board.views["search"]
    qtbot.waitUntil(lambda: view.codes() == [code] and board.focusWidget() is view)  # Enter: into the results
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert board.opened == [code]


def test_nothing_found_says_so_and_esc_clears(qtbot, board):
    board.focus_search()
    type_text(board.search_edit, "khong co ai ten nay")
    qtbot.waitUntil(lambda: board.banner.isVisible())
    assert board.banner.plain_text() == "Không tìm thấy hồ sơ nào theo “khong co ai ten nay”."
    qtbot.keyClick(board.search_edit, Qt.Key.Key_Escape)
    assert board.search_edit.text() == "" and board.tabs.indexOf(board.views["search"]) < 0
    assert not board.banner.isVisible()


def test_a_change_elsewhere_refreshes_the_lists(qtbot, ctx, board):
    d = receive(ctx, "1.001193", ApplicantInput(id_number="001099000111", full_name="Lê Thị Lạ"))
    board.on_changed(dossier_changed(d.code))
    qtbot.waitUntil(lambda: board.tabs.tabText(0) == "Nhận hôm nay (3)")


def test_a_hidden_board_waits_until_it_is_shown(qtbot, ctx, board):
    board.hide()
    d = receive(ctx, "1.001193", ApplicantInput(id_number="001099000111", full_name="Lê Thị Lạ"))
    board.on_changed(dossier_changed(d.code))
    qtbot.wait(50)
    assert board.tabs.tabText(0) == "Nhận hôm nay (2)"  # nobody looks: no query
    board.show()
    qtbot.waitUntil(lambda: board.tabs.tabText(0) == "Nhận hôm nay (3)")


def test_only_the_latest_request_of_a_channel_is_answered(qtbot):
    lookups = Lookups()
    ran, shown = [], []

    def work(name):
        ran.append(name)
        return name

    lookups.run("search", lambda: work("first"), shown.append)
    lookups.run("search", lambda: work("second"), shown.append)  # typed on top of the first
    lookups.run("board", lambda: work("lists"), shown.append)  # another channel is not affected
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert ran == ["second", "lists"] and shown == ["second", "lists"]  # the stale query did not even run

    def overtaken():  # a newer request arrives while this one runs: its answer is dropped
        lookups.run("search", lambda: "newest", shown.append)
        return "overtaken"

    lookups.run("search", overtaken, shown.append)
    qtbot.waitUntil(lambda: shown[-1] == "newest")
    assert "overtaken" not in shown
    lookups.run("other", lambda: 1 / 0, shown.append, lambda e: shown.append(type(e).__name__))
    qtbot.waitUntil(lambda: shown[-1] == "ZeroDivisionError")
    lookups.shutdown()
    assert lookups.run("search", lambda: "late", shown.append) == 0
