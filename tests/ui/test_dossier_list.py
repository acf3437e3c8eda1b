"""The dossier table model (checked by qtmodeltester) and the list page's paging over a real database."""

from PySide6.QtCore import (
    QSortFilterProxyModel,
    Qt,
)

from counter.changes import dossier_changed
from counter.dossiers import reception
from counter.records import ApplicantInput, DossierDraft, DossierRow
from counter.status import Status
from tests.conftest import at
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
    assert headers == ["Mã hồ sơ", "Người nộp", "Thủ tục", "Ngày nhận", "Hẹn trả", "Trạng thái"]
    assert [model.index(0, c).data() for c in range(6)] == [
        "000.00.06.H56-260213-0001", "Nguyễn Văn An", "Đăng ký khai sinh", "13/02/2026 09:05", "13/02/2026 17:00",
        "Được tiếp nhận"]
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


def _receive(ctx, n):
    codes = []
    for i in range(n):
        ctx.clock.advance(minutes=7)
        d, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.001193", applicant=ApplicantInput(
            id_number=f"03809001{i:04d}", full_name=f"Người nộp số {i + 1}")))
        codes.append(d.code)
    return codes


def test_page_loads_newest_first_and_more_on_demand(qtbot, ctx, clerk):
    codes = _receive(ctx, 5)
    page = DossierListPage(ctx, page_size=2)
    qtbot.addWidget(page)
    page.show()
    assert [r.code for r in page.model.rows()] == codes[::-1][:2]
    assert texts(page.proxy, RECEIVED) == sorted(texts(page.proxy, RECEIVED), reverse=True)
    assert page.summary.text() == "Đang hiện 2 hồ sơ mới nhất trong tổng số 5."
    page.more_button.click()
    page.more_button.click()
    assert [r.code for r in page.model.rows()] == codes[::-1]
    assert not page.more_button.isEnabled() and page.summary.text() == "Đang hiện tất cả 5 hồ sơ."


def test_page_reload_keeps_what_was_shown_and_adds_the_new(qtbot, ctx, clerk):
    _receive(ctx, 3)
    page = DossierListPage(ctx, page_size=2)
    qtbot.addWidget(page)
    page.show()
    page.load_more()
    new = _receive(ctx, 1)
    page.on_changed(dossier_changed(new[0]))
    assert page.model.rowCount() == 4 and page.model.row_at(0).code == new[0]


def test_empty_database_says_so(qtbot, ctx):
    page = DossierListPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert page.summary.text() == "Chưa có hồ sơ nào trên máy này." and not page.more_button.isEnabled()
