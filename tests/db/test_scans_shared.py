"""Office mode's scans on a real PostgreSQL (this session's throwaway cluster, tests/pg.py): a scan attached at one
counter opens at another whose data folder is empty, the bytes kept in the centre's database with the attachment
row; a damaged cache is fetched again; a blob missing or damaged on the server is said, naming the scan."""

from __future__ import annotations

import hashlib

import pytest

from counter import integrity, records
from counter.context import AppContext
from counter.dossiers import reception
from counter.scans import attachments, blobs
from counter.scans import store as scan_store
from db.database import make_database_from_url
from db.migrate import migrate
from db.migrations import MIGRATIONS
from db.models import ScanBlob, StoredFile
from tests.counter import scan_samples as s
from tests.seeded_centre import seeded_centre  # noqa: F401  (pg_url: the seeded centre)

ID = "038090100001"


@pytest.fixture
def counter_a(pg_url, tmp_path, clock):
    """The centre's database set up as a real office; this PC (data folder A) is workstation 1, the admin logged in."""
    from counter.office import workstations
    from counter.office.first_run import set_up_office
    from counter.setup import open_office_database
    from tests.counter.test_first_run import SETUP

    context = open_office_database(pg_url, tmp_path / "A", clock=clock)
    context.user, _ = set_up_office(context, SETUP)
    workstations.claim(context, 1)
    yield context
    context.database.close()


@pytest.fixture
def counter_b(counter_a, pg_url, tmp_path):
    """Another PC of the centre (workstation 2) on the same database, its data folder B empty."""
    folder = tmp_path / "B"
    folder.mkdir()
    context = AppContext(database=make_database_from_url(pg_url), data_dir=folder, clock=counter_a.clock,
                         user=counter_a.user, workstation=2)
    yield context
    context.database.close()


def receive(ctx: AppContext) -> str:
    applicant = records.ApplicantInput(id_number=ID, full_name="Trần Thị Bình", address="Thôn 3, Xã Quảng Hùng")
    dossier, _ = reception.receive_dossier(ctx, records.DossierDraft(procedure_code="1.004873", applicant=applicant))
    return dossier.code


def attach(ctx: AppContext, tmp_path, colour=s.RED) -> records.Attachment:
    code = receive(ctx)
    scan, _ = attachments.attach_component(ctx, code, None, [s.jpeg(tmp_path / "page.jpg", colour)])
    return scan


def open_at(ctx: AppContext, scan: records.Attachment):
    return attachments.local_file(ctx, scan.sha256, scan.size, scan.name)


def test_a_scan_attached_at_one_counter_opens_at_another_with_an_empty_folder(counter_a, counter_b, tmp_path):
    scan = attach(counter_a, tmp_path)
    at_a = counter_a.data_dir / scan.path
    assert ScanBlob.get_by_id(scan.sha256).data == at_a.read_bytes()  # written with the row

    [seen] = attachments.attachments_of(counter_b, scan.dossier_code)
    assert not (counter_b.data_dir / "files").exists()
    path = open_at(counter_b, seen)
    assert path == counter_b.data_dir / scan.path and path.read_bytes() == at_a.read_bytes()
    thumbnail = attachments.local_thumbnail(counter_b, scan.sha256)
    assert thumbnail is not None and thumbnail.read_bytes() == (counter_a.data_dir / scan.thumbnail).read_bytes()
    assert s.colours_match(s.page_colours(path.read_bytes()), [s.RED])


def test_a_damaged_cache_file_is_detected_and_fetched_again(counter_a, counter_b, tmp_path):
    scan = attach(counter_a, tmp_path)
    path = open_at(counter_b, scan)
    good = path.read_bytes()
    damaged = bytearray(good)
    damaged[len(damaged) // 2] ^= 0xFF  # the same size: only its SHA-256 tells
    path.write_bytes(bytes(damaged))
    assert open_at(counter_b, scan) == path and path.read_bytes() == good
    assert hashlib.sha256(path.read_bytes()).hexdigest() == scan.sha256


def test_a_blob_missing_on_the_server_is_said_naming_the_scan(counter_a, counter_b, tmp_path):
    scan = attach(counter_a, tmp_path)
    ScanBlob.delete().execute()
    with pytest.raises(blobs.ScanUnavailable) as missing:
        open_at(counter_b, scan)
    assert f"Không mở được bản quét “{scan.name}” trên máy chủ: máy chủ không có tệp" in str(missing.value)
    assert not (counter_b.data_dir / scan.path).exists()
    assert open_at(counter_a, scan) == counter_a.data_dir / scan.path  # A's own cache is whole: it still opens
    later = receive(counter_a)  # the same person's next dossier
    assert attachments.reusable_for_dossier(counter_b, later) == []  # bytes the server lacks are not offered


def test_a_blob_damaged_on_the_server_is_never_cached_nor_opened(counter_a, counter_b, tmp_path):
    scan = attach(counter_a, tmp_path)
    counter_a.database.execute_sql("UPDATE scan_blob SET data = %s", (b"%PDF-1.4 not the scan",))
    with pytest.raises(blobs.ScanUnavailable, match="tệp trên máy chủ đã bị hỏng"):
        open_at(counter_b, scan)
    assert not (counter_b.data_dir / scan.path).exists()


def test_the_bytes_and_the_row_commit_together(counter_a, tmp_path, monkeypatch):
    code = receive(counter_a)

    def fail(step: str) -> None:
        if step == "attachment":
            raise RuntimeError("power cut")

    monkeypatch.setattr(attachments, "written", fail)
    with pytest.raises(RuntimeError):
        attachments.attach_component(counter_a, code, None, [s.jpeg(tmp_path / "p.jpg", s.GREEN)])
    assert ScanBlob.select().count() == 0 and StoredFile.select().count() == 0
    assert scan_store.list_store(counter_a.data_dir).stored == {}


def test_a_reused_paper_and_added_pages_come_from_the_server(counter_a, counter_b, tmp_path):
    scan = attach(counter_a, tmp_path)
    b_code = receive(counter_a)  # a second dossier of the same person, worked on at counter B
    [offer] = [o for o in attachments.reusable_for_dossier(counter_b, b_code) if o.attachment.sha256 == scan.sha256]
    reused, _ = attachments.reuse(counter_b, b_code, offer.component_position, offer.attachment.id)
    assert reused.sha256 == scan.sha256
    more, _ = attachments.attach_component(counter_b, scan.dossier_code, scan.component_position,
                                           [s.jpeg(tmp_path / "p2.jpg", s.BLUE)], add_pages=True)
    assert s.colours_match(s.page_colours(open_at(counter_a, more).read_bytes()), [s.RED, s.BLUE])


def test_the_integrity_check_reads_the_blobs_on_the_server(counter_a, counter_b, tmp_path):
    scan = attach(counter_a, tmp_path)
    other = attachments.attach_component(counter_a, receive(counter_a), None,
                                         [s.jpeg(tmp_path / "g.jpg", s.GREEN)])[0]

    def findings():
        checked: dict[str, int] = {}
        listing = scan_store.list_store(counter_b.data_dir)
        return [(f.kind, f.message) for f in integrity._scans(counter_b, True, listing, checked)], checked

    assert findings() == ([], {"store_files": 2})
    counter_a.database.execute_sql("UPDATE scan_blob SET data = %s WHERE sha256 = %s",
                                   (bytes(other.size), other.sha256))  # the same size, zeroed
    ScanBlob.delete().where(ScanBlob.sha256 == scan.sha256).execute()
    ScanBlob.insert(sha256="f" * 64, data=b"stray", thumbnail=b"").execute()
    found, _ = findings()
    kinds = sorted(k for k, _ in found)
    assert kinds == sorted([integrity.SCAN_MISSING, integrity.SCAN_HASH, integrity.SCAN_ORPHAN])
    assert any(f"hồ sơ {scan.dossier_code} không có trên máy chủ" in m for _, m in found)
    assert not blobs.problems(counter_b, False).wrong_hash  # only the full check reads every blob


def test_files_a_pc_holds_are_published_to_a_database_without_them(counter_a, counter_b, tmp_path):
    scan = attach(counter_a, tmp_path)
    ScanBlob.delete().execute()  # as an upgraded database, or one copied from a PC's file, starts
    assert blobs.publish_local(counter_b) == 0  # B holds nothing
    assert blobs.publish_local(counter_a) == 1
    assert blobs.publish_local(counter_a) == 0
    assert open_at(counter_b, scan).read_bytes() == (counter_a.data_dir / scan.path).read_bytes()
    assert attachments.local_thumbnail(counter_b, scan.sha256) is not None


def test_on_sqlite_the_table_exists_and_stays_empty(ctx, tmp_path):
    from counter.office.users import authenticate

    ctx.user = authenticate(ctx, "canbo", "canbo123")
    dossier, _ = reception.receive_dossier(ctx, records.DossierDraft(
        procedure_code="2.001035", applicant=records.ApplicantInput(id_number=ID, full_name="Trần Thị Bích")))
    scan, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "p.jpg", s.RED)])
    assert ScanBlob.select().count() == 0 and blobs.publish_local(ctx) == 0
    assert open_at(ctx, scan) == ctx.data_dir / scan.path
    (ctx.data_dir / scan.path).unlink()
    with pytest.raises(blobs.ScanUnavailable, match="không còn trong thư mục dữ liệu"):
        open_at(ctx, scan)


def test_the_migration_upgrades_an_existing_database(tmp_path, monkeypatch):
    from db.database import bind, make_database

    path = tmp_path / "q.sqlite3"
    database = bind(make_database(path))
    monkeypatch.setattr("db.migrate.MIGRATIONS", [m for m in MIGRATIONS if m[0] <= 20])
    migrate(database, path)
    assert "scan_blob" not in database.get_tables()
    monkeypatch.setattr("db.migrate.MIGRATIONS", MIGRATIONS)
    assert 21 in migrate(database, path)
    assert {c.name for c in database.get_columns("scan_blob")} == {"sha256", "data", "thumbnail"}
    database.close()


def test_opening_the_centre_publishes_the_scans_this_pc_holds(counter_a, counter_b, pg_url, tmp_path, clock):
    from counter.setup import open_office_database

    scan = attach(counter_a, tmp_path)
    ScanBlob.delete().execute()
    reopened = open_office_database(pg_url, counter_a.data_dir, clock=clock)
    try:
        assert ScanBlob.select().count() == 1
        assert open_at(counter_b, scan).read_bytes() == (counter_a.data_dir / scan.path).read_bytes()
    finally:
        reopened.database.close()


class Uploads:
    """The province's upload call as counter.sync.uploads uses it: the bytes each upload sent."""

    def __init__(self) -> None:
        self.sent: dict[str, bytes] = {}

    def upload_file(self, path, name: str) -> str:
        self.sent[name] = path.read_bytes()
        return f"https://tinh.example/files/{name}"


def test_another_counter_uploads_a_scan_to_the_province_from_the_server(counter_a, counter_b, tmp_path):
    from counter.sync import uploads
    from counter.sync.errors import PermanentError

    scan = attach(counter_a, tmp_path)
    client = Uploads()
    [paper] = uploads.upload_missing(counter_b, client, scan.dossier_code)
    assert client.sent == {f"{scan.sha256}.pdf": (counter_a.data_dir / scan.path).read_bytes()}
    assert paper.remote_url == f"https://tinh.example/files/{scan.sha256}.pdf"

    StoredFile.update(remote_url=None).execute()
    ScanBlob.delete().execute()
    (counter_b.data_dir / scan.path).unlink()
    with pytest.raises(PermanentError, match=f"Hồ sơ {scan.dossier_code}: Không mở được bản quét"):
        uploads.upload_missing(counter_b, Uploads(), scan.dossier_code)
