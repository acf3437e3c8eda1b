"""Golden payloads: the exact calls we make for six dossiers, in each dialect, against files in tests/sync/golden/.

Each dossier is built through the real intents on the fixed clock, then sent by the real client to the strict
reference server (which must accept every call); the requests are captured as they leave (path and body, the
session token blanked) and compared with `golden/<dialect>/<dossier>.json`. Any change to the wire format —
a field renamed, added, retyped or reordered — fails here and shows in review as a diff of those files.
After a deliberate change: `QMC_REGEN_GOLDEN=1 pytest tests/sync/test_golden.py`, then review the diff
against the peers' DTOs (golden/README.md says how).
"""

import json
import os
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from counter.dossiers import lifecycle, reception
from counter.records import ApplicantInput, DossierDraft, GuidanceItem
from counter.scans import attachments
from counter.sync import engine, settings
from counter.sync.dialects import connect
from tests.counter import scan_samples as s
from tests.counter.lifecycle_steps import CERTIFIED_COPIES
from tests.sync.conftest import AN, settings_for

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("QMC_REGEN_GOLDEN") == "1"
FILE_URL = "https://dvc.example.gov.vn/tep/{sha256}"  # the province's address for a paper it was not sent
UNIT = "Công chức Tư pháp - Hộ tịch"
BINH = ApplicantInput(id_number="038185009876", full_name="Trần Thị Bình", phone="0987654321",
                      address="Thôn 1, Xã Quảng Hùng, Thanh Hóa", email="binh@example.vn")


def simple(ctx, tmp_path) -> str:
    return reception.receive_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN,
                                                       summary="Xác nhận tình trạng hôn nhân để kết hôn"))[0].code


def supplement(ctx, tmp_path) -> str:
    code = simple(ctx, tmp_path)
    ctx.clock.advance(hours=1)
    lifecycle.handover(ctx, code, UNIT)
    ctx.clock.advance(hours=2)
    lifecycle.request_supplement(ctx, code, [GuidanceItem("Tờ khai", "Thiếu chữ ký người yêu cầu")],
                                 "Tờ khai chưa ký")
    ctx.clock.advance(days=3)
    lifecycle.receive_supplement(ctx, code)
    return code


def fees(ctx, tmp_path) -> str:
    draft = DossierDraft(procedure_code="2.000815", applicant=BINH, components=CERTIFIED_COPIES)
    code = reception.receive_dossier(ctx, draft)[0].code
    ctx.clock.advance(minutes=20)
    lifecycle.handover(ctx, code, "Công chức Tư pháp - Hộ tịch")
    ctx.clock.advance(hours=1)
    lifecycle.record_result(ctx, code, "125/SCT-BS")
    return code


def scans(ctx, tmp_path) -> str:
    code = reception.receive_dossier(ctx, DossierDraft(procedure_code="2.001035", applicant=BINH))[0].code
    attachments.attach_component(ctx, code, 1, [s.jpeg(tmp_path / "hop-dong.jpg", s.RED)])
    attachments.attach_component(ctx, code, 2, [s.png(tmp_path / "cccd.png", s.BLUE)])
    return code


def refused(ctx, tmp_path) -> str:
    draft = DossierDraft(procedure_code="1.001193", applicant=AN)
    return reception.refuse_dossier(ctx, draft, "Thiếu giấy chứng sinh")[0].code


def returned_rated(ctx, tmp_path) -> str:
    code = simple(ctx, tmp_path)
    ctx.clock.advance(hours=1)
    lifecycle.handover(ctx, code, UNIT)
    ctx.clock.advance(days=2)
    lifecycle.record_result(ctx, code, "12/2026/XN")
    ctx.clock.advance(hours=3)
    lifecycle.return_result(ctx, code, "Trần Văn Bình", "038185009877")
    lifecycle.rate_service(ctx, code, "satisfied")
    return code


DOSSIERS = (simple, supplement, fees, scans, refused, returned_rated)


@pytest.fixture
def fixed_uuids(monkeypatch):
    """Papers' ids (TepDinhKemId, GiayToId) are uuid4: numbered instead, so the bodies are the same every run.
    Only the attachments module's: other uuids (history steps, …) must not shift the numbers."""
    numbers = iter(range(1, 10_000))
    monkeypatch.setattr(attachments, "uuid", SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(numbers))))


def captured(client) -> list[dict]:
    calls: list[dict] = []

    def keep(request) -> None:
        body = json.loads(request.content)
        if isinstance(body, dict) and "session" in body:
            body["session"] = "<session>"
        calls.append({"path": urlsplit(str(request.url)).path, "body": body})

    client.transport._http.event_hooks["request"].append(keep)
    return calls


def test_the_bodies_we_send_are_the_golden_ones(ctx, clerk, province, tmp_path, fixed_uuids):
    settings.set_value(ctx, "file_url", FILE_URL)
    config = settings_for(province, file_url=FILE_URL)
    changed = []
    with connect(config) as client:
        client.login()
        calls = captured(client)
        for build in DOSSIERS:
            ctx.clock.advance(minutes=5)
            code = build(ctx, tmp_path)
            calls.clear()
            report = engine.push(ctx, client)
            assert report.attention == [] and report.retry == [], (build.__name__, report)
            assert code in report.synced
            if not _matches(province.dialect, build.__name__, calls):
                changed.append(build.__name__)
    assert not changed, (f"the wire format changed for {changed}: compare with tests/sync/golden/{province.dialect}/ "
                         "and, if intended, regenerate with QMC_REGEN_GOLDEN=1")


def _matches(dialect: str, name: str, calls: list[dict]) -> bool:
    path = GOLDEN / dialect / f"{name}.json"
    text = json.dumps(calls, ensure_ascii=False, indent=1) + "\n"
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return True
    return path.exists() and path.read_text(encoding="utf-8") == text
