"""Digitising from the dossier page: a file dialog, several files in a chosen order, the result, bad files."""

import pytest

from counter.status import Status
from tests.counter import scan_samples as s
from tests.counter.lifecycle_steps import dossier_in, receive, snapshot
from tests.ui.scan_steps import pick, scans_of, wait_idle


@pytest.fixture
def page(dossier_page):
    return dossier_page


def test_a_chosen_file_becomes_the_components_scan_with_its_thumbnail(qtbot, page, ctx, monkeypatch, tmp_path):
    dossier = receive(ctx)
    page.load(dossier.code)
    pick(monkeypatch, s.jpeg(tmp_path / "giay-to.jpg", s.RED))
    announced = []
    page.changed.connect(announced.append)
    assert not page.scans.thumbnail_shown(0)
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        assert page.scans.choose_and_attach(0)
        assert page.scans.busy.isVisibleTo(page)  # the busy bar while the worker runs
    wait_idle(qtbot, page)
    stored = scans_of(ctx, dossier.code)
    assert [(a.component_position, a.pages) for a in stored] == [(dossier.components[0].position, 1)]
    assert stored[0].digitised_by == ctx.user.full_name
    assert page.scans.thumbnail_shown(0) and "1 trang" in page.scans.table.item(0, 2).text()
    assert [c.scans for c in announced] == [{dossier.code}]
    assert "Đã gắn bản số hóa" in page.message.plain_text()
    assert not page.scans.busy.isVisibleTo(page)
    assert page.lower.tabText(2) == f"Bản số hóa (1/{len(dossier.components)})"


def test_several_files_make_one_pdf_in_the_order_the_clerk_set(qtbot, page, ctx, monkeypatch, tmp_path):
    dossier = receive(ctx)
    page.load(dossier.code)
    files = [s.jpeg(tmp_path / "a.jpg", s.RED), s.pdf(tmp_path / "b.pdf", [s.GREEN, s.BLUE])]
    asked = pick(monkeypatch, *files, order=[2, 0, 1])
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        page.scans.choose_and_attach(0)
    assert asked == [(files, dossier.components[0].name)]
    stored = scans_of(ctx, dossier.code)[0]
    assert (stored.component_position, stored.pages) == (dossier.components[0].position, 3)
    pdf = (ctx.data_dir / stored.path).read_bytes()
    assert s.colours_match(s.page_colours(pdf), [s.BLUE, s.RED, s.GREEN])


def test_cancelling_the_page_order_attaches_nothing(page, ctx, monkeypatch, tmp_path):
    dossier = receive(ctx)
    page.load(dossier.code)
    pick(monkeypatch, s.jpeg(tmp_path / "a.jpg", s.RED), s.jpeg(tmp_path / "b.jpg", s.GREEN), order=None)
    assert not page.scans.choose_and_attach(0)
    assert not page.scans.job.is_running() and scans_of(ctx, dossier.code) == []


@pytest.mark.parametrize("kind", ["empty", "text", "truncated_jpeg", "password_pdf"])
def test_a_bad_file_is_named_and_the_dossier_is_unchanged(qtbot, page, ctx, monkeypatch, tmp_path, kind):
    dossier = receive(ctx)
    page.load(dossier.code)
    bad = s.bad_files(tmp_path / "bad")[kind]
    before = snapshot()
    pick(monkeypatch, bad)
    with qtbot.waitSignal(page.scans.failed, timeout=10_000):
        page.scans.choose_and_attach(0)
    wait_idle(qtbot, page)
    assert page.message.kind == "error" and bad.name in page.message.plain_text()
    assert snapshot() == before and scans_of(ctx, dossier.code) == []
    assert not page.scans.thumbnail_shown(0)


def test_the_result_document_can_be_attached_once_the_result_exists(qtbot, page, ctx, monkeypatch, tmp_path):
    dossier = dossier_in(ctx, Status.RESULT_READY)
    page.load(dossier.code)
    result_row = len(page.scans.slots) - 1
    assert page.scans.slots[result_row].position is None
    pick(monkeypatch, s.pdf(tmp_path / "ket-qua.pdf", [s.YELLOW]))
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        page.scans.choose_and_attach(result_row)
    assert [a.kind for a in scans_of(ctx, dossier.code)] == ["result"]
    assert page.scans.thumbnail_shown(len(page.scans.slots) - 1)


def test_a_closed_dossier_offers_no_attach(page, ctx, monkeypatch, tmp_path):
    dossier = dossier_in(ctx, Status.WITHDRAWN)
    page.load(dossier.code)
    pick(monkeypatch, s.jpeg(tmp_path / "a.jpg", s.RED))
    assert not page.scans.choose_and_attach(0)
    assert scans_of(ctx, dossier.code) == []
