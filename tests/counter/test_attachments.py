"""Attaching scans to a dossier: content-addressed storage, metadata, refusals that leave no trace, the result
document, reuse of a citizen's earlier papers, and attachments surviving a restart."""

import errno
import hashlib
import re

import pytest

from cli.show_json import dossier_json
from counter import records
from counter.dossiers import lifecycle, reception
from counter.errors import IllegalTransition, NotFound, ValidationError
from counter.scans import attachments
from counter.scans import store as scan_store
from counter.scans.store import DiskFull
from counter.setup import open_app
from db.models import Attachment, Dossier, DossierHistory, OutboxEntry, StoredFile
from tests.conftest import at
from tests.counter import scan_samples as s

ID = "001190000001"
CONTRACT = "2.001035"  # chứng thực hợp đồng: 3 components with codes 2.001035.TP01…03


def receive(ctx, procedure=CONTRACT, id_number=ID, name="Trần Thị Bích"):
    draft = records.DossierDraft(procedure_code=procedure,
                                 applicant=records.ApplicantInput(id_number=id_number, full_name=name))
    dossier, _ = reception.receive_dossier(ctx, draft)
    return dossier


def files_on_disk(ctx):
    root = ctx.data_dir / "files"
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot(code):
    """Everything an attach may change about a dossier."""
    row = Dossier.select().where(Dossier.code == code).dicts().get()
    outbox = list(OutboxEntry.select().where(OutboxEntry.dossier == row["id"]).order_by(OutboxEntry.id).dicts())
    return row, outbox, Attachment.select().count(), StoredFile.select().count(), DossierHistory.select().count()


def revision(code):
    return OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == code)).revision


def test_a_scan_is_stored_under_its_sha256_with_its_metadata(ctx, clerk, clock, tmp_path):
    dossier = receive(ctx)
    history, before = len(dossier.history), revision(dossier.code)
    clock.advance(minutes=5)
    pages = [s.jpeg(tmp_path / "p1.jpg", s.RED), s.jpeg(tmp_path / "p2.jpg", s.GREEN)]
    a, _ = attachments.attach_component(ctx, dossier.code, 2, pages)

    stored = ctx.data_dir / a.path
    assert stored == ctx.data_dir / "files" / a.sha256[:2] / a.sha256[2:4] / f"{a.sha256}.pdf"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == a.sha256 and a.size == stored.stat().st_size
    assert (ctx.data_dir / a.thumbnail).read_bytes().startswith(b"\x89PNG")
    assert s.colours_match(s.page_colours(stored.read_bytes()), [s.RED, s.GREEN])
    assert (a.kind, a.component_position, a.type_code, a.pages) == ("component", 2, "2.001035.TP02", 2)
    assert a.name == "Giấy tờ tùy thân của người yêu cầu chứng thực"
    assert (a.owner_id_number, a.digitised_by, a.digitised_at) == (ID, clerk.full_name, at("2026-02-13 10:05"))
    assert not a.reused and a.replaced_at is None

    row = Dossier.get(Dossier.code == dossier.code)
    assert row.has_digitised and row.updated_at == at("2026-02-13 10:05")
    assert revision(dossier.code) == before + 1  # the province gets the new list of papers
    assert DossierHistory.select().where(DossierHistory.dossier == row.id).count() == history  # not a hand-over


def test_show_json_lists_the_attachments_with_their_sha256(ctx, clerk, tmp_path):
    dossier = receive(ctx)
    a, _ = attachments.attach_component(ctx, dossier.code, "dự thảo", [s.pdf(tmp_path / "hd.pdf", [s.BLUE] * 3)])
    [listed] = dossier_json(ctx, dossier.code)["attachments"]
    assert listed["sha256"] == a.sha256 and listed["path"] == a.path
    assert (listed["kind"], listed["component_position"], listed["pages"], listed["reused"]) == ("component", 1, 3,
                                                                                                 False)
    assert listed["digitised_at"] == "2026-02-13T10:00" and listed["digitised_by"] == clerk.full_name


def test_the_same_file_attached_twice_is_stored_once(ctx, clerk, tmp_path):
    first, second = receive(ctx), receive(ctx)
    scan = [s.jpeg(tmp_path / "cccd.jpg", s.TEAL)]
    a, _ = attachments.attach_component(ctx, first.code, 2, scan)
    rev = revision(first.code)
    again, _ = attachments.attach_component(ctx, first.code, 2, scan)
    assert again == a and revision(first.code) == rev  # the same paper again: nothing changes
    b, _ = attachments.attach_component(ctx, second.code, 2, scan)
    assert b.sha256 == a.sha256 and b.id != a.id
    assert StoredFile.select().count() == 1 and len(files_on_disk(ctx)) == 2  # one PDF and its thumbnail


def test_the_same_pdfs_merged_again_find_the_stored_file(ctx, clerk, tmp_path):
    """pdfium's merge writes a fresh /ID each time: the pages it was made from identify it instead."""
    first, second = receive(ctx), receive(ctx)
    scan = [s.pdf(tmp_path / "a.pdf", [s.RED]), s.pdf(tmp_path / "b.pdf", [s.GREEN, s.BLUE])]
    a, _ = attachments.attach_component(ctx, first.code, 1, scan, order=[2, 0, 1])
    b, _ = attachments.attach_component(ctx, second.code, 1, scan, order=[2, 0, 1])
    assert b.sha256 == a.sha256 and StoredFile.select().count() == 1
    c, _ = attachments.attach_component(ctx, second.code, 3, scan)  # another order is another document
    assert c.sha256 != a.sha256 and s.colours_match(s.page_colours((ctx.data_dir / c.path).read_bytes()),
                                                    [s.RED, s.GREEN, s.BLUE])


def test_a_new_scan_replaces_the_old_one(ctx, clerk, tmp_path):
    dossier = receive(ctx)
    old, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "mờ.jpg", s.RED)])
    new, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "rõ.jpg", s.GREEN)])
    assert [a.id for a in attachments.attachments_of(ctx, dossier.code)] == [new.id]
    everything = attachments.attachments_of(ctx, dossier.code, include_replaced=True)
    assert [(a.id, a.replaced_at is not None) for a in everything] == [(old.id, True), (new.id, False)]
    assert (ctx.data_dir / old.path).exists()  # kept: the province is told it was deleted, and history stays


def test_components_by_position_name_or_the_next_undigitised(ctx, clerk, tmp_path):
    dossier = receive(ctx)
    scan = lambda name, colour: [s.jpeg(tmp_path / name, colour)]  # noqa: E731
    assert attachments.attach_component(ctx, dossier.code, None, scan("a.jpg", s.RED))[0].component_position == 1
    assert attachments.attach_component(ctx, dossier.code, None, scan("b.jpg", s.GREEN))[0].component_position == 2
    assert attachments.attach_component(ctx, dossier.code, "GIAY CHUNG NHAN", scan("c.jpg", s.BLUE))[0] \
        .component_position == 3
    assert attachments.attach_component(ctx, dossier.code, "2", scan("d.jpg", s.TEAL))[0].component_position == 2
    with pytest.raises(ValidationError, match="Mọi thành phần của hồ sơ đã có bản số hóa"):
        attachments.attach_component(ctx, dossier.code, None, scan("e.jpg", s.PURPLE))
    with pytest.raises(ValidationError, match=r"khớp nhiều thành phần: 2\. Giấy tờ tùy thân .*; 3\. Giấy chứng"):
        attachments.attach_component(ctx, dossier.code, "giấy", scan("f.jpg", s.PURPLE))
    missing = re.escape("không có thành phần “Sổ hộ khẩu”. Các thành phần: 1. Dự thảo")
    with pytest.raises(ValidationError, match=missing):
        attachments.attach_component(ctx, dossier.code, "Sổ hộ khẩu", scan("g.jpg", s.PURPLE))
    with pytest.raises(NotFound):
        attachments.attach_component(ctx, "000.00.06.H56-260213-0999", 1, scan("h.jpg", s.PURPLE))


@pytest.mark.parametrize("kind", ["empty", "text", "truncated_jpeg", "damaged_png", "corrupt_pdf", "password_pdf",
                                  "owner_locked_pdf", "no_pages_pdf", "missing"])
def test_a_bad_file_is_refused_by_name_and_leaves_no_trace(ctx, clerk, tmp_path, kind):
    dossier = receive(ctx)
    bad = s.bad_files(tmp_path / "bad")[kind]
    before = snapshot(dossier.code)
    with pytest.raises(ValidationError) as refused:
        attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "good.jpg", s.RED), bad])
    assert f"“{bad.name}”" in str(refused.value)
    assert snapshot(dossier.code) == before and files_on_disk(ctx) == []


def test_a_file_over_the_configured_limit_is_refused(ctx, clerk, tmp_path):
    from counter.scans.files import set_max_file_bytes
    dossier = receive(ctx)
    big = s.jpeg(tmp_path / "to.jpg", s.RED, size=s.A4_200DPI)
    set_max_file_bytes(ctx, big.stat().st_size - 1)
    before = snapshot(dossier.code)
    with pytest.raises(ValidationError, match=r"“to\.jpg” nặng .* vượt giới hạn"):
        attachments.attach_component(ctx, dossier.code, 1, [big])
    halves = [s.jpeg(tmp_path / f"{i}.jpg", c, size=s.A4_200DPI) for i, c in enumerate([s.GREEN, s.BLUE])]
    set_max_file_bytes(ctx, max(p.stat().st_size for p in halves) + 1000)
    with pytest.raises(ValidationError, match=r"Bản số hóa ghép từ “0\.jpg”, “1\.jpg” nặng .* vượt giới hạn"):
        attachments.attach_component(ctx, dossier.code, 1, halves)
    assert snapshot(dossier.code) == before and files_on_disk(ctx) == []


@pytest.mark.parametrize("step", ["file", "attachment", "outbox"])
def test_a_failure_after_the_file_is_written_removes_it(ctx, clerk, tmp_path, monkeypatch, step):
    dossier = receive(ctx)
    before = snapshot(dossier.code)

    def fail(at_step):
        if at_step == step:
            raise RuntimeError(f"crash after {step}")

    monkeypatch.setattr(attachments, "written", fail)
    with pytest.raises(RuntimeError):
        attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    assert snapshot(dossier.code) == before and files_on_disk(ctx) == []
    assert not (ctx.data_dir / "files").exists() or list((ctx.data_dir / "files").iterdir()) == []


def test_a_full_disk_is_reported_in_vietnamese_and_changes_nothing(ctx, clerk, tmp_path, monkeypatch):
    dossier = receive(ctx)
    before = snapshot(dossier.code)

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(scan_store.os, "fsync", no_space)
    with pytest.raises(DiskFull, match=r"Ổ đĩa đã đầy.*hồ sơ chưa bị thay đổi"):
        attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    assert snapshot(dossier.code) == before
    assert files_on_disk(ctx) == []  # no temporary file left behind either


def test_a_file_already_stored_is_not_removed_by_a_failed_attach(ctx, clerk, tmp_path, monkeypatch):
    first, second = receive(ctx), receive(ctx)
    scan = [s.jpeg(tmp_path / "a.jpg", s.RED)]
    a, _ = attachments.attach_component(ctx, first.code, 1, scan)
    monkeypatch.setattr(attachments, "written", lambda step: (_ for _ in ()).throw(RuntimeError(step)))
    with pytest.raises(RuntimeError):
        attachments.attach_component(ctx, second.code, 1, scan)
    assert (ctx.data_dir / a.path).exists() and (ctx.data_dir / a.thumbnail).exists()


def test_closed_dossiers_take_no_scans(ctx, clerk, tmp_path):
    dossier = receive(ctx)
    lifecycle.withdraw(ctx, dossier.code, "Công dân xin rút")
    with pytest.raises(IllegalTransition, match="Công dân yêu cầu rút hồ sơ"):
        attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "a.jpg", s.RED)])


def test_the_result_document_is_attached_once_the_result_is_recorded(ctx, clerk, clock, tmp_path):
    dossier = receive(ctx, procedure="1.004873")  # xác nhận tình trạng hôn nhân
    scan = [s.pdf(tmp_path / "ket-qua.pdf", [s.YELLOW])]
    with pytest.raises(IllegalTransition, match="Chưa nhận kết quả giải quyết"):
        attachments.attach_result(ctx, dossier.code, scan)
    lifecycle.handover(ctx, dossier.code, "Công chức tư pháp - hộ tịch")
    clock.advance(days=1)
    lifecycle.record_result(ctx, dossier.code, "15/2026/XNTTHN")
    a, _ = attachments.attach_result(ctx, dossier.code, scan)
    assert (a.kind, a.component_position, a.pages) == ("result", None, 1)
    assert a.name and a.type_code == Dossier.get(Dossier.code == dossier.code).dossierresult_set.get().result_code
    assert not Dossier.get(Dossier.code == dossier.code).has_digitised  # that flag is about the components
    component, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "tk.jpg", s.RED)])
    assert [x.id for x in attachments.attachments_of(ctx, dossier.code)] == [component.id, a.id]
    other, _ = attachments.attach_result(ctx, dossier.code, [s.jpeg(tmp_path / "kq.jpg", s.BLUE)], "KQ.G15.000099")
    assert other.type_code == "KQ.G15.000099"
    assert [x.id for x in attachments.attachments_of(ctx, dossier.code)] == [component.id, other.id]


# Reuse ------------------------------------------------------------------------------------------------


def test_an_earlier_paper_is_offered_and_linked_not_copied(ctx, clerk, clock, tmp_path):
    earlier = receive(ctx, procedure="1.000689")  # khai sinh kết hợp nhận cha, mẹ, con
    proof, _ = attachments.attach_component(ctx, earlier.code, "chứng cứ", [s.jpeg(tmp_path / "adn.jpg", s.PURPLE)])
    assert attachments.reusable_for(ctx, "079000000009", "1.001022") == []  # someone else
    [offer] = attachments.reusable_for(ctx, ID, "1.001022")  # nhận cha, mẹ, con: same paper by name
    assert (offer.component_name, offer.attachment.id) == ("Chứng cứ chứng minh quan hệ cha, mẹ, con", proof.id)
    assert offer.attachment.dossier_code == earlier.code

    clock.advance(days=7)
    later = receive(ctx, procedure="1.001022")
    [again] = attachments.reusable_for_dossier(ctx, later.code)
    files, revision_before = files_on_disk(ctx), revision(later.code)
    linked, _ = attachments.reuse(ctx, later.code, again.component_position, again.attachment.id)
    assert linked.sha256 == proof.sha256 and linked.path == proof.path and files_on_disk(ctx) == files
    assert StoredFile.select().count() == 1
    assert (linked.reused, linked.reused_from_code, linked.dossier_code) == (True, earlier.code, later.code)
    assert linked.digitised_at == at("2026-02-20 10:00") and linked.digitised_by == clerk.full_name
    assert Dossier.get(Dossier.code == later.code).has_digitised and revision(later.code) == revision_before + 1
    assert attachments.reusable_for_dossier(ctx, later.code) == []  # already linked: nothing more to offer
    assert dossier_json(ctx, later.code)["attachments"][0]["reused_from"] == earlier.code


def test_reuse_matches_by_component_code_and_follows_back_to_the_first_scan(ctx, clerk, tmp_path):
    first, second, third = receive(ctx), receive(ctx), receive(ctx)
    original, _ = attachments.attach_component(ctx, first.code, 3, [s.jpeg(tmp_path / "so-do.jpg", s.GREEN)])
    offers = attachments.reusable_for(ctx, ID, CONTRACT)
    assert [(o.component_position, o.component_code) for o in offers] == [(3, "2.001035.TP03")]
    via_second, _ = attachments.reuse(ctx, second.code, 3, original.id)
    via_third, _ = attachments.reuse(ctx, third.code, 3, via_second.id)
    assert via_third.reused_from_code == first.code  # DuocTaiSuDung points at the original digitisation
    assert len(attachments.reusable_for(ctx, ID, CONTRACT)) == 1  # one offer per stored file


def test_only_current_valid_papers_of_the_same_person_are_reused(ctx, clerk, clock, tmp_path):
    mine = receive(ctx)
    theirs = receive(ctx, id_number="079000000009", name="Lê Văn Cường")
    replaced, _ = attachments.attach_component(ctx, mine.code, 1, [s.jpeg(tmp_path / "cu.jpg", s.RED)])
    attachments.attach_component(ctx, mine.code, 1, [s.jpeg(tmp_path / "moi.jpg", s.GREEN)])
    expiring, _ = attachments.attach_component(ctx, mine.code, 2, [s.jpeg(tmp_path / "cccd.jpg", s.BLUE)],
                                               valid_until=at("2026-02-20 00:00").date())
    later = receive(ctx)
    with pytest.raises(ValidationError, match="của người khác"):
        attachments.reuse(ctx, theirs.code, 2, expiring.id)
    with pytest.raises(ValidationError, match="đã được thay bằng bản quét mới"):
        attachments.reuse(ctx, later.code, 1, replaced.id)
    with pytest.raises(ValidationError, match="của chính hồ sơ"):
        attachments.reuse(ctx, mine.code, 2, expiring.id)
    with pytest.raises(NotFound):
        attachments.reuse(ctx, later.code, 2, 999)
    assert {o.component_position for o in attachments.reusable_for_dossier(ctx, later.code)} == {1, 2}
    clock.advance(days=8)  # 21/02: the id card scan has expired
    assert {o.component_position for o in attachments.reusable_for_dossier(ctx, later.code)} == {1}
    with pytest.raises(ValidationError, match="đã hết hạn sử dụng ngày 20/02/2026"):
        attachments.reuse(ctx, later.code, 2, expiring.id)


def test_a_paper_whose_file_was_lost_is_not_offered(ctx, clerk, tmp_path):
    earlier = receive(ctx)
    a, _ = attachments.attach_component(ctx, earlier.code, 2, [s.jpeg(tmp_path / "cccd.jpg", s.BLUE)])
    (ctx.data_dir / a.path).unlink()
    later = receive(ctx)
    assert attachments.reusable_for_dossier(ctx, later.code) == []
    with pytest.raises(ValidationError, match="không còn trong thư mục dữ liệu"):
        attachments.reuse(ctx, later.code, 2, a.id)
    again, _ = attachments.attach_component(ctx, later.code, 2, [tmp_path / "cccd.jpg"])  # scanning again repairs it
    assert again.sha256 == a.sha256 and (ctx.data_dir / a.path).exists()


# Restart ----------------------------------------------------------------------------------------------


def test_attachments_survive_a_restart(ctx, clerk, clock, tmp_path):
    dossier = receive(ctx)
    made = [attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "1.jpg", s.RED)])[0],
            attachments.attach_component(ctx, dossier.code, 3, [s.pdf(tmp_path / "3.pdf", [s.GREEN, s.BLUE])])[0]]
    data_dir = ctx.data_dir
    ctx.database.close()

    reopened = open_app(data_dir, clock=clock)
    try:
        assert attachments.attachments_of(ctx, dossier.code) == made
        for a in made:
            assert hashlib.sha256((data_dir / a.path).read_bytes()).hexdigest() == a.sha256
        assert Dossier.get(Dossier.code == dossier.code).has_digitised
    finally:
        reopened.database.close()


def test_pages_added_to_a_scan_follow_its_pages_in_one_pdf(ctx, clerk, tmp_path):
    dossier = receive(ctx)
    first, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "trang-1.jpg", s.RED)])
    both, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "trang-2.jpg", s.GREEN),
                                                                  s.jpeg(tmp_path / "trang-3.jpg", s.BLUE)],
                                           add_pages=True, order=[0, 2, 1])
    assert both.pages == 3 and [a.id for a in attachments.attachments_of(ctx, dossier.code)] == [both.id]
    data = (ctx.data_dir / both.path).read_bytes()
    assert s.colours_match(s.page_colours(data), [s.RED, s.BLUE, s.GREEN])
    everything = attachments.attachments_of(ctx, dossier.code, include_replaced=True)
    assert [(a.id, a.replaced_at is not None) for a in everything] == [(first.id, True), (both.id, False)]


def test_adding_pages_to_nothing_is_a_plain_attach(ctx, clerk, tmp_path):
    dossier = receive(ctx)
    only, _ = attachments.attach_component(ctx, dossier.code, 2, [s.jpeg(tmp_path / "a.jpg", s.RED)], add_pages=True)
    assert only.pages == 1 and only.component_position == 2


def test_adding_pages_to_a_scan_whose_file_was_lost_is_refused_and_changes_nothing(ctx, clerk, tmp_path):
    dossier = receive(ctx)
    first, _ = attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    (ctx.data_dir / first.path).unlink()
    before = snapshot(dossier.code)
    with pytest.raises(ValidationError, match="không thêm trang được"):
        attachments.attach_component(ctx, dossier.code, 1, [s.jpeg(tmp_path / "b.jpg", s.GREEN)], add_pages=True)
    assert snapshot(dossier.code) == before


def test_a_papers_validity_is_recorded_and_an_expired_one_is_not_offered(ctx, clerk, clock, tmp_path):
    first = receive(ctx)
    with pytest.raises(ValidationError, match="chưa có bản số hóa"):
        attachments.set_valid_until(ctx, first.code, 2, at("2026-03-01 00:00").date())
    attachments.attach_component(ctx, first.code, 2, [s.jpeg(tmp_path / "cccd.jpg", s.BLUE)])
    before = revision(first.code)
    marked, _ = attachments.set_valid_until(ctx, first.code, "giấy tờ tùy thân", at("2026-02-20 00:00").date())
    assert marked.valid_until.isoformat() == "2026-02-20" and revision(first.code) == before  # not sent
    later = receive(ctx)
    assert {o.component_position for o in attachments.reusable_for_dossier(ctx, later.code)} == {2}
    clock.advance(days=8)
    assert attachments.reusable_for_dossier(ctx, later.code) == []
    attachments.set_valid_until(ctx, first.code, 2, None)  # no expiry after all
    assert {o.component_position for o in attachments.reusable_for_dossier(ctx, later.code)} == {2}
