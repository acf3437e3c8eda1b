"""Office mode: the province gateway's password is each PC's own (counter.sync.settings, `sync.password.may.<machine
id>`), sealed with that PC's key (counter.sync.secret), on a real PostgreSQL (tests/pg.py) against the reference
provincial server: two PCs (two data folders, two machine folders) enter it one after the other, both sync, neither
breaks the other; a PC without one says so in words; a pg_dump of the centre never holds it in clear."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from counter import audit
from counter.dossiers.reception import receive_dossier
from counter.office import local_config, workstations
from counter.setup import open_office_database
from counter.sync import secret, settings
from counter.sync.batch import sync_once
from db import pg_dump
from db.models import Setting
from tests.db.test_concurrency import draft, office  # noqa: F401  (the fixture: this PC is workstation 2)

ENV = "QMC_MACHINE_DIR"


class PC:
    """One PC of the centre: its context (its own data folder) and its machine folder (its local configuration)."""

    def __init__(self, ctx, machine: str):
        self.ctx, self.machine = ctx, machine

    @contextmanager
    def here(self):
        """Run as this PC: its machine folder is the one counter.office.local_config reads."""
        before = os.environ[ENV]
        os.environ[ENV] = self.machine
        try:
            yield self.ctx
        finally:
            os.environ[ENV] = before


@pytest.fixture
def pcs(office, pg_url, tmp_path):  # noqa: F811
    """PC A (the office fixture's, workstation 2) and PC B (another data folder and machine folder, workstation 3),
    the province's addresses and account set (by A) but no password yet."""
    a = PC(office, os.environ[ENV])
    b = PC(None, str(tmp_path / "pc-b" / "machine"))
    with b.here():
        b.ctx = open_office_database(pg_url, tmp_path / "pc-b" / "data", clock=office.clock)
        b.ctx.user = office.user
        workstations.claim(b.ctx, 3)
    yield a, b
    b.ctx.database.close()


def settle(pc: PC, province) -> None:
    with pc.here() as ctx:
        errors, _ = settings.set_values(ctx, {k: v for k, v in province.office_settings().items() if k != "password"})
        assert errors == {}


def enter_password(pc: PC, password: str) -> None:
    with pc.here() as ctx:
        errors, _ = settings.set_values(ctx, {"password": password})
        assert errors == {}


def receive_and_sync(pc: PC, n: int, workstation: int):
    with pc.here() as ctx:
        dossier, _ = receive_dossier(ctx, draft(n, workstation))
        report = sync_once(ctx)
        assert report.complete, report
        return dossier


def test_each_pc_enters_its_own_password_and_neither_breaks_the_other(pcs, province):
    a, b = pcs
    accepted = province.gateway.credentials[1]
    settle(a, province)
    enter_password(a, accepted)
    with b.here() as ctx:  # A's password is sealed with A's key: B has none, and says so in words
        assert settings.load(ctx).password == "" and settings.load(ctx).missing() == ["password"]
        with pytest.raises(settings.SettingsMissing) as missing:
            sync_once(ctx)
        assert str(missing.value) == settings.NO_PASSWORD_HERE
        assert "Máy này chưa có mật khẩu đồng bộ" in str(missing.value) and "password" not in str(missing.value)
        assert {k: v for k, _, v in settings.shown(ctx)}["password"] == settings.NO_PASSWORD_HERE_SHOWN
    with a.here() as ctx:
        assert settings.load(ctx).password == accepted
        assert {k: v for k, _, v in settings.shown(ctx)}["password"] == settings.HIDDEN
    first = receive_and_sync(a, 1, 2)

    enter_password(b, accepted)  # B enters it after A: A's still opens
    second = receive_and_sync(b, 2, 3)
    third = receive_and_sync(a, 3, 2)
    enter_password(a, accepted)  # and A entering it again leaves B's alone
    fourth = receive_and_sync(b, 4, 3)
    at_province = {d["MaHoSo"] for d in province.state()["dossiers"]}
    assert {first.code, second.code, third.code, fourth.code} <= at_province

    with a.here() as ctx_a, ctx_a.bound():
        tokens = {row.key: row.value for row in Setting.select().where(Setting.key.startswith("sync.password"))}
        assert "sync.password" not in tokens  # no shared token the last PC would overwrite
    with a.here():
        key_a = "sync.password.may." + local_config.load().machine_id
    with b.here():
        key_b = "sync.password.may." + local_config.load().machine_id
    assert set(tokens) == {key_a, key_b}
    with pytest.raises(secret.SealError):  # A's token does not open with B's key, nor B's with A's
        secret.unseal(b.ctx.data_dir, tokens[key_a])
    with pytest.raises(secret.SealError):
        secret.unseal(a.ctx.data_dir, tokens[key_b])


def test_a_dump_of_the_centre_does_not_reveal_the_password(pcs, province, tmp_path):
    a, b = pcs
    password = "Mat-khau-rieng-cua-tinh-2026"
    settle(a, province)
    enter_password(a, password)
    enter_password(b, password)
    server = pg_dump.Server.of(a.ctx.database)
    major, _ = pg_dump.server_major(server)
    target = tmp_path / "centre.sql"
    done = pg_dump.run_tool([str(pg_dump.find_tool("pg_dump", major)), "--format=plain", "--no-password",
                             f"--file={target}", f"--dbname={server.url}"], server.password)
    assert done.returncode == 0, done.stderr
    dumped = Path(target).read_text(encoding="utf-8")
    assert "sync.password.may." in dumped and password not in dumped
    said = [e.summary for e in audit.entries(a.ctx) if "Mật khẩu" in e.summary]
    assert len(said) == 2 and all("của máy “" in m for m in said)  # whose PC's password changed, never the value


def test_a_centre_s_shared_password_from_before_stays_its_pc_s_and_moves_to_its_own_key(pcs, province):
    a, b = pcs
    accepted = province.gateway.credentials[1]
    settle(a, province)
    with a.here() as ctx, ctx.transaction():  # sealed by PC A before the tokens were per PC
        Setting.put("sync.password", secret.seal(ctx.data_dir, accepted))
    with a.here() as ctx:
        assert settings.load(ctx).password == accepted
    with b.here() as ctx:
        assert settings.load(ctx).password == ""
    enter_password(a, accepted)
    with a.here() as ctx, ctx.bound():
        assert Setting.get_or_none(Setting.key == "sync.password") is None
        assert settings.load(ctx).password == accepted
    enter_password(b, "")  # B clearing its (absent) password touches nobody else's
    with a.here() as ctx:
        assert settings.load(ctx).password == accepted


def test_clearing_one_pc_s_password_leaves_the_other_s(pcs, province):
    a, b = pcs
    accepted = province.gateway.credentials[1]
    settle(a, province)
    enter_password(a, accepted)
    enter_password(b, accepted)
    enter_password(b, "")
    with b.here() as ctx:
        assert settings.load(ctx).missing() == ["password"]
    with a.here() as ctx:
        assert settings.load(ctx).password == accepted


def test_a_counter_joining_a_centre_keeps_its_sync_password_as_its_own(tmp_path, clock, pg_url):
    """A one-counter office's password, sealed with this PC's key, becomes this PC's own in the centre when the
    counter joins it (counter.office.join), so its syncs go on; another PC of the centre still has none."""
    from counter.office import join
    from counter.setup import DB_FILE
    from tests.db.test_office_join import office_counter

    ctx, _ = office_counter(tmp_path, clock, "quay", 1, 1)
    settings.set_value(ctx, "password", "Mat-khau-cua-quay-1")
    ctx.database.close()
    source = join.open_counter_file(ctx.data_dir / DB_FILE, clock)
    centre = join.open_centre(pg_url, ctx.data_dir, clock)
    try:
        join.join_office(centre, source)
        assert settings.load(centre).password == "Mat-khau-cua-quay-1"
        with centre.bound():
            assert Setting.get_or_none(Setting.key == "sync.password") is None  # never a shared token
        b = PC(centre, str(tmp_path / "pc-b" / "machine"))
        with b.here():
            assert settings.load(centre).password == ""
    finally:
        source.database.close()
        centre.database.close()
