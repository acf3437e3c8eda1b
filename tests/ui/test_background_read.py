"""A screen's lists read on a worker thread (ui/background_read.py): off the GUI thread, one read at a time, the
newest request read next (those between are dropped), a failure said, and nothing read after the window closes."""

from __future__ import annotations

import threading

from counter.errors import ValidationError
from ui.background_read import BackgroundRead


def test_the_read_runs_off_the_gui_thread_and_its_result_arrives_on_it(qtbot, ctx):
    reader = BackgroundRead(ctx)
    ran_on: list[str] = []
    arrived_on: list[str] = []
    reader.done.connect(lambda result: arrived_on.append(threading.current_thread().name))
    with qtbot.waitSignal(reader.done, timeout=5000) as arrived:
        reader.read(lambda: ran_on.append(threading.current_thread().name) or "lists")
    assert arrived.args == ["lists"]
    assert ran_on and ran_on[0] != threading.main_thread().name
    assert arrived_on == [threading.main_thread().name]
    assert not reader.busy


def test_requests_made_while_a_read_runs_are_read_once_after_it_the_newest(qtbot, ctx):
    reader = BackgroundRead(ctx)
    release = threading.Event()
    results: list[str] = []
    reader.done.connect(results.append)
    reader.read(lambda: release.wait(10) and "first")
    reader.read(lambda: "second")  # overtaken by the third before it could start
    reader.read(lambda: "third")
    assert reader.busy
    release.set()
    qtbot.waitUntil(lambda: not reader.busy, timeout=5000)
    assert results == ["first", "third"]


def test_a_failed_read_is_said_and_the_next_one_still_runs(qtbot, ctx):
    reader = BackgroundRead(ctx)
    failures: list[Exception] = []
    reader.failed.connect(failures.append)

    def refused():
        raise ValidationError("Không đọc được danh sách.")
    with qtbot.waitSignal(reader.failed, timeout=5000):
        reader.read(refused)
    assert isinstance(failures[0], ValidationError)
    with qtbot.waitSignal(reader.done, timeout=5000) as arrived:
        reader.read(lambda: "again")
    assert arrived.args == ["again"]


def test_after_shutdown_nothing_is_read_or_delivered(qtbot, ctx):
    reader = BackgroundRead(ctx)
    release = threading.Event()
    results: list[object] = []
    reader.done.connect(results.append)
    reader.read(lambda: release.wait(10) and "late")
    reader.read(lambda: results.append("should not run"))
    threading.Timer(0.05, release.set).start()
    reader.shutdown()  # waits for the running read
    reader.read(lambda: results.append("nor this"))
    qtbot.wait(100)
    assert results == [] and not reader.busy
