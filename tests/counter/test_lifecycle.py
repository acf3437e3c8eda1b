"""The transition table, every legal and illegal transition through the real intents, and atomicity."""

import pytest

from counter.dossiers import lifecycle, transitions
from counter.dossiers.lookup import get_dossier
from counter.dossiers.transitions import TRANSITIONS, allowed_actions
from counter.errors import IllegalTransition
from counter.status import Status
from db.models import DossierHistory, OutboxEntry
from tests.counter.lifecycle_steps import (
    CALLS,
    CERTIFIED_COPIES,
    UNIT,
    dossier_in,
    dossier_revision,
    login,
    receive,
    snapshot,
    walk,
)

# The lifecycle as specified (domain.md §3, DESIGN.md "Lifecycle"), spelt out independently of the table.
EXPECTED = {
    "handover": {(2, 4), (4, 4)},
    "request_supplement": {(4, 5)},
    "receive_supplement": {(5, 4)},
    "request_payment": {(4, 6), (9, 6)},
    "record_payment": {(6, 4), (6, 9)},
    "record_result": {(4, 9), (9, 9)},  # (9, 9): a "ready" set by the province, its number written at the desk
    "return_result": {(9, 10)},
    "rate_service": {(10, 10)},
    "apologise": {(2, 2), (4, 4), (6, 6)},
    "withdraw": {(2, 7), (4, 7), (5, 7), (6, 7)},
    "stop": {(2, 8), (4, 8), (5, 8), (6, 8)},
}
CASES = [(action, status) for action in EXPECTED for status in Status]


def legal(action: str, status: Status) -> bool:
    return any(source == status for source, _ in EXPECTED[action])


def test_the_table_is_the_specified_lifecycle():
    assert {action: {(int(a), int(b)) for a, b in pairs} for action, pairs in TRANSITIONS.items()} == EXPECTED
    assert set(transitions.ACTION_LABELS) >= set(TRANSITIONS)


@pytest.mark.parametrize("action, source, target", [(a, s, t) for a, pairs in TRANSITIONS.items() for s, t in pairs])
def test_check_accepts_every_pair_of_the_table(action, source, target):
    assert transitions.check(action, source, target) == target
    others = {t for s, t in TRANSITIONS[action] if s == source}
    if len(others) == 1:
        assert transitions.check(action, source) == target


@pytest.mark.parametrize("action, status", [(a, s) for a in TRANSITIONS for s in Status
                                            if s not in transitions.sources(a)])
def test_check_refuses_every_status_outside_the_table(action, status):
    with pytest.raises(IllegalTransition, match=f"“{status.label}”"):
        transitions.check(action, status)


# A result recorded at 9 is the province's case (tests/sync/test_pull.py): here 9 is reached by recording one.
PROVINCE_CASE = ("record_result", Status.RESULT_READY)


@pytest.mark.parametrize("action, status", [c for c in CASES if legal(*c) and c != PROVINCE_CASE])
def test_every_legal_transition_writes_one_history_row_and_bumps_the_outbox(ctx, action, status):
    login(ctx, "lanhdao")  # a leader may do everything, the apology included
    dossier = dossier_in(ctx, status)
    revision = dossier_revision(dossier.code)
    steps = OutboxEntry.select().where(OutboxEntry.kind == "step").count()

    after, _ = CALLS[action](ctx, dossier.code)

    assert (int(status), int(after.status)) in EXPECTED[action]
    new = after.history[len(dossier.history):]
    assert [(h.action, h.from_status, h.to_status) for h in new] == [(action, status, after.status)]
    assert new[0].actor_name == "Trần Văn Minh" and new[0].at == ctx.clock.now()
    assert DossierHistory.select().count() == len(after.history)
    assert dossier_revision(dossier.code) == revision + 1
    assert OutboxEntry.select().where(OutboxEntry.kind == "step").count() == steps + 1
    assert OutboxEntry.get((OutboxEntry.kind == "step") & (OutboxEntry.key == new[0].step_uuid)).state == "pending"
    assert after.updated_at == ctx.clock.now()
    assert get_dossier(ctx, dossier.code) == after


@pytest.mark.parametrize("status", list(Status))
def test_every_illegal_transition_is_refused_and_writes_nothing(ctx, status):
    login(ctx, "lanhdao")
    dossier = dossier_in(ctx, status)
    before = snapshot()
    illegal = [action for action in EXPECTED if not legal(action, status)]
    assert illegal, "every status forbids something"
    for action in illegal:
        with pytest.raises(IllegalTransition) as error:
            CALLS[action](ctx, dossier.code)
        assert str(error.value).startswith("Không thể "), action
        assert str(error.value).endswith(f"hồ sơ đang ở trạng thái “{status.label}”."), action
        assert snapshot() == before, action


@pytest.mark.parametrize("action, status, message", [
    ("return_result", Status.IN_PROGRESS, "Không thể trả kết quả: hồ sơ đang ở trạng thái “Đang xử lý”."),
    ("record_result", Status.RECEIVED, "Không thể nhận kết quả giải quyết: hồ sơ đang ở trạng thái “Được tiếp nhận”."),
    ("handover", Status.RESULT_READY, "Không thể chuyển xử lý: hồ sơ đang ở trạng thái “Đã xử lý xong”."),
    ("withdraw", Status.RETURNED, "Không thể rút hồ sơ: hồ sơ đang ở trạng thái “Đã trả kết quả”."),
    ("stop", Status.REFUSED, "Không thể dừng xử lý: hồ sơ đang ở trạng thái “Không được tiếp nhận”."),
    ("request_supplement", Status.SUPPLEMENT,
     "Không thể yêu cầu bổ sung hồ sơ: hồ sơ đang ở trạng thái “Yêu cầu bổ sung giấy tờ”."),
    ("rate_service", Status.RESULT_READY,
     "Không thể đánh giá mức độ hài lòng: hồ sơ đang ở trạng thái “Đã xử lý xong”."),
    ("apologise", Status.SUPPLEMENT,
     "Không thể xin lỗi và hẹn lại ngày trả: hồ sơ đang ở trạng thái “Yêu cầu bổ sung giấy tờ”."),
    ("record_payment", Status.IN_PROGRESS,
     "Không thể ghi nhận đã nộp phí, lệ phí: hồ sơ đang ở trạng thái “Đang xử lý”."),
])
def test_key_illegal_cases_say_what_and_why_in_vietnamese(ctx, action, status, message):
    login(ctx, "lanhdao")
    dossier = dossier_in(ctx, status)
    with pytest.raises(IllegalTransition) as error:
        CALLS[action](ctx, dossier.code)
    assert str(error.value) == message


@pytest.mark.parametrize("steps, status", [
    (["handover"], Status.IN_PROGRESS),
    (["handover", "handover"], Status.IN_PROGRESS),
    (["handover", "request_supplement", "receive_supplement"], Status.IN_PROGRESS),
    (["handover", "request_payment", "record_payment"], Status.IN_PROGRESS),
    (["handover", "record_result", "request_payment", "record_payment"], Status.RESULT_READY),
    (["handover", "record_result", "return_result", "rate_service"], Status.RETURNED),
    (["apologise", "handover", "withdraw"], Status.WITHDRAWN),
    (["handover", "request_supplement", "stop"], Status.STOPPED),
])
def test_key_legal_walks(ctx, steps, status):
    login(ctx, "lanhdao")
    dossier = walk(ctx, dossier_in(ctx, Status.RECEIVED).code, steps)
    assert dossier.status == status
    assert [h.action for h in dossier.history] == ["receive", *steps]


def test_handover_moves_the_unit_and_back_to_the_desk(ctx, clerk):
    received = dossier_in(ctx, Status.RECEIVED)
    desk, code = received.unit, received.code
    d, _ = lifecycle.handover(ctx, code, UNIT)
    d, _ = lifecycle.handover(ctx, code, "Công chức Địa chính")
    d, _ = lifecycle.handover(ctx, code, desk, note="Trả về bộ phận một cửa để hướng dẫn bổ sung")
    assert d.status == Status.IN_PROGRESS and d.unit == desk
    assert [(h.from_unit, h.to_unit) for h in d.history[1:]] == [
        (desk, UNIT), (UNIT, "Công chức Địa chính"), ("Công chức Địa chính", desk)]
    assert d.history[-1].note == "Trả về bộ phận một cửa để hướng dẫn bổ sung"


# Which actions the dossier page offers (a leader: every role-restricted action too).
OFFERED = {
    Status.NEW_ONLINE: [],
    Status.RECEIVED: ["handover", "apologise", "withdraw", "stop"],
    Status.REFUSED: [],
    Status.IN_PROGRESS: ["handover", "request_supplement", "request_payment", "record_result", "apologise",
                         "withdraw", "stop"],
    Status.SUPPLEMENT: ["receive_supplement", "withdraw", "stop"],
    Status.AWAITING_PAYMENT: ["record_payment", "apologise", "withdraw", "stop"],
    Status.WITHDRAWN: [],
    Status.STOPPED: [],
    Status.RESULT_READY: ["request_payment", "return_result"],
    Status.RETURNED: ["rate_service"],
}


@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_follow_the_status(ctx, status):
    leader = login(ctx, "lanhdao")
    dossier = dossier_in(ctx, status)
    assert allowed_actions(dossier, leader) == OFFERED[status]
    assert allowed_actions(dossier) == OFFERED[status]  # no user given: roles not checked


def test_allowed_actions_hide_what_a_rule_forbids(ctx):
    clerk = login(ctx, "canbo")
    assert "apologise" not in allowed_actions(dossier_in(ctx, Status.IN_PROGRESS), clerk)
    login(ctx, "lanhdao")
    paused_once, _ = CALLS["receive_supplement"](ctx, dossier_in(ctx, Status.SUPPLEMENT).code)
    assert "request_supplement" not in allowed_actions(paused_once)
    rated, _ = CALLS["rate_service"](ctx, dossier_in(ctx, Status.RETURNED).code)
    assert allowed_actions(rated) == []
    apologised, _ = CALLS["apologise"](ctx, dossier_in(ctx, Status.IN_PROGRESS).code)
    assert "apologise" not in allowed_actions(apologised)
    unpaid = receive(ctx, "2.000815", components=CERTIFIED_COPIES)  # 14.000 đ of fees, not yet paid
    lifecycle.handover(ctx, unpaid.code, UNIT)
    assert allowed_actions(lifecycle.record_result(ctx, unpaid.code, "CT-125")[0]) == ["request_payment"]


@pytest.mark.parametrize("action", list(EXPECTED))
def test_a_failure_after_any_write_leaves_nothing_behind(ctx, monkeypatch, action):
    login(ctx, "lanhdao")
    source = min(s for s, _ in EXPECTED[action])
    dossier = dossier_in(ctx, Status(source))
    before = snapshot()
    for step in ("rows", "dossier", "history", "outbox"):
        def fail(at_step, step=step):
            if at_step == step:
                raise OSError("disk full")

        monkeypatch.setattr(lifecycle, "written", fail)
        with pytest.raises(OSError):
            CALLS[action](ctx, dossier.code)
        assert snapshot() == before, step
        assert get_dossier(ctx, dossier.code) == dossier, step
    monkeypatch.undo()
    assert CALLS[action](ctx, dossier.code)[0].history[-1].action == action  # and it works once the disk is back
