"""`office join` (issue 20): a counter's SQLite database moved into the centre's PostgreSQL database — counts equal,
codes equal, each dossier's history, outbox and attachments follow it, every scan opens, a second run moves nothing,
a dossier the centre holds differently is refused and named, two counters (workstations 1 and 2) both land, a dry
run writes nothing, and what cannot be joined is refused whole. A real throwaway PostgreSQL (tests/pg.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from counter import audit
from counter.dossiers import lifecycle, prints, reception
from counter.errors import ValidationError
from counter.office import join, workstations
from counter.office.first_run import set_up_office
from counter.records import ApplicantInput, GuidanceItem
from counter.scans import attachments
from counter.scans import store as scan_store
from counter.setup import DB_FILE, open_app, open_demo
from db import models as m
from devtools.demo.build import add_demo_dossiers
from tests.counter import scan_samples as s
from tests.counter.lifecycle_steps import UNIT, login, receive
from tests.counter.test_first_run import SETUP

COUNTED = [m.User, m.Applicant, m.Dossier, m.DossierComponent, m.DossierFee, m.DossierHistory, m.OutboxEntry,
           m.PrintLog, m.Guidance, m.DossierPause, m.DossierResult, m.DossierReturn, m.ServiceRating,
           m.DossierApology, m.DossierStop, m.StoredFile, m.Attachment, m.Procedure, m.ProcedureVersion,
           m.ProcedureComponent, m.CodeCounter, m.RegisterCounter]


def counts(ctx) -> dict[str, int]:
    with ctx.bound():
        return {model.__name__: model.select().count() for model in [*COUNTED, m.AuditEntry]}


def followers(ctx) -> dict[str, tuple]:
    """Per dossier code: its history's step uuids, its outbox keys and states, its attachments' uuids and files."""
    with ctx.bound():
        out = {}
        for d in m.Dossier.select():
            out[d.code] = (
                sorted(h.step_uuid for h in m.DossierHistory.select().where(m.DossierHistory.dossier == d.id)),
                sorted((o.kind, o.key, o.state) for o in m.OutboxEntry.select().where(m.OutboxEntry.dossier == d.id)),
                sorted((a.uuid, a.file.sha256, a.reused_from.uuid if a.reused_from_id else None)
                       for a in m.Attachment.select().where(m.Attachment.dossier == d.id)),
                d.register_book, d.register_number, d.workstation, d.received_by.username if d.received_by else None,
                d.applicant.id_number,
            )
        return out


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo counter: a few hundred dossiers, scans on some (one reused), a guidance slip and prints; built once
    and copied for each test (the join only reads it)."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    with pytest.MonkeyPatch.context() as patch:  # built before the per-test machine folder: a code ledger of its own
        patch.setenv("QMC_MACHINE_DIR", str(folder.parent / "machine"))
        return _demo_counter(folder)


def _demo_counter(folder):
    from tests.conftest import FixedClock, at
    ctx = open_demo(folder, clock=FixedClock(at("2026-02-13 10:00")))
    add_demo_dossiers(ctx, 300, seed=7)
    login(ctx, "canbo")
    scans = folder.parent / "scans-in"
    scans.mkdir()
    first = receive(ctx)
    attachments.attach_component(ctx, first.code, 1, [s.jpeg(scans / "a.jpg", s.RED)])
    second = receive(ctx)
    attachments.attach_component(ctx, second.code, 1, [s.jpeg(scans / "b.jpg", s.GREEN)])
    attachments.attach_component(ctx, second.code, 1, [s.jpeg(scans / "c.jpg", s.BLUE)])  # replaces: kept, marked
    lifecycle.handover(ctx, second.code, UNIT)
    guidance, _ = reception.record_guidance(ctx, "1.004873", ApplicantInput(id_number="038090099999",
                                            full_name="Lê Thị Hoa"), [GuidanceItem("Tờ khai", "Chưa ký")], "Thiếu")
    prints.log_print(ctx, "mau01", dossier_code=first.code, target="PDF")
    prints.log_print(ctx, "mau02", guidance_id=guidance.id, target="PDF")
    audit.record(ctx, "settings", "Một thay đổi thử")
    ctx.database.close()
    return folder


@pytest.fixture
def counter(demo_file, tmp_path, clock):
    import shutil
    folder = tmp_path / "counter"
    shutil.copytree(demo_file, folder)
    source = join.open_counter_file(folder / DB_FILE, clock)
    yield source
    source.database.close()


@pytest.fixture
def centre(pg_url, tmp_path, clock):
    ctx = join.open_centre(pg_url, tmp_path / "centre-pc", clock)
    yield ctx
    ctx.database.close()


def test_every_table_has_a_policy():
    assert set(join.POLICY) == set(m.MODELS)
    moving = [model for model, policy in join.POLICY.items() if policy not in ("never", "centre", "claim")]
    assert all(model in join.LABELS for model in [*moving, m.Office, m.Setting])  # the report names what it moves


def test_the_demo_counter_lands_whole_and_a_second_run_moves_nothing(counter, centre):
    before = counts(counter)
    report = join.join_office(centre, counter)
    assert not report.refused and not report.dry_run
    after = counts(centre)
    for model in COUNTED:
        assert after[model.__name__] == before[model.__name__], model.__name__
    assert after["AuditEntry"] == before["AuditEntry"] + 1  # the counter's rows, then the join's own
    assert report.moved["hồ sơ"] == before["Dossier"] > 300
    assert followers(centre) == followers(counter)  # codes equal, and what follows each dossier
    assert audit.verify(centre).ok  # the chain continued, unbroken
    with centre.bound():  # every scan opens: the files stay in this PC's data folder (no shared store yet)
        shas = {a.file.sha256 for a in m.Attachment.select()}
    assert len(shas) == 3 and set(report.scans_left) == shas
    for sha in shas:
        assert scan_store.file_path(counter.data_dir, sha).read_bytes()[:5] == b"%PDF-"
    assert any("bản số hóa vẫn nằm" in line for line in report.lines())

    again = join.join_office(centre, counter)
    assert again.total_moved == 0 and not again.refused, again.moved
    assert counts(centre) == after
    assert again.already["hồ sơ"] == before["Dossier"]
    assert "Không có gì mới để chuyển" in "\n".join(again.lines())


def test_a_dry_run_says_what_it_would_move_and_writes_nothing(counter, centre):
    empty = counts(centre)
    report = join.join_office(centre, counter, dry_run=True)
    assert report.dry_run and report.moved["hồ sơ"] == counts(counter)["Dossier"]
    assert report.lines()[0].startswith("Chạy thử (chưa ghi gì)")
    assert counts(centre) == empty


def test_a_dossier_changed_here_after_it_moved_is_refused_and_named_one_gone_on_at_the_centre_is_not(
        centre, tmp_path, clock):
    from datetime import timedelta
    counter, codes = office_counter(tmp_path, clock, "one", 1, 3)
    join.join_office(centre, counter)
    changed, progressed = codes[0], codes[1]
    with counter.bound():
        m.Dossier.update(summary="sửa sau khi đã chuyển", updated_at=clock.now() + timedelta(hours=1)).where(
            m.Dossier.code == changed).execute()
    with centre.bound():
        kept = m.Dossier.get(m.Dossier.code == changed).summary
    centre.user = counter.user
    clock.advance(hours=2)
    lifecycle.handover(centre, progressed, UNIT)  # the centre goes on with another one: not a conflict
    report = join.join_office(centre, counter)
    assert [c for c, _ in report.refused] == [changed]
    assert "đã thay đổi ở quầy" in report.refused[0][1] and "summary" in report.refused[0][1]
    assert report.total_moved == 0 and report.already["hồ sơ"] == 2, (report.moved, report.already)
    assert any(changed in line for line in report.lines())
    with centre.bound():
        assert m.Dossier.get(m.Dossier.code == changed).summary == kept  # never overwritten


def test_another_dossier_under_a_code_the_centre_holds_is_refused(centre, tmp_path, clock, monkeypatch, machine_dir):
    one, codes = office_counter(tmp_path, clock, "one", 1, 1)
    join.join_office(centre, one)
    workstations.claim(centre, 1)  # this PC holds number 1 at the centre: its codes there are not checked as a clash
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "reinstalled"))  # the same PC's number, a copy made afresh
    again, again_codes = office_counter(tmp_path, clock, "again", 1, 1)
    assert again_codes == codes
    monkeypatch.setenv("QMC_MACHINE_DIR", str(machine_dir))  # joined from the PC that holds number 1
    report = join.join_office(centre, again)
    assert [c for c, _ in report.refused] == codes and "một hồ sơ khác mang cùng mã" in report.refused[0][1]


def office_counter(tmp_path, clock, name, workstation, n):
    ctx = open_app(tmp_path / name, clock=clock)
    ctx.user, _ = set_up_office(ctx, replace(SETUP, office=replace(SETUP.office, workstation=workstation)))
    codes = [receive(ctx, applicant=ApplicantInput(id_number=f"03809000{workstation}{i:03d}",
                                                   full_name=f"Người {workstation} {i}")).code for i in range(n)]
    return ctx, codes


def test_two_counters_with_workstations_1_and_2_both_land(tmp_path, clock, centre, monkeypatch):
    def on_pc(name):  # each counter is a PC of its own: its code ledger and configuration
        monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / name))

    on_pc("pc-1")
    one, codes_one = office_counter(tmp_path, clock, "one", 1, 3)
    first = join.join_office(centre, one)
    workstations.claim(centre, 1)
    on_pc("pc-2")
    two, codes_two = office_counter(tmp_path, clock, "two", 2, 4)
    second = join.join_office(centre, two)
    workstations.claim(centre, 2)
    assert first.moved["hồ sơ"] == 3 and second.moved["hồ sơ"] == 4
    assert (first.workstation, second.workstation) == (1, 2) and first.ledger_moved and second.ledger_moved
    assert second.already["người dùng"] == 1  # the same administrator's user name: one person
    assert second.differences == []  # the same office, calendar, catalogue and settings; the number is the PC's
    with centre.bound():
        rows = {d.code: (d.workstation, d.register_book, d.register_number) for d in m.Dossier.select()}
        assert m.User.select().count() == 1
        assert m.RegisterCounter.get(m.RegisterCounter.book == "01/2026").last_number == 4
    assert set(rows) == set(codes_one) | set(codes_two)
    assert {rows[c][0] for c in codes_one} == {1} and {rows[c][0] for c in codes_two} == {2}
    assert sorted(rows[c][2] for c in codes_one) == [1, 2, 3] and sorted(rows[c][2] for c in codes_two) == [1, 2, 3, 4]
    assert audit.verify(centre).ok
    login(centre, "quantri")
    after_two = receive(centre, applicant=ApplicantInput(id_number="038090777777", full_name="Sau Khi Gộp"))
    on_pc("pc-1")
    centre.workstation = 1
    after_one = receive(centre, applicant=ApplicantInput(id_number="038090777778", full_name="Sau Khi Gộp Hai"))
    assert after_two.code.endswith("-2004") and after_one.code.endswith("-1003")  # past the joined codes
    assert after_two.register_number == 5 and after_one.register_number == 6  # the centre's book, shared


def test_a_number_the_centre_registered_to_another_pc_is_refused_whole(tmp_path, clock, centre, monkeypatch):
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "pc-1"))
    one, _ = office_counter(tmp_path, clock, "one", 1, 1)
    join.join_office(centre, one)
    workstations.claim(centre, 1)
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "pc-9"))
    other, _ = office_counter(tmp_path, clock, "other", 1, 1)
    before = counts(centre)
    with pytest.raises(ValidationError, match="đã thuộc máy"):
        join.join_office(centre, other)
    assert counts(centre) == before
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "pc-1"))  # the PC that holds it may join again
    assert join.join_office(centre, one).total_moved == 0


def test_two_machines_with_one_workstation_number_on_one_day_are_refused_whole(tmp_path, clock, centre, monkeypatch):
    one, _ = office_counter(tmp_path, clock, "one", 1, 2)
    monkeypatch.setenv("QMC_MACHINE_DIR", str(tmp_path / "other-pc"))  # another PC, its own code ledger
    other, _ = office_counter(tmp_path, clock, "other", 1, 2)
    join.join_office(centre, one)
    before = counts(centre)
    with pytest.raises(ValidationError, match="hai máy đã dùng chung một số máy"):
        join.join_office(centre, other)
    assert counts(centre) == before


def test_a_source_of_another_schema_version_is_refused(counter, centre):
    with counter.bound():
        m.Meta.update(value="18").where(m.Meta.key == "schema_version").execute()
    with pytest.raises(ValidationError, match="phiên bản 18"):
        join.join_office(centre, counter)
    assert counts(centre)["Dossier"] == 0


def test_a_target_that_is_not_postgresql_is_refused(counter, tmp_path, clock):
    other = open_app(tmp_path / "other", clock=clock)
    with pytest.raises(ValidationError, match="không phải PostgreSQL"):
        join.join_office(other, counter)
    other.database.close()


def test_settings_the_centre_lacks_are_added_but_the_sealed_password_and_the_centres_own_are_kept(tmp_path, clock,
                                                                                                   centre):
    one, _ = office_counter(tmp_path, clock, "one", 1, 1)
    two, _ = office_counter(tmp_path, clock, "two", 2, 1)
    for ctx, url in ((one, "https://mot.example"), (two, "https://hai.example")):
        with ctx.transaction():
            m.Setting.put("sync.gateway_url", url)
            m.Setting.put("sync.password", "v2:niêm-phong-cho-máy-này")
    first = join.join_office(centre, one)
    assert first.moved["thiết lập"] >= 1
    assert any("mật khẩu đồng bộ" in d for d in first.differences)
    second = join.join_office(centre, two)
    assert any("sync.gateway_url" in d for d in second.differences)
    with centre.bound():
        assert m.Setting.get(m.Setting.key == "sync.gateway_url").value == "https://mot.example"
        assert m.Setting.get_or_none(m.Setting.key == "sync.password") is None


def test_a_demo_counter_never_enters_a_real_centre(counter, centre):
    centre.user, _ = set_up_office(centre, SETUP)
    before = counts(centre)
    with pytest.raises(ValidationError, match="bản dùng thử"):
        join.join_office(centre, counter)
    assert counts(centre) == before
