"""The pragmas DESIGN.md asks for, as an opened database reports them (not as the code lists them)."""

import pytest


@pytest.mark.sqlite_only(reason="the SQLite file's PRAGMAs")
def test_an_opened_database_runs_wal_full_sync_foreign_keys_and_waits_when_busy(ctx):
    database = ctx.database
    assert database.pragma("journal_mode") == "wal"
    assert database.pragma("synchronous") == 2  # FULL: a committed dossier survives a power cut
    assert database.pragma("foreign_keys") == 1
    assert database.pragma("busy_timeout") == 10_000  # a second process queues instead of failing at once
