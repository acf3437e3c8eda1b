"""Logging to a rotating file in the data directory (and to stderr for warnings). No full ID-card number reaches
the file: `MaskIdNumbers` rewrites every 12-digit number in a record (message, arguments and traceback)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from counter.text import mask_ids


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


def setup_logging(data_dir: Path, level: int = logging.INFO) -> None:
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(log_dir / "quaymotcua.log", maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskIdNumbers())
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
