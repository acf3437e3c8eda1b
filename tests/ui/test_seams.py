"""Issue 21's seams seen on a 1366×768 counter PC: the window's title and size at start, the menus, a bad scan's
warning, the sync count, the end-of-day batch without settings, the focus after the print preview."""

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication

from ui.app import make_application


def test_qt_does_not_append_the_app_name_to_titles_that_already_say_it(qtbot):
    """A display name set on the application makes Qt append it to every title: "Quầy Một Cửa — … — Quầy Một Cửa"."""
    app = make_application()
    name = app.applicationName()
    try:
        app.setApplicationName("thu-ten-khac")
        assert QGuiApplication.applicationDisplayName() == "thu-ten-khac"  # follows the name: never pinned
    finally:
        app.setApplicationName(name)


def test_first_start_fills_the_screen_even_without_a_window_manager(qtbot, ctx, clerk, monkeypatch):
    from ui.app import create_main_window

    window = create_main_window(ctx, clerk)
    qtbot.addWidget(window)
    monkeypatch.setattr(window, "restore_geometry", lambda: False)
    area = QRect(0, 0, 1366, 740)
    monkeypatch.setattr(type(window.screen()), "availableGeometry", lambda self: area)
    window.show_at_start()
    qtbot.waitExposed(window)
    assert window.width() >= 1366 - 20 and window.height() >= 740 - 60
