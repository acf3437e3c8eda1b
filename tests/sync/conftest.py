"""A client logged in to the reference provincial server (`province`, tests/conftest.py), a dossier to send,
and the steps the sync tests share."""

import pytest

from counter.dossiers import reception
from counter.records import ApplicantInput, DossierDraft
from counter.sync.client import ProvinceClient
from tests.conftest import CREDENTIALS

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An", phone="0912345678",
                    address="Thôn 3, Xã Quảng Hùng, Thanh Hóa")


@pytest.fixture
def client(province):
    with ProvinceClient(province.url, *CREDENTIALS, dstcode="H56", timeout=2.0) as c:
        yield c


@pytest.fixture
def dossier(ctx, clerk):
    """A dossier just received at this counter, not yet sent."""
    return receive(ctx)


def receive(ctx, procedure: str = "1.004873", **kw):
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code=procedure, applicant=AN, **kw))
    return dossier


def configure(ctx, server, *, password: str = CREDENTIALS[1], timeout: str = "2") -> None:
    """Point this installation's sync settings at `server`."""
    from counter.sync import settings
    for key, value in {"gateway_url": server.url, "username": CREDENTIALS[0], "password": password,
                       "dstcode": "H56", "timeout": timeout}.items():
        settings.set_value(ctx, key, value)
