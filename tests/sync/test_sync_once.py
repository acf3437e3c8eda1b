"""sync_once against the real reference server: exactly once through faults, cuts, poison and cancel."""

import random

import pytest

from counter.dossiers import lifecycle
from counter.sync import lock
from counter.sync.batch import sync_once
from counter.sync.payload import national_date
from counter.sync.settings import SettingsMissing
from db.models import DossierHistory, OutboxEntry
from devtools.provincial_server import ProvincialServer
from devtools.provincial_server.validate import known_procedures
from tests.sync.conftest import CREDENTIALS, configure, receive

UNIT = "Công chức Tư pháp - Hộ tịch"


@pytest.fixture
def worked(ctx, clerk, province):
    """Five dossiers, each received and handed over: 5 dossier entries and 10 steps."""
    configure(ctx, province)
    codes = [receive(ctx).code for _ in range(5)]
    ctx.clock.advance(minutes=5)
    for code in codes:
        lifecycle.handover(ctx, code, UNIT)
    return codes


def once(ctx, **kw):
    return sync_once(ctx, rng=random.Random(1), **kw)


def until_complete(ctx, runs: int = 20):
    for _ in range(runs):
        report = once(ctx)
        if report.complete:
            return report
        ctx.clock.advance(hours=2)  # past any backoff
    raise AssertionError(f"still waiting: {report.waiting}")


def assert_province_matches_local(province):
    """Every local dossier and step is at the province exactly once, and nothing else is."""
    state = province.state()
    codes = [d["MaHoSo"] for d in state["dossiers"]]
    steps = [(s["MaHoSo"], s["ThoiDiemXuLy"], s["TrangThai"]) for s in state["steps"]]
    local_steps = [(h.dossier.code, national_date(h.at), str(h.to_status))
                   for h in DossierHistory.select().where(DossierHistory.action != "province_update")]
    local_codes = [e.key for e in OutboxEntry.select().where(OutboxEntry.kind == "dossier")]
    assert sorted(codes) == sorted(local_codes) and len(set(codes)) == len(codes)
    assert sorted(steps) == sorted(local_steps) and len(set(steps)) == len(steps)
    for d in state["dossiers"]:
        assert d["DonViXuLy"] == UNIT and d["TrangThaiHoSo"] == "4"


def test_a_clean_batch_reports_sent_and_confirmed(ctx, worked, province):
    seen = []
    report = once(ctx, progress=lambda done, total: seen.append((done, total)))
    assert report.complete and (report.sent_dossiers, report.sent_steps) == (5, 10)
    assert report.checked and report.sent_today == report.confirmed == 5 and report.unconfirmed == ()
    assert seen[-1] == (15, 15) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert_province_matches_local(province)
    assert report.to_json()["complete"] is True


def test_exactly_once_under_lost_responses(ctx, worked, province):
    province.faults.arm("lose", 6)  # applied at the province, answers lost
    report = until_complete(ctx)
    assert report.confirmed == 5
    assert_province_matches_local(province)


def test_network_cut_mid_batch_then_resumed(ctx, worked, province):
    def cut(done, total):
        if done == 4:
            province.stop_listening()

    first = once(ctx, progress=cut)
    assert not first.complete and "Không kết nối được" in first.stopped_by
    assert 0 < len(province.state()["dossiers"]) < 5 or len(province.state()["steps"]) < 10
    assert len(first.waiting) >= 11
    province.start_listening()
    until_complete(ctx)
    assert_province_matches_local(province)


def test_server_errors_then_recovery(ctx, worked, province):
    province.faults.arm("500", 3)
    first = once(ctx)
    assert "HTTP 500" in first.stopped_by and not first.complete
    assert province.state()["dossiers"] == []
    until_complete(ctx)
    assert_province_matches_local(province)


def test_an_answer_that_is_not_the_provinces_is_not_counted_as_sent(ctx, worked, province):
    province.faults.arm("garble", 2)  # applied, but answered with something that is not {error_code, message}
    first = once(ctx)
    assert "không phải của hệ thống tỉnh" in first.stopped_by and not first.complete
    assert OutboxEntry.get(OutboxEntry.key == worked[0]).state == "pending"
    until_complete(ctx)
    assert_province_matches_local(province)


def test_a_request_hanging_past_the_timeout_leaves_everything_waiting_with_backoff(ctx, worked, province):
    configure(ctx, province, timeout="1")
    province.faults.arm("hang", 1)
    first = once(ctx)
    assert not first.complete and first.stopped_by and province.state()["dossiers"] == []
    entry = OutboxEntry.get(OutboxEntry.key == worked[0])
    assert entry.state == "pending" and entry.attempts == 1 and entry.next_attempt_at > ctx.clock.now()
    assert len(first.waiting) == 15
    until_complete(ctx)
    assert_province_matches_local(province)


def test_a_captive_portal_sends_nothing_and_says_the_network_wants_a_login(ctx, worked, province):
    province.faults.captive = True
    first = once(ctx)
    assert "Mạng yêu cầu đăng nhập" in first.stopped_by and first.sent_dossiers == first.sent_steps == 0
    assert {e.state for e in OutboxEntry.select()} == {"pending"}
    province.faults.captive = False
    until_complete(ctx)
    assert_province_matches_local(province)


def test_a_slow_link_still_makes_progress(ctx, worked, province):
    province.faults.delay_ms = 120  # every answer 120 ms late, as on a poor mobile link
    report = once(ctx)
    assert report.complete and (report.sent_dossiers, report.sent_steps) == (5, 10)
    assert_province_matches_local(province)


def test_a_poison_dossier_is_reported_and_does_not_block_the_others(ctx, clerk, tmp_path, province_dialect):
    known = known_procedures() - {"1.001193"}
    with ProvincialServer(str(tmp_path / "p.sqlite3"), credentials=CREDENTIALS, known=known,
                          dialect=province_dialect) as province:
        configure(ctx, province)
        poison = receive(ctx, "1.001193")
        good = [receive(ctx).code for _ in range(3)]
        report = once(ctx)
        assert sorted(d["MaHoSo"] for d in province.state()["dossiers"]) == sorted(good)
    assert not report.complete and [i.code for i in report.failed] == [poison.code]
    assert "MaTTHC" in report.failed[0].reason
    assert [i.code for i in report.waiting] == [poison.code]  # its step, held behind it


def test_cancel_stops_between_items_and_the_rest_waits(ctx, worked, province):
    done = []
    report = once(ctx, progress=lambda d, t: done.append(d), cancel=lambda: len(done) >= 4)
    assert report.cancelled and not report.complete
    assert len(province.state()["dossiers"]) + len(province.state()["steps"]) == 3
    until_complete(ctx)
    assert_province_matches_local(province)


def test_missing_settings_and_a_busy_lock(ctx, clerk, province):
    with pytest.raises(SettingsMissing, match="gateway_url"):
        once(ctx)
    configure(ctx, province)
    with lock.sync_lock(ctx.data_dir), pytest.raises(lock.SyncBusy, match="đồng bộ khác"):
        once(ctx)
    assert once(ctx).complete


@pytest.mark.parametrize("province_dialect", ["opencps"])  # a gateway has no log-in
def test_wrong_password_stops_with_the_reason(ctx, clerk, province):
    configure(ctx, province, password="sai")
    receive(ctx)
    report = once(ctx)
    assert "Đăng nhập" in report.stopped_by and len(report.waiting) == 2 and province.state()["dossiers"] == []
