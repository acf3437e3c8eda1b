"""The life of a synthetic dossier: the steps it went through, in order, up to the present.

A dossier's whole future is planned at its reception (hand-over to the processing unit, maybe an
apology, a supplement round or a payment request, the result, the return, a rating), then cut at
`now`: what has not happened yet is not written, so the status is always the last step's and open
dossiers appear where real ones would be. A demo that must show a given status asks for it: the
plan then stops there, squeezed before now. Actions, statuses and notes are those of
counter.dossiers.lifecycle, so a demo dossier reads like one the desk worked through the app.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from counter.calendar.duedates import remaining_minutes, resume_due
from counter.calendar.workdays import WorkCalendar
from counter.clock import local
from counter.records import RATING_LEVELS, STOP_NOTE
from counter.status import Status
from counter.text import format_vnd

S = Status
RATINGS = (("very_satisfied", 0.55), ("satisfied", 0.42), ("dissatisfied", 0.03))


@dataclass(frozen=True, slots=True)
class Step:
    at: datetime
    action: str  # as in counter.dossiers.transitions
    from_status: Status | None
    to_status: Status
    from_unit: str
    to_unit: str
    note: str = ""
    due_at: datetime | None = None  # the due date this step sets (supplement received, apology)
    detail: object = None  # what the step writes besides history: a Pause, Payment, Apology or Rating


@dataclass(frozen=True, slots=True)
class Pause:
    reason: str
    item: str
    due_before: datetime | None
    remaining: int | None


@dataclass(frozen=True, slots=True)
class Payment:
    amount: int


@dataclass(frozen=True, slots=True)
class Apology:
    reason: str
    due_before: datetime
    new_due: datetime


@dataclass(frozen=True, slots=True)
class Rating:
    level: str
    reason: str


@dataclass(frozen=True)
class Fate:
    """What will happen to a dossier; drawn once at reception."""

    end: Status = S.RETURNED  # REFUSED, WITHDRAWN, STOPPED, RESULT_READY (never collected) or RETURNED
    supplement: bool = False
    payment: bool = False
    late: bool = False
    apology: bool = False  # a late dossier warned in time (Mẫu 04)
    same_day_return: bool = True
    rated: bool = False


@dataclass(frozen=True)
class Context:
    """The dossier's surroundings: where it goes, and the words of its notes."""

    desk: str
    unit: str
    refuse: str = ""
    supplement: tuple[str, str] = ("", "")  # (reason, paper to complete)
    stop: str = ""
    withdraw: str = ""
    delay: str = ""
    payment: int = 0  # the charge a province-set fee comes to
    dissatisfied: str = ""


def draw_fate(rng: random.Random, *, can_pay: bool) -> Fate:
    roll = rng.random()
    end = (S.REFUSED if roll < 0.025 else S.WITHDRAWN if roll < 0.04 else S.STOPPED if roll < 0.047
           else S.RESULT_READY if roll < 0.05 else S.RETURNED)
    late = rng.random() < 0.04
    return Fate(end=end, supplement=rng.random() < 0.06, payment=can_pay and rng.random() < 0.5, late=late,
                apology=late and rng.random() < 0.4, same_day_return=rng.random() < 0.7, rated=rng.random() < 0.3)


def fate_for(target: Status, *, overdue: bool = False) -> Fate:
    """The fate whose plan passes through `target` (a demo asking for that status)."""
    return Fate(end=target if target in (S.REFUSED, S.WITHDRAWN, S.STOPPED) else S.RETURNED,
                supplement=target == S.SUPPLEMENT, payment=target == S.AWAITING_PAYMENT, late=overdue)


def when(dt: datetime) -> str:
    return f"{local(dt):%H:%M} ngày {local(dt):%d/%m/%Y}"


class Planner:
    def __init__(self, cal: WorkCalendar, rng: random.Random):
        self.cal = cal
        self.rng = rng

    def life(self, received_at: datetime, due: datetime | None, fate: Fate, where: Context, now: datetime,
             target: Status | None = None) -> list[Step]:
        """The steps that happened by `now`: the whole plan cut at now, or stopped at `target`."""
        steps = self.plan(received_at, due, fate, where)
        if target is None:
            return [s for s in steps if s.at <= now]
        end = next(i for i, s in enumerate(steps) if s.to_status == target)
        return self.squeeze(steps[:end + 1], now)

    def plan(self, received_at: datetime, due: datetime | None, fate: Fate, where: Context) -> list[Step]:
        desk, unit = where.desk, where.unit
        if fate.end == S.REFUSED:
            return [Step(received_at, "refuse", None, S.REFUSED, "", desk, where.refuse)]
        at = self.handover_time(received_at)
        steps = [Step(received_at, "receive", None, S.RECEIVED, "", desk, "Tiếp nhận hồ sơ"),
                 Step(at, "handover", S.RECEIVED, S.IN_PROGRESS, desk, unit, f"Chuyển hồ sơ đến {unit}")]
        if fate.supplement:
            at, due = self._supplement(steps, at, due, where)
        if fate.end in (S.WITHDRAWN, S.STOPPED):
            at = self._within(at, due, 0.2, 0.8)
            note = (f"Công dân yêu cầu rút hồ sơ: {where.withdraw}" if fate.end == S.WITHDRAWN
                    else STOP_NOTE + where.stop)
            steps.append(Step(at, "withdraw" if fate.end == S.WITHDRAWN else "stop", S.IN_PROGRESS, fate.end,
                              unit, unit, note))
            return steps
        if fate.payment:
            at = self._payment(steps, at, due, where)
        at, due = self._result(steps, at, due, fate, where)
        if fate.end == S.RETURNED:
            at = self.return_time(at, fate.same_day_return)
            steps.append(Step(at, "return_result", S.RESULT_READY, S.RETURNED, desk, desk))  # rows name the collector
            if fate.rated:
                steps.append(self._rating(at, desk, where))
        return steps

    # The optional rounds ----------------------------------------------------------------------

    def _supplement(self, steps: list[Step], at: datetime, due: datetime | None,
                    where: Context) -> tuple[datetime, datetime | None]:
        """The clock pauses while the citizen completes the file, and resumes with the time left."""
        reason, item = where.supplement
        asked = self._within(at, due, 0.1, 0.5)
        left = remaining_minutes(due, asked, self.cal) if due else None
        steps.append(Step(asked, "request_supplement", S.IN_PROGRESS, S.SUPPLEMENT, where.unit, where.unit,
                          f"Yêu cầu bổ sung hồ sơ: {reason}", detail=Pause(reason, item, due, left)))
        back = self._after(asked, 240, 6 * 480)
        new_due = resume_due(back, left, self.cal) if due else None
        note = "Nhận hồ sơ bổ sung" + (f", hẹn trả mới {when(new_due)}" if new_due else "")
        steps.append(Step(back, "receive_supplement", S.SUPPLEMENT, S.IN_PROGRESS, where.unit, where.unit, note,
                          due_at=new_due))
        return back, new_due

    def _payment(self, steps: list[Step], at: datetime, due: datetime | None, where: Context) -> datetime:
        """A charge the processing unit works out: asked for, then paid. The clock runs meanwhile (the
        lifecycle does not pause it for status 6), so the citizen pays within the time left."""
        asked = self._within(at, due, 0.2, 0.5)
        amount = format_vnd(where.payment)
        steps.append(Step(asked, "request_payment", S.IN_PROGRESS, S.AWAITING_PAYMENT, where.unit, where.unit,
                          f"Yêu cầu thực hiện nghĩa vụ tài chính: {amount} đồng", detail=Payment(where.payment)))
        paid = self._within(asked, due, 0.2, 0.6) if due else self._after(asked, 60, 3 * 480)
        steps.append(Step(paid, "record_payment", S.AWAITING_PAYMENT, S.IN_PROGRESS, where.unit, where.unit,
                          f"Đã nộp phí, lệ phí: {amount} đồng"))
        return paid

    def _result(self, steps: list[Step], at: datetime, due: datetime | None, fate: Fate,
                where: Context) -> tuple[datetime, datetime | None]:
        """The result reaches the desk: in time, or late — after an apology (Mẫu 04) if the unit saw it coming."""
        if due is None:  # no deadline: one to ten working days of work
            ready = self._after(at, 480, 10 * 480)
        elif not fate.late:
            ready = self._within(at, due, 0.3, 0.97)
        else:
            ready = self._after(max(at, due), 30, 4 * 480)
            if fate.apology and at < due:
                new_due = self._after(ready, 60, 480)
                warned = self._within(at, due, 0.5, 0.95)
                steps.append(Step(warned, "apologise", S.IN_PROGRESS, S.IN_PROGRESS, where.unit, where.unit,
                                  f"Xin lỗi và hẹn lại ngày trả kết quả: {when(new_due)}. Lý do: {where.delay}",
                                  due_at=new_due, detail=Apology(where.delay, due, new_due)))
                due = new_due
        # The note names the result's number, which the rows give it.
        steps.append(Step(ready, "record_result", S.IN_PROGRESS, S.RESULT_READY, where.unit, where.desk))
        return ready, due

    def _rating(self, returned: datetime, desk: str, where: Context) -> Step:
        roll, level = self.rng.random(), RATINGS[-1][0]
        for key, share in RATINGS:
            if roll < share:
                level = key
                break
            roll -= share
        reason = where.dissatisfied if level == "dissatisfied" else ""
        note = f"Đánh giá: {RATING_LEVELS[level]}" + (f". {reason}" if reason else "")
        return Step(returned + timedelta(minutes=self.rng.randint(1, 5)), "rate_service", S.RETURNED, S.RETURNED,
                    desk, desk, note, detail=Rating(level, reason))

    # Times ------------------------------------------------------------------------------------

    def handover_time(self, received_at: datetime) -> datetime:
        """Same working day; after the 15:00 cut-off, early the next working day (domain.md §3)."""
        cal = self.cal
        if received_at.time() >= cal.hours.same_day_cutoff:
            opening = cal.next_working_moment(cal.period_end(received_at.date()))
            return opening + timedelta(minutes=self.rng.randint(5, 90))
        moment = received_at + timedelta(minutes=self.rng.randint(5, 120))
        closing = cal.period_end(received_at.date()) - timedelta(minutes=1)
        return cal.next_working_moment(min(moment, closing))

    def return_time(self, ready: datetime, same_day: bool) -> datetime:
        """The citizen comes back: often the same day, or within about two weeks."""
        return self._after(ready, 5, 120) if same_day else self._after(ready, 480, 10 * 480)

    def _after(self, start: datetime, low: int, high: int) -> datetime:
        """A working moment `low` to `high` working minutes after `start`."""
        return self.cal.next_working_moment(self.cal.add_working_minutes(start, self.rng.randint(low, high)))

    def _within(self, start: datetime, end: datetime | None, low: float, high: float) -> datetime:
        """A working moment between `start` and `end`, at a fraction in [low, high] of the office time."""
        if end is None:
            end = self.cal.add_working_minutes(start, 3 * 480)
        available = self.cal.working_minutes_between(start, end)
        if available <= 1:
            return start + timedelta(minutes=1)
        minutes = max(1, int(available * self.rng.uniform(low, high)))
        return self.cal.next_working_moment(self.cal.add_working_minutes(start, minutes))

    def squeeze(self, steps: list[Step], now: datetime) -> list[Step]:
        """Move the steps planned after `now` into the office time left before it, keeping their order."""
        late = [i for i, s in enumerate(steps) if s.at > now]
        if not late:
            return steps
        first = late[0]
        start = steps[first - 1].at if first else steps[0].at
        available = self.cal.working_minutes_between(start, now)
        out = steps[:first]
        for k, i in enumerate(late, start=1):
            share = k / (len(late) + 1)
            if available >= 2 * len(late):
                at = self.cal.add_working_minutes(start, max(1, int(available * share)))
            else:  # hardly any office time left (just after opening): spread over the real minutes
                at = start + (now - start) * share
            step = replace(steps[i], at=min(at, now))
            if isinstance(step.detail, Pause) and step.detail.due_before:  # the time left moved with it
                step = replace(step, detail=replace(
                    step.detail, remaining=remaining_minutes(step.detail.due_before, step.at, self.cal)))
            out.append(step)
        return out
