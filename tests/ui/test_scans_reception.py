"""Reuse at reception: the citizen's earlier scans are marked in the components table and linked on receipt."""

import pytest
from PySide6.QtCore import Qt

from counter.changes import Changes
from counter.scans import attachments
from tests.counter import scan_samples as s
from tests.counter.lifecycle_steps import AN, receive
from tests.ui.test_reception import KHAI_SINH, filled, pick
from ui.reception.components_table import NAME


@pytest.fixture
def page(receive_page):
    return receive_page


@pytest.fixture
def earlier(ctx, clerk, tmp_path):
    dossier = receive(ctx, KHAI_SINH, AN)
    scan, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "to-khai.jpg", s.RED)])
    return dossier, scan


def name_shown(page, row: int) -> str:
    return page.components.data(page.components.index(row, NAME), Qt.ItemDataRole.DisplayRole)


def test_an_earlier_scan_is_marked_and_linked_once_received(qtbot, page, ctx, earlier):
    first, scan = earlier
    filled(qtbot, page)
    assert f"Có bản số hóa từ hồ sơ {first.code}, dùng lại" in name_shown(page, 0)
    assert all("dùng lại" not in name_shown(page, r) for r in range(1, page.components.rowCount()))
    received = page.receive()
    assert received is not None and "Dùng lại 1 bản số hóa đã có." in page.message.plain_text()
    linked = attachments.attachments_of(ctx, received.code)
    assert [(a.component_position, a.reused, a.sha256, a.reused_from_code) for a in linked] == [
        (1, True, scan.sha256, first.code)]
    assert page.components.reuse_notes == {}  # the form is empty again


def test_only_papers_ticked_as_handed_over_are_chosen_for_linking(qtbot, page, ctx, earlier):
    _first, scan = earlier
    filled(qtbot, page)
    page.components.toggle(0)  # the citizen did not hand it over this time
    assert page.reuse.chosen() == []
    page.components.toggle(0)
    assert [o.attachment.id for _code, _name, o in page.reuse.chosen()] == [scan.id]


def test_someone_else_is_offered_nothing(qtbot, page, ctx, earlier):
    page.applicant.id_edit.setText("001190000004")
    pick(qtbot, page, "khai sinh", KHAI_SINH)
    assert page.components.reuse_notes == {}


def test_a_new_scan_queued_for_the_paper_wins_over_the_earlier_one(qtbot, page, ctx, earlier, tmp_path):
    _first, scan = earlier
    filled(qtbot, page)
    assert page.scans.add(0, [s.jpeg(tmp_path / "moi.jpg", s.GREEN)])
    assert "dùng lại" not in name_shown(page, 0) and "📎 1 tệp" in name_shown(page, 0)
    received = page.receive()
    assert received is not None and "Dùng lại" not in page.message.plain_text()
    qtbot.waitUntil(lambda: not page.scans.pending.job.is_running()
                    and bool(attachments.attachments_of(ctx, received.code)), timeout=10_000)
    (stored,) = attachments.attachments_of(ctx, received.code)
    assert not stored.reused and stored.sha256 != scan.sha256


def test_the_receipt_is_announced_with_its_reused_paper_then_the_scans_stored_after_it(qtbot, page, ctx, earlier,
                                                                                         tmp_path):
    filled(qtbot, page)
    assert page.scans.add(1, [s.jpeg(tmp_path / "giay-khac.jpg", s.GREEN)])  # the first paper is reused
    announced = []
    page.changed.connect(announced.append)
    received = page.receive()
    qtbot.waitUntil(lambda: len(announced) == 2, timeout=10_000)
    code = frozenset({received.code})
    assert set(announced) == {Changes(dossiers=code, scans=code, sync_queue=True, to_send=True),  # one, both
                              Changes(scans=code, sync_queue=True, to_send=True)}  # stored in the background
