"""Hand-made records for the printing tests and the sample renderings in docs/forms/."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from counter.clock import VN_TZ
from counter.records import (
    Applicant,
    Dossier,
    DossierComponent,
    Fee,
    Guidance,
    GuidanceItem,
    HistoryEntry,
    Office,
    TimeRule,
)
from counter.status import Status

CODE = "000.00.06.H56-260213-0001"
LOOKUP = "https://dichvucong.thanhhoa.gov.vn/tra-cuu?MHS={code}"
NAME = "Nguyễn Thị Hồng Nhung"
ADDRESS = "Thôn 3, Xã Quảng Hùng, Thanh Hóa"
# 100 characters: the longest name the normal case must keep on one page.
PROCEDURE = "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con cho trẻ em sinh ra tại cơ sở y tế của xã"
assert len(PROCEDURE) == 100


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def office(**changes) -> Office:
    base = Office(
        agency_id="000.00.06.H56", parent_name="UBND xã Quảng Hùng",
        office_name="Trung tâm Phục vụ hành chính công", place_name="Quảng Hùng",
        address="Thôn 5, xã Quảng Hùng, tỉnh Thanh Hóa", phone="0237 3821 456", register_book="02",
    )
    return replace(base, **changes)


def applicant(**changes) -> Applicant:
    base = Applicant(id=7, id_number="038090012345", full_name=NAME, address=ADDRESS,
                     phone="0912 345 678", email="nhung.nguyen@example.vn")
    return replace(base, **changes)


COMPONENTS = (
    DossierComponent(1, "Tờ khai đăng ký khai sinh (theo mẫu)", "bản chính"),
    DossierComponent(2, "Giấy chứng sinh do cơ sở y tế cấp", "bản chính"),
    DossierComponent(3, "Giấy chứng nhận kết hôn của cha, mẹ", "bản sao chứng thực"),
    DossierComponent(4, "Căn cước của người đi đăng ký", "bản photo"),
    DossierComponent(5, "Văn bản ủy quyền (nếu có)", "bản chính", handed_over=False),
)


def dossier(**changes) -> Dossier:
    """Received Friday 13/02/2026 10:05; three working days skip Tết (14–22/02): due 25/02 10:05."""
    base = Dossier(
        id=1, code=CODE, status=Status.RECEIVED, procedure_code="1.001193", procedure_name=PROCEDURE,
        procedure_version=1, time_rule=TimeRule("working_days", 3), applicant_id=7, applicant=applicant(),
        applicant_kind=1, channel=1, return_method=0, summary="Đăng ký khai sinh cho con thứ hai", sets=1,
        components=COMPONENTS, fees=(Fee("Lệ phí cấp bản sao trích lục khai sinh", 8000),), fee_total=8000,
        fee_exempt_reason="", received_at=at("2026-02-13 10:05"), due_at=at("2026-02-25 10:05"),
        original_due_at=at("2026-02-25 10:05"), unit="Trung tâm Phục vụ hành chính công",
        register_book="02", register_number=37, received_by="Lê Văn Tâm", workstation=1,
        has_digitised=True, updated_at=at("2026-02-13 10:06"),
    )
    if "due_at" in changes:  # as at reception, unless a test moves the appointment on
        changes.setdefault("original_due_at", changes["due_at"])
    return replace(base, **changes)


def long_dossier() -> Dossier:
    """40 components and a 400-character procedure name: must flow onto more pages."""
    name = ("Thủ tục cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với "
            "đất lần đầu cho hộ gia đình, cá nhân đang sử dụng đất ổn định, không có tranh chấp, phù hợp "
            "quy hoạch, kèm theo đăng ký biến động do chuyển nhượng, tặng cho, thừa kế một phần diện tích "
            "và đính chính thông tin về thửa đất, nhà ở trên Giấy chứng nhận đã cấp trước đây theo đề nghị")
    name += " của người đang sử dụng đất"
    assert len(name) == 400
    forms = ("bản chính", "bản sao chứng thực", "bản photo")
    components = tuple(
        DossierComponent(i, f"Giấy tờ số {i:02d}: văn bản, hợp đồng hoặc giấy xác nhận liên quan đến thửa "
                            f"đất và tài sản gắn liền với đất (tờ bản đồ {i}, thửa {100 + i})", forms[i % 3])
        for i in range(1, 41))
    return dossier(procedure_name=name, summary="", components=components, time_rule=TimeRule("working_days", 15))


def guidance(**changes) -> Guidance:
    base = Guidance(
        id=3, at=at("2026-02-13 09:40"), applicant=applicant(), procedure_code="1.001193",
        procedure_name=PROCEDURE,
        items=(GuidanceItem("Giấy chứng sinh", "Nộp bản chính; bản đã nộp là bản photo không có chứng thực"),
               GuidanceItem("Tờ khai đăng ký khai sinh", "Ghi đầy đủ quê quán của người mẹ; ký và ghi rõ họ tên")),
        reason="Hồ sơ chưa đầy đủ thành phần theo quy định.", clerk_name="Lê Văn Tâm", clerk_phone="0987 654 321",
    )
    return replace(base, **changes)


EIGHT_COMPONENTS = (  # catalogue-like names, 25 to 64 characters: the longest wrap in the table
    "Tờ khai đăng ký khai sinh (theo mẫu)",
    "Giấy chứng sinh do cơ sở y tế cấp",
    "Giấy chứng nhận kết hôn của cha, mẹ",
    "Giấy xác nhận tình trạng hôn nhân đã cấp trước đây (nếu cấp lại)",
    "Văn bản ủy quyền có chứng thực (trường hợp nộp thay)",
    "Căn cước của người đi đăng ký",
    "Giấy tờ chứng minh đã ly hôn / người kia đã chết (nếu có)",
    "Văn bản cam đoan về việc sinh (nếu không có giấy chứng sinh)",
)


def eight_component_dossier() -> Dossier:
    """The largest normal case: 8 components, a 100-character procedure name, a summary, a fee and the
    lookup QR. It must fit on one page per copy."""
    forms = ("bản chính", "bản sao chứng thực", "bản photo")
    components = tuple(DossierComponent(i, name, forms[i % 3], quantity=i % 2 + 1)
                       for i, name in enumerate(EIGHT_COMPONENTS, start=1))
    return dossier(components=components)


DESK = "Trung tâm Phục vụ hành chính công"
CIVIL = "Công chức Tư pháp - Hộ tịch"
LEADER = "Lãnh đạo UBND xã"


def entry(when: str, action: str, from_status: Status | None, to_status: Status, from_unit: str = "",
          to_unit: str = "", note: str = "", actor: str = "Lê Văn Tâm") -> HistoryEntry:
    return HistoryEntry(at(when), action, from_status, to_status, from_unit, to_unit, actor, note, f"step-{when}")


def history() -> tuple[HistoryEntry, ...]:
    """Reception, hand-overs before, on and after the due day (25/02 10:05), the result back, the return."""
    s = Status
    return (
        entry("2026-02-13 10:05", "receive", None, s.RECEIVED, "", DESK, "Tiếp nhận hồ sơ"),
        entry("2026-02-13 14:30", "handover", s.RECEIVED, s.IN_PROGRESS, DESK, CIVIL, "Chuyển hồ sơ giấy"),
        entry("2026-02-25 09:15", "handover", s.IN_PROGRESS, s.IN_PROGRESS, CIVIL, LEADER, "Trình ký"),
        entry("2026-02-26 08:00", "record_result", s.IN_PROGRESS, s.RESULT_READY, LEADER, DESK,
              "Kết quả: Giấy khai sinh số 15/2026"),
        entry("2026-02-26 10:30", "return_result", s.RESULT_READY, s.RETURNED, DESK, DESK, "Trả kết quả"),
        entry("2026-02-26 10:32", "rate_service", s.RETURNED, s.RETURNED, DESK, DESK, "Rất hài lòng"),
    )


def handed_over_dossier(**changes) -> Dossier:
    return dossier(status=Status.RETURNED, unit=DESK, history=history(), **changes)


def many_handovers(count: int = 40) -> tuple[HistoryEntry, ...]:
    """Reception then `count - 1` hand-overs back and forth, three a day (8:00, 10:00, 14:00) from 13/02: the
    later ones fall after the due date."""
    entries = [entry("2026-02-13 10:05", "receive", None, Status.RECEIVED, "", DESK, "Tiếp nhận hồ sơ")]
    units = (CIVIL, LEADER)
    for i in range(1, count):
        when = at("2026-02-13 00:00") + timedelta(days=i // 3, hours=(8, 10, 14)[i % 3])
        giver, taker = (DESK if i == 1 else units[i % 2]), units[(i + 1) % 2]
        entries.append(HistoryEntry(when, "handover", Status.RECEIVED if i == 1 else Status.IN_PROGRESS,
                                    Status.IN_PROGRESS, giver, taker, "Lê Văn Tâm",
                                    f"Lần chuyển số {i:02d}: xem xét, bổ sung ý kiến chuyên môn", f"step-{i}"))
    return tuple(entries)


# 400 characters: the longest reason an apology or a stop notice must print whole.
LONG_REASON = ("Hồ sơ cần xác minh thông tin về nơi cư trú của người mẹ tại địa phương khác; cơ quan được đề "
               "nghị xác minh chưa có văn bản trả lời do hệ thống cơ sở dữ liệu quốc gia về dân cư đang được nâng "
               "cấp, đồng bộ dữ liệu; đồng thời công chức Tư pháp - Hộ tịch phải kiểm tra lại giấy chứng sinh do "
               "cơ sở y tế tuyến huyện cấp có ngày sinh không thống nhất với tờ khai, cần đính chính trước "
               "khi trình ký kết quả.")
assert len(LONG_REASON) == 400, len(LONG_REASON)
