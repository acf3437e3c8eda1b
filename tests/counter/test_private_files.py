"""The data directory is readable by its owner only (Linux): 0700 folders; the database and its -wal/-shm, the
logs, issued.json, key files and backups 0600 — created so, and tightened when an earlier version left them open."""

import logging
import os
import stat
import sys

import pytest

from counter.logsetup import setup_logging
from counter.office import code_ledger
from counter.setup import DB_FILE, open_app, open_demo
from counter.sync import settings
from db.backup import backup_file, backup_path
from tests.counter.lifecycle_steps import receive

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Windows: the per-user data folder is private")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """As on a usual desktop: new files world-readable unless the app says otherwise."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def logging_to(tmp_path):
    """setup_logging's handler removed again after the test."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in root.handlers[len(before):]:
        root.removeHandler(handler)
        handler.close()


@pytest.mark.sqlite_only(reason="the data folder's SQLite file and its permissions (a PostgreSQL database has no "
                                "file in the data folder)")
def test_a_new_data_directory_and_what_the_app_writes_in_it_are_private(tmp_path, clock, logging_to):
    data_dir = tmp_path / "nested" / "data"
    setup_logging(data_dir)
    logging.getLogger("counter.test").warning("một dòng nhật ký")
    ctx = open_demo(data_dir, clock=clock)
    try:
        receive(ctx)
        settings.set_value(ctx, "password", "Mật-khẩu-7391")
        backup = backup_file(ctx.db_path, backup_path(ctx.db_path, "thu", clock.now()))
        assert mode(data_dir) == 0o700
        assert mode(data_dir / "logs") == 0o700 and mode(data_dir / "logs" / "quaymotcua.log") == 0o600
        assert mode(ctx.db_path) == 0o600
        for extra in ("-wal", "-shm"):
            assert mode(ctx.db_path.with_name(DB_FILE + extra)) == 0o600, extra
        assert mode(code_ledger.ledger_path()) == 0o600 and mode(code_ledger.ledger_path().parent) == 0o700
        assert mode(data_dir / "secret.key") == 0o600
        assert mode(backup.parent) == 0o700 and mode(backup) == 0o600
    finally:
        ctx.database.close()


def test_a_rolled_over_log_file_is_private_too(tmp_path, logging_to):
    setup_logging(tmp_path / "data")
    handler = logging.getLogger().handlers[-1]
    handler.doRollover()
    logging.getLogger("counter.test").warning("sau khi xoay vòng")
    logs = sorted((tmp_path / "data" / "logs").iterdir())
    assert [p.name for p in logs] == ["quaymotcua.log", "quaymotcua.log.1"]
    assert all(mode(p) == 0o600 for p in logs)


@pytest.mark.sqlite_only(reason="the data folder's SQLite file and its permissions (a PostgreSQL database has no "
                                "file in the data folder)")
def test_an_installation_left_open_by_an_earlier_version_is_tightened_when_the_app_opens(ctx):
    receive(ctx)
    data_dir = ctx.data_dir
    backup = backup_file(ctx.db_path, backup_path(ctx.db_path, "cu", ctx.clock.now()))
    (data_dir / "logs").mkdir()
    (data_dir / "logs" / "quaymotcua.log.3").write_text("cũ", encoding="utf-8")
    (data_dir / "sync.key").write_bytes(b"k" * 32)
    ctx.database.close()
    loose = [data_dir, backup.parent, data_dir / "logs"]
    for folder in loose:
        os.chmod(folder, 0o755)
    (data_dir / code_ledger.LEGACY_FILE_NAME).write_text("{}", encoding="utf-8")  # beside the database before
    files = [ctx.db_path, backup, data_dir / "logs" / "quaymotcua.log.3", data_dir / "sync.key",
             data_dir / code_ledger.LEGACY_FILE_NAME]
    for path in files:
        os.chmod(path, 0o644)
    again = open_app(data_dir, clock=ctx.clock)
    try:
        assert [mode(folder) for folder in loose] == [0o700] * 3
        assert [mode(path) for path in files] == [0o600] * len(files)
    finally:
        again.database.close()
