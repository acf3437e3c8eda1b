"""A client of the reference provincial server (`province`, tests/conftest.py), a dossier to send, and the steps
the sync tests share. Every test here that uses the server runs in both dialects (docs/portal.md)."""

import pytest

from counter.dossiers import reception
from counter.records import ApplicantInput, DossierDraft
from counter.sync.dialects import connect
from counter.sync.payload import step_payload
from counter.sync.profiles import profile
from counter.sync.settings import SyncSettings
from tests.conftest import CREDENTIALS

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")
MADONVI = "000.00.06.H56"


@pytest.fixture(params=["opencps", "gateway"])
def province_dialect(request):
    return request.param


def settings_for(server, *, password: str = CREDENTIALS[1], timeout: float = 2.0, **over) -> SyncSettings:
    """What an installation pointed at `server` reads from its settings (the dialect's profile included)."""
    base = profile(server.dialect)
    fields = {"dialect": server.dialect, "gateway_url": server.endpoint, "login_url": server.login_url,
              "username": CREDENTIALS[0], "password": password, "dstcode": "H56", "madonvi": MADONVI,
              "timeout": timeout, "statuses": base.statuses, "steps_per_call": base.steps_per_call,
              "paths": base.paths, **over}
    return SyncSettings(**fields)


@pytest.fixture
def client(province):
    with connect(settings_for(province)) as c:
        yield c


@pytest.fixture
def dossier(ctx, clerk):
    """A dossier just received at this counter, not yet sent."""
    return receive(ctx)


def receive(ctx, procedure: str = "1.004873", **kw):
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code=procedure, applicant=AN, **kw))
    return dossier


def configure(ctx, server, *, password: str = CREDENTIALS[1], timeout: str = "2") -> None:
    """Point this installation's sync settings at `server`, in its dialect."""
    from counter.sync import settings
    errors, _ = settings.set_values(ctx, server.office_settings(password=password, timeout=timeout))
    assert not errors, errors


def has_step(server, dossier, entry) -> bool:
    """Whether the province holds the progress step of `entry` (a history entry of `dossier`, a record): steps
    carry no id of ours on the wire, so it is found by its content (the actor's title aside)."""
    expected = step_payload(entry, dossier, statuses=profile(server.dialect).statuses)
    return any({**s, "ChucDanh": ""} == {**expected, "ChucDanh": ""} for s in server.state()["steps"])
