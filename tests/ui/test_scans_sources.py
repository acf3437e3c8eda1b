"""Scans from the scanner's folder, dropped files, reuse of an earlier paper, the viewer, a responsive UI."""

import threading

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPushButton

from counter.scans import attachments
from tests.counter import scan_samples as s
from tests.counter.lifecycle_steps import receive
from tests.ui.scan_steps import pick, scans_of, wait_idle
from ui.scans.watch import WATCH_FOLDER_KEY
from ui.settings import ui_settings


@pytest.fixture
def page(dossier_page):
    return dossier_page


def test_a_new_file_in_the_scanner_folder_is_offered_and_enter_attaches_it(qtbot, page, ctx, tmp_path):
    folder = tmp_path / "may-quet"
    folder.mkdir()
    s.jpeg(folder / "cu.jpg", s.GREEN)  # already there: not offered
    page.scans.set_folder(folder)
    assert ui_settings(ctx).value(WATCH_FOLDER_KEY) == str(folder)
    dossier = receive(ctx)
    page.load(dossier.code)
    s.jpeg(folder / "scan-0001.jpg", s.RED)
    bar = page.scans.offer_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert bar.path.name == "scan-0001.jpg" and "Tệp mới từ máy quét: scan-0001.jpg" in bar.label.text()
    assert f"Gắn vào “{dossier.components[0].name}” (Enter)" == bar.attach_button.text()
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        qtbot.keyClick(bar.attach_button, Qt.Key.Key_Return)
    assert not bar.isVisible()
    assert [a.pages for a in scans_of(ctx, dossier.code)] == [1] and page.scans.thumbnail_shown(0)


def test_a_skipped_offer_attaches_nothing(qtbot, page, ctx, tmp_path):
    folder = tmp_path / "may-quet"
    folder.mkdir()
    page.scans.set_folder(folder)
    dossier = receive(ctx)
    page.load(dossier.code)
    s.jpeg(folder / "scan-0002.jpg", s.RED)
    qtbot.waitUntil(page.scans.offer_bar.isVisible, timeout=5000)
    page.scans.offer_bar.skip_button.click()
    assert not page.scans.offer_bar.isVisible() and not page.scans.job.is_running()
    assert scans_of(ctx, dossier.code) == []


def test_files_dropped_on_a_row_are_attached_to_it(qtbot, page, ctx, tmp_path):
    dossier = receive(ctx)
    page.load(dossier.code)
    page.lower.setCurrentWidget(page.scans)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(s.jpeg(tmp_path / "keo-tha.jpg", s.BLUE)))])
    table = page.scans.table
    where = table.viewport().mapTo(page.scans, table.visualItemRect(table.item(0, 1)).center())
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        page.scans.dropEvent(drop)
    assert drop.isAccepted() and [a.component_position for a in scans_of(ctx, dossier.code)] == [1]


def test_an_earlier_paper_of_the_same_person_is_offered_and_linked_without_a_copy(qtbot, page, ctx, tmp_path):
    first = receive(ctx)
    earlier, _ = attachments.attach_component(ctx, first.code, 1, [s.jpeg(tmp_path / "cccd.jpg", s.RED)])
    second = receive(ctx)
    page.load(second.code)
    assert page.scans.table.item(0, 2).text() == f"Có bản số hóa từ hồ sơ {first.code}, dùng lại"
    reuse = next(b for b in page.scans.table.cellWidget(0, 3).findChildren(QPushButton) if b.text() == "Dùng lại")
    with qtbot.waitSignal(page.changed, timeout=5000):
        reuse.click()
    linked = scans_of(ctx, second.code)
    assert [(a.reused, a.sha256, a.reused_from_code) for a in linked] == [(True, earlier.sha256, first.code)]
    assert page.scans.thumbnail_shown(0) and "dùng lại từ hồ sơ" in page.scans.table.item(0, 2).text()
    assert "Đã dùng lại bản số hóa" in page.message.plain_text()


def test_the_viewer_shows_every_page_and_navigates(qtbot, page, ctx, tmp_path, monkeypatch):
    dossier = receive(ctx)
    attachments.attach_component(ctx, dossier.code, 1, [s.pdf(tmp_path / "ba-trang.pdf", [s.RED, s.GREEN, s.BLUE])])
    page.load(dossier.code)
    viewer = page.scans.view(0)
    qtbot.waitExposed(viewer)
    assert viewer.page_count() == 3 and viewer.page_label.text() == "Trang 1/3"
    assert not viewer.previous_button.isEnabled()
    viewer.next_button.click()
    viewer.next_button.click()
    assert viewer.page() == 2 and viewer.page_label.text() == "Trang 3/3" and not viewer.next_button.isEnabled()
    before = viewer.view.zoomFactor()
    viewer.zoom_in_button.click()
    assert viewer.view.zoomFactor() > before
    opened = []
    monkeypatch.setattr("ui.scans.viewer.QDesktopServices.openUrl", lambda url: opened.append(url) or True)
    viewer.external_button.click()
    assert [u.toLocalFile() for u in opened] == [str(attachments.file_path(ctx, scans_of(ctx, dossier.code)[0].sha256))]
    viewer.close()


def test_the_event_loop_keeps_running_while_an_attach_works(qtbot, page, ctx, tmp_path, monkeypatch):
    """The attach waits (on the worker) until the GUI thread has seen its timer tick several times."""
    dossier = receive(ctx)
    page.load(dossier.code)
    release, real_prepare = threading.Event(), attachments.prepare
    monkeypatch.setattr(attachments, "prepare", lambda *a: release.wait(10) and real_prepare(*a))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(page.scans.job.is_running()))
    timer.start(10)
    pick(monkeypatch, s.jpeg(tmp_path / "cham.jpg", s.RED))
    assert page.scans.choose_and_attach(0)
    qtbot.waitUntil(lambda: ticks.count(True) >= 5, timeout=5000)
    assert scans_of(ctx, dossier.code) == [] and page.scans.busy.isVisible()
    release.set()
    wait_idle(qtbot, page)
    timer.stop()
    assert [a.pages for a in scans_of(ctx, dossier.code)] == [1] and page.scans.thumbnail_shown(0)


def watched(page, tmp_path):
    folder = tmp_path / "may-quet"
    folder.mkdir()
    page.scans.set_folder(folder)
    return folder


def test_a_burst_of_scanner_files_is_one_offer_and_one_attach(qtbot, page, ctx, tmp_path, monkeypatch):
    folder = watched(page, tmp_path)
    dossier = receive(ctx)
    page.load(dossier.code)
    for i, colour in enumerate((s.RED, s.GREEN, s.BLUE), 1):
        s.jpeg(folder / f"trang-{i}.jpg", colour)
    bar = page.scans.offer_bar
    qtbot.waitUntil(lambda: len(bar.paths) == 3, timeout=5000)
    assert bar.label.text() == "3 tệp mới từ máy quét: trang-1.jpg, trang-2.jpg, trang-3.jpg"
    assert not bar.replace_button.isVisible()
    asked = pick(monkeypatch, order=[2, 0, 1])
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        qtbot.keyClick(bar.attach_button, Qt.Key.Key_Return)
    assert [sorted(p.name for p in files) for files, _name in asked] == [["trang-1.jpg", "trang-2.jpg", "trang-3.jpg"]]
    assert [a.pages for a in scans_of(ctx, dossier.code)] == [3]


def test_scanner_pages_for_a_scanned_paper_are_added_to_it_or_replace_it(qtbot, page, ctx, tmp_path):
    folder = watched(page, tmp_path)
    dossier = receive(ctx)
    attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "trang-1.jpg", s.RED)])
    page.load(dossier.code)
    page.scans.table.selectRow(0)
    s.jpeg(folder / "trang-2.jpg", s.GREEN)
    bar = page.scans.offer_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert bar.attach_button.text() == f"Thêm trang vào “{dossier.components[0].name}” (Enter)"
    assert bar.replace_button.isVisible()
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        qtbot.keyClick(bar.attach_button, Qt.Key.Key_Return)
    assert [a.pages for a in scans_of(ctx, dossier.code)] == [2]
    s.jpeg(folder / "moi.jpg", s.BLUE)
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        bar.replace_button.click()
    assert [a.pages for a in scans_of(ctx, dossier.code)] == [1]


def test_scanner_files_accepted_while_an_attach_runs_follow_it(qtbot, page, ctx, tmp_path, monkeypatch):
    folder = watched(page, tmp_path)
    dossier = receive(ctx)
    page.load(dossier.code)
    release, real_prepare = threading.Event(), attachments.prepare
    monkeypatch.setattr(attachments, "prepare", lambda *a: release.wait(10) and real_prepare(*a))
    pick(monkeypatch, s.jpeg(tmp_path / "dau.jpg", s.RED))
    assert page.scans.choose_and_attach(0)
    s.jpeg(folder / "tiep.jpg", s.GREEN)
    bar = page.scans.offer_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    bar.attach_button.click()
    assert len(page.scans.waiting) == 1 and "1 lượt tệp đang chờ" in page.scans.busy_label.text()
    release.set()
    qtbot.waitUntil(lambda: not page.scans.waiting and not page.scans.job.is_running()
                    and scans_of(ctx, dossier.code) and scans_of(ctx, dossier.code)[0].pages == 2, timeout=10_000)
    assert [a.pages for a in scans_of(ctx, dossier.code)] == [2]


def test_a_scan_whose_file_was_lost_says_so_instead_of_opening(qtbot, page, ctx, tmp_path):
    dossier = receive(ctx)
    stored, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "mat.jpg", s.RED)])
    attachments.file_path(ctx, stored.sha256).unlink()
    page.load(dossier.code)
    assert "không mở được: tệp không còn trong thư mục dữ liệu" in page.scans.table.item(0, 2).text()
    assert page.scans.view(0) is None
    assert "không còn trong thư mục dữ liệu" in page.message.plain_text() and page.message.kind == "error"


def test_ctrl_o_on_the_dossier_page_chooses_files_for_the_selected_paper(qtbot, page, ctx, tmp_path, monkeypatch):
    dossier = receive(ctx)
    page.load(dossier.code)
    pick(monkeypatch, s.jpeg(tmp_path / "chon.jpg", s.RED))
    with qtbot.waitSignal(page.scans.attached, timeout=10_000):
        qtbot.keyClick(page, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert page.lower.currentWidget() is page.scans
    assert [a.component_position for a in scans_of(ctx, dossier.code)] == [1]


def test_ctrl_h_records_until_when_a_scanned_paper_is_valid(qtbot, page, ctx, tmp_path, monkeypatch):
    dossier = receive(ctx)
    attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "cccd.jpg", s.RED)])
    page.load(dossier.code)
    page.lower.setCurrentWidget(page.scans)
    page.scans.table.setFocus()
    page.scans.table.selectRow(0)
    typed = iter(["30/02/2030", "31/12/2030", ""])
    monkeypatch.setattr("ui.scans.dialogs.ask_valid_until", lambda *_: next(typed))
    qtbot.keyClick(page.scans.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert "Hạn sử dụng “30/02/2030” không hợp lệ" in page.message.plain_text() and page.message.kind == "error"
    assert scans_of(ctx, dossier.code)[0].valid_until is None
    qtbot.keyClick(page.scans.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert str(scans_of(ctx, dossier.code)[0].valid_until) == "2030-12-31"
    assert "đến 31/12/2030" in page.message.plain_text()
    assert "còn giá trị đến 31/12/2030" in page.scans.table.item(0, 2).text()
    qtbot.keyClick(page.scans.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert scans_of(ctx, dossier.code)[0].valid_until is None and "không thời hạn" in page.message.plain_text()


def test_ctrl_h_on_a_paper_not_yet_scanned_asks_nothing(qtbot, page, ctx, monkeypatch):
    dossier = receive(ctx)
    page.load(dossier.code)
    monkeypatch.setattr("ui.scans.dialogs.ask_valid_until", lambda *_: pytest.fail("asked"))
    assert page.scans.ask_valid_until(0) is False
