"""What the board shows, as lookups: today's lists and search results, with their timings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter.calendar import schedule
from counter.calendar.workdays import WorkCalendar
from counter.context import AppContext
from counter.dossiers import board
from counter.records import DossierRow
from ui.board.table_model import LEFT, PHONE, Timing
from ui.dossiers.table_model import DUE, RECEIVED, STATUS

TimedRows = list[tuple[DossierRow, Timing]]


@dataclass(frozen=True)
class BoardList:
    key: str
    title: str
    hint: str  # the tab's tooltip: what the list holds and why it matters
    empty: str  # shown in place of an empty table
    hidden: tuple[int, ...]  # columns this list does not need
    sort_column: int
    descending: bool = False


LISTS = (
    BoardList("received", "Nhận hôm nay", "Hồ sơ tiếp nhận hôm nay, mới nhất trước.",
              "Hôm nay chưa tiếp nhận hồ sơ nào.", (PHONE,), RECEIVED, True),
    BoardList("due_today", "Đến hạn hôm nay", "Hồ sơ phải trả kết quả trước khi hết ngày hôm nay.",
              "Không có hồ sơ nào đến hạn trong hôm nay.", (PHONE,), DUE),
    BoardList("overdue", "Quá hạn", "Hồ sơ đã quá hạn trả kết quả: cần xin lỗi, hẹn lại (Mẫu 04).",
              "Không có hồ sơ nào quá hạn.", (RECEIVED,), DUE),
    BoardList("ready", "Chờ trả kết quả", "Đã có kết quả: gọi điện mời công dân đến nhận.",
              "Không có kết quả nào đang chờ trả.", (STATUS, LEFT), DUE),
    BoardList("supplement", "Chờ bổ sung", "Đang tạm dừng chờ công dân nộp bổ sung giấy tờ.",
              "Không có hồ sơ nào đang chờ bổ sung.", (STATUS, LEFT), DUE),
)
SEARCH = BoardList("search", "Kết quả tìm kiếm", "Hồ sơ tìm được theo nội dung ô tìm kiếm.",
                   "Không tìm thấy hồ sơ nào.", (LEFT,), RECEIVED, True)


def timed(rows: list[DossierRow], now: datetime, cal: WorkCalendar) -> TimedRows:
    return [(row, board.time_left(now, row, cal)) for row in rows]


def load_lists(ctx: AppContext, workstation: int | None = None) -> dict[str, TimedRows]:
    """Today's five lists, as of the context's clock: the centre's, or one counter's (`workstation`)."""
    now, cal = ctx.clock.now(), schedule.calendar(ctx)
    found = {
        "received": board.received_today(ctx, now, workstation=workstation),
        "due_today": board.due_today(ctx, now, workstation=workstation),
        "overdue": board.overdue(ctx, now, workstation=workstation),
        "ready": board.ready_to_return(ctx, workstation=workstation),
        "supplement": board.waiting_supplement(ctx, workstation=workstation),
    }
    return {key: timed(rows, now, cal) for key, rows in found.items()}


def search(ctx: AppContext, text: str) -> TimedRows:
    return timed(board.find(ctx, text), ctx.clock.now(), schedule.calendar(ctx))
