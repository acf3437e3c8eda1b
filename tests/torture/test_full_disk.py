"""A full disk (issue 18): the data directory on a small tmpfs the test mounts, filled during a reception, an attach
and a backup. Each ends in "Ổ đĩa đã đầy…", nothing is committed half, the app's context keeps working, and works
again once space is freed. Mounting needs root (as here and in CI); without it the test is skipped — the same
failures injected at the write layer are tests/counter/test_backups.py's and test_attachments_files.py's ENOSPC
tests."""

import contextlib
import errno
import os
import subprocess
import uuid

import pytest

from counter import backups, integrity
from counter.dossiers import reception
from counter.errors import CounterError
from counter.office.users import authenticate
from counter.records import ApplicantInput, DossierDraft
from counter.scans import attachments
from counter.setup import open_demo
from tests.counter import scan_samples as s

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")
FULL = "Ổ đĩa đã đầy"


@pytest.fixture
def disk(tmp_path):
    """A 48 MB tmpfs of the test's own, unmounted after."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the write layer's ENOSPC tests cover it")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


class Filler:
    """Takes the disk's free space, all of it or all but `leave` bytes, and gives it back."""

    def __init__(self, folder):
        self.path = folder / f"filler-{uuid.uuid4().hex}"

    def fill(self, leave: int = 0) -> None:
        with open(self.path, "ab") as f:
            block = b"\0" * 65536
            with contextlib.suppress(OSError):
                while True:
                    f.write(block)
                    f.flush()
            f.flush()
        with contextlib.suppress(OSError), open(self.path, "ab") as f:  # the last partial block
            while True:
                f.write(b"\0" * 512)
                f.flush()
        if leave:
            os.truncate(self.path, max(0, self.path.stat().st_size - leave))

    def free(self) -> None:
        self.path.unlink(missing_ok=True)


@pytest.fixture
def office(disk, tmp_path):
    ctx = open_demo(disk / "data")
    ctx.user = authenticate(ctx, "canbo", "canbo123")
    yield ctx, Filler(disk)
    ctx.database.close()


def draft():
    return DossierDraft(procedure_code="1.004873", applicant=AN)


def counts(ctx):
    rows = ctx.database.execute_sql
    return {name: rows(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for name, table in
            (("dossiers", "dossier"), ("history", "dossier_history"), ("outbox", "outbox_entry"),
             ("scans", "stored_file"), ("attachments", "attachment"))}


def assert_whole(ctx):
    report = integrity.check(ctx, full=True)
    assert report.findings == (), [f.message for f in report.findings]


@pytest.mark.parametrize("leave", [0, 4096, 65536, 262144])
def test_a_reception_on_a_full_disk_says_so_commits_nothing_and_works_once_space_is_freed(office, leave):
    ctx, filler = office
    filler.fill(leave)
    failure = None
    for _ in range(200):  # as many as the space left allows, then the one that does not fit
        before = counts(ctx)
        try:
            reception.receive_dossier(ctx, draft())
        except CounterError as e:
            failure = e
            break
    assert failure is not None and str(failure).startswith(FULL), failure
    assert "\n" not in str(failure)
    assert counts(ctx) == before  # nothing of the refused dossier
    filler.free()
    assert_whole(ctx)
    reception.receive_dossier(ctx, draft())  # the same context works again
    assert counts(ctx)["dossiers"] == before["dossiers"] + 1
    assert_whole(ctx)


@pytest.mark.parametrize("leave", [0, 8192, 65536])
def test_an_attach_on_a_full_disk_says_so_stores_nothing_and_works_once_space_is_freed(office, tmp_path, leave):
    ctx, filler = office
    dossier, _ = reception.receive_dossier(ctx, draft())
    page = s.jpeg(tmp_path / "page.jpg", s.RED, size=s.A4_200DPI)  # ~ a few hundred kB as a PDF
    filler.fill(leave)
    before = counts(ctx)
    with pytest.raises(CounterError) as refused:
        attachments.attach_component(ctx, dossier.code, None, [page])
    assert str(refused.value).startswith(FULL)
    assert counts(ctx) == before
    assert not list(ctx.data_dir.glob("files/**/*.pdf")) and not list(ctx.data_dir.glob("files/**/.tmp-*"))
    filler.free()
    assert_whole(ctx)
    attachments.attach_component(ctx, dossier.code, None, [page])
    assert counts(ctx)["scans"] == before["scans"] + 1
    assert_whole(ctx)


def test_a_backup_onto_a_full_disk_says_so_keeps_nothing_half_and_works_once_space_is_freed(office, tmp_path):
    ctx, filler = office
    for colour in (s.RED, s.BLUE):
        dossier, _ = reception.receive_dossier(ctx, draft())
        attachments.attach_component(ctx, dossier.code, None, [s.jpeg(tmp_path / "p.jpg", colour)])
    destination = filler.path.parent / "usb"
    destination.mkdir()
    filler.fill(65536)  # the database has room to spare for none of it: the backup does not fit
    with pytest.raises(CounterError) as refused:
        backups.make_backup(ctx, destination)
    assert str(refused.value).startswith(FULL), refused.value
    assert backups.backups_in(destination, backups.series_name(ctx)) == []
    assert not [p for p in destination.iterdir() if p.name != backups.SCANS_DIR]  # no half-written folder
    assert counts(ctx)["dossiers"] == 2  # the context still reads while the disk is full
    filler.free()
    assert_whole(ctx)
    record = backups.make_backup(ctx, destination)
    assert record.verified and record.counts["dossiers"] == 2 and record.counts["scans"] == 2
    assert backups.verify_backup(record.path) == []


def test_the_filler_really_fills(disk):
    filler = Filler(disk)
    filler.fill()
    with pytest.raises(OSError) as full, open(disk / "one-more", "wb") as f:
        f.write(b"x" * 8192)
        f.flush()
        os.fsync(f.fileno())
    assert full.value.errno == errno.ENOSPC
    filler.free()
