"""Mẫu 01, the receipt and appointment slip: content, copies, barcode and QR, paging, invariance."""

import re
import unicodedata
from dataclasses import replace

import pytest

from counter.records import DossierComponent, Fee, TimeRule
from printing.mau01 import COPIES, NOTE, build_receipt, form_column
from tests.printing import pdf, samples
from tests.printing.samples import CODE, LOOKUP, NAME, at


def _receipt(dossier=None, office=None, **kw) -> bytes:
    return build_receipt(dossier or samples.dossier(), office or samples.office(), **kw)


def test_two_copies_each_on_its_own_page_with_the_full_content():
    pages = pdf.page_texts(_receipt())
    assert len(pages) == 2
    assert "Liên 1: Lưu" in pages[0] and "Liên 2" not in pages[0]
    assert "Liên 2: Giao người nộp" in pages[1] and "Liên 1" not in pages[1]
    for text in pages:
        for expected in (
            "UBND XÃ QUẢNG HÙNG", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc", "Quảng Hùng, ngày 13 tháng 02 năm 2026",
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {CODE}",
            f"Trung tâm Phục vụ hành chính công tiếp nhận hồ sơ của: {NAME}",
            "Địa chỉ: Thôn 3, Xã Quảng Hùng, Thanh Hóa", "Số điện thoại: 0912 345 678",
            "nhung.nguyen@example.vn", f"Nội dung yêu cầu giải quyết: {samples.PROCEDURE}",
            "Trích yếu: Đăng ký khai sinh cho con thứ hai",
            "1. Thành phần hồ sơ nộp gồm:", "TT Tên giấy tờ Số lượng Bản chính Bản sao/ chứng thực Bản photo",
            "2. Số lượng hồ sơ: 01 (bộ)", "3. Thời gian giải quyết hồ sơ theo quy định: 03 ngày làm việc",
            "4. Thời gian nhận hồ sơ: 10 giờ 05 phút, ngày 13/02/2026",
            "5. Thời gian trả kết quả giải quyết hồ sơ: 10 giờ 05 phút, ngày 25/02/2026",
            "6. Đăng ký nhận kết quả: Tại Bộ phận tiếp nhận và trả kết quả",
            "Phí, lệ phí: Lệ phí cấp bản sao trích lục khai sinh: 8.000 đồng",
            "Vào Sổ theo dõi hồ sơ, Quyển số: 02 Số thứ tự: 37",
            "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "Lê Văn Tâm", NOTE,
        ):
            assert expected in text, expected


def test_only_handed_over_components_are_listed_in_order():
    text = pdf.page_texts(_receipt())[0]
    assert "Văn bản ủy quyền (nếu có)" not in text  # not handed over
    rows = re.findall(r"(\d) (Tờ khai|Giấy chứng sinh|Giấy chứng nhận kết hôn|Căn cước)", text)
    assert rows == [("1", "Tờ khai"), ("2", "Giấy chứng sinh"), ("3", "Giấy chứng nhận kết hôn"), ("4", "Căn cước")]


def test_form_column_reads_the_free_text_form():
    assert form_column("bản chính") == 0
    assert form_column("Bản sao") == 1 and form_column("bản sao chứng thực") == 1 and form_column("chứng thực") == 1
    assert form_column("bản photo") == 2 and form_column("Bản Photo (không cần chứng thực)") == 2


def test_the_applicant_name_survives_decomposed_input():
    nfd = unicodedata.normalize("NFD", NAME)
    dossier = samples.dossier(applicant=samples.applicant(full_name=nfd))
    assert NAME in pdf.page_texts(_receipt(dossier))[0]


def test_markup_characters_are_printed_literally():
    dossier = samples.dossier(applicant=samples.applicant(full_name="Công ty A & B <Việt Nam>"))
    assert "Công ty A & B <Việt Nam>" in pdf.page_texts(_receipt(dossier))[0]


def test_barcode_decodes_to_the_code_on_every_copy():
    receipt = _receipt()
    for page in (0, 1):
        assert pdf.barcodes(receipt, page)["Code128"] == [CODE]


def test_lookup_qr_only_when_configured():
    with_qr = pdf.barcodes(_receipt(office=samples.office(lookup_url=LOOKUP)))
    assert with_qr["QRCode"] == [LOOKUP.replace("{code}", CODE)]
    assert with_qr["Code128"] == [CODE]
    assert "QRCode" not in pdf.barcodes(_receipt())


def test_same_day_procedure():
    dossier = samples.dossier(time_rule=TimeRule("same_day"), due_at=at("2026-02-13 17:00"))
    text = pdf.page_texts(_receipt(dossier))[0]
    assert "3. Thời gian giải quyết hồ sơ theo quy định: Trong ngày (nhận trước 15 giờ)" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 13/02/2026" in text


def test_no_due_date():
    dossier = samples.dossier(time_rule=TimeRule("none"), due_at=None, original_due_at=None)
    text = pdf.page_texts(_receipt(dossier))[0]
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: Không có ngày hẹn trả cụ thể theo quy định" in text
    assert "Không quy định thời hạn" in text


def test_by_post_exempt_fee_and_no_register_number():
    dossier = samples.dossier(return_method=1, fee_exempt_reason="Hộ nghèo", register_number=None)
    text = pdf.page_texts(_receipt(dossier))[0]
    assert "6. Đăng ký nhận kết quả: Qua dịch vụ bưu chính công ích" in text
    assert "Phí, lệ phí: Miễn (Hộ nghèo)" in text and "8.000" not in text
    assert "Số thứ tự: ……" in text


def test_several_fees_show_a_total_and_no_fee_no_line():
    fees = (Fee("Lệ phí chứng thực", 7000, paid_at=at("2026-02-13 10:06")),
            Fee("Phí sao y", 12000, paid_at=at("2026-02-13 10:06")))
    text = pdf.page_texts(_receipt(samples.dossier(fees=fees, fee_total=19000)))[0]
    assert "Lệ phí chứng thực: 7.000 đồng; Phí sao y: 12.000 đồng; tổng cộng: 19.000 đồng (đã nộp)" in text
    assert "Phí, lệ phí" not in pdf.page_texts(_receipt(samples.dossier(fees=(), fee_total=0)))[0]


def test_custom_copies():
    pages = pdf.page_texts(_receipt(copies=("Liên 1: Lưu", "Liên 2: Giao người nộp", "Liên 3: Bưu điện")))
    assert len(pages) == 3 and "Liên 3: Bưu điện" in pages[2]
    assert len(pdf.page_texts(_receipt(copies=("Bản sao",)))) == 1
    with pytest.raises(ValueError):
        _receipt(copies=())


def test_the_normal_case_keeps_one_page_per_copy():
    dossier = samples.eight_component_dossier()
    assert len(dossier.procedure_name) == 100 and len(dossier.components) == 8
    receipt = _receipt(dossier, samples.office(lookup_url=LOOKUP))
    pages = pdf.page_texts(receipt)
    assert len(pages) == 2
    assert "Trang" not in pages[0]  # a one-page copy needs no page number
    assert NOTE in pages[0] and NOTE in pages[1]


def test_invariant_output_is_byte_identical():
    first = _receipt(invariant=True)
    assert first == _receipt(invariant=True)
    assert first.startswith(b"%PDF")


def test_fonts_are_embedded_and_nothing_else_is_referenced():
    receipt = _receipt(office=samples.office(lookup_url=LOOKUP), invariant=True)
    fonts = set(re.findall(rb"/BaseFont\s*/([A-Za-z+\-]+)", receipt))
    assert fonts and all(b"+LiberationSerif" in font for font in fonts)  # subset-tagged, i.e. embedded
    assert receipt.count(b"/FontFile2") == len(fonts)


def test_components_without_paper_print_a_placeholder_row():
    dossier = samples.dossier(components=(DossierComponent(1, "Tờ khai", handed_over=False),))
    assert "Không có giấy tờ nộp kèm" in pdf.page_texts(_receipt(dossier))[0]


def test_an_unknown_return_method_falls_back_to_the_counter():
    text = pdf.page_texts(_receipt(replace(samples.dossier(), return_method=9)))[0]
    assert "6. Đăng ký nhận kết quả: Tại Bộ phận tiếp nhận và trả kết quả" in text


def test_each_copy_of_a_long_receipt_names_itself_and_numbers_its_own_pages():
    """The copies are laid out once and printed once each: every copy's pages carry its own label."""
    pages = pdf.page_texts(build_receipt(samples.long_dossier(), samples.office()))
    per_copy = len(pages) // len(COPIES)
    assert len(pages) == per_copy * len(COPIES) and per_copy > 1
    for number, label in enumerate(COPIES):
        own = pages[number * per_copy:(number + 1) * per_copy]
        assert f"({label})" in own[0]
        assert not any(other in text for other in COPIES if other != label for text in own)
        for page, text in enumerate(own, start=1):
            assert f"Trang {page}/{per_copy}" in text
            assert (f"{label} (tiếp theo)" in text) == (page > 1)
