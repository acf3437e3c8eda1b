"""The admin form's "Mạng nội bộ tin cậy" tick box: its warning shows while ticked, and it lets an http://
address to another machine be saved in the same save."""

from PySide6.QtCore import Qt

from counter.sync import settings
from tests.ui.keys import type_text
from tests.ui.test_admin import page  # noqa: F401 (the fixture)


def test_ticking_the_trusted_network_shows_the_warning_and_allows_http(qtbot, ctx, page):  # noqa: F811
    form = page.form
    assert not form.trusted_lan.isChecked() and form.lan_warning.isHidden()
    form.edits["gateway_url"].selectAll()
    type_text(form.edits["gateway_url"], "http://10.0.0.5/api")
    assert not page.save()  # refused: the network is not marked trusted
    assert "trusted_lan" in form.errors["gateway_url"].text() and settings.load(ctx).gateway_url == ""
    form.trusted_lan.setFocus()
    qtbot.keyClick(form.trusted_lan, Qt.Key.Key_Space)
    assert form.trusted_lan.isChecked() and form.lan_warning.isVisible()
    assert "không mã hóa" in form.lan_warning.text()
    assert page.save()
    stored = settings.load(ctx)
    assert stored.trusted_lan and stored.gateway_url == "http://10.0.0.5/api"
    assert form.trusted_lan.isChecked() and form.lan_warning.isVisible()  # reloaded as stored
    assert "&t" in form.trusted_lan.text()  # Alt+T
