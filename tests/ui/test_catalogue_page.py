"""The Danh mục thủ tục section: administrators only; the list filters by field and marks what the province still
has to set; an import shows its dry run before it is applied; the fee and time limit are entered with the decision."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counter.catalogue import procedures
from db.models import ProcedureVersion
from tests.counter.lifecycle_steps import login
from tests.ui.keys import type_text
from ui.app import create_main_window
from ui.catalogue.table_model import FEE, MARK, NEEDS, VERSION
from ui.main_window.window import CATALOGUE

NATIONAL = Path(__file__).resolve().parent.parent / "data" / "catalogue_national.json"


def open_window(qtbot, ctx, username: str):
    login(ctx, username)
    window = create_main_window(ctx, ctx.user)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def window(qtbot, ctx):
    return open_window(qtbot, ctx, "admin")


@pytest.fixture
def page(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_section() == CATALOGUE
    return window.catalogue.page


def shown(qtbot, dialog):
    assert dialog is not None and dialog.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def rows(page):
    return [page.model.procedure(r) for r in range(page.model.rowCount())]


def cell(page, code, column):
    row = next(r for r in range(page.model.rowCount()) if page.model.procedure(r).code == code)
    return page.model.index(row, column)


def select(page, code):
    page.view.selectRow(next(r for r, p in enumerate(rows(page)) if p.code == code))


def test_only_an_administrator_has_the_section(qtbot, ctx):
    clerk = open_window(qtbot, ctx, "canbo")
    assert CATALOGUE not in clerk.sections() and clerk.catalogue is None
    leader = open_window(qtbot, ctx, "lanhdao")
    assert leader.catalogue is None


def test_the_list_marks_what_the_province_must_set_and_filters_by_field(page):
    assert len(rows(page)) == 25
    marked = cell(page, "1.004873", MARK)
    assert marked.data() == NEEDS and marked.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(page, "1.004873", FEE).data() == "chưa nhập mức"
    assert cell(page, "1.000894", MARK).data() == "Đã đối chiếu"
    page.field.setCurrentIndex(page.field.findText("Chứng thực"))
    assert rows(page) and {p.field for p in rows(page)} == {"Chứng thực"}
    page.only_needed.setChecked(True)
    assert rows(page) and all(cell(page, p.code, MARK).data() == NEEDS for p in rows(page))
    assert "cần nhập" in page.count.text()


def test_an_import_shows_its_dry_run_then_applies(qtbot, page, window):
    before = ProcedureVersion.select().count()
    page.choose_file = lambda: NATIONAL
    seen = []
    window.signals.changed.connect(seen.append)
    qtbot.keyClick(page.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = shown(qtbot, page.dialog)
    text = dialog.report_view.toPlainText()
    assert text.startswith("Chạy thử (chưa ghi gì): thêm 2, thay đổi 3, giữ nguyên 0, không nhận 4.")
    assert "Không nhận 2.001157: Đơn vị thời hạn “Tháng” không được hỗ trợ" in text
    assert ProcedureVersion.select().count() == before  # nothing written yet
    dialog.effective.setDate(dialog.effective.date().addDays(5))
    type_text(dialog.source, "Quyết định 1872/QĐ-BTP")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert ProcedureVersion.select().count() == before + 5
    assert page.message.text().startswith("Thêm 2, thay đổi 3")
    assert "1.000110" in {p.code for p in rows(page)}
    assert cell(page, "1.004873", VERSION).data() == "1 · 01/07/2025"  # the new one from its effective day on
    assert procedures.get_procedure(page.ctx, "1.000110").source == "Quyết định 1872/QĐ-BTP"
    assert seen and seen[-1].catalogue


def test_an_unreadable_file_is_named_and_opens_nothing(page, tmp_path):
    bad = tmp_path / "hong.json"
    bad.write_text("{không phải JSON", encoding="utf-8")
    assert page.import_dialog(bad) is None
    assert "Không đọc được tệp danh mục thủ tục" in page.message.text()


def test_fee_and_time_entered_with_the_decision(qtbot, page):
    select(page, "1.004873")
    qtbot.keyClick(page.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = shown(qtbot, page.dialog)
    assert "1.004873" in dialog.windowTitle()
    type_text(dialog.amount, "15.000")
    dialog.kind.setCurrentIndex(dialog.kind.findData("working_days"))
    dialog.days.setValue(2)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and "văn bản quyết định" in dialog.message.text()  # no decision: refused, kept
    assert dialog.amount.text() == "15.000"
    type_text(dialog.source, "Nghị quyết 12/2025/NQ-HĐND")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    p = procedures.get_procedure(page.ctx, "1.004873")
    assert (p.fee_rule.amount, p.time_rule.days, p.verified) == (15000, 2, True)
    assert cell(page, "1.004873", MARK).data() == "Đã đối chiếu"
    assert page.message.text().startswith("Đã lưu 1.004873: lệ phí 15.000 đ")


def test_a_bad_amount_is_refused_in_the_dialog(page):
    select(page, "1.004873")
    dialog = page.rules_dialog()
    type_text(dialog.amount, "mười nghìn")
    type_text(dialog.source, "NQ 1")
    assert not dialog.save()
    assert "Mức lệ phí phải là số đồng" in dialog.message.text()
    assert procedures.get_procedure(page.ctx, "1.004873").version == 1


def test_a_per_page_fee_cannot_be_typed_over(page):
    select(page, "2.000815")
    dialog = page.rules_dialog()
    assert not dialog.amount.isEnabled()
