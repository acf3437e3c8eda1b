"""Office mode's scans in the dossier page, on a real PostgreSQL (tests/pg.py): a counter whose data folder is
empty shows and opens a scan attached at another counter, and says why when the server lacks its file."""

from counter.scans import attachments
from db.models import ScanBlob
from tests.db.test_scans_shared import attach, counter_a, counter_b  # noqa: F401  # the two counters' fixtures
from tests.ui.dossier_steps import shown_dossier_page


def test_another_counter_shows_and_opens_the_scan(qtbot, counter_a, counter_b, tmp_path):  # noqa: F811
    scan = attach(counter_a, tmp_path)
    page = shown_dossier_page(qtbot, counter_b)
    page.load(scan.dossier_code)
    assert page.scans.thumbnail_shown(0)  # fetched from the server into B's empty folder
    assert "không mở được" not in page.scans.table.item(0, 2).text()
    viewer = page.scans.view(0)
    assert viewer is not None and viewer.path == counter_b.data_dir / scan.path
    viewer.close()


def test_a_scan_the_server_lacks_says_why_naming_it(qtbot, counter_a, counter_b, tmp_path):  # noqa: F811
    scan = attach(counter_a, tmp_path)
    ScanBlob.delete().execute()
    page = shown_dossier_page(qtbot, counter_b)
    page.load(scan.dossier_code)
    assert not page.scans.thumbnail_shown(0)
    assert "không mở được: máy chủ không có tệp" in page.scans.table.item(0, 2).text()  # said on the row itself
    assert page.scans.view(0) is None
    text = page.message.plain_text()
    assert f"Không mở được bản quét “{scan.name}” trên máy chủ" in text and page.message.kind == "error"
    assert attachments.attachments_of(counter_b, scan.dossier_code)  # the row is listed, and why it cannot open
