"""The app's start kept out of Python's full garbage collections (ui/heap.py): frozen once the main window is shown,
given back to the collector when the app's run ends."""

import gc

import shiboken6
from PySide6.QtCore import QTimer

import ui.app


def test_the_start_is_frozen_while_the_main_window_runs_and_thawed_when_it_ends(qtbot, ctx, logged_in_at_once,
                                                                                 monkeypatch):
    windows, frozen = [], []
    poll = QTimer(interval=10)

    def seen_once_its_board_is_loaded():
        # Not sooner: the board's first page is read on a thread, which must not outlive the window.
        if windows and windows[0].board_page.loaded:
            poll.stop()
            frozen.append((gc.get_freeze_count(), windows[0].isVisible()))
            windows[0].backup.background.stop()  # no backup on close: not what is tested here
            windows[0].close()  # as the clerk ends the app: the last window closed ends its loop

    def recorded(*args, _real=ui.app.create_main_window, **kwargs):
        windows.append(_real(*args, **kwargs))
        return windows[-1]

    monkeypatch.setattr(ui.app, "create_main_window", recorded)
    poll.timeout.connect(seen_once_its_board_is_loaded)
    poll.start()
    assert gc.get_freeze_count() == 0
    try:
        assert ui.app.run(ctx) == 0
    finally:
        poll.stop()
        for window in windows:
            window.close()
            shiboken6.delete(window)  # its timers must not run on into later tests
    [(count, shown)] = frozen
    assert shown and count > 10_000  # the modules, the classes, the main window's widgets
    assert gc.get_freeze_count() == 0
