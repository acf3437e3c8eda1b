"""Two PCs of one office left on the same workstation number (issue 18): each issues …-0001 to a different
citizen. The second to sync finds the code taken by someone else's dossier: nothing is sent, the dossier waits
in "Cần xử lý" with the remedy in words, the board says so, and the first citizen's dossier at the province is
untouched — against the reference server, with two real databases."""

import random

from counter.office.users import authenticate
from counter.records import ApplicantInput
from counter.setup import open_demo
from counter.sync import conflicts
from counter.sync.batch import sync_once
from db.models import OutboxEntry
from tests.counter.lifecycle_steps import receive
from tests.sync.conftest import configure
from tests.ui.test_admin import open_window


def second_pc(tmp_path, clock):
    ctx = open_demo(tmp_path / "may-2", clock=clock)  # the same office, left on workstation 0 too
    ctx.user = authenticate(ctx, "canbo", "canbo123")
    return ctx


def test_the_second_pc_s_code_is_parked_and_the_first_citizen_s_dossier_stands(ctx, clerk, province, tmp_path,
                                                                                 qtbot):
    other = second_pc(tmp_path, ctx.clock)
    configure(ctx, province)
    configure(other, province)
    first = receive(ctx)
    second = receive(other, applicant=ApplicantInput(id_number="038095000123", full_name="Lê Thị Khác"))
    assert first.code == second.code  # the collision the workstation numbers are there to prevent

    assert sync_once(ctx, rng=random.Random(1)).complete
    report = sync_once(other, rng=random.Random(1))
    assert not report.complete
    with other.bound():
        entry = OutboxEntry.get(OutboxEntry.key == second.code)
        assert entry.state == "attention" and entry.last_error.startswith("Trùng mã hồ sơ")
        assert "số máy tiếp nhận" in entry.last_error and "038095000123" in entry.last_error
    assert conflicts.collisions(other) == [second.code] and conflicts.collisions(ctx) == []
    [there] = province.state()["dossiers"]
    assert there["_writes"] == 1 and there["SoGiayToChuHoSo"] == first.applicant.id_number  # never overwritten

    other.clock.advance(hours=2)
    sync_once(other, rng=random.Random(1))  # later passes never write over it either
    [there] = province.state()["dossiers"]
    assert there["_writes"] == 1 and there["SoGiayToChuHoSo"] == first.applicant.id_number

    window = open_window(qtbot, other, "canbo")
    window.board_page.reload()
    note = window.board_page.collision_note
    assert note.isVisible() and note.kind == "error" and second.code in note.plain_text()
    assert "số máy tiếp nhận" in note.plain_text()
    other.database.close()
