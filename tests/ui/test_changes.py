"""One change signal: each intent's Changes is announced once on the window's `changed`, and each view
refreshes only when the record names what it shows (spied on its refresh method)."""


from counter.changes import Changes, dossier_changed
from counter.dossiers import lifecycle
from counter.records import ApplicantInput
from counter.scans import attachments
from counter.status import Status
from counter.sync import settings
from tests.counter import scan_samples as s
from tests.counter.lifecycle_steps import OTHER_UNIT, UNIT, login, receive
from tests.ui.dossier_steps import collecting, fill
from ui.app import create_main_window
from ui.main_window.window import BOARD, DOSSIER, DOSSIERS
from ui.sync.background import BackgroundSync

BICH = ApplicantInput(id_number="038190054321", full_name="Trần Thị Bích")


def spy(monkeypatch, view, method: str) -> list:
    """Count the calls of `view.method` (still doing its work)."""
    calls, original = [], getattr(view, method)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)
    monkeypatch.setattr(view, method, counted)
    return calls


def open_dossier(window, code: str):
    page = window.detail_page
    page.load(code)
    window.show_detail_page()
    assert window.current_section() == DOSSIER
    return page


def test_a_change_to_another_dossier_does_not_reload_the_open_dossier_page(qtbot, ctx, window, monkeypatch,
                                                                           tmp_path):
    mine, other = receive(ctx, "2.001035"), receive(ctx, "2.001035", BICH)
    page = open_dossier(window, mine.code)
    reloads = spy(monkeypatch, page, "reload")
    _, changes = lifecycle.handover(ctx, other.code, UNIT)
    window.signals.changed.emit(changes)
    _, changes = attachments.attach_component(ctx, other.code, 1, [s.jpeg(tmp_path / "b.jpg", s.RED)])
    window.signals.changed.emit(changes)
    window.signals.changed.emit(Changes(settings=True, users=True, print_log=True, sync_queue=True))
    assert reloads == [] and page.header.status_badge.text() == Status.RECEIVED.label
    _, changes = lifecycle.handover(ctx, mine.code, UNIT)
    window.signals.changed.emit(changes)
    assert len(reloads) == 1 and page.header.status_badge.text() == Status.IN_PROGRESS.label
    _, changes = attachments.attach_component(ctx, mine.code, 1, [s.jpeg(tmp_path / "a.jpg", s.GREEN)])
    window.signals.changed.emit(changes)  # its scans only: the page shows them too
    assert len(reloads) == 2 and page.scans.thumbnail_shown(0)


def test_a_settings_change_does_not_reload_the_board(qtbot, ctx, window, monkeypatch):
    board = window.board_page
    assert window.current_section() == BOARD
    qtbot.waitUntil(lambda: board.loaded)
    reloads = spy(monkeypatch, board, "reload")
    window.signals.changed.emit(settings.set_value(ctx, "office_name", "Bộ phận Một cửa xã Quảng Hùng"))
    window.signals.changed.emit(Changes(users=True, catalogue=True, print_log=True, sync_queue=True))
    assert reloads == []
    window.signals.changed.emit(dossier_changed(receive(ctx).code))
    assert len(reloads) == 1
    qtbot.waitUntil(lambda: board.tabs.tabText(0) == "Nhận hôm nay (1)")


def test_the_list_page_and_the_sync_count_refresh_only_for_what_they_show(qtbot, ctx, window, monkeypatch):
    window.show_section(DOSSIERS)
    lists, counts = spy(monkeypatch, window.dossier_page, "reload"), spy(monkeypatch, window.sync_count, "refresh")
    window.signals.changed.emit(Changes(settings=True, scans=frozenset({"X"})))
    assert lists == [] and counts == []
    dossier = receive(ctx)
    window.signals.changed.emit(dossier_changed(dossier.code))
    assert len(lists) == 1 and len(counts) == 1
    assert [r.code for r in window.dossier_page.model.rows()] == [dossier.code]
    assert window.sync_count.text() == "Chờ đồng bộ: 2"  # its upsert and its first step, as Đồng bộ lists them


def test_an_action_on_the_page_reloads_it_once_and_is_announced_once(qtbot, ctx, window, monkeypatch):
    dossier = receive(ctx)
    page = collecting(open_dossier(window, dossier.code))
    loads, announced = spy(monkeypatch, page, "load"), []
    window.signals.changed.connect(announced.append)
    dialog = page.start("handover")
    fill(dialog.unit_edit, OTHER_UNIT)
    dialog.accept()
    assert announced == [dossier_changed(dossier.code)]
    assert len(loads) == 1  # its own change came back through the window's signal: not loaded again
    assert page.header.status_badge.text() == Status.IN_PROGRESS.label


def test_the_window_signal_carries_changes_and_nothing_else(qtbot, ctx, window):
    dossier = receive(ctx)
    with qtbot.captureExceptions() as raised:
        window.signals.changed.emit(dossier)  # the record an intent returned, instead of what it changed
    _kind, error, _trace = raised[0]  # before any view is reached (the views then fail on it too)
    assert isinstance(error, TypeError) and str(error) == "changed carries a Changes, not Dossier"


def test_a_syncs_own_changes_do_not_start_another_sync(qtbot, ctx):
    background = BackgroundSync(ctx, interval_ms=3_600_000, first_ms=None)
    background.on_changed(Changes(dossiers=frozenset({"X"}), sync_queue=True))  # what a sync run reports
    assert not background._soon.isActive()
    background.on_changed(Changes(settings=True))  # perhaps now configured
    assert background._soon.isActive()
    background._soon.stop()
    background.on_changed(dossier_changed(receive(ctx).code))  # something to send
    assert background._soon.isActive()
    background.shutdown()


def test_the_admin_page_shows_settings_changed_elsewhere_unless_they_are_being_edited(qtbot, ctx):
    login(ctx, "admin")
    window = create_main_window(ctx, ctx.user)
    qtbot.addWidget(window)
    edits = window.admin.page.form.edits
    window.signals.changed.emit(settings.set_value(ctx, "username", "quay-moi"))  # e.g. main.py settings set
    assert edits["username"].text() == "quay-moi"
    edits["username"].setText("dang-sua")
    window.signals.changed.emit(settings.set_value(ctx, "dstcode", "H99"))
    assert edits["username"].text() == "dang-sua" and edits["dstcode"].text() == ""  # the typing is kept
