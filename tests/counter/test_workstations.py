"""The workstation number belongs to the PC (counter.office.workstations): in office mode two PCs of one centre
cannot both hold one number; an administrator releases one explicitly; on SQLite the number is registered too."""

from dataclasses import replace

import pytest

from counter.errors import PermissionDenied, ValidationError
from counter.office import local_config, workstations
from counter.office.first_run import set_up_office
from counter.office.profile import get_office, save_office
from counter.office.users import authenticate, create_user
from counter.office.workstations import NoWorkstation, WorkstationTaken
from counter.setup import open_office_database
from counter.sync import settings
from db.models import AuditEntry, Office
from tests.counter.lifecycle_steps import receive
from tests.counter.test_first_run import SETUP


class Centre:
    """Two PCs on one PostgreSQL database: each its own machine folder (its local configuration)."""

    def __init__(self, url, tmp_path, clock, monkeypatch):
        self.monkeypatch = monkeypatch
        self.folders = {name: tmp_path / f"machine-{name}" for name in ("a", "b")}
        self.pcs = {}
        for name in ("a", "b"):
            self.as_pc(name)
            local_config.save(local_config.LocalConfig(machine_name=f"QUAY-{name.upper()}"))
            self.pcs[name] = open_office_database(url, tmp_path / f"data-{name}", clock=clock)

    def as_pc(self, name):
        self.monkeypatch.setenv("QMC_MACHINE_DIR", str(self.folders[name]))
        return self.pcs.get(name)

    def close(self):
        for ctx in self.pcs.values():
            ctx.database.close()


@pytest.fixture
def centre(pg_url, tmp_path, clock, monkeypatch):
    centre = Centre(pg_url, tmp_path, clock, monkeypatch)
    a = centre.as_pc("a")
    a.user, _ = set_up_office(a, SETUP)  # the centre set up from PC A, workstation 2
    create_user(a, "canbo", "Nguyễn Văn Bình", "mat-khau-dai", "clerk", "Công chức", now=a.clock.now())
    yield centre
    centre.close()


def test_the_pc_that_sets_up_the_centre_holds_its_number(centre):
    a = centre.as_pc("a")
    assert a.workstation == 2 and get_office(a).workstation == 2
    assert local_config.load().workstation == 2
    [held] = workstations.holders(a)
    assert (held.number, held.machine_name, held.machine_id) == (2, "QUAY-A", local_config.load().machine_id)
    assert receive(a).code.endswith("-2000")


def test_a_second_pc_cannot_claim_a_number_another_holds(centre):
    b = centre.as_pc("b")
    b.user = authenticate(b, "QuanTri", "mat-khau-dai")
    with pytest.raises(WorkstationTaken, match="Số máy tiếp nhận 2 đang thuộc máy “QUAY-A”") as caught:
        settings.set_value(b, "workstation", "2")
    assert "release-workstation 2" in str(caught.value)
    assert b.workstation is None and local_config.load().workstation is None
    assert [h.machine_name for h in workstations.holders(b)] == ["QUAY-A"]
    with pytest.raises(NoWorkstation, match="Máy này chưa có số máy tiếp nhận"):  # nothing issued without one
        receive(b)

    settings.set_value(b, "workstation", "3")
    assert b.workstation == 3 and local_config.load().workstation == 3 and get_office(b).workstation == 3
    assert receive(b).code.endswith("-3000")
    assert dict(settings.shown(b)[i][::2] for i in range(len(settings.shown(b))))["workstation"] == "3"
    a = centre.as_pc("a")
    assert get_office(a).workstation == 2  # the shared office row does not move with a PC's number
    with a.bound():
        assert Office.get().workstation == 2


def test_a_pc_changing_its_number_gives_the_previous_one_back(centre):
    b = centre.as_pc("b")
    workstations.claim(b, 3)
    workstations.claim(b, 4)
    assert [(h.number, h.machine_name) for h in workstations.holders(b)] == [(2, "QUAY-A"), (4, "QUAY-B")]
    with b.bound():
        newest = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert "nhận số máy tiếp nhận 4, trả lại số 3" in newest.summary


def test_only_an_administrator_releases_a_number_and_the_release_is_audited(centre):
    b = centre.as_pc("b")
    b.user = authenticate(b, "canbo", "mat-khau-dai")
    with pytest.raises(PermissionDenied):
        workstations.release(b, 2)
    b.user = authenticate(b, "QuanTri", "mat-khau-dai")
    with pytest.raises(ValidationError, match="Số máy tiếp nhận 7 chưa thuộc máy nào"):
        workstations.release(b, 7)
    workstations.release(b, 2)
    with b.bound():
        assert AuditEntry.select().order_by(AuditEntry.id.desc()).get().summary == (
            "Quản trị viên quantri giải phóng số máy tiếp nhận 2 của máy “QUAY-A”.")
    workstations.claim(b, 2)  # PC B takes number 2 over: PC A stops issuing under it
    a = centre.as_pc("a")
    with pytest.raises(NoWorkstation, match="nay thuộc máy “QUAY-B”"):
        receive(a)
    assert workstations.at_start(a) is None and a.workstation is None  # at its next start it has no number
    with pytest.raises(NoWorkstation, match="nay thuộc máy “QUAY-B”"):
        receive(a)
    local_config.save(replace(local_config.load(), workstation=None))
    with pytest.raises(NoWorkstation, match="chưa có số máy tiếp nhận"):
        receive(a)


def test_at_start_the_pc_takes_its_configured_number_back(centre, pg_url, tmp_path, clock):
    a = centre.as_pc("a")
    again = open_office_database(pg_url, tmp_path / "data-a", clock=clock)
    try:
        assert again.workstation is None and workstations.at_start(again) == 2 and again.workstation == 2
        assert receive(again).code.endswith("-2000")
    finally:
        again.database.close()
    assert a.workstation == 2


def test_on_sqlite_the_number_is_the_office_rows_and_registered_harmlessly(ctx, machine_dir):
    office = get_office(ctx)
    save_office(ctx, replace(office, workstation=5))
    assert get_office(ctx).workstation == 5 and ctx.workstation is None
    [held] = workstations.holders(ctx)
    assert held.number == 5 and held.machine_id == local_config.load().machine_id
    assert local_config.load().workstation is None and local_config.load().database_url == ""
    ctx.user = authenticate(ctx, "canbo", "canbo123")
    assert receive(ctx).code.endswith("-5000")
    local_config.save(replace(local_config.load(), machine_id="another-pc"))  # the file copied to another PC
    workstations.claim(ctx, 5)  # one PC, one file: taken over, never refused
    assert workstations.holder(ctx, 5).machine_id == "another-pc"


def test_two_pcs_claiming_one_free_number_at_once_one_gets_it(centre, monkeypatch):
    """Both look, find the number free and insert: the primary key lets one through, the other is refused in words."""
    import threading

    configs = {"a": local_config.LocalConfig(machine_id="pc-a", machine_name="QUAY-A"),
               "b": local_config.LocalConfig(machine_id="pc-b", machine_name="QUAY-B")}
    mine = threading.local()
    monkeypatch.setattr(local_config, "load", lambda: configs[mine.name])
    monkeypatch.setattr(local_config, "save", lambda config: configs.__setitem__(mine.name, config) or config)
    barrier = threading.Barrier(2)
    real_create = workstations.WorkstationClaim.create

    def create(**row):  # both threads past their look (the number free) before either inserts
        barrier.wait(timeout=10)
        return real_create(**row)
    monkeypatch.setattr(workstations.WorkstationClaim, "create", create)
    results = {}

    def claim(name):
        mine.name = name
        ctx = centre.pcs[name]
        try:
            workstations.claim(ctx, 6)
            results[name] = "claimed"
        except WorkstationTaken as e:
            results[name] = str(e)
        finally:
            ctx.database.close()
    threads = [threading.Thread(target=claim, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    monkeypatch.undo()
    first, second = sorted(results.values(), key=len)
    assert first == "claimed" and "Số máy tiếp nhận 6 đang thuộc máy" in second
    winner = next(name for name, result in results.items() if result == "claimed")
    ctx = centre.pcs["a"]
    assert [(h.number, h.machine_id) for h in workstations.holders(ctx) if h.number == 6] == [(6, f"pc-{winner}")]
