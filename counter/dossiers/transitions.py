"""The dossier lifecycle as data: from which status each action may run, and where it leads.

DESIGN.md "Lifecycle": one table validates every transition and an illegal one is a typed error
whose message the UI shows as it is. A few actions also have a rule of their own that the dossier
record already shows (fees paid, one supplement per processing unit, one apology, one rating, the
leader's signature on Mẫu 04 and Mẫu 05); `refusal` checks both, so the intents and the action buttons never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from counter import records
from counter.errors import CounterError, IllegalTransition
from counter.office.roles import SIGNERS, permission_error
from counter.status import ACTION_LABELS, OPEN_STATUSES, Status
from counter.text import format_vnd

S = Status

# The clock runs in these; a dossier waiting for a supplement has its clock paused.
CLOCK_RUNNING = (S.RECEIVED, S.IN_PROGRESS, S.AWAITING_PAYMENT)
# The papers signed by the head of the agency, so only a leader (or an administrator) takes the action: what he
# signs. Every other paper (Mẫu 01, 02, 03, the return receipt) is signed by the clerk at the desk.
SIGNED_BY_HEAD = {
    "apologise": "ký văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)",
    "stop": "ký thông báo dừng giải quyết hồ sơ (Mẫu 05)",
}


def _to(target: Status, *sources: Status) -> frozenset[tuple[Status, Status]]:
    return frozenset((source, target) for source in sources)


# action → the (from, to) pairs it may take.
TRANSITIONS: dict[str, frozenset[tuple[Status, Status]]] = {
    # To a processing unit, between units, and back to the desk.
    "handover": _to(S.IN_PROGRESS, S.RECEIVED, S.IN_PROGRESS),
    "request_supplement": _to(S.SUPPLEMENT, S.IN_PROGRESS),
    "receive_supplement": _to(S.IN_PROGRESS, S.SUPPLEMENT),
    # Payment may be asked while processing or once the result is ready (released only when paid).
    "request_payment": _to(S.AWAITING_PAYMENT, S.IN_PROGRESS, S.RESULT_READY),
    # Paid: back to processing, or on to "ready" when the result was already issued.
    "record_payment": _to(S.IN_PROGRESS, S.AWAITING_PAYMENT) | _to(S.RESULT_READY, S.AWAITING_PAYMENT),
    # Also once "ready" without a result on this machine: the province set it, the desk writes the paper's number.
    "record_result": _to(S.RESULT_READY, S.IN_PROGRESS, S.RESULT_READY),
    "return_result": _to(S.RETURNED, S.RESULT_READY),
    "rate_service": _to(S.RETURNED, S.RETURNED),
    # Only while the clock runs: a paused dossier cannot be late, and its due date is recomputed on resume.
    "apologise": frozenset((s, s) for s in CLOCK_RUNNING),
    "withdraw": _to(S.WITHDRAWN, *OPEN_STATUSES),
    "stop": _to(S.STOPPED, *OPEN_STATUSES),
}


def sources(action: str) -> frozenset[Status]:
    return frozenset(source for source, _ in TRANSITIONS[action])


def check(action: str, current: Status, to: Status | None = None) -> Status:
    """The status `action` leads to from `current`; `to` picks one where the table offers several."""
    targets = {target for source, target in TRANSITIONS[action] if source == current}
    if not targets:
        raise _status_error(action, current)
    if to is None:
        if len(targets) > 1:
            raise ValueError(f"{action} from {current!r} needs an explicit target")
        return next(iter(targets))
    if to not in targets:
        raise IllegalTransition(f"Không thể {_verb(action)}: hồ sơ không thể chuyển từ trạng thái "
                                f"“{current.label}” sang “{to.label}”.")
    return to


def refusal(action: str, dossier: records.Dossier, user: records.User | None = None, *,
            check_role: bool = True) -> CounterError | None:
    """Why `action` may not run on `dossier` now (the error to raise), or None when it may."""
    if dossier.status not in sources(action):
        return _status_error(action, dossier.status)
    rule = _RULES.get(action)
    return rule(dossier, user, check_role) if rule else None


def require(action: str, dossier: records.Dossier, user: records.User | None) -> None:
    error = refusal(action, dossier, user)
    if error is not None:
        raise error


def allowed_actions(dossier: records.Dossier, user: records.User | None = None) -> list[str]:
    """The actions the dossier page may offer, in table order. Roles are checked only when `user` is given.

    The once-only rules read the dossier's history: pass a record loaded with it (get_dossier does).
    """
    return [a for a in TRANSITIONS if refusal(a, dossier, user, check_role=user is not None) is None]


def _status_error(action: str, current: Status) -> IllegalTransition:
    return IllegalTransition(f"Không thể {_verb(action)}: hồ sơ đang ở trạng thái “{current.label}”.")


def _verb(action: str) -> str:
    label = ACTION_LABELS[action]
    return label[0].lower() + label[1:]


def _done(dossier: records.Dossier, action: str, **match: object) -> bool:
    return any(h.action == action and all(getattr(h, k) == v for k, v in match.items()) for h in dossier.history)


def _supplement_once_per_unit(dossier: records.Dossier, user: records.User | None,
                              check_role: bool) -> CounterError | None:
    if _done(dossier, "request_supplement", to_unit=dossier.unit):
        return IllegalTransition(f"Không thể yêu cầu bổ sung lần nữa: “{dossier.unit}” đã yêu cầu bổ sung hồ sơ "
                                 "này một lần (mỗi đơn vị xử lý chỉ được yêu cầu bổ sung một lần).")
    return None


def _one_result(dossier: records.Dossier, user: records.User | None, check_role: bool) -> CounterError | None:
    if _done(dossier, "record_result"):
        return IllegalTransition("Không thể nhận kết quả giải quyết: hồ sơ này đã có kết quả.")
    return None


def _result_recorded_and_fees_paid(dossier: records.Dossier, user: records.User | None,
                                   check_role: bool) -> CounterError | None:
    if not _done(dossier, "record_result"):
        return IllegalTransition("Không thể trả kết quả: máy này chưa ghi số, ký hiệu của kết quả (hệ thống tỉnh "
                                 "báo đã có kết quả). Hãy “Nhận kết quả giải quyết” trước, theo giấy tờ kết quả.")
    return _fees_paid(dossier, user, check_role)


def _fees_paid(dossier: records.Dossier, user: records.User | None, check_role: bool) -> CounterError | None:
    unpaid = sum(f.amount for f in dossier.fees if f.paid_at is None and f.amount > 0)
    if unpaid:
        return IllegalTransition(f"Không thể trả kết quả: hồ sơ còn {format_vnd(unpaid)} đồng phí, lệ phí chưa nộp. "
                                 "Hãy thu phí, lệ phí trước khi trả kết quả.")
    return None


def _rated_once(dossier: records.Dossier, user: records.User | None, check_role: bool) -> CounterError | None:
    if _done(dossier, "rate_service"):
        return IllegalTransition("Không thể đánh giá lần nữa: hồ sơ này đã được đánh giá mức độ hài lòng.")
    return None


def _apology_rules(dossier: records.Dossier, user: records.User | None, check_role: bool) -> CounterError | None:
    if dossier.due_at is None:
        return IllegalTransition("Không thể xin lỗi và hẹn lại: thủ tục này không quy định thời hạn trả kết quả.")
    if _done(dossier, "apologise"):
        return IllegalTransition("Không thể xin lỗi và hẹn lại lần nữa: hồ sơ này đã được hẹn lại một lần "
                                 "(chỉ được hẹn lại một lần).")
    return _signed_by_head(dossier, user, check_role, "apologise")


def _signed_by_head(dossier: records.Dossier, user: records.User | None, check_role: bool,
                    action: str = "stop") -> CounterError | None:
    return permission_error(user, SIGNERS, SIGNED_BY_HEAD[action]) if check_role else None


# A rule of its own: the error that refuses the action (IllegalTransition, PermissionDenied), or None.
Rule = Callable[[records.Dossier, records.User | None, bool], CounterError | None]

_RULES: dict[str, Rule] = {
    "request_supplement": _supplement_once_per_unit,
    "record_result": _one_result,
    "return_result": _result_recorded_and_fees_paid,
    "rate_service": _rated_once,
    "apologise": _apology_rules,
    "stop": _signed_by_head,
}
