"""What a writer killed mid-attach left in the scans store, removed at the next start of the app (`open_app`).

An attach writes its file to a temporary name, renames it into place, then commits the row that names it (the file
before the row: a kill never leaves a row without its file). A kill therefore leaves at most a temporary file of a
dead writer, or a whole file no row names. `clean` removes those that are surely left behind (counter.scans.store:
`is_stray_temp`, and files no row names older than `IN_FLIGHT_SECONDS`), reading the rows after listing the folder,
so a file a committed row names is never removed. A younger file no row names stays: another process may be about
to commit it; the integrity check does not count it either, and a later start removes it if no row came.

In office mode (PostgreSQL, counter.scans.blobs) the store is this PC's cache of the centre's blobs, and
`open_office_database` cleans it the same way: the attach writes its row and its blob in the attach's transaction,
so a killed one left only this PC's file, which no row of the centre names. Only the files listed are looked up
(a few hundred names at a time), not every row of a centre's table.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from counter.context import AppContext, bound
from counter.scans import store
from db.models import StoredFile

log = logging.getLogger(__name__)


@bound
def clean(ctx: AppContext, now: float | None = None) -> list[Path]:
    """Remove the stray temporary files and the orphans of the store; returns what was removed."""
    data_dir = Path(ctx.data_dir)
    now = time.time() if now is None else now
    listing = store.list_store(data_dir)  # before the rows: a file committed meanwhile is then known
    if not listing.stored and not listing.partial:
        return []
    removed = [p for p in listing.partial if store.is_stray_temp(p, now)]
    known = _named(list(listing.stored))
    removed += [p for sha256, paths in listing.stored.items() if sha256 not in known for p in paths
                if not store.is_in_flight(p, now)]
    store.discard(removed)  # and the folders left empty
    if removed:
        log.info("removed %d file(s) an interrupted attach left in the scans store", len(removed))
    return removed


CHUNK = 500  # names looked up per query


def _named(sha256s: list[str]) -> set[str]:
    """Which of `sha256s` a stored file row names."""
    known: set[str] = set()
    for i in range(0, len(sha256s), CHUNK):
        part = sha256s[i:i + CHUNK]
        known.update(row.sha256 for row in StoredFile.select(StoredFile.sha256).where(StoredFile.sha256.in_(part)))
    return known
