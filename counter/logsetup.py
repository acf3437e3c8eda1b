"""Logging to a rotating file in the data directory (and to stderr for warnings); the folders 0700 and every log
file 0600 (db.private). No full ID-card number reaches the file: `MaskIdNumbers` rewrites every 12-digit number
in a record (message, arguments and traceback)."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import platform
from pathlib import Path

from counter import APP_NAME
from counter.text import mask_ids
from counter.version import build_info
from db.private import open_private, private_dir, private_file


class MaskIdNumbers(logging.Filter):
    """A handler's filter: the record's text with each 12-digit number masked as 0381******45."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_ids(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_ids(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_ids(record.stack_info)
        return True


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
    handler.addFilter(MaskIdNumbers())
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    logging.getLogger("counter").info("%s", start_line())


def start_line() -> str:
    """Each run's first line in the log: which build wrote what follows (support reads this first)."""
    info = build_info()
    built = f", bản dựng {info.built}" if info.built else ", chạy từ mã nguồn"
    return f"{APP_NAME} {info.version}{built}; Python {platform.python_version()}, {platform.platform()}"
