"""An unknown but well-formed dossier code scanned: the message offers to look it up at the province, which
runs off the GUI thread against the reference provincial server."""

import httpx
from PySide6.QtWidgets import QPushButton

from counter.office.profile import get_office
from counter.sync.dialects import connect
from counter.sync.payload import dossier_payload
from db.models import Dossier
from tests.sync.conftest import configure, receive, settings_for

UNKNOWN_CODE = "000.00.06.H56-260213-0999"


def only_at_province(ctx, province):
    """A dossier the province has and this machine does not (received elsewhere): sent, then removed here;
    the province has since moved it on to "in progress"."""
    dossier = receive(ctx)
    with connect(settings_for(province)) as client:
        client.insert_dossier(dossier_payload(dossier, office_name=get_office(ctx).office_name))
    httpx.post(f"{province.url}/_admin/set_status", json={"MaHoSo": dossier.code, "TrangThaiHoSo": "4"})
    Dossier.delete().where(Dossier.code == dossier.code).execute()
    return dossier


def offer(qtbot, window, code: str) -> QPushButton:
    window.on_scanned(code)
    qtbot.waitUntil(lambda: window.scan_message is not None and window.scan_message.isVisible())
    assert window.scan_message.text() == f"Không có hồ sơ mã {code} trên máy này."
    return window.scan_message.findChild(QPushButton, "provinceLookupButton")


def asked(qtbot, window, button: QPushButton):
    assert button.isEnabled()
    button.click()
    dialog = window.scan_router.lookup_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.done, timeout=10_000)
    return dialog


def test_a_dossier_only_the_province_has_is_shown(qtbot, ctx, window, province):
    configure(ctx, province)
    dossier = only_at_province(ctx, province)
    dialog = asked(qtbot, window, offer(qtbot, window, dossier.code))
    text = dialog.answer.text()
    assert "Hệ thống tỉnh có hồ sơ này" in text and dossier.code in text
    assert "Nguyễn Văn An" in text and dossier.procedure_name in text and "Đang xử lý" in text
    assert dossier.due_at.strftime("%H giờ %M phút, ngày %d/%m/%Y") in text
    assert window.current_section() == "board"


def test_a_code_the_province_does_not_know_either_says_so(qtbot, ctx, window, province):
    configure(ctx, province)
    dialog = asked(qtbot, window, offer(qtbot, window, UNKNOWN_CODE))
    assert dialog.answer.text() == "Tỉnh cũng không có hồ sơ này."


def test_an_unreachable_province_says_why_and_the_window_stays_alive(qtbot, ctx, window, province):
    configure(ctx, province)
    province.stop_listening()
    dialog = asked(qtbot, window, offer(qtbot, window, UNKNOWN_CODE))
    assert dialog.answer.text().startswith("Không tra cứu được trên hệ thống tỉnh: Không kết nối được hệ thống tỉnh")
    window.show_section("dossiers")  # the event loop still runs the window
    assert window.current_section() == "dossiers"


def test_without_sync_settings_the_offer_is_disabled_and_says_why(qtbot, window):
    button = offer(qtbot, window, UNKNOWN_CODE)
    assert not button.isEnabled()
    assert button.toolTip().startswith("Chưa cấu hình đồng bộ với hệ thống tỉnh")


def test_other_messages_make_no_offer(qtbot, window):
    window.on_scanned("HELLO-WORLD-42")
    qtbot.waitUntil(lambda: window.scan_message is not None and window.scan_message.isVisible())
    assert window.scan_message.findChild(QPushButton, "provinceLookupButton") is None
