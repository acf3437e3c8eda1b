"""Quầy của tôi / Cả trung tâm on the screens (issue 20): the board and Tra cứu with their Quầy column, narrowed to
this counter for a clerk, switched to the whole centre with Ctrl+Alt+Q; not offered on a single counter's database;
the centre's screens still fit 1366×768.

Office mode is PostgreSQL (tests/db/test_live.py runs the filter there); here the SQLite test database plays a centre
(`workstations.office_mode` answered yes), so that the screens are tested without a server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from counter.office import workstations
from db.models import Dossier, User
from tests.counter.lifecycle_steps import receive
from tests.ui.test_fits_1366 import check_screen, long_ctx, open_window, shots  # noqa: F401
from ui.dossiers.table_model import CLERK, WORKSTATION
from ui.live.scope_switch import SHORTCUT


@pytest.fixture
def centre(ctx, clerk, monkeypatch):
    """This PC is counter 2 of a centre; one dossier received here, one at counter 5."""
    monkeypatch.setattr(workstations, "office_mode", lambda c: True)
    ctx.workstation = 2
    mine, theirs = receive(ctx), receive(ctx)
    with ctx.bound():
        Dossier.update(workstation=2).where(Dossier.code == mine.code).execute()
        Dossier.update(workstation=5).where(Dossier.code == theirs.code).execute()
        name = User.get(User.username == "canbo").full_name
    return mine.code, theirs.code, name


def test_a_clerk_sees_their_counter_then_the_centre(qtbot, ctx, clerk, centre):
    mine, theirs, name = centre
    window = open_window(qtbot, ctx, clerk)
    board = window.board_page
    view = board.views["received"]
    qtbot.waitUntil(lambda: view.codes() == [mine])
    assert board.scope_label.text().startswith("Quầy của tôi (quầy 2)") and board.scope_label.isVisible()
    assert not view.isColumnHidden(WORKSTATION) and view.isColumnHidden(CLERK)
    assert view.model().index(0, WORKSTATION).data() == "2"
    assert view.model().index(0, WORKSTATION).data(Qt.ItemDataRole.ToolTipRole) == f"Quầy 2 — {name}"
    assert window.scope.label.text() == f"Quầy của tôi (quầy 2)  ({SHORTCUT})"
    QTest.keySequence(window, QKeySequence(SHORTCUT))
    qtbot.waitUntil(lambda: set(view.codes()) == {mine, theirs})
    assert board.scope_label.text().startswith("Cả trung tâm") and window.scope.label.text().startswith("Cả trung tâm")
    window.show_section("dossiers")
    page = window.dossier_page
    qtbot.waitUntil(lambda: {r.code for r in page.model.rows()} == {mine, theirs})
    assert not page.view.isColumnHidden(WORKSTATION) and not page.view.isColumnHidden(CLERK)
    QTest.keySequence(window, QKeySequence(SHORTCUT))
    qtbot.waitUntil(lambda: [r.code for r in page.model.rows()] == [mine])
    assert any(a is window.scope.action for m in window.menuBar().actions() for a in m.menu().actions())


def test_a_leader_starts_on_the_centre(qtbot, ctx, centre):
    from tests.counter.lifecycle_steps import login

    leader = login(ctx, "lanhdao")
    window = open_window(qtbot, ctx, leader)
    qtbot.waitUntil(lambda: set(window.board_page.views["received"].codes()) == set(centre[:2]))
    assert not window.scope.action.isChecked()


def test_a_single_counter_has_no_filter_and_no_quay_column(window, ctx):
    receive(ctx)
    assert window.scope.action is None and window.scope.label.isHidden()
    assert window.board_page.views["received"].isColumnHidden(WORKSTATION)
    assert not window.board_page.scope_label.isVisible()
    assert window.dossier_page.view.isColumnHidden(WORKSTATION) and window.dossier_page.view.isColumnHidden(CLERK)


def test_the_centres_board_and_tra_cuu_fit_1366_by_768(qtbot, long_ctx, shots, monkeypatch):  # noqa: F811
    from counter.office.users import authenticate

    monkeypatch.setattr(workstations, "office_mode", lambda c: True)
    long_ctx.workstation = 9
    window = open_window(qtbot, long_ctx, authenticate(long_ctx, "admin", "admin123"))
    found = []
    for section in ("board", "dossiers"):
        window.show_section(section)
        found += check_screen(qtbot, window, f"1366-centre-{section}", shots)
    assert found == []
