"""A dossier in conflict with the province says so on its page, where the clerk would change it further."""

import httpx

from counter.dossiers import lifecycle
from counter.sync.batch import sync_once
from devtools.provincial_server import ProvincialServer
from tests.sync.conftest import CREDENTIALS, configure, receive
from tests.ui.dossier_steps import shown_dossier_page


def test_the_page_of_a_dossier_in_conflict_names_the_conflict_and_where_to_decide(qtbot, ctx, clerk, tmp_path):
    with ProvincialServer(str(tmp_path / "province.sqlite3"), credentials=CREDENTIALS) as province:
        configure(ctx, province)
        code = receive(ctx).code
        lifecycle.handover(ctx, code, "Công chức Tư pháp - Hộ tịch")
        assert sync_once(ctx).complete
        page = shown_dossier_page(qtbot, ctx)
        page.load(code)
        assert page.notice.plain_text() == ""
        lifecycle.handover(ctx, code, "Công chức Địa chính")  # ours, not sent yet
        httpx.post(f"{province.url}/_admin/set_status", json={"MaHoSo": code, "TrangThaiHoSo": "9"})
        assert sync_once(ctx).conflicts
    page.load(code)
    shown = page.notice.plain_text()
    assert shown.startswith("Xung đột: tỉnh đã đổi trạng thái") and "mục Đồng bộ (Ctrl+Shift+S)" in shown
