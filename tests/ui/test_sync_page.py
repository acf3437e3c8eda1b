"""The Đồng bộ section against the reference provincial server on loopback: the queue, retry, the
end-of-day batch in the background with its report, cancel, offline and unconfigured states."""

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from counter.changes import dossier_changed
from counter.sync import queue
from counter.sync.outbox import ATTENTION, PENDING, SYNCED
from db.models import OutboxEntry
from tests.sync.conftest import configure, receive
from ui.sync.background import BackgroundSync
from ui.sync.page import SyncPage
from ui.sync.queue_model import HELD
from ui.sync.status_bar import SyncStatusLabel

REFUSED = "Hệ thống tỉnh từ chối: Dữ liệu không hợp lệ: NgayHenTra"


@pytest.fixture
def parts(qtbot, ctx, clerk):
    """The page, its background sync (no timers firing on their own) and the status label."""
    background = BackgroundSync(ctx, interval_ms=3_600_000, first_ms=None)
    page = SyncPage(ctx, background)
    status = SyncStatusLabel(ctx)
    status.follow(background)
    qtbot.addWidget(page)
    qtbot.addWidget(status)
    page.resize(1200, 700)
    page.show()
    yield page, background, status
    background.shutdown()


def texts(page, column=2):
    """A column of the queue as shown, once the read under way (a refresh, a filter chosen) has arrived."""
    settled(page)
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def settled(page, timeout_s: float = 5.0) -> None:
    """Until the page's queue, read on a worker thread (ui/background_read.py), is shown."""
    deadline = time.monotonic() + timeout_s
    while page.reader.busy and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.002)
    assert not page.reader.busy, "the sync queue was not read in time"


def park(code, error=REFUSED):
    OutboxEntry.update(state=ATTENTION, last_error=error, attempts=3).where(
        (OutboxEntry.key == code) & (OutboxEntry.kind == "dossier")).execute()


def run_batch(qtbot, page, background, timeout=20_000):
    """Click "Đồng bộ cuối ngày" and wait for the report; returns how often a 10 ms GUI timer ticked."""
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    with qtbot.waitSignal(background.batch_finished, timeout=timeout) as done:
        page.batch_button.click()
        assert background.batch_running and not page.batch_button.isEnabled()
    timer.stop()
    return done.args[0], len(ticks)


def refreshed(page, qtbot) -> None:
    """The page's queue read again, and shown: it is read on a worker thread (ui/background_read.py)."""
    page.refresh()
    qtbot.waitUntil(lambda: not page.reader.busy)


def test_the_queue_shows_each_entry_state_in_vietnamese_and_filters(parts, ctx, clerk, qtbot):
    page, _, _ = parts
    first, second = receive(ctx), receive(ctx)
    park(second.code)
    refreshed(page, qtbot)
    assert "Cần xử lý" in texts(page) and "Chờ gửi" in texts(page)
    assert texts(page)[0] == "Cần xử lý"  # what needs a person comes first
    assert page.model.index(0, 0).data() == second.code and page.model.index(0, 5).data() == REFUSED
    page.filter.setCurrentIndex(page.filter.findData(ATTENTION))
    assert texts(page) == ["Cần xử lý"]
    page.filter.setCurrentIndex(page.filter.findData(PENDING))
    assert set(texts(page)) == {"Chờ gửi"} and first.code in texts(page, 0)
    assert "Cần xử lý: 1" in page.counts.text()
    assert set(texts(page, 4)) == {"lượt tới"}  # due now: the next sync sends them
    steps = [r for r in range(page.model.rowCount()) if page.model.index(r, 1).data() == "Bước xử lý"]
    assert steps and all(page.model.index(r, 5).data() == HELD for r in steps)  # held until its dossier is sent


def test_retry_one_then_all_makes_refused_entries_due_again(parts, ctx, clerk, qtbot):
    page, _, _ = parts
    first, second = receive(ctx), receive(ctx)
    park(first.code)
    park(second.code)
    refreshed(page, qtbot)
    page.view.selectRow(0)
    assert page.retry_button.isEnabled()
    code = page.selected().code
    page.retry_button.click()
    entry = OutboxEntry.get((OutboxEntry.key == code) & (OutboxEntry.kind == "dossier"))
    assert entry.state == PENDING and entry.attempts == 0 and entry.next_attempt_at == ctx.clock.now()
    assert "sẽ được gửi lại" in page.message.text()
    page.retry_all_button.click()
    assert queue.counts(ctx)[ATTENTION] == 0


def test_a_conflict_is_not_retried_blindly(parts, ctx, clerk, qtbot):
    page, _, _ = parts
    code = receive(ctx).code
    park(code, error="Xung đột: tỉnh đã đổi trạng thái")
    refreshed(page, qtbot)
    page.view.selectRow(0)
    assert page.selected().is_conflict and not page.retry_button.isEnabled()
    queue.retry_all(ctx)
    assert OutboxEntry.get((OutboxEntry.key == code) & (OutboxEntry.kind == "dossier")).state == ATTENTION


def test_the_end_of_day_batch_runs_in_the_background_and_ends_with_the_report(parts, ctx, clerk, province,
                                                                              qtbot, monkeypatch):
    page, background, status = parts
    configure(ctx, province)
    codes = {receive(ctx).code for _ in range(3)}
    province.faults.delay_ms = 30  # long enough for the GUI to tick while the batch waits on the network
    seen = []
    background.progress.connect(lambda done, total: seen.append((done, total)))
    report, ticks = run_batch(qtbot, page, background)
    assert ticks > 0  # the event loop kept running during the batch
    assert report.sent_dossiers == 3 and report.complete and report.checked and report.confirmed == 3
    assert seen and seen[-1][0] == seen[-1][1] > 0
    assert {d["MaHoSo"] for d in province.state()["dossiers"]} == codes
    assert "Hoàn tất" in page.report_view.toPlainText() and "tỉnh xác nhận 3/3" in page.report_view.toPlainText()
    assert texts(page) == [] and page.batch_button.isEnabled()  # the default view: what is not done yet
    page.filter.setCurrentIndex(page.filter.findData(""))
    assert set(texts(page)) == {"Đã đồng bộ"} and set(texts(page, 4)) == {"—"}
    assert status.plain_text().startswith("● Trực tuyến") and "đồng bộ lúc 10:00" in status.plain_text()
    assert not background.running and not ctx.database.is_closed()  # the worker closed its own connection only
    dialog = page.preview_report()
    qtbot.addWidget(dialog)
    assert dialog.job.pdf.startswith(b"%PDF") and dialog.page_count >= 1
    dialog.close()


def test_cancel_stops_the_batch_and_leaves_the_rest_queued(parts, ctx, clerk, province, qtbot):
    page, background, _ = parts
    configure(ctx, province)
    for _ in range(6):
        receive(ctx)
    province.faults.delay_ms = 150
    background.progress.connect(lambda done, total: done >= 1 and page.cancel_button.click())
    with qtbot.waitSignal(background.batch_finished, timeout=20_000) as done:
        page.batch_button.click()
    report = done.args[0]
    assert report.cancelled and report.waiting and "Đã hủy giữa chừng" in page.report_view.toPlainText()
    counts = queue.counts(ctx)
    assert counts[PENDING] > 0 and counts[SYNCED] < counts[PENDING] + counts[SYNCED]


def test_offline_shows_lost_connection_and_the_gui_keeps_running(parts, ctx, clerk, province, qtbot):
    page, background, status = parts
    configure(ctx, province)
    receive(ctx)
    province.stop_listening()
    report, ticks = run_batch(qtbot, page, background)
    assert report.stopped_by and ticks > 0
    assert status.plain_text().startswith("● Mất kết nối") and status.toolTip() == report.stopped_by
    assert "cũ nhất: vừa xong" in status.plain_text()
    assert "Dừng giữa chừng" in page.report_view.toPlainText() and set(texts(page)) == {"Chờ gửi"}


def test_missing_settings_show_not_configured_and_nothing_runs(parts, ctx, clerk):
    page, background, status = parts
    receive(ctx)
    assert status.plain_text().startswith("● Chưa cấu hình đồng bộ")
    assert not background.run_now() and not background.running
    page.batch_button.click()
    assert not background.running and "chưa cấu hình đồng bộ" in page.message.text()


def test_a_change_starts_a_background_sync_soon_after(qtbot, ctx, clerk, province):
    configure(ctx, province)
    background = BackgroundSync(ctx, interval_ms=3_600_000, soon_ms=10, first_ms=None)
    dossier = receive(ctx)
    with qtbot.waitSignal(background.synced, timeout=20_000):
        background.on_changed(dossier_changed(dossier.code))
    assert background.connection.state == "online" and queue.counts(ctx)[PENDING] == 0
    assert not background.run_now() or background.running  # a pass may start again: never two at once
    background.shutdown()


@pytest.mark.parametrize("keep, kept", [("province", 9), ("local", 4)])
def test_a_conflict_is_resolved_from_the_page_in_the_background(parts, ctx, clerk, province, qtbot, keep, kept):
    import httpx

    from counter.dossiers import lifecycle
    from counter.dossiers.lookup import get_dossier
    page, background, _ = parts
    configure(ctx, province)
    code = receive(ctx).code
    lifecycle.handover(ctx, code, "Công chức Tư pháp - Hộ tịch")
    assert run_batch(qtbot, page, background)[0].complete
    lifecycle.handover(ctx, code, "Công chức Địa chính")  # a local change, not yet sent…
    httpx.post(f"{province.url}/_admin/set_status", json={"MaHoSo": code, "TrangThaiHoSo": "9"})  # …and one there
    assert [c.code for c in run_batch(qtbot, page, background)[0].conflicts] == [code]
    refreshed(page, qtbot)
    page.view.selectRow(0)
    assert page.selected().is_conflict and page.keep_province_button.isVisible()
    button = page.keep_province_button if keep == "province" else page.keep_local_button
    with qtbot.waitSignal(page.resolver.finished, timeout=20_000):
        button.click()
        assert not button.isEnabled()  # asking the province: no second click meanwhile
    assert "sẽ gửi ở lượt đồng bộ tới" in page.message.text()
    assert queue.counts(ctx)[ATTENTION] == 0
    assert run_batch(qtbot, page, background)[0].complete
    there = next(d for d in province.state()["dossiers"] if d["MaHoSo"] == code)
    assert there["TrangThaiHoSo"] == str(kept) and int(get_dossier(ctx, code).status) == kept


def test_the_confirmed_entries_are_counted_on_a_worker_and_each_list_reads_newest_first(parts, ctx, clerk, qtbot):
    """"Đã đồng bộ" arrives from the worker thread (the other counts at once); "Tất cả" lists the states in their
    order, the waiting ones latest change first, the confirmed newest first; the confirmed list alone too."""
    page, _, _ = parts
    first, second, third = receive(ctx), receive(ctx), receive(ctx)
    with ctx.bound():
        for n, code in enumerate((first.code, second.code)):
            OutboxEntry.update(state=SYNCED, updated_at=f"2026-02-1{n}T10:00:00+07:00").where(
                (OutboxEntry.kind == "dossier") & (OutboxEntry.key == code)).execute()
    park(third.code)
    refreshed(page, qtbot)
    qtbot.waitUntil(lambda: "Đã đồng bộ: 2" in page.counts.text())
    assert page.synced == 2 and "Cần xử lý: 1" in page.counts.text()
    page.filter.setCurrentIndex(page.filter.findData(""))
    states = texts(page)
    assert states[0] == "Cần xử lý" and states[-2:] == ["Đã đồng bộ", "Đã đồng bộ"]
    assert "Chờ gửi" in states and states.index("Chờ gửi") < states.index("Đã đồng bộ")
    assert texts(page, 0)[-2:] == [second.code, first.code]  # the later confirmed first
    page.filter.setCurrentIndex(page.filter.findData(SYNCED))
    assert texts(page, 0) == [second.code, first.code]
    limited = queue.list_entries(ctx, None, limit=2)  # the limit stops before the confirmed ones are read
    assert [r.code for r in limited][:1] == [third.code] and len(limited) == 2 and limited[1].state == PENDING
