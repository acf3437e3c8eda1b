"""Scans given to the component rows before the dossier exists, attached in the background once it is received."""

import threading

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from counter.scans import attachments
from db.models import Dossier
from tests.counter import scan_samples as s
from tests.ui.test_reception import filled
from ui.reception import dialogs as reception_dialogs
from ui.reception.components_table import NAME
from ui.scans import dialogs
from ui.scans.pending import AttachReport
from ui.scans.watch import set_watch_folder
from ui.settings import ui_settings


@pytest.fixture
def page(receive_page):
    return receive_page


def name_shown(page, row: int) -> str:
    return page.components.data(page.components.index(row, NAME), Qt.ItemDataRole.DisplayRole)


def choose(monkeypatch, *paths) -> None:
    monkeypatch.setattr(dialogs, "choose_files", lambda parent: list(paths))


def on_row(page, row: int) -> None:
    page.table.setFocus()
    page.table.setCurrentIndex(page.components.index(row, NAME))


def received_code(qtbot, page) -> str:
    qtbot.keyClick(page, Qt.Key.Key_F9)
    assert len(page.jobs) == 1, page.message.plain_text()
    return Dossier.select().order_by(Dossier.id.desc()).get().code


def wait_stored(qtbot, page) -> None:
    qtbot.waitUntil(lambda: not page.scans.pending.job.is_running() and "bản quét" in page.message.plain_text()
                    and "Đang lưu" not in page.message.plain_text(), timeout=10_000)


def test_files_chosen_for_rows_are_attached_to_those_components_after_receipt(qtbot, page, monkeypatch, tmp_path):
    filled(qtbot, page)
    on_row(page, 1)
    choose(monkeypatch, s.jpeg(tmp_path / "a.jpg", s.RED), s.pdf(tmp_path / "b.pdf", [s.GREEN, s.BLUE]))
    qtbot.keyClick(page.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert "📎 2 tệp" in name_shown(page, 1)
    assert page.scans.add(0, [s.jpeg(tmp_path / "c.jpg", s.YELLOW)])
    code = received_code(qtbot, page)
    assert page.jobs[0].title and "Đang lưu bản quét của 2 giấy tờ" in page.message.plain_text()
    wait_stored(qtbot, page)
    stored = attachments.attachments_of(page.ctx, code)
    assert sorted((a.component_position, a.pages) for a in stored) == [(1, 1), (2, 3)]
    assert f"Đã lưu 2 bản quét vào hồ sơ {code}." in page.message.plain_text()
    assert f"Đã tiếp nhận hồ sơ {code}" in page.message.plain_text()
    assert page.scans.pending.count() == 0


def test_a_bad_file_is_refused_when_chosen_and_nothing_is_queued(qtbot, page, monkeypatch, tmp_path):
    filled(qtbot, page)
    empty = tmp_path / "rong.jpg"
    empty.write_bytes(b"")
    choose(monkeypatch, s.jpeg(tmp_path / "tot.jpg", s.RED), empty)
    assert not page.scans.choose(0)
    assert page.message.kind == "error" and "“rong.jpg”" in page.message.plain_text()
    assert page.scans.pending.count() == 0 and "📎" not in name_shown(page, 0)


def test_files_dropped_on_a_row_are_queued_for_it(qtbot, page, tmp_path):
    filled(qtbot, page)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(s.jpeg(tmp_path / "keo-tha.jpg", s.BLUE)))])
    table = page.table
    where = table.visualRect(page.components.index(1, NAME)).center()
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    table.dropEvent(drop)
    assert drop.isAccepted() and list(page.scans.pending.queued) == [1]
    assert "📎 1 tệp" in name_shown(page, 1) and table.currentIndex().row() == 1


def test_the_scanner_folder_offer_queues_for_the_current_row(qtbot, page, ctx, tmp_path):
    folder = tmp_path / "may-quet"
    folder.mkdir()
    set_watch_folder(ui_settings(ctx), folder)
    page.hide()
    with qtbot.waitActive(page):
        page.show()  # the page reads the folder chosen elsewhere when shown
    filled(qtbot, page)
    on_row(page, 1)
    s.jpeg(folder / "scan-0001.jpg", s.RED)
    bar = page.scans.offer_bar
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert f"Gắn vào “{page.components.rows[1].name}” (Enter)" == bar.attach_button.text()
    qtbot.keyClick(bar.attach_button, Qt.Key.Key_Return)
    assert not bar.isVisible() and [p.name for p in page.scans.pending.queued[1]] == ["scan-0001.jpg"]


def test_refusal_discards_the_queue_and_says_so(qtbot, page, monkeypatch, tmp_path):
    filled(qtbot, page)
    assert page.scans.add(0, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    monkeypatch.setattr(reception_dialogs, "ask_refusal_reason", lambda parent: "Không thuộc thẩm quyền.")
    qtbot.keyClick(page, Qt.Key.Key_F8)
    assert len(page.jobs) == 1 and "Đã bỏ 1 tệp quét đang chờ" in page.message.plain_text()
    assert page.scans.pending.count() == 0 and not page.scans.pending.job.is_running()
    code = Dossier.select().order_by(Dossier.id.desc()).get().code
    assert attachments.attachments_of(page.ctx, code) == []


def test_new_reception_clears_the_queue(qtbot, page, tmp_path):
    filled(qtbot, page)
    assert page.scans.add(0, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.scans.pending.count() == 0


def test_the_event_loop_keeps_running_during_the_background_attach(qtbot, page, monkeypatch, tmp_path):
    filled(qtbot, page)
    assert page.scans.add(0, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    release, real_prepare = threading.Event(), attachments.prepare
    monkeypatch.setattr(attachments, "prepare", lambda *a: release.wait(10) and real_prepare(*a))
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(page.scans.pending.job.is_running()))
    timer.start(10)
    code = received_code(qtbot, page)  # the preview came first, while nothing was stored yet
    qtbot.waitUntil(lambda: ticks.count(True) >= 5, timeout=5000)
    assert attachments.attachments_of(page.ctx, code) == []
    release.set()
    wait_stored(qtbot, page)
    timer.stop()
    assert [a.component_position for a in attachments.attachments_of(page.ctx, code)] == [1]


def test_a_failed_attach_leaves_the_dossier_received_and_says_why(qtbot, page, monkeypatch, tmp_path):
    filled(qtbot, page)
    assert page.scans.add(0, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    monkeypatch.setattr(attachments, "prepare", lambda *a: (_ for _ in ()).throw(OSError("đĩa đầy")))
    code = received_code(qtbot, page)
    wait_stored(qtbot, page)
    said = page.message.plain_text()
    assert "Chưa lưu được bản quét" in said and "đĩa đầy" in said and "trang hồ sơ" in said
    assert Dossier.get(Dossier.code == code) and attachments.attachments_of(page.ctx, code) == []


def stored_colours(ctx, code: str) -> list:
    (scan,) = attachments.attachments_of(ctx, code)
    return s.page_colours((ctx.data_dir / scan.path).read_bytes())


def test_a_scan_given_to_an_unticked_paper_ticks_it(qtbot, page, tmp_path):
    filled(qtbot, page)
    page.components.set_row(1, handed_over=False)
    assert page.scans.add(1, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    assert page.components.rows[1].handed_over


def test_the_queued_pages_can_be_put_in_order_before_receipt(qtbot, page, ctx, monkeypatch, tmp_path):
    filled(qtbot, page)
    on_row(page, 0)
    assert page.scans.add(0, [s.jpeg(tmp_path / "a.jpg", s.RED), s.jpeg(tmp_path / "b.jpg", s.GREEN)])
    monkeypatch.setattr(dialogs, "ask_order", lambda paths, name, parent: [1, 0])
    qtbot.keyClick(page.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "📎 2 tệp, 2 trang (gắn khi tiếp nhận, đã sắp thứ tự trang)" in name_shown(page, 0)
    assert page.scans.add(0, [s.jpeg(tmp_path / "c.jpg", s.BLUE)])  # a later page goes last
    code = received_code(qtbot, page)
    wait_stored(qtbot, page)
    assert s.colours_match(stored_colours(ctx, code), [s.GREEN, s.RED, s.BLUE])


def test_ctrl_delete_forgets_the_files_queued_for_a_row(qtbot, page, tmp_path):
    filled(qtbot, page)
    on_row(page, 1)
    assert page.scans.add(1, [s.jpeg(tmp_path / "a.jpg", s.RED), s.jpeg(tmp_path / "b.jpg", s.GREEN)])
    qtbot.keyClick(page.table, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert page.scans.pending.count() == 0 and "📎" not in name_shown(page, 1)
    assert f"Đã bỏ 2 tệp quét đang chờ của “{page.components.rows[1].name}”." == page.message.plain_text()
    assert page.components.rowCount() > 1  # the paper itself stays


def test_a_paper_unticked_after_its_scan_was_queued_is_not_attached(qtbot, page, tmp_path):
    filled(qtbot, page)
    assert page.scans.add(0, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    assert page.scans.add(2, [s.jpeg(tmp_path / "b.jpg", s.GREEN)])  # the optional authorisation
    page.components.set_row(2, handed_over=False)  # …which the citizen took back
    code = received_code(qtbot, page)
    assert "Bỏ 1 tệp quét của giấy tờ không nộp." in page.message.plain_text()
    wait_stored(qtbot, page)
    assert [a.component_position for a in attachments.attachments_of(page.ctx, code)] == [1]


def test_a_report_of_failures_reads_as_one_sentence_each():
    report = AttachReport("000.00.06.H56-261203-0001", 1, (("Tờ khai", "Tệp “a.jpg” hỏng."),))
    assert report.text() == ("Đã lưu 1 bản quét. Chưa lưu được bản quét của “Tờ khai”: Tệp “a.jpg” hỏng. "
                             "Hồ sơ 000.00.06.H56-261203-0001 vẫn đã được tiếp nhận: hãy đính kèm lại ở trang hồ sơ.")
