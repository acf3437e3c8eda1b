"""BÁO CÁO ĐỒNG BỘ HỒ SƠ VỚI HỆ THỐNG TỈNH: the end-of-day batch, printed or saved as the record of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from reportlab.platypus import Flowable, Paragraph

from counter.clock import local
from counter.records import Office
from counter.status import Status
from printing import blocks
from printing.document import LEFT_MARGIN, MARGIN, PAGE_WIDTH, SectionMark, render
from printing.header import national_header
from printing.markup import esc
from printing.styles import styles

TITLE = "BÁO CÁO ĐỒNG BỘ HỒ SƠ VỚI HỆ THỐNG TỈNH"
KINDS = {"dossier": "Hồ sơ", "step": "Bước xử lý", "attachment": "Tệp đính kèm"}
WIDTH = PAGE_WIDTH - LEFT_MARGIN - MARGIN


# What the report reads of counter.sync.batch's records, named here because printing/ reads counter's
# records only (tests/test_layering.py): SyncReport, Issue and StatusChange match these shapes.
class Issue(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def reason(self) -> str: ...


class StatusChange(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def local(self) -> int: ...
    @property
    def province(self) -> int: ...


class SyncReport(Protocol):
    @property
    def started_at(self) -> datetime: ...
    @property
    def finished_at(self) -> datetime: ...
    @property
    def agency_id(self) -> str: ...
    @property
    def sent_dossiers(self) -> int: ...
    @property
    def sent_steps(self) -> int: ...
    @property
    def failed(self) -> Sequence[Issue]: ...
    @property
    def waiting(self) -> Sequence[Issue]: ...
    @property
    def applied(self) -> Sequence[StatusChange]: ...
    @property
    def conflicts(self) -> Sequence[StatusChange]: ...
    @property
    def sent_today(self) -> int: ...
    @property
    def confirmed(self) -> int: ...
    @property
    def unconfirmed(self) -> Sequence[str]: ...
    @property
    def checked(self) -> bool: ...
    @property
    def stopped_by(self) -> str: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def complete(self) -> bool: ...


def _when(dt: datetime) -> str:
    return f"{local(dt):%H:%M:%S ngày %d/%m/%Y}"


def _issues(heading: str, issues: Sequence[Issue]) -> list[Flowable]:
    if not issues:
        return [blocks.line(heading, "không có")]
    rows = [[esc(i.code), esc(KINDS.get(i.kind, i.kind)), esc(i.reason) or "—"] for i in issues]
    return [blocks.line(heading, f"{len(issues)} mục"),
            blocks.grid(["Mã hồ sơ", "Loại", "Lý do"], rows, [0.34 * WIDTH, 0.14 * WIDTH, 0.52 * WIDTH])]


def _changes(heading: str, changes: Sequence[StatusChange]) -> list[Flowable]:
    if not changes:
        return []
    rows = [[esc(c.code), esc(Status(c.local).label), esc(Status(c.province).label)] for c in changes]
    return [blocks.line(heading, f"{len(changes)} hồ sơ"),
            blocks.grid(["Mã hồ sơ", "Trạng thái tại máy", "Trạng thái tại tỉnh"], rows, [WIDTH / 3] * 3)]


def build_sync_report(report: SyncReport, office: Office, *, invariant: bool = False) -> bytes:
    """`report` is a counter.sync.batch.SyncReport."""
    st = styles()
    confirmed = (f"<b>{report.confirmed}</b>/{report.sent_today}" if report.checked
                 else f"chưa tra cứu ({report.sent_today} hồ sơ gửi trong ngày)")
    story = [
        SectionMark(f"Báo cáo đồng bộ {local(report.started_at):%d/%m/%Y}"),
        national_header(office, report.finished_at),
        *blocks.title(TITLE, f"Lượt đồng bộ từ {_when(report.started_at)} đến {_when(report.finished_at)}"),
        blocks.line("Cơ quan:", f"{esc(office.office_name)} (mã định danh {esc(report.agency_id)})"),
        blocks.line("Đã gửi trong lượt này:", f"<b>{report.sent_dossiers}</b> hồ sơ, <b>{report.sent_steps}</b> "
                                             "bước xử lý"),
        blocks.line("Hệ thống tỉnh xác nhận (hồ sơ gửi trong ngày):", confirmed),
    ]
    if report.unconfirmed:
        story.append(blocks.line("Tỉnh chưa xác nhận:", esc(", ".join(report.unconfirmed))))
    if report.stopped_by or report.cancelled:
        reason = report.stopped_by or "người dùng dừng lượt đồng bộ"
        story.append(blocks.line("Lượt đồng bộ dừng giữa chừng:", esc(reason)))
    story += _issues("Cần xử lý (bị từ chối hoặc xung đột):", report.failed)
    story += _issues("Còn chờ gửi:", report.waiting)
    story += _changes("Cập nhật trạng thái từ hệ thống tỉnh:", report.applied)
    story += _changes("Xung đột phát hiện trong lượt này:", report.conflicts)
    story.append(Paragraph("Kết luận: " + ("mọi hồ sơ đã được đồng bộ." if report.complete
                                            else "còn hồ sơ chưa đồng bộ, cần theo dõi."), st.body))
    story.append(blocks.signatures(None, ("NGƯỜI LẬP BÁO CÁO", "")))
    return render(story, title=f"{TITLE} {local(report.started_at):%d/%m/%Y}", office=office,
                  invariant=invariant)
