"""The Báo cáo screen's exports: the register (Sổ theo dõi hồ sơ, Mẫu 07) and Biểu số 06 of the chosen period, as
PDF or Excel. What runs on the worker (`make`) touches no Qt: it reads the database, lays the file out (reporting
its progress, stopping with `Cancelled` when asked), and writes it whole or not at all (a temporary file beside the
target, renamed over it). A target that cannot be written is refused in Vietnamese before anything is computed."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counter.context import AppContext
from counter.errors import CounterError
from counter.office.profile import get_office
from counter.reports.records import Period
from counter.reports.register import build_register
from counter.reports.stats import compute_stats

KeepGoing = Callable[[int, int], bool]  # progress(done, total) → False to stop


class ExportFailed(CounterError):
    """The file could not be written: its message says why, in Vietnamese."""


@dataclass(frozen=True)
class Export:
    key: str
    label: str  # the menu's text
    shortcut: str
    what: str  # as the messages name the report
    suffix: str  # ".pdf" or ".xlsx"
    name: str  # the file name suggested, before the period's days

    @property
    def file_filter(self) -> str:
        return "PDF (*.pdf)" if self.suffix == ".pdf" else "Excel (*.xlsx)"

    def suggested(self, period: Period, scope_part: str = "") -> str:
        """The file name offered: the report, a centre's scope ("quay-3", "ca-trung-tam"; none on one counter)
        and the period's days."""
        name = f"{self.name}-{scope_part}" if scope_part else self.name
        return f"{name}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}{self.suffix}"


EXPORTS = (
    Export("register_pdf", "Sổ theo dõi hồ sơ (Mẫu 07) ra &PDF…", "Ctrl+1", "sổ theo dõi hồ sơ (Mẫu 07)", ".pdf",
           "so-theo-doi-ho-so"),
    Export("register_xlsx", "Sổ theo dõi hồ sơ (Mẫu 07) ra &Excel…", "Ctrl+2", "sổ theo dõi hồ sơ (Mẫu 07)",
           ".xlsx", "so-theo-doi-ho-so"),
    Export("stats_pdf", "Biểu số 06 ra P&DF…", "Ctrl+3", "Biểu số 06", ".pdf", "bieu-06"),
    Export("stats_xlsx", "Biểu số 06 ra E&xcel…", "Ctrl+4", "Biểu số 06", ".xlsx", "bieu-06"),
)
BY_KEY = {e.key: e for e in EXPORTS}


def target_problem(path: Path) -> str | None:
    """Why `path` cannot be written, in one Vietnamese sentence; None when it can (as far as one can tell)."""
    if path.is_dir():
        return f"{path} là một thư mục: hãy chọn một tệp."
    folder = path.parent
    if not folder.is_dir():
        return f"Thư mục {folder} không tồn tại: hãy chọn nơi khác."
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"Không ghi được vào {path}: không có quyền ghi."
    return None


def write_whole(path: Path, data: bytes) -> None:
    """`data` at `path` whole or not at all; an ExportFailed in Vietnamese when it cannot be written."""
    problem = target_problem(path)
    if problem is not None:
        raise ExportFailed(problem)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        reason = "ổ đĩa đã đầy" if exc.errno == errno.ENOSPC else (
            "không có quyền ghi" if exc.errno in (errno.EACCES, errno.EPERM) else (exc.strerror or str(exc)))
        raise ExportFailed(f"Không ghi được vào {path}: {reason}.") from None


def make(ctx: AppContext, key: str, period: Period, path: Path, keep_going: KeepGoing,
         workstation: int | None = None) -> Path:
    """The report `key` of `period` written to `path` (on the worker): of the whole centre, or with `workstation`
    of that counter's dossiers (office mode's Quầy của tôi; the file says which). `Cancelled` when `keep_going`
    says stop: then nothing is written. The file formats' modules (reportlab, openpyxl: 0.2–0.3 s to import) are
    imported by the first export, on the worker, not with the main window."""
    from printing.register_pdf import Cancelled, build_register_pdf
    from printing.register_xlsx import build_register_xlsx
    from printing.stats_pdf import build_stats_pdf
    from printing.stats_xlsx import build_stats_xlsx

    if key.startswith("register"):
        register = build_register(ctx, start=period.start, end=period.end, workstation=workstation)
        if key == "register_pdf":
            data = build_register_pdf(register, progress=keep_going)
        else:
            data = build_register_xlsx(register, progress=keep_going)
    else:
        stats, office = compute_stats(ctx, period, workstation=workstation), get_office(ctx)
        data = build_stats_pdf(stats, office) if key == "stats_pdf" else build_stats_xlsx(stats, office)
    if not keep_going(1, 1):  # cancelled while the last page was laid out: nothing written
        raise Cancelled
    write_whole(path, data)
    return path
