"""Office mode (a real PostgreSQL, tests/pg.py): a PC of the centre without a sync password of its own says so in
words on the Đồng bộ page, in the status bar, on Quản trị's form, and when its end-of-day batch is started."""

from __future__ import annotations

from counter.sync import settings
from tests.db.test_concurrency import office  # noqa: F401  (the fixture)
from tests.db.test_sync_password_per_pc import enter_password, pcs, settle  # noqa: F401  (the fixtures)
from tests.ui.test_fits_1366 import shots  # noqa: F401  (SCREENSHOTS_1366 or a temporary folder)
from ui.admin.settings_form import SettingsForm
from ui.sync.background import UNCONFIGURED, BackgroundSync
from ui.sync.page import SyncPage
from ui.sync.status_bar import SyncStatusLabel

HERE = "Máy này chưa có mật khẩu đồng bộ"


def test_a_pc_without_its_own_password_says_so_everywhere(qtbot, pcs, province, shots):  # noqa: F811
    a, b = pcs
    settle(a, province)
    enter_password(a, province.gateway.credentials[1])  # A's: it does not open on B
    with b.here() as ctx:
        background = BackgroundSync(ctx, interval_ms=3_600_000, first_ms=None)
        page, status, form = SyncPage(ctx, background), SyncStatusLabel(ctx), SettingsForm(ctx)
        for widget in (page, status, form):
            qtbot.addWidget(widget)
        status.follow(background)
        page.resize(1200, 700)
        page.show()
        assert page.message.text().count(HERE) == 1  # said as the page opens

        page.batch_button.click()  # the end-of-day batch started on this PC: refused, in words
        assert background.connection.state == UNCONFIGURED and background.connection.reason == settings.NO_PASSWORD_HERE
        said = page.message.text()
        assert said.startswith("<span") and "Chưa đồng bộ được. " + HERE in said and "password" not in said
        assert status.plain_text().startswith("● " + HERE)
        assert status.toolTip() == settings.NO_PASSWORD_HERE
        page.grab().save(str(shots / "office-sync-no-password-here.png"))

        form.load()
        assert not form.password_note.isHidden() and form.password_note.text() == settings.NO_PASSWORD_HERE
        assert form.edits["password"].placeholderText() == settings.NO_PASSWORD_HERE_SHOWN
        background.shutdown()

    enter_password(b, province.gateway.credentials[1])
    with b.here() as ctx:
        form = SettingsForm(ctx)
        qtbot.addWidget(form)
        form.load()
        assert form.password_note.isHidden() and form.edits["password"].placeholderText() == settings.HIDDEN
        background = BackgroundSync(ctx, interval_ms=3_600_000, first_ms=None)
        status = SyncStatusLabel(ctx)
        qtbot.addWidget(status)
        status.follow(background)
        assert background._check_configured() and HERE not in status.plain_text()
        background.shutdown()
