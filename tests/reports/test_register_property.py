"""Property (hypothesis): over random histories, the register holds exactly one line per dossier received in the
range (none refused, none outside it), in reception order, each with the running number Mẫu 01 printed."""

from datetime import date, timedelta
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter.dossiers import lifecycle, reception
from counter.records import DossierDraft
from counter.reports.register import build_register
from tests.conftest import at
from tests.counter.lifecycle_steps import AN, UNIT, receive

KINDS = ("receive", "refuse", "handover", "withdraw", "returned")
dossiers = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 540), st.sampled_from(KINDS)), max_size=7)
ranges = st.tuples(st.integers(0, 4), st.integers(0, 3))
windows = count()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=dossiers, window=ranges)
def test_one_line_per_dossier_received_in_the_range(ctx, clock, clerk, made, window):
    base = date(2026, 3, 2) + timedelta(days=7 * next(windows))  # each example on days of its own
    expected = []
    for day, minute, kind in made:
        clock.at = at(f"{base + timedelta(days=day)} 07:30") + timedelta(minutes=minute)
        if kind == "refuse":
            reception.refuse_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN, components=()),
                                     "Không thuộc thẩm quyền")
            continue
        dossier = receive(ctx)
        expected.append((dossier.received_at, dossier.register_number, dossier.code, day))
        clock.advance(minutes=5)
        if kind in ("handover", "returned"):
            lifecycle.handover(ctx, dossier.code, UNIT)
        if kind == "withdraw":
            lifecycle.withdraw(ctx, dossier.code, "Không còn nhu cầu")
        if kind == "returned":
            lifecycle.record_result(ctx, dossier.code, "1/2026")
            lifecycle.return_result(ctx, dossier.code)
    first, length = window
    register = build_register(ctx, start=base + timedelta(days=first), end=base + timedelta(days=first + length))
    inside = sorted(e for e in expected if first <= e[3] <= first + length)
    assert [line.code for line in register.lines] == [code for *_, code, _ in inside]
    numbers = [line.number for line in register.lines]
    assert numbers == [number for _, number, *_ in inside] and len(set(numbers)) == len(numbers)
    assert all(line.returned_at is not None for line in register.lines if line.status == 10)
    assert all(line.sent_at is not None and line.lead_unit == UNIT for line in register.lines
               if line.status in (4, 9, 10))
