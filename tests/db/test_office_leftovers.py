"""Office mode's opening (counter.setup.open_office_database) cleans what a killed process of this PC left, as the
SQLite opening does: on a real PostgreSQL (this session's throwaway cluster, tests/pg.py), this PC's cache of the
centre's scans loses the files no row of the centre names (a killed attach's) and a dead writer's temporary file,
and keeps every file a row names (its own attach's, one fetched from the server); the code ledger's and a restore's
temporary files go too."""

from __future__ import annotations

import hashlib
import time

from counter.office import code_ledger
from counter.scans import attachments, leftovers
from counter.scans import store as scan_store
from counter.setup import open_office_database
from db.models import StoredFile
from tests.counter import scan_samples as s
from tests.counter.test_scan_leftovers import age, dead_pid, orphan
from tests.db.test_scans_shared import attach, counter_a, counter_b, open_at  # noqa: F401  (the centre's two PCs)
from tests.seeded_centre import seeded_centre  # noqa: F401  (pg_url: the seeded centre)


def test_the_office_opening_removes_what_a_killed_attach_left_in_this_pcs_cache(
        counter_a, counter_b, pg_url, tmp_path, clock, machine_dir):  # noqa: F811
    own = attach(counter_a, tmp_path)  # attached here: in the cache, named by a row
    other = attach(counter_b, tmp_path)  # attached at the other counter, then opened here: fetched into the cache
    fetched = open_at(counter_a, other)
    cache = counter_a.data_dir
    kept = [cache / own.path, cache / own.thumbnail, fetched]
    for path in kept:
        age(path, 10 * scan_store.STRAY_AFTER_SECONDS)  # old, and named by a row of the centre: never removed
    killed = orphan(counter_a, b"%PDF-1.4 renamed into the cache, the attach killed before its commit")
    for path in killed:
        age(path, scan_store.IN_FLIGHT_SECONDS + 5)
    assert StoredFile.select().where(StoredFile.sha256 == hashlib.sha256(
        b"%PDF-1.4 renamed into the cache, the attach killed before its commit").hexdigest()).count() == 0
    young = orphan(counter_a, b"%PDF-1.4 another window of this PC is about to commit")
    dead = kept[0].parent / f".tmp-{dead_pid()}-a.pdf"
    dead.write_bytes(b"%PD")
    ledger_tmp = machine_dir / f"{code_ledger.FILE_NAME}.{dead_pid()}.tmp"
    ledger_tmp.write_text("{")
    restore_tmp = cache / ".khoi-phuc-1234.sqlite3"
    restore_tmp.write_bytes(b"")
    counter_a.database.close()

    again = open_office_database(pg_url, cache, clock=clock)  # this PC's next start
    try:
        assert all(not p.exists() for p in (*killed, dead, ledger_tmp, restore_tmp))
        assert all(p.exists() for p in (*kept, *young))
        again.user = counter_a.user
        assert open_at(again, own).read_bytes() == kept[0].read_bytes()  # still opens from the cache
        assert leftovers.clean(again) == []
        assert leftovers.clean(again, now=time.time() + scan_store.IN_FLIGHT_SECONDS + 5) == young
    finally:
        again.database.close()


def test_the_clean_looks_up_only_the_files_listed_in_chunks(counter_a, tmp_path, monkeypatch):  # noqa: F811
    """More files than one query names: each chunk asked, every named file kept, every orphan removed."""
    scans = [attach(counter_a, tmp_path, colour) for colour in (s.RED, s.GREEN, s.BLUE)]
    orphans = [p for i in range(4) for p in orphan(counter_a, f"%PDF-1.4 orphan {i}".encode())]
    for path in orphans:
        age(path, scan_store.IN_FLIGHT_SECONDS + 5)
    monkeypatch.setattr(leftovers, "CHUNK", 2)
    removed = leftovers.clean(counter_a)
    assert sorted(removed) == sorted(orphans)
    assert all(attachments.local_file(counter_a, s.sha256, s.size, s.name).exists() for s in scans)
