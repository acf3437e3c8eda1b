"""Giấy biên nhận trả kết quả: who returned which result to whom and when, with the code's barcode."""

import unicodedata
from dataclasses import replace
from datetime import UTC

from printing.mau01 import NO_DUE_DATE
from printing.return_receipt import AUTHORISED_NOTE, build_return_receipt
from tests.printing import pdf, samples
from tests.printing.samples import CODE, NAME, at
from tests.printing.test_layout import _overlapping
from tests.printing.test_mau04_05_06 import HEAD, margin_text

COLLECTOR = "Phạm Thị Thu Hương"


def _receipt(dossier=None, **kw) -> bytes:
    args = {"result_name": "Giấy khai sinh (bản chính)", "result_number": "15/2026", "result_code": "KQ.G15.000031",
            "collector_name": NAME, "collector_id": "038090012345", "authorised": False,
            "returned_at": at("2026-02-20 09:30"), "clerk_name": "Lê Văn Tâm", **kw}
    return build_return_receipt(dossier or samples.dossier(), samples.office(), **args)


def _signed(collector: str) -> str:
    """The two signature blocks, with the printed names under them."""
    return f"NGƯỜI NHẬN KẾT QUẢ (Ký và ghi rõ họ tên) {collector} NGƯỜI TRẢ KẾT QUẢ (Ký và ghi rõ họ tên) Lê Văn Tâm"


def test_content_when_the_applicant_collects():
    pages = pdf.page_texts(_receipt())
    assert len(pages) == 1
    for expected in (
        *HEAD, "Quảng Hùng, ngày 20 tháng 02 năm 2026", "GIẤY BIÊN NHẬN TRẢ KẾT QUẢ", f"Mã hồ sơ: {CODE}",
        f"Hồ sơ của: {NAME}", f"Nội dung yêu cầu giải quyết: {samples.PROCEDURE}",
        "Thời gian nhận hồ sơ: 10 giờ 05 phút, ngày 13/02/2026",
        "Thời gian hẹn trả kết quả: 10 giờ 05 phút, ngày 25/02/2026",
        "Người trả kết quả: Lê Văn Tâm, Trung tâm Phục vụ hành chính công",
        f"Người nhận kết quả: {NAME} (chủ hồ sơ)", "Số định danh cá nhân/giấy tờ tùy thân: 038090012345",
        "TT Tên kết quả giải quyết Số, ký hiệu Mã kết quả 1 Giấy khai sinh (bản chính) 15/2026 KQ.G15.000031",
        "Thời gian trả kết quả: 09 giờ 30 phút, ngày 20/02/2026 (Trước hạn)",
    ):
        assert expected in pages[0], expected
    assert "ủy quyền" not in pages[0]
    assert pages[0].endswith(_signed(NAME))


def test_an_authorised_person_collects_late():
    nfd = unicodedata.normalize("NFD", COLLECTOR)
    receipt = _receipt(collector_name=nfd, collector_id="038185009876", authorised=True,
                       returned_at=at("2026-02-26 10:30").astimezone(UTC))
    text = pdf.page_texts(receipt)[0]
    for expected in (
        f"Người nhận kết quả: {COLLECTOR} (người được ủy quyền)",
        "Số định danh cá nhân/giấy tờ tùy thân: 038185009876",
        "Thời gian trả kết quả: 10 giờ 30 phút, ngày 26/02/2026 (Quá hạn)", f"Ghi chú: {AUTHORISED_NOTE}",
        "Quảng Hùng, ngày 26 tháng 02 năm 2026",
    ):
        assert expected in text, expected
    assert text.endswith(_signed(COLLECTOR))


def test_on_the_due_day_and_without_a_due_date():
    on_time = pdf.page_texts(_receipt(returned_at=at("2026-02-25 10:04")))[0]
    assert "Thời gian trả kết quả: 10 giờ 04 phút, ngày 25/02/2026 (Đúng hạn)" in on_time
    dossier = samples.dossier(due_at=None, original_due_at=None)
    text = pdf.page_texts(_receipt(dossier))[0]
    assert f"Thời gian hẹn trả kết quả: {NO_DUE_DATE}" in text
    assert "Thời gian trả kết quả: 09 giờ 30 phút, ngày 20/02/2026 NGƯỜI NHẬN" in text  # no on-time label


def test_blank_result_fields_are_left_to_fill_in_and_markup_is_literal():
    text = pdf.page_texts(_receipt(result_number="", result_code="", result_name="Bản sao <trích lục> & giấy"))[0]
    assert "1 Bản sao <trích lục> & giấy …………… ……………" in text


def test_barcode_decodes_to_the_code():
    assert pdf.barcodes(_receipt())["Code128"] == [CODE]


def test_long_content_stays_inside_one_page():
    """A 400-character procedure name, summary and result name still fit one page, inside the frame."""
    dossier = replace(samples.long_dossier(), summary=samples.LONG_REASON)
    receipt = _receipt(dossier, result_name=samples.LONG_REASON, authorised=True)
    pages = pdf.page_texts(receipt)
    assert dossier.procedure_name in " ".join(pages) and samples.LONG_REASON in " ".join(pages)
    assert len(pages) == 1 and margin_text(receipt) == [pdf.margin_footer()]
    assert _overlapping(receipt) == []
    assert pdf.barcodes(receipt)["Code128"] == [CODE]


def test_invariant_output_is_byte_identical():
    first = _receipt(invariant=True)
    assert first == _receipt(invariant=True) and first.startswith(b"%PDF")
