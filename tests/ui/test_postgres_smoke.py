"""The UI smoke of office mode: the main window over a PostgreSQL database (this session's throwaway cluster,
tests/pg.py), whichever engine the rest of the run uses: its board loaded on the lookup threads (a connection of
their own each), a name typed without accents found, the sections reached by their keys."""

import pytest
import shiboken6
from PySide6.QtCore import Qt

from counter.dossiers import reception
from counter.office.users import authenticate
from counter.records import ApplicantInput, DossierDraft
from counter.setup import open_office_database, seed_demo
from tests.seeded_centre import seeded_centre  # noqa: F401  (pg_url: the seeded centre)
from ui.app import create_main_window
from ui.board.lists import SEARCH


@pytest.fixture
def office_ctx(pg_url, tmp_path, clock):
    ctx = open_office_database(pg_url, tmp_path / "data", clock)
    seed_demo(ctx)
    yield ctx
    ctx.database.close()


def test_the_main_window_works_over_postgresql(qtbot, office_ctx):
    ctx = office_ctx
    assert type(ctx.database).__name__ == "OfficeDatabase"
    clerk = ctx.user = authenticate(ctx, "canbo", "canbo123")
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(
        procedure_code="1.001193", applicant=ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An")))
    window = create_main_window(ctx, clerk)
    try:
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.board_page.loaded)
        board = window.board_page
        board.search_edit.setText("nguyen van an")  # no accents: the folded name, LIKE over its trigram index
        board.search_now()
        model = board.models[SEARCH.key]
        qtbot.waitUntil(lambda: model.rowCount() == 1)
        assert dossier.code in [model.index(0, c).data() for c in range(model.columnCount())]
        qtbot.keyClick(window, Qt.Key.Key_F3)
        assert window.current_section() == "dossiers"
        qtbot.waitUntil(lambda: [r.code for r in window.dossier_page.model.rows()] == [dossier.code])
        qtbot.keyClick(window, Qt.Key.Key_F5)
        assert window.current_section() == "reports"
    finally:  # gone now, with its timers (the live board's poll), before the database is dropped
        window.close()
        shiboken6.delete(window)
