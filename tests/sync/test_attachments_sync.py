"""Digitised papers and the province (docs/portal.md "Attachments"), against the real reference server.

By default nothing is uploaded: each paper is listed in TaiLieuNop with the address the province's `file_url`
template gives it. Where the province takes files (`upload_url`, here a server started with uploads on), each
file goes before its dossier, once, listed with its URL, safe through lost answers and server errors."""

import hashlib
import random

import httpx
import pytest

from counter import records
from counter.dossiers import reception
from counter.scans import attachments
from counter.sync import outbox, settings
from counter.sync.batch import sync_once
from counter.sync.client import ProvinceClient
from db.models import Dossier, OutboxEntry, StoredFile
from devtools.provincial_server import ProvincialServer
from tests.conftest import CREDENTIALS
from tests.counter import scan_samples as s
from tests.sync.conftest import AN, configure

CONTRACT = "2.001035"  # three components, codes 2.001035.TP01…03


@pytest.fixture
def province(tmp_path, province_dialect):
    """A province whose gateway takes files (`upload_url`): most tests here are about uploading."""
    with ProvincialServer(str(tmp_path / "province.sqlite3"), credentials=CREDENTIALS, dialect=province_dialect,
                          uploads=True) as server:
        yield server


def receive(ctx):
    dossier, _ = reception.receive_dossier(ctx, records.DossierDraft(procedure_code=CONTRACT, applicant=AN))
    return dossier


class Calls(list):
    fail_at: dict


@pytest.fixture
def uploads(monkeypatch):
    """Every upload the client makes, in order; `fail_at[n] = fault` arms a server fault just before upload n."""
    calls, fail_at = Calls(), {}
    real = ProvinceClient.upload_file

    def counted(self, path, filename):
        calls.append(filename)
        if len(calls) in fail_at:
            fail_at.pop(len(calls))()
        return real(self, path, filename)

    monkeypatch.setattr(ProvinceClient, "upload_file", counted)
    calls.fail_at = fail_at
    return calls


@pytest.fixture
def papers(ctx, clerk, province, tmp_path):
    """An earlier dossier with one scan (synced with it), and a dossier with two new scans and that one reused."""
    configure(ctx, province)
    settings.set_value(ctx, "upload_url", province.upload_url)
    earlier = receive(ctx)
    id_card, _ = attachments.attach_component(ctx, earlier.code, 3, [s.jpeg(tmp_path / "so-do.jpg", s.GREEN)])
    dossier = receive(ctx)
    attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "hop-dong.jpg", s.RED)])
    attachments.attach_component(ctx, dossier.code, 2, [s.png(tmp_path / "cccd.png", s.BLUE)])
    attachments.reuse(ctx, dossier.code, 3, id_card.id)
    return earlier.code, dossier.code


def once(ctx):
    return sync_once(ctx, rng=random.Random(1))


def until_complete(ctx, runs: int = 10):
    for _ in range(runs):
        if once(ctx).complete:
            return
        ctx.clock.advance(hours=2)
    raise AssertionError("sync never completed")


def at_province(province, code: str) -> dict:
    return next(d for d in province.state()["dossiers"] if d["MaHoSo"] == code)


def uploaded_locally() -> int:
    return StoredFile.select().where(StoredFile.remote_url.is_null(False)).count()


def served(url: str) -> bytes:
    return httpx.get(url).content


def test_papers_are_uploaded_then_listed_with_their_urls(ctx, papers, province, uploads):
    earlier, code = papers
    assert once(ctx).complete
    assert len(uploads) == 3 == len(province.state()["files"])  # the reused file once, for both dossiers
    sent = at_province(province, code)
    listed = {p["MaThanhPhanHoSo"]: p for p in sent["TaiLieuNop"]}
    assert sorted(listed) == ["2.001035.TP01", "2.001035.TP02", "2.001035.TP03"]
    assert [listed[c]["DuocTaiSuDung"] for c in sorted(listed)] == ["0", "0", "1"]
    assert {p["IsDeleted"] for p in listed.values()} == {"False"} and sent["HoSoCoThanhPhanSoHoa"] == "1"
    for paper in attachments.attachments_of(ctx, code):
        entry = listed[paper.type_code]
        assert (entry["TepDinhKemId"], entry["DuongDanTaiTepTin"]) == (paper.uuid, paper.remote_url)
        assert hashlib.sha256(served(paper.remote_url)).hexdigest() == paper.sha256
    reused_url = listed["2.001035.TP03"]["DuongDanTaiTepTin"]
    assert at_province(province, earlier)["TaiLieuNop"][0]["DuongDanTaiTepTin"] == reused_url


def test_a_dossier_sent_again_uploads_nothing(ctx, papers, province, uploads):
    _earlier, code = papers
    assert once(ctx).complete
    outbox.enqueue_dossier(ctx, Dossier.get(Dossier.code == code), ctx.clock.now())
    uploads.clear()
    assert once(ctx).complete
    assert uploads == [] and at_province(province, code)["_writes"] == 2


def test_a_new_scan_sends_the_dossier_again_with_the_old_one_deleted(ctx, papers, province, uploads, tmp_path):
    _earlier, code = papers
    assert once(ctx).complete
    old = attachments.attachments_of(ctx, code)[0]
    new, _ = attachments.attach_component(ctx, code, 1, [s.jpeg(tmp_path / "hop-dong-2.jpg", s.BLUE)])
    assert OutboxEntry.get(OutboxEntry.key == code).state == outbox.PENDING
    uploads.clear()
    assert once(ctx).complete
    assert uploads == [f"{new.sha256}.pdf"]
    listed = {p["TepDinhKemId"]: p for p in at_province(province, code)["TaiLieuNop"]}
    assert (listed[old.uuid]["IsDeleted"], listed[new.uuid]["IsDeleted"]) == ("True", "False")


def test_a_lost_upload_answer_then_retry_keeps_one_file(ctx, papers, province, uploads):
    uploads.fail_at[1] = lambda: province.faults.arm("lose")  # stored at the province, answer lost
    first = once(ctx)
    assert not first.complete and province.state()["dossiers"] == []
    assert len(province.state()["files"]) == 1 and uploaded_locally() == 0
    ctx.clock.advance(hours=2)
    until_complete(ctx)
    assert len(uploads) == 4 and uploads[0] == uploads[1]  # the same bytes went twice
    assert len(province.state()["files"]) == 3 and len(province.state()["dossiers"]) == 2


def test_a_failed_upload_leaves_the_dossier_pending(ctx, papers, province, uploads):
    earlier, code = papers
    uploads.fail_at[3] = lambda: province.faults.arm("500")  # the second dossier's second scan
    first = once(ctx)
    assert "HTTP 500" in first.stopped_by
    assert [d["MaHoSo"] for d in province.state()["dossiers"]] == [earlier]
    assert OutboxEntry.get(OutboxEntry.key == code).state == outbox.PENDING
    assert uploaded_locally() == 2  # each URL saved as soon as its upload answered
    ctx.clock.advance(hours=2)
    until_complete(ctx)
    assert len(uploads) == 4 and uploads[3] == uploads[2]  # only the failed one again
    assert len(at_province(province, code)["TaiLieuNop"]) == 3


def test_the_province_refuses_a_paper_without_an_uploaded_url(ctx, clerk, province, tmp_path):
    from counter.sync.dialects import connect
    from counter.sync.errors import PermanentError
    from counter.sync.payload import dossier_payload
    from tests.sync.conftest import settings_for

    dossier = receive(ctx)
    paper, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "hop-dong.jpg", s.RED)])
    body = dossier_payload(dossier, office_name="Bộ phận một cửa", attachments=[paper])
    with connect(settings_for(province, upload_url=province.upload_url)) as client:
        with pytest.raises(PermanentError, match="DuongDanTaiTepTin"):
            client.insert_dossier(body)
        url = client.upload_file(ctx.data_dir / paper.path, "hop-dong.pdf")
        assert url == client.upload_file(ctx.data_dir / paper.path, "hop-dong.pdf")  # same bytes, same file
        body["TaiLieuNop"][0]["DuongDanTaiTepTin"] = url
        client.insert_dossier(body)
    assert at_province(province, dossier.code)["TaiLieuNop"] == body["TaiLieuNop"]
    assert province.state()["files"] == [{"id": paper.sha256, "name": "hop-dong.pdf", "size": paper.size}]


@pytest.mark.parametrize("template, expect", [("", ""), ("https://dvc.example.gov.vn/tep/{sha256}",
                                                          "https://dvc.example.gov.vn/tep/")])
def test_without_an_upload_address_nothing_is_uploaded_and_papers_get_the_provinces_address(
        ctx, clerk, tmp_path, province_dialect, uploads, template, expect):
    with ProvincialServer(str(tmp_path / "p.sqlite3"), credentials=CREDENTIALS, dialect=province_dialect) as plain:
        configure(ctx, plain)
        settings.set_value(ctx, "file_url", template)
        dossier = receive(ctx)
        paper, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "hop-dong.jpg", s.RED)])
        assert once(ctx).complete
        [listed] = at_province(plain, dossier.code)["TaiLieuNop"]
        assert plain.state()["files"] == [] and uploads == [] and uploaded_locally() == 0
    assert listed["DuongDanTaiTepTin"] == (expect + paper.sha256 if expect else "")
    assert listed["TepDinhKemId"] == paper.uuid and listed["IsDeleted"] == "False"
