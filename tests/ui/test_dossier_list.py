"""The dossier table model (checked by qtmodeltester) and the list page's paging over a real database."""

from dataclasses import replace

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from counter.changes import dossier_changed
from counter.dossiers import lifecycle, reception, search
from counter.dossiers.search import Page, Position
from counter.records import ApplicantInput, DossierDraft, DossierRow
from counter.status import Status
from tests.conftest import at
from tests.ui.keys import enter, press, type_text
from ui.dossiers.lazy_model import LazyDossierModel
from ui.dossiers.list_page import DossierListPage
from ui.dossiers.table_model import (
    APPLICANT,
    DUE,
    RECEIVED,
    ROW_ROLE,
    SORT_ROLE,
    STATUS,
    DossierTableModel,
)

ROWS = [
    DossierRow(1, "000.00.06.H56-260213-0001", "Nguyễn Văn An", "Đăng ký khai sinh", at("2026-02-13 09:05"),
               at("2026-02-13 17:00"), Status.RECEIVED),
    DossierRow(2, "000.00.06.H56-260212-0001", "Đặng Thị Bé", "Chứng thực bản sao từ bản chính",
               at("2026-02-12 14:30"), None, Status.RETURNED),
    DossierRow(3, "000.00.06.H56-260210-0001", "Bùi Văn Cường", "Đăng ký kết hôn", at("2026-02-10 08:00"),
               at("2026-02-11 08:00"), Status.IN_PROGRESS),
]


def texts(model, column):
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_model_passes_qtmodeltester(qtmodeltester):
    model = DossierTableModel()
    model.set_rows(ROWS)
    qtmodeltester.check(model, force_py=True)
    model.append_rows([DossierRow(4, "X-1", "Lê Văn Dũng", "Đăng ký khai tử", at("2026-02-09 10:00"), None,
                                  Status.RECEIVED)])
    qtmodeltester.check(model, force_py=True)


def test_cells_headers_and_roles():
    model = DossierTableModel()
    model.set_rows(ROWS)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Mã hồ sơ", "Người nộp", "Thủ tục", "Ngày nhận", "Hẹn trả", "Trạng thái", "Quầy", "Cán bộ nhận"]
    assert [model.index(0, c).data() for c in range(8)] == [
        "000.00.06.H56-260213-0001", "Nguyễn Văn An", "Đăng ký khai sinh", "13/02/2026 09:05", "13/02/2026 17:00",
        "Được tiếp nhận", "—", "—"]  # a row read without its counter and clerk
    assert model.index(1, DUE).data() == "—"
    assert model.index(2, APPLICANT).data(ROW_ROLE) == ROWS[2]


def test_append_skips_rows_already_shown():
    model = DossierTableModel()
    model.set_rows(ROWS[:2])
    assert model.append_rows(ROWS[1:]) == 1
    assert [r.id for r in model.rows()] == [1, 2, 3]


def test_proxy_sorts_by_real_values():
    model = DossierTableModel()
    model.set_rows(ROWS)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(APPLICANT, Qt.SortOrder.AscendingOrder)  # folded: Bùi < Đặng < Nguyễn
    assert texts(proxy, APPLICANT) == ["Bùi Văn Cường", "Đặng Thị Bé", "Nguyễn Văn An"]
    proxy.sort(DUE, Qt.SortOrder.AscendingOrder)  # by date, not by dd/MM text; no due date last
    assert texts(proxy, DUE) == ["11/02/2026 08:00", "13/02/2026 17:00", "—"]
    proxy.sort(STATUS, Qt.SortOrder.DescendingOrder)
    assert texts(proxy, STATUS)[0] == "Đã trả kết quả"


def _receive(ctx, n, name="Người nộp số {}"):
    codes = []
    for i in range(n):
        ctx.clock.advance(minutes=7)
        d, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.001193", applicant=ApplicantInput(
            id_number=f"03809001{len(codes) + ctx.clock.now().minute:04d}", full_name=name.format(i + 1))))
        codes.append(d.code)
    return codes


def _shown(qtbot, ctx, page_size=search.PAGE, size=(1190, 640)):
    page = DossierListPage(ctx, page_size=page_size)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    return page


def codes_of(page):
    return [r.code for r in page.model.rows()]


def test_the_lazy_model_passes_qtmodeltester_and_reads_each_page_once(qtmodeltester):
    asked = []

    def fetch(after):
        asked.append(after)
        start = 0 if after is None else after.id
        rows = tuple(replace(ROWS[0], id=i + 1, code=f"X-{i + 1}") for i in range(start, min(start + 2, 5)))
        more = start + 2 < 5
        return Page(rows, Position(rows[-1].received_at, rows[-1].id) if more else None)

    model = LazyDossierModel()
    model.start(fetch)
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.row_at(i).code for i in range(model.rowCount())] == [f"X-{i}" for i in range(1, 6)]
    assert [a.id if a else None for a in asked] == [None, 2, 4] and model.complete()
    model.prepend_rows([replace(ROWS[0], id=9, code="X-9")])
    model.update_rows({"X-2": replace(ROWS[0], id=2, code="X-2", status=Status.RETURNED),
                       "X-3": replace(ROWS[0], id=3, code="X-3")}, keep=lambda r: r.status == Status.RETURNED)
    assert [model.row_at(i).code for i in range(model.rowCount())] == ["X-9", "X-1", "X-2", "X-4", "X-5"]
    assert model.row_at(2).status == Status.RETURNED
    qtmodeltester.check(model, force_py=True)


def test_page_loads_newest_first_and_more_as_the_list_scrolls(qtbot, ctx, clerk):
    codes = _receive(ctx, 30)
    page = _shown(qtbot, ctx, page_size=4, size=(1190, 200))
    assert codes_of(page)[:4] == codes[::-1][:4] and page.model.rowCount() < 30
    assert texts(page.model, RECEIVED) == sorted(texts(page.model, RECEIVED), reverse=True)
    assert "cuộn xuống để xem thêm" in page.summary.text() and page.more_button.isEnabled()
    while page.model.rowCount() < 30:
        before = page.model.rowCount()
        page.view.scrollToBottom()
        qtbot.waitUntil(lambda: page.model.rowCount() > before)  # noqa: B023 - waited on at once
    assert codes_of(page) == codes[::-1]
    assert page.summary.text() == "30 hồ sơ." and not page.more_button.isEnabled()


def test_fixed_column_widths_ask_only_the_rows_in_view(qtbot, ctx, clerk, monkeypatch):
    _receive(ctx, 40)
    asked = []
    original = LazyDossierModel.data

    def counted(self, index, role=Qt.ItemDataRole.DisplayRole):
        asked.append(index.row())
        return original(self, index, role)

    monkeypatch.setattr(LazyDossierModel, "data", counted)
    page = _shown(qtbot, ctx, page_size=20, size=(1190, 300))
    for _ in range(3):
        page.load_more()
    qtbot.wait(50)
    assert page.model.rowCount() == 40 and max(asked) < 20  # no row below the view measured


def test_typing_searches_after_a_pause_and_enter_opens_the_only_answer(qtbot, ctx, clerk):
    _receive(ctx, 3)
    bich = _receive(ctx, 1, name="Trần Thị Bích")
    page = _shown(qtbot, ctx)
    opened = []
    page.view.activated.connect(lambda index: opened.append(index.data(ROW_ROLE).code))
    page.focus_search()
    type_text(page.search_edit, "trần thị b")
    assert page.model.rowCount() == 4  # not yet: the clerk is still typing
    qtbot.waitUntil(lambda: codes_of(page) == bich)
    assert page.summary.text() == "1 hồ sơ khớp."
    enter(page.search_edit)
    assert opened == bich


def test_enter_with_several_answers_puts_the_focus_on_the_first_and_esc_clears(qtbot, ctx, window):
    codes = _receive(ctx, 3)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    page = window.dossier_page
    assert window.current_section() == "dossiers" and page.focusWidget() is page.search_edit
    type_text(page.search_edit, "nguoi nop")
    enter(page.search_edit)  # at once, without the pause
    assert codes_of(page) == codes[::-1] and page.focusWidget() is page.view and page.view.currentIndex().row() == 0
    qtbot.keyClick(page.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.focusWidget() is page.search_edit and page.search_edit.selectedText() == "nguoi nop"
    type_text(page.search_edit, "khong ai ca\n")
    assert page.summary.text() == "Không có hồ sơ nào khớp. Esc: xóa điều kiện tìm."
    page.status_box.setCurrentIndex(page.status_box.findData(Status.RETURNED))
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.search_edit.text() == "" and page.status_box.currentIndex() == 0
    assert codes_of(page) == codes[::-1] and page.focusWidget() is page.search_edit
    page.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F3)  # F3 again: back to the search box
    assert page.focusWidget() is page.search_edit


def test_filters_by_status_procedure_and_days(qtbot, ctx, clerk):
    codes = _receive(ctx, 3)
    lifecycle.handover(ctx, codes[1], "Công chức Tư pháp - Hộ tịch")
    page = _shown(qtbot, ctx)
    page.status_box.setCurrentIndex(page.status_box.findData(Status.IN_PROGRESS))
    assert codes_of(page) == [codes[1]]
    page.status_box.setCurrentIndex(0)
    page.procedure_box.setCurrentIndex(page.procedure_box.findData("1.004873"))
    assert codes_of(page) == []
    page.procedure_box.setCurrentIndex(page.procedure_box.findData("1.001193"))
    assert codes_of(page) == codes[::-1]
    today = ctx.clock.now().date()
    page.from_day.setDate(QDate(today.year, today.month, today.day).addDays(1))
    assert codes_of(page) == []
    page.to_day.setDate(QDate(today.year, today.month, today.day))
    assert codes_of(page) == [] and page.summary.text().startswith("Từ ngày ")
    press(page.from_day, int(Qt.Key.Key_Delete.value))
    assert page.from_day.text() == "—" and codes_of(page) == codes[::-1]


def test_a_change_reads_only_what_is_new_and_a_hidden_page_waits_until_shown(qtbot, ctx, clerk, monkeypatch):
    codes = _receive(ctx, 3)
    page = _shown(qtbot, ctx, page_size=2, size=(1190, 120))
    pages = []
    original = search.search
    monkeypatch.setattr(search, "search", lambda *a, **k: pages.append(k.get("after")) or original(*a, **k))
    new = _receive(ctx, 1)
    page.on_changed(dossier_changed(new[0]))
    assert codes_of(page)[:3] == [new[0], *codes[::-1][:2]] and pages == []  # the newer row, nothing re-read
    lifecycle.handover(ctx, codes[2], "Công chức Tư pháp - Hộ tịch")
    page.on_changed(dossier_changed(codes[2]))
    assert page.model.row_at(1).status == Status.IN_PROGRESS and pages == []
    page.hide()
    newer = _receive(ctx, 1)
    page.on_changed(dossier_changed(newer[0]))
    assert codes_of(page)[0] == new[0]  # hidden: nothing read
    page.show()
    qtbot.waitExposed(page)
    assert codes_of(page)[0] == newer[0] and pages == []


def test_empty_database_says_so(qtbot, ctx):
    page = _shown(qtbot, ctx)
    assert page.summary.text() == "Chưa có hồ sơ nào trên máy này." and not page.more_button.isEnabled()


def test_the_boards_model_sorts_itself_keeps_the_selection_and_takes_new_lists_sorted(qtmodeltester):
    from ui.board.table_model import LEFT, BoardTableModel

    model = BoardTableModel()
    model.set_timed_rows([(ROWS[0], (300, "ok")), (ROWS[1], (None, "")), (ROWS[2], (-60, "late"))])
    qtmodeltester.check(model, force_py=True)
    chosen = QPersistentModelIndex(model.index(1, APPLICANT))  # Đặng Thị Bé, the row a clerk has selected
    model.sort(APPLICANT, Qt.SortOrder.AscendingOrder)  # folded: Bùi < Đặng < Nguyễn
    assert texts(model, APPLICANT) == ["Bùi Văn Cường", "Đặng Thị Bé", "Nguyễn Văn An"]
    model.sort(LEFT, Qt.SortOrder.AscendingOrder)  # overdue first, no clock last
    assert texts(model, APPLICANT) == ["Bùi Văn Cường", "Nguyễn Văn An", "Đặng Thị Bé"]
    assert chosen.row() == 2 and chosen.data() == "Đặng Thị Bé"
    model.sort(DUE, Qt.SortOrder.DescendingOrder)
    model.set_timed_rows([(ROWS[2], (1, "ok")), (ROWS[0], (2, "ok"))])  # a refresh: the new list in the same order
    assert texts(model, DUE) == ["13/02/2026 17:00", "11/02/2026 08:00"]
    assert model.sort_order() == (DUE, Qt.SortOrder.DescendingOrder)
