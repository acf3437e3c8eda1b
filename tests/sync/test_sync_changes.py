"""What a sync run and the clerk's decision on a conflict say they changed (counter.changes)."""

import random

from counter.changes import Changes
from counter.dossiers import lifecycle
from counter.dossiers.lookup import get_dossier
from counter.status import Status
from counter.sync import queue
from counter.sync.batch import sync_once
from tests.sync.conftest import configure, receive
from tests.sync.test_pull import UNIT, set_status


def sent(ctx, province, *codes: str) -> None:
    configure(ctx, province)
    for code in codes:
        lifecycle.handover(ctx, code, UNIT)
    assert sync_once(ctx).complete


def test_a_run_names_the_queue_and_the_dossiers_whose_status_came_from_the_province(ctx, clerk, province):
    quiet, moved = receive(ctx).code, receive(ctx).code
    configure(ctx, province)
    for code in (quiet, moved):
        lifecycle.handover(ctx, code, UNIT)
    first = sync_once(ctx)
    assert first.complete and first.changes == Changes(sync_queue=True)  # all sent: no dossier changed here
    set_status(province, moved, "9")
    ctx.clock.advance(minutes=10)
    report = sync_once(ctx, rng=random.Random(1))
    assert get_dossier(ctx, moved).status == Status.RESULT_READY
    # Nothing newly due for the province (to_send): a sync's own changes never ask for another sync.
    assert report.changes == Changes(dossiers=frozenset({moved}), sync_queue=True)


def test_a_conflict_names_its_dossier_and_so_does_the_clerks_decision(ctx, clerk, province):
    code = receive(ctx).code
    sent(ctx, province, code)
    lifecycle.handover(ctx, code, "Công chức Địa chính")
    set_status(province, code, "9")
    report = sync_once(ctx, rng=random.Random(1))
    assert report.conflicts and report.changes == Changes(dossiers=frozenset({code}), sync_queue=True)
    label, changes = queue.resolve_conflict(ctx, code, "province")
    assert label == Status.RESULT_READY.label
    assert changes == Changes(dossiers=frozenset({code}), sync_queue=True, to_send=True)  # due again: sync soon
