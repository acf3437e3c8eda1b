"""Status changes made at the province: applied through history, never over an unsynced local change."""

import random

import httpx
import pytest

from counter.dossiers import lifecycle
from counter.dossiers.lookup import get_dossier
from counter.status import Status
from counter.sync import pull
from counter.sync.batch import sync_once
from db.models import OutboxEntry
from tests.sync.conftest import configure, has_step, receive

UNIT = "Công chức Tư pháp - Hộ tịch"


@pytest.fixture
def synced(ctx, clerk, province):
    """A dossier in progress that the province has, everything acknowledged."""
    configure(ctx, province)
    code = receive(ctx).code
    lifecycle.handover(ctx, code, UNIT)
    assert sync_once(ctx).complete
    return code


def set_status(province, code, status):
    answer = httpx.post(f"{province.url}/_admin/set_status", json={"MaHoSo": code, "TrangThaiHoSo": status}).json()
    assert answer["error_code"] == "0"


def entry(code):
    return OutboxEntry.get((OutboxEntry.kind == "dossier") & (OutboxEntry.key == code))


def province_status(province, code):
    return next(d["TrangThaiHoSo"] for d in province.state()["dossiers"] if d["MaHoSo"] == code)


def test_a_province_change_is_applied_through_history(ctx, synced, province):
    set_status(province, synced, "9")
    ctx.clock.advance(minutes=10)
    report = sync_once(ctx, rng=random.Random(1))
    assert [(c.code, c.local, c.province) for c in report.applied] == [(synced, 4, 9)]
    dossier = get_dossier(ctx, synced)
    last = dossier.history[-1]
    assert dossier.status == Status.RESULT_READY and last.action == "province_update"
    assert last.actor_name == "Hệ thống tỉnh" and last.from_status == Status.IN_PROGRESS
    assert report.complete and entry(synced).sent_status == 9  # nothing queued back to the province
    assert sync_once(ctx).applied == ()  # applied once


def test_push_never_overwrites_a_province_change_it_did_not_see(ctx, synced, province):
    lifecycle.handover(ctx, synced, "Công chức Địa chính")  # local change, not yet sent
    set_status(province, synced, "9")  # meanwhile the province moves the dossier on
    report = sync_once(ctx, rng=random.Random(1))
    assert [(c.code, c.local, c.province) for c in report.conflicts] == [(synced, 4, 9)]
    assert province_status(province, synced) == "9"  # not overwritten
    local = get_dossier(ctx, synced)
    assert local.status == Status.IN_PROGRESS and local.unit == "Công chức Địa chính"
    assert entry(synced).state == "attention" and entry(synced).last_error.startswith("Xung đột: tỉnh đã đổi")
    assert not report.complete and [i.code for i in report.failed] == [synced]
    again = sync_once(ctx, rng=random.Random(1))  # still held: the clerk must decide
    assert province_status(province, synced) == "9" and get_dossier(ctx, synced).status == Status.IN_PROGRESS
    assert [c.code for c in again.conflicts] == [synced]


# A gateway province holds our 5 as 9 (Thanh Hóa's mapping): there, 9 over our pending 5 is what we would send.
@pytest.mark.parametrize("province_dialect", ["opencps"])
def test_pull_records_a_conflict_over_an_unsynced_change_and_keeps_the_local_one(ctx, synced, province, client):
    lifecycle.request_supplement(ctx, synced, [lifecycle.records.GuidanceItem("Tờ khai", "Thiếu chữ ký")],
                                 "Thiếu chữ ký")  # pending locally
    set_status(province, synced, "9")
    report = pull.pull(ctx, client, pull.candidates(ctx))
    assert [(c.local, c.province) for c in report.conflicts] == [(5, 9)] and report.applied == []
    assert get_dossier(ctx, synced).status == Status.SUPPLEMENT
    assert "Xung đột" in entry(synced).last_error


def test_pull_leaves_alone_a_dossier_the_province_did_not_change(ctx, synced, province, client):
    lifecycle.handover(ctx, synced, "Công chức Địa chính")  # pending; the province still has what we sent
    report = pull.pull(ctx, client, pull.candidates(ctx))
    assert report.checked == 1 and report.applied == [] and report.conflicts == []
    assert entry(synced).state == "pending"


def test_only_open_dossiers_the_province_has_are_pulled(ctx, clerk, province):
    configure(ctx, province)
    sent = receive(ctx).code
    assert sync_once(ctx).complete
    unsent = receive(ctx).code
    assert pull.candidates(ctx) == [sent] and pull.candidates(ctx, skip={sent}) == []
    assert unsent not in pull.candidates(ctx)


@pytest.mark.parametrize("keep, status, unit", [("province", "9", "Công chức Địa chính"),
                                                ("local", "4", "Công chức Địa chính")])
def test_the_clerk_resolves_a_conflict(ctx, synced, province, client, keep, status, unit):
    from counter.sync.conflicts import resolve
    lifecycle.handover(ctx, synced, "Công chức Địa chính")
    set_status(province, synced, "9")
    assert sync_once(ctx).conflicts
    resolve(ctx, client, synced, keep=keep)
    assert sync_once(ctx).complete
    there = next(d for d in province.state()["dossiers"] if d["MaHoSo"] == synced)
    assert (there["TrangThaiHoSo"], there["DonViXuLy"]) == (status, unit)
    assert str(int(get_dossier(ctx, synced).status)) == status
    with pytest.raises(Exception, match="không có xung đột"):
        resolve(ctx, client, synced, keep=keep)


def test_the_steps_of_a_dossier_in_conflict_wait_for_the_clerks_decision(ctx, synced, province, client):
    from counter.sync.conflicts import resolve
    lifecycle.handover(ctx, synced, "Công chức Địa chính")  # a step the province has not accepted yet
    set_status(province, synced, "9")
    last = get_dossier(ctx, synced).history[-1]
    step = last.step_uuid
    for _ in range(2):  # the pass that finds the conflict, and the next one
        sync_once(ctx, rng=random.Random(1))
        ctx.clock.advance(hours=2)
        assert not has_step(province, get_dossier(ctx, synced), last)
        assert OutboxEntry.get(OutboxEntry.key == step).state == "pending"
    resolve(ctx, client, synced, keep="local")
    assert sync_once(ctx).complete
    assert has_step(province, get_dossier(ctx, synced), last)


def test_a_limited_pull_takes_turns_through_the_open_dossiers(ctx, clerk, province, client):
    configure(ctx, province)
    codes = [receive(ctx).code for _ in range(5)]
    assert sync_once(ctx).complete
    turns = [pull.candidates(ctx, limit=2) for _ in range(3)]
    assert turns == [codes[0:2], codes[2:4], [codes[4], codes[0]]]  # wraps round, every dossier in its turn
    assert pull.candidates(ctx) == codes  # unlimited: all of them (the end-of-day batch)
    assert sync_once(ctx, confirm=False, pull_limit=2).complete  # a background pass: looks up codes 1 and 2
    assert pull.candidates(ctx, limit=2) == codes[3:5]


def test_a_result_ready_at_the_province_gets_its_number_at_the_desk_before_the_return(ctx, synced, province):
    from counter.dossiers import transitions
    set_status(province, synced, "9")
    ctx.clock.advance(minutes=10)
    sync_once(ctx, rng=random.Random(1))
    dossier = get_dossier(ctx, synced)
    assert dossier.status == Status.RESULT_READY
    allowed = transitions.allowed_actions(dossier, ctx.user)
    assert "record_result" in allowed and "return_result" not in allowed
    assert "chưa ghi số, ký hiệu của kết quả" in str(transitions.refusal("return_result", dossier, ctx.user))
    lifecycle.record_result(ctx, synced, "15/2026")  # from the paper that reached the desk
    assert lifecycle.return_result(ctx, synced)[0].status == Status.RETURNED


@pytest.mark.parametrize("province_dialect", ["opencps"])  # a gateway province sends 5 as 9: no 5 comes back
def test_a_supplement_asked_at_the_province_pauses_the_clock_and_its_end_resumes_it(ctx, synced, province):
    from db.models import DossierPause
    before = get_dossier(ctx, synced).due_at
    set_status(province, synced, "5")
    sync_once(ctx, rng=random.Random(1))
    [pause] = DossierPause.select()
    assert get_dossier(ctx, synced).status == Status.SUPPLEMENT and pause.resumed_at is None
    assert pause.remaining_minutes > 0 and pause.due_before == before
    ctx.clock.advance(days=7)  # the citizen brings the papers to the province a week later
    set_status(province, synced, "4")
    sync_once(ctx, rng=random.Random(1))
    pause = DossierPause.get_by_id(pause.id)
    after = get_dossier(ctx, synced)
    assert after.status == Status.IN_PROGRESS and pause.resumed_at is not None
    assert after.due_at == pause.due_after > before  # the time left counts again from the resumption


@pytest.mark.parametrize("province_dialect", ["gateway"])
def test_a_status_the_province_takes_under_another_code_reads_back_as_unchanged(ctx, synced, province):
    """The gateway profile sends a supplement (5) as 9, as Thanh Hóa's system does: the province then holds 9,
    which is what we sent — neither a change to apply nor a conflict — until it really moves on (10)."""
    lifecycle.request_supplement(ctx, synced, [lifecycle.records.GuidanceItem("Tờ khai", "Thiếu chữ ký")], "Thiếu")
    report = sync_once(ctx, rng=random.Random(1))
    assert report.complete and province_status(province, synced) == "9"
    assert all(s["TrangThai"] != "5" for s in province.state()["steps"])
    assert report.applied == () and report.conflicts == ()
    assert get_dossier(ctx, synced).status == Status.SUPPLEMENT and entry(synced).sent_status == 5
    set_status(province, synced, "10")
    applied = sync_once(ctx, rng=random.Random(1)).applied
    assert [(c.local, c.province) for c in applied] == [(5, 10)]


def test_a_dossier_the_province_now_holds_for_someone_else_is_not_pulled_but_parked(ctx, synced, province, client):
    """Another office (or a database restored from an old backup) sent a different dossier under our code: its
    status is not taken, the entry is parked as a collision, and no later push writes over it."""
    from counter.sync.payload import dossier_payload
    mine = get_dossier(ctx, synced)
    other = {**dossier_payload(mine, office_name="UBND xã khác"), "ChuHoSo": "Lê Văn Khác", "TrangThaiHoSo": "9",
             "SoGiayToChuHoSo": "001099000111", "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "001099000111"}]}
    client.update_dossier(other)
    report = sync_once(ctx, rng=random.Random(1))
    assert report.applied == () and get_dossier(ctx, synced).status == Status.IN_PROGRESS
    assert entry(synced).state == "attention" and entry(synced).last_error.startswith("Trùng mã hồ sơ")
    assert [i.code for i in report.failed] == [synced] and "001099000111" in report.failed[0].reason
    lifecycle.handover(ctx, synced, "Công chức Địa chính")  # a local change queues the dossier again…
    sync_once(ctx, rng=random.Random(1))
    there = next(d for d in province.state()["dossiers"] if d["MaHoSo"] == synced)
    assert there["ChuHoSo"] == "Lê Văn Khác" and entry(synced).last_error.startswith("Trùng mã")  # …never over it
