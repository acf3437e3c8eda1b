"""What a writer killed mid-attach leaves in the scans store is removed at the next start (counter.scans.leftovers);
a file a committed row names never is."""

import hashlib
import os
import subprocess
import sys
import time

import pytest

from counter import integrity
from counter.dossiers import reception
from counter.records import ApplicantInput, DossierDraft
from counter.scans import attachments, leftovers
from counter.scans import store as scan_store
from counter.setup import open_app
from tests.counter import scan_samples as s

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")


def age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def dead_pid():
    return subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()


def orphan(ctx, text: bytes):
    sha256 = hashlib.sha256(text).hexdigest()
    scan_store.put(ctx.data_dir, sha256, text, b"png")
    return [scan_store.file_path(ctx.data_dir, sha256), scan_store.thumbnail_path(ctx.data_dir, sha256)]


@pytest.mark.sqlite_only(reason="open_app's clean of the scans store at start (where scans live in office mode is "
                                "another part of issue 20)")
def test_the_next_start_removes_what_a_killed_attach_left_and_keeps_the_rest(ctx, clerk, tmp_path):
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN))
    attachment, _ = attachments.attach_component(ctx, dossier.code, None, [s.jpeg(tmp_path / "a.jpg", s.RED)])
    kept = scan_store.file_path(ctx.data_dir, attachment.sha256)
    age(kept, 10 * scan_store.STRAY_AFTER_SECONDS)  # old, and named by a row: never removed
    old = orphan(ctx, b"%PDF-1.4 renamed into place, never committed")
    for path in old:
        age(path, scan_store.IN_FLIGHT_SECONDS + 5)
    young = orphan(ctx, b"%PDF-1.4 another process is about to commit")
    folder = kept.parent
    dead = folder / f".tmp-{dead_pid()}-a.pdf"
    live = folder / f".tmp-{os.getpid()}-b.pdf"
    ancient = folder / ".tmp-old.pdf"  # an earlier version's name: its age tells
    for path in (dead, live, ancient):
        path.write_bytes(b"%PD")
    age(ancient, scan_store.STRAY_AFTER_SECONDS + 5)
    ctx.database.close()

    again = open_app(ctx.data_dir)  # the next start
    try:
        assert all(not p.exists() for p in (*old, dead, ancient))
        assert all(p.exists() for p in (kept, *young, live))
        assert not old[0].parent.exists() or old[0].parent == folder  # folders it left empty are gone
        report = integrity.check(again, full=True)
        assert report.findings == ()  # the young orphan and the live writer's file are no finding
        assert leftovers.clean(again) == []
        live.unlink()
        assert leftovers.clean(again, now=time.time() + scan_store.IN_FLIGHT_SECONDS + 5) == young
    finally:
        again.database.close()


@pytest.mark.sqlite_only(reason="open_app's clean of the scans store at start (where scans live in office mode is "
                                "another part of issue 20)")
def test_a_scan_attached_while_cleaning_is_not_taken_for_an_orphan(ctx, clerk, tmp_path, monkeypatch):
    """The folder is listed before the rows are read: a file committed in between is known, not removed."""
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN))
    listed = scan_store.list_store

    def attach_meanwhile(data_dir):
        attachments.attach_component(ctx, dossier.code, None, [s.jpeg(tmp_path / "b.jpg", s.BLUE)])
        return listed(data_dir)  # the file is listed; rows read before the listing would not name it

    monkeypatch.setattr(scan_store, "list_store", attach_meanwhile)
    (ctx.data_dir / "files").mkdir(exist_ok=True)
    orphan(ctx, b"%PDF-1.4 so that the store is not empty")
    removed = leftovers.clean(ctx, now=time.time() + 10 * scan_store.STRAY_AFTER_SECONDS)
    monkeypatch.undo()
    assert len(removed) == 2 and integrity.check(ctx, full=True).findings == ()
