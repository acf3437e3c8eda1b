"""The Quản trị section: only administrators see it; it saves office and sync settings, never shows the
password, keeps refused input with the domain's message, and tests the connection off the GUI thread."""

import pytest
from PySide6.QtWidgets import QLineEdit

from counter.office.profile import get_office
from counter.sync import settings
from tests.counter.lifecycle_steps import login
from tests.sync.conftest import CREDENTIALS, configure
from tests.ui.keys import type_text
from ui.admin.connection import CONNECTED
from ui.app import create_main_window
from ui.main_window.window import ADMIN


def open_window(qtbot, ctx, username: str):
    login(ctx, username)
    window = create_main_window(ctx, ctx.user)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def page(qtbot, ctx):
    window = open_window(qtbot, ctx, "admin")
    window.show_section(ADMIN)
    assert window.stack.currentWidget() is window.admin.page
    return window.admin.page


def retype(edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    type_text(edit, text)


def shown(ctx) -> dict[str, str]:
    return {key: value for key, _label, value in settings.shown(ctx)}


def test_an_admin_sees_the_section_and_a_clerk_does_not(qtbot, ctx):
    admin = open_window(qtbot, ctx, "admin")
    assert ADMIN in admin.sections() and admin.admin is not None
    clerk = open_window(qtbot, ctx, "canbo")
    assert ADMIN not in clerk.sections() and clerk.admin is None
    with pytest.raises(ValueError):
        clerk.show_section(ADMIN)


def test_saving_the_office_name_and_gateway_settings_persists(qtbot, ctx, page):
    edits = page.form.edits
    retype(edits["office_name"], "Trung tâm Phục vụ hành chính công xã Quảng Hùng")
    retype(edits["gateway_url"], "https://lgsp.thanhhoa.gov.vn/api")
    retype(edits["username"], "quay1")
    type_text(edits["password"], "Mật-khẩu-7391")
    retype(edits["timeout"], "20")
    assert page.save()
    assert page.message.text() == "Đã lưu thiết lập."
    assert get_office(ctx).office_name == "Trung tâm Phục vụ hành chính công xã Quảng Hùng"
    stored = settings.load(ctx)
    assert (stored.gateway_url, stored.username, stored.password, stored.timeout) == (
        "https://lgsp.thanhhoa.gov.vn/api", "quay1", "Mật-khẩu-7391", 20.0)
    assert edits["office_name"].text() == "Trung tâm Phục vụ hành chính công xã Quảng Hùng"  # reloaded


def test_the_password_is_never_displayed_and_changes_only_when_typed(qtbot, ctx, page):
    settings.set_value(ctx, "password", "bí-mật-cũ")
    page.form.load()
    password = page.form.edits["password"]
    assert password.text() == "" and password.placeholderText() == "********"
    assert password.echoMode() == QLineEdit.EchoMode.Password
    retype(page.form.edits["dstcode"], "H56")
    assert page.save()
    assert settings.load(ctx).password == "bí-mật-cũ"  # untouched by a save of something else
    assert password.text() == "" and password.placeholderText() == "********"


def test_a_bad_agency_id_shows_the_domains_message_and_nothing_is_lost(qtbot, ctx, page):
    before = get_office(ctx)
    edits = page.form.edits
    retype(edits["agency_id"], "H56-sai")
    retype(edits["office_name"], "Tên mới chưa được lưu")
    assert not page.save()
    error = page.form.errors["agency_id"]
    assert not error.isHidden() and error.text() == "Mã định danh cơ quan “H56-sai” không đúng dạng 000.00.00.H00."
    assert page.message.text().startswith("Chưa lưu")
    assert edits["agency_id"].text() == "H56-sai" and edits["office_name"].text() == "Tên mới chưa được lưu"
    assert get_office(ctx) == before  # all or nothing: the valid name waits for the fix too
    retype(edits["agency_id"], "000.00.06.H56")
    assert page.save() and error.isHidden()
    assert get_office(ctx).office_name == "Tên mới chưa được lưu"


def test_check_connection_against_the_reference_server(qtbot, ctx, page, province):
    configure(ctx, province)
    page.form.load()
    with qtbot.waitSignal(page.checker.finished, timeout=10_000):
        page.check_button.click()
        assert page.connection.text() == "Đang kiểm tra kết nối…" and not page.check_button.isEnabled()
    assert page.connection.text() == CONNECTED and page.check_button.isEnabled()


def test_a_wrong_password_typed_in_the_form_is_what_gets_tested(qtbot, ctx, page, province):
    configure(ctx, province)
    page.form.load()
    type_text(page.form.edits["password"], "sai")
    with qtbot.waitSignal(page.checker.finished, timeout=10_000):
        page.check_button.click()
    assert page.connection.text().startswith("Không kết nối được: Đăng nhập hệ thống tỉnh không thành công")
    assert settings.load(ctx).password == CREDENTIALS[1]  # testing saves nothing


def test_check_connection_against_a_stopped_server_says_why_and_the_loop_runs(qtbot, ctx, page, province):
    configure(ctx, province)
    page.form.load()
    province.stop_listening()
    ticks = []
    page.startTimer(5)
    page.timerEvent = lambda event: ticks.append(event)
    with qtbot.waitSignal(page.checker.finished, timeout=10_000):
        page.check_button.click()
    assert page.connection.text().startswith("Không kết nối được: Không kết nối được hệ thống tỉnh")
    qtbot.waitUntil(lambda: len(ticks) > 2)  # the GUI thread kept serving its event loop


def test_missing_sync_settings_are_named_before_any_test(qtbot, page):
    page.check_button.click()
    assert page.connection.text().startswith("Chưa đủ thông tin để kiểm tra, còn thiếu: Địa chỉ gửi dữ liệu")
    assert not page.checker.running


def test_the_scan_size_limit_is_set_in_megabytes_from_the_form(qtbot, ctx, page):
    from counter.scans import files
    edit = page.form.edits["scan_max_mb"]
    assert edit.text() == "50 MB"
    retype(edit, "nhiều")
    assert not page.save() and "Dung lượng tối đa" in page.form.errors["scan_max_mb"].text()
    retype(edit, "20")
    assert page.save() and files.max_file_bytes(ctx) == 20 * 1024 * 1024 and edit.text() == "20 MB"


def test_the_idle_lock_time_of_this_machine_is_saved_and_applied_at_once(qtbot, ctx, page):
    from ui.settings import IDLE_MINUTES, read, ui_settings
    window = page.window()
    assert page.idle.value() == 10 and window.idle_lock.idle_seconds == 600
    page.idle.setValue(3)
    assert page.save() and page.message.text() == "Đã lưu thiết lập."
    assert read(ui_settings(ctx), IDLE_MINUTES) == 3.0 and window.idle_lock.idle_seconds == 180
    page.idle.setValue(0)
    assert page.save() and window.idle_lock.idle_seconds == 0 and page.idle.text() == "Không tự khóa"
