"""Mẫu 02 (guidance at the counter, supplement during processing) and Mẫu 03 (refusal)."""

from counter.records import GuidanceItem, HistoryEntry
from counter.status import Status
from printing.mau02 import build_guidance, build_supplement_request
from printing.mau03 import build_refusal
from tests.printing import pdf, samples
from tests.printing.samples import CODE, NAME, at

ITEMS = (GuidanceItem("Bản vẽ sơ đồ thửa đất", "Bổ sung chữ ký xác nhận của các hộ liền kề"),)


def _entry(when: str, status: Status) -> HistoryEntry:
    return HistoryEntry(at(when), "status", Status.RECEIVED, status, "", "", "Lê Văn Tâm", "", "uuid")


def test_guidance_lists_what_to_complete_and_whom_to_ask():
    text = pdf.page_texts(build_guidance(samples.guidance(), samples.office()))
    assert len(text) == 1
    page = text[0]
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Quảng Hùng, ngày 13 tháng 02 năm 2026", f"Hồ sơ của: {NAME}",
        "Địa chỉ: Thôn 3, Xã Quảng Hùng, Thanh Hóa", f"Nội dung yêu cầu giải quyết: {samples.PROCEDURE}",
        "TT Tên giấy tờ Nội dung cần bổ sung, hoàn thiện",
        "1 Giấy chứng sinh Nộp bản chính; bản đã nộp là bản photo không có chứng thực",
        "2 Tờ khai đăng ký khai sinh Ghi đầy đủ quê quán của người mẹ; ký và ghi rõ họ tên",
        "Lý do: Hồ sơ chưa đầy đủ thành phần theo quy định.",
        "liên hệ với Lê Văn Tâm, số điện thoại 0987 654 321 để được hướng dẫn",
        "NGƯỜI HƯỚNG DẪN", "(Ký và ghi rõ họ tên)",
    ):
        assert expected in page, expected
    assert "Mã hồ sơ" not in page  # not received: no code
    assert pdf.barcodes(build_guidance(samples.guidance(), samples.office())) == {}


def test_guidance_falls_back_to_the_office_phone():
    page = pdf.page_texts(build_guidance(samples.guidance(clerk_phone=""), samples.office()))[0]
    assert "số điện thoại 0237 3821 456 để được hướng dẫn" in page


def test_guidance_is_invariant_on_request():
    guidance, office = samples.guidance(), samples.office()
    assert build_guidance(guidance, office, invariant=True) == build_guidance(guidance, office, invariant=True)


def test_supplement_request_cites_the_code_with_its_barcode():
    dossier = samples.dossier(history=(_entry("2026-02-17 14:20", Status.SUPPLEMENT),))
    request = build_supplement_request(dossier, ITEMS, "Thiếu xác nhận ranh giới", samples.office(), "Lê Văn Tâm")
    page = pdf.page_texts(request)[0]
    for expected in (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Quảng Hùng, ngày 17 tháng 02 năm 2026", f"Mã hồ sơ: {CODE}",
        f"Hồ sơ của: {NAME}", "Ngày tiếp nhận hồ sơ: 10 giờ 05 phút, ngày 13/02/2026",
        "1 Bản vẽ sơ đồ thửa đất Bổ sung chữ ký xác nhận của các hộ liền kề", "Lý do: Thiếu xác nhận ranh giới",
        "liên hệ với Lê Văn Tâm, số điện thoại 0237 3821 456", "NGƯỜI HƯỚNG DẪN",
        "Thời hạn giải quyết hồ sơ tạm dừng",
    ):
        assert expected in page, expected
    assert pdf.barcodes(request)["Code128"] == [CODE]


def test_supplement_request_date_can_be_given():
    request = build_supplement_request(samples.dossier(), ITEMS, "Thiếu", samples.office(), "Lê Văn Tâm",
                                       at=at("2026-03-02 08:00"))
    assert "Quảng Hùng, ngày 02 tháng 3 năm 2026" in pdf.page_texts(request)[0]


def test_refusal_gives_the_reason_and_the_clerk():
    dossier = samples.dossier(status=Status.REFUSED, history=(_entry("2026-02-13 10:20", Status.REFUSED),))
    reason = "Người nộp không cư trú trên địa bàn xã;\nthủ tục thuộc thẩm quyền nơi cư trú."
    refusal = build_refusal(dossier, samples.office(), reason)
    pages = pdf.page_texts(refusal)
    assert len(pages) == 1
    for expected in (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Quảng Hùng, ngày 13 tháng 02 năm 2026", f"Mã hồ sơ: {CODE}",
        f"Hồ sơ của: {NAME}", f"Nội dung yêu cầu giải quyết: {samples.PROCEDURE}",
        "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau: "
        "Người nộp không cư trú trên địa bàn xã; thủ tục thuộc thẩm quyền nơi cư trú.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ", "Lê Văn Tâm",
    ):
        assert expected in pages[0], expected
    assert pdf.barcodes(refusal)["Code128"] == [CODE]


def test_refusal_is_invariant_on_request():
    dossier, office = samples.dossier(), samples.office()
    assert build_refusal(dossier, office, "Lý do", invariant=True) == build_refusal(dossier, office, "Lý do",
                                                                                    invariant=True)


def test_a_long_guidance_flows_onto_numbered_pages():
    items = tuple(GuidanceItem(f"Giấy tờ số {i}", f"Nội dung cần sửa số {i}: ghi lại cho đúng, ký và ghi rõ họ tên "
                                                  f"người khai, đóng dấu xác nhận của cơ quan có thẩm quyền")
                  for i in range(1, 41))
    pages = pdf.page_texts(build_guidance(samples.guidance(items=items), samples.office()))
    assert len(pages) >= 2
    assert all(f"Trang {n}/{len(pages)}" in text for n, text in enumerate(pages, start=1))
    text = " ".join(pages)
    assert all(f"Giấy tờ số {i} Nội dung cần sửa số {i}:" in text for i in range(1, 41))
    assert "NGƯỜI HƯỚNG DẪN" in pages[-1]
