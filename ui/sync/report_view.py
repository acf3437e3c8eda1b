"""The end-of-day report on screen: a headline a clerk reads at a glance, then the details."""

from __future__ import annotations

from html import escape

from counter.clock import local
from counter.sync.queue import KIND_LABELS


def headline(report) -> str:
    """One line: what was sent, what the province confirmed, what is left."""
    parts = [f"Đã gửi {report.sent_dossiers} hồ sơ, {report.sent_steps} bước xử lý",
             (f"tỉnh xác nhận {report.confirmed}/{report.sent_today} hồ sơ gửi trong ngày" if report.checked
              else f"{report.sent_today} hồ sơ gửi trong ngày (chưa tra cứu xác nhận)"),
             f"cần xử lý {len(report.failed)}", f"còn chờ gửi {len(report.waiting)}"]
    return " · ".join(parts)


def verdict(report) -> tuple[str, str]:
    """(text, colour): the outcome in words."""
    if report.cancelled:
        return "Đã hủy giữa chừng: những mục chưa gửi vẫn nằm trong hàng đợi.", "#8a5a00"
    if report.stopped_by:
        return f"Dừng giữa chừng: {report.stopped_by}", "#b00020"
    if report.complete and not report.unconfirmed:
        return "Hoàn tất: tỉnh đã có đủ hồ sơ của máy này.", "#1b7a3a"
    return "Xong, nhưng còn mục cần xem dưới đây.", "#8a5a00"


def report_html(report) -> str:
    text, colour = verdict(report)
    lines = [f"<p style='font-size:13pt'><b style='color:{colour}'>{escape(text)}</b></p>",
             f"<p>{escape(headline(report))}.<br><span style='color:#555'>Lượt đồng bộ "
             f"{local(report.started_at):%H:%M:%S} – {local(report.finished_at):%H:%M:%S} "
             f"ngày {local(report.started_at):%d/%m/%Y}</span></p>"]
    lines += _list("Cần xử lý (tỉnh từ chối hoặc xung đột)",
                   [f"{i.code} ({KIND_LABELS.get(i.kind, i.kind)}): {i.reason}" for i in report.failed])
    lines += _list("Tỉnh chưa xác nhận", list(report.unconfirmed))
    lines += _list("Còn chờ gửi", [f"{i.code} ({KIND_LABELS.get(i.kind, i.kind)})"
                                   + (f": {i.reason}" if i.reason else "") for i in report.waiting])
    lines += _list("Cập nhật từ tỉnh", [c.describe() for c in report.applied])
    return "".join(lines)


def _list(title: str, items: list[str], limit: int = 20) -> list[str]:
    if not items:
        return []
    shown = "".join(f"<li>{escape(item)}</li>" for item in items[:limit])
    more = f"<li>… và {len(items) - limit} mục khác (xem báo cáo in)</li>" if len(items) > limit else ""
    return [f"<p><b>{escape(title)}: {len(items)}</b></p><ul>{shown}{more}</ul>"]
