"""The page-order dialog, the watcher's wait for a complete file, and dropped-file reading."""

from PySide6.QtCore import QMimeData, QUrl

from tests.counter import scan_samples as s
from ui.scans import dialogs
from ui.scans.order_dialog import PageOrderDialog
from ui.scans.watch import FolderWatcher


def test_the_order_dialog_lists_every_page_with_a_thumbnail_and_moves_them(qtbot, tmp_path):
    files = [s.jpeg(tmp_path / "a.jpg", s.RED), s.pdf(tmp_path / "b.pdf", [s.GREEN, s.BLUE])]
    dialog = PageOrderDialog(files, "Tờ khai", None)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 3 and dialog.order() == [0, 1, 2]
    assert all(not dialog.list.item(i).icon().isNull() for i in range(3))
    assert [dialog.list.item(i).text() for i in range(3)] == ["a.jpg", "b.pdf", "b.pdf — trang 2"]
    dialog.list.setCurrentRow(2)
    dialog.up_button.click()
    dialog.up_button.click()
    dialog.up_button.click()  # already first: stays
    assert dialog.order() == [2, 0, 1]
    dialog.down_button.click()
    assert dialog.order() == [0, 2, 1]


def test_a_file_still_growing_is_announced_only_once_its_size_holds(qtbot, tmp_path):
    watcher = FolderWatcher()
    watcher.watch(tmp_path)
    watcher._timer.setInterval(60_000)  # the test drives the checks itself
    arrived = []
    watcher.arrived.connect(arrived.append)
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 part")
    watcher._changed(str(tmp_path))
    watcher._settle()  # first reading
    with path.open("ab") as f:
        f.write(b" more bytes")
    watcher._settle()  # changed: not yet
    assert arrived == []
    watcher._settle()  # held
    assert arrived == [path]
    watcher._changed(str(tmp_path))
    watcher._settle()
    watcher._settle()
    assert arrived == [path]  # announced once


def test_an_empty_file_and_other_suffixes_are_not_announced(qtbot, tmp_path):
    watcher = FolderWatcher()
    watcher.watch(tmp_path)
    arrived = []
    watcher.arrived.connect(arrived.append)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "empty.jpg").write_bytes(b"")
    watcher._changed(str(tmp_path))
    watcher._settle()
    watcher._settle()
    assert arrived == []


def test_dropped_local_files_are_read_and_other_urls_ignored(tmp_path):
    mime = QMimeData()
    page = s.jpeg(tmp_path / "a.jpg", s.RED)
    mime.setUrls([QUrl.fromLocalFile(str(page)), QUrl("https://example.org/a.jpg"), QUrl.fromLocalFile(str(tmp_path))])
    assert dialogs.dropped_files(mime) == [page]
