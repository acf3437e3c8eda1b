"""A small history for the register's tests, built through the real intents (counter.dossiers.lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass

from counter.dossiers import lifecycle, reception
from counter.records import ApplicantInput, DossierDraft, GuidanceItem
from tests.conftest import at
from tests.counter.lifecycle_steps import AN, CERTIFIED_COPIES, UNIT, login, receive

BINH = ApplicantInput(id_number="038190004321", full_name="Trần Thị Bình", phone="0987654321",
                      address="Thôn 5, Xã Quảng Hùng, Thanh Hóa")
LONG_NAME = ("Công ty trách nhiệm hữu hạn một thành viên thương mại dịch vụ và xây dựng tổng hợp "
             "Quảng Hùng")
COMPANY = ApplicantInput(id_number="038090077777", full_name=LONG_NAME, phone="0237111222",
                         address="Số 12 đường Lê Lợi, thôn Trung Chính, xã Quảng Hùng, tỉnh Thanh Hóa, Việt Nam")


@dataclass(frozen=True)
class History:
    before: str  # received 12/02, outside a range starting 13/02
    returned: str  # handed over 13/02 14:00, result back 16/02 09:00, returned 17/02 08:30 to an authorised person
    withdrawn: str
    apologised: str  # supplement asked, received, then an apology with a new due date
    company: str  # long names; still at the desk
    refused: str  # no line


def build(ctx, clock) -> History:
    clerk = login(ctx, "canbo")
    clock.at = at("2026-02-12 09:00")
    before = receive(ctx).code
    clock.at = at("2026-02-13 08:00")
    returned = receive(ctx, procedure="1.004873", applicant=AN).code
    clock.at = at("2026-02-13 08:30")
    withdrawn = receive(ctx, applicant=BINH).code
    clock.at = at("2026-02-13 09:00")
    apologised = receive(ctx, applicant=BINH).code
    clock.at = at("2026-02-13 09:30")
    refused = reception.refuse_dossier(ctx, DossierDraft(procedure_code="1.004873", applicant=AN, components=()),
                                       "Không thuộc thẩm quyền")[0].code
    clock.at = at("2026-02-13 10:00")
    company = receive(ctx, procedure="2.000815", applicant=COMPANY, components=CERTIFIED_COPIES, sets=2).code
    clock.at = at("2026-02-13 14:00")
    lifecycle.handover(ctx, returned, UNIT)
    lifecycle.handover(ctx, apologised, UNIT)
    clock.at = at("2026-02-13 15:00")
    lifecycle.withdraw(ctx, withdrawn, "Công dân không còn nhu cầu")
    lifecycle.request_supplement(ctx, apologised, [GuidanceItem("Tờ khai", "Chưa ký")], "Tờ khai chưa ký")
    clock.at = at("2026-02-16 09:00")
    lifecycle.record_result(ctx, returned, "15/2026/XNHN")
    lifecycle.receive_supplement(ctx, apologised)
    clock.at = at("2026-02-17 08:30")
    lifecycle.return_result(ctx, returned, "Nguyễn Văn Cường", "038090099999")
    login(ctx, "lanhdao")
    lifecycle.apologise(ctx, apologised, "Cần xác minh thêm", at("2026-03-02 10:00"))
    ctx.user = clerk
    return History(before=before, returned=returned, withdrawn=withdrawn, apologised=apologised, company=company,
                   refused=refused)
