"""Logging to a rotating file in the data directory (and to stderr for warnings); the folders 0700 and every log
file 0600 (db.private)."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

from db.private import open_private, private_dir, private_file

LOG_FILE = "quaymotcua.log"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files, the first one and each one started at a rollover, are readable by the owner
    only."""

    def _open(self) -> io.TextIOWrapper:
        fd = open_private(Path(self.baseFilename), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(data_dir: Path, level: int = logging.INFO) -> None:
    private_dir(data_dir)
    log_dir = private_dir(data_dir / "logs")
    for old in log_dir.glob(LOG_FILE + "*"):  # written by an earlier version, world-readable
        private_file(old)
    handler = PrivateRotatingFileHandler(log_dir / LOG_FILE, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
