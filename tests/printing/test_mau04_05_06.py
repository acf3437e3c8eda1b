"""Mẫu 04 (apology and new appointment), Mẫu 05 (processing stopped) and Mẫu 06 (control slip)."""

import re
import unicodedata
from datetime import UTC

import pytest

from counter.status import Status
from printing.document import FRAME_HEIGHT, FRAME_WIDTH, LEFT_MARGIN, MARGIN
from printing.markup import timeliness
from printing.mau01 import NO_DUE_DATE
from printing.mau04 import build_apology
from printing.mau05 import build_stop_notice
from printing.mau06 import build_control_slip, processing_unit, result, step
from tests.printing import pdf, samples
from tests.printing.samples import CIVIL, CODE, DESK, LEADER, LONG_REASON, NAME, at, entry
from tests.printing.test_layout import MM, SAFE, _overlapping

LEADER_ARGS = {"signer_name": "Trần Văn Bình", "signer_title": "Giám đốc"}
HEAD = ("UBND XÃ QUẢNG HÙNG", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc")
RECITAL = (f"Ngày 13/02/2026, Trung tâm Phục vụ hành chính công đã tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết "
           f"thủ tục hành chính: {samples.PROCEDURE}; mã hồ sơ: {CODE}.")
SLIP_HEAD = "TT Giao, nhận hồ sơ Thời gian giao, nhận Kết quả (Trước hạn/ Đúng hạn/ Quá hạn) Ghi chú Bên giao Bên nhận"


def margin_text(document: bytes) -> list[str]:
    """Per page, the glyphs drawn outside the body frame (the running head and the page number), after
    checking that no glyph comes nearer the paper's edge than a printer can print."""
    found = []
    for width, height, chars in pdf.char_boxes(document):
        outside = []
        for char, (left, bottom, right, top) in chars:
            assert left >= SAFE and right <= width - SAFE and bottom >= SAFE and top <= height - SAFE, char
            if not (left >= LEFT_MARGIN - 1 and right <= LEFT_MARGIN + FRAME_WIDTH + 1
                    and bottom >= MARGIN - 1 and top <= MARGIN + FRAME_HEIGHT + 1):
                outside.append(char)
        found.append("".join(outside))
    return found


def _apology(dossier=None, **kw) -> bytes:
    args = {"reason": "Cần xác minh thêm nơi cư trú của người mẹ.", "new_due": at("2026-02-27 16:00"),
            "number": "12/XL-TTPVHCC", "at": at("2026-02-20 08:30"), **LEADER_ARGS, **kw}
    return build_apology(dossier or samples.dossier(), samples.office(), **args)


def _stop(dossier=None, **kw) -> bytes:
    args = {"reason": "Người nộp đề nghị dừng giải quyết.", "at": at("2026-02-18 09:00"), **LEADER_ARGS, **kw}
    return build_stop_notice(dossier or samples.dossier(), samples.office(), **args)


# Mẫu 04 ---------------------------------------------------------------------------------------------


def test_apology_letter_content():
    pages = pdf.page_texts(_apology())
    assert len(pages) == 1
    for expected in (
        *HEAD, "Số: 12/XL-TTPVHCC", "Quảng Hùng, ngày 20 tháng 02 năm 2026",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", f"Kính gửi: Ông/Bà {NAME}", RECITAL,
        "Thời gian hẹn trả kết quả giải quyết hồ sơ: 10 giờ 05 phút, ngày 25/02/2026",
        "chưa trả kết quả giải quyết hồ sơ của Ông/Bà vì lý do sau: Cần xác minh thêm nơi cư trú của người mẹ.",
        "Trung tâm Phục vụ hành chính công xin lỗi Ông/Bà",
        "sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào 16 giờ 00 phút, ngày 27/02/2026.",
        "Nơi nhận: - Như trên; - Lưu: VT, hồ sơ.", "GIÁM ĐỐC", "(Ký, ghi rõ họ tên và đóng dấu)", "Trần Văn Bình",
    ):
        assert expected in pages[0], expected


def test_apology_defaults_number_date_and_cites_the_appointment_being_moved():
    moved = samples.dossier(due_at=at("2026-02-27 16:00"), original_due_at=at("2026-02-23 17:00"),
                            updated_at=at("2026-02-21 15:00"),
                            history=(entry("2026-02-20 08:30", "apologise", Status.IN_PROGRESS, Status.IN_PROGRESS,
                                           CIVIL, CIVIL),))
    text = pdf.page_texts(_apology(moved, number="", at=None))[0]
    assert "Số: ……/……" in text
    assert "Quảng Hùng, ngày 20 tháng 02 năm 2026" in text  # the apology's day, not the last change
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 23/02/2026" in text  # the original
    text = pdf.page_texts(_apology(samples.dossier(updated_at=at("2026-02-19 11:00")), at=None,
                                   due_before=at("2026-02-25 09:30")))[0]
    assert "Quảng Hùng, ngày 19 tháng 02 năm 2026" in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 30 phút, ngày 25/02/2026" in text


def test_apology_times_are_in_vietnam_time_and_text_survives_decomposition_and_markup():
    nfd = unicodedata.normalize("NFD", NAME)
    dossier = samples.dossier(applicant=samples.applicant(full_name=nfd))
    reason = unicodedata.normalize("NFD", "Chờ ý kiến <Sở Tư pháp> & Công an tỉnh")
    text = pdf.page_texts(_apology(dossier, reason=reason, new_due=at("2026-02-27 16:00").astimezone(UTC),
                                   signer_title="phó giám đốc"))[0]
    assert f"Kính gửi: Ông/Bà {NAME}" in text
    assert "vì lý do sau: Chờ ý kiến <Sở Tư pháp> & Công an tỉnh" in text
    assert "vào 16 giờ 00 phút, ngày 27/02/2026" in text
    assert "PHÓ GIÁM ĐỐC" in text


def test_a_400_character_reason_prints_whole_inside_the_page():
    for document in (_apology(reason=LONG_REASON), _stop(reason=LONG_REASON)):
        pages = pdf.page_texts(document)
        assert LONG_REASON in " ".join(pages)
        assert margin_text(document) == [pdf.margin_footer()] * len(pages)
        assert _overlapping(document) == []


def test_apology_is_invariant_on_request():
    assert _apology(invariant=True) == _apology(invariant=True)


# Mẫu 05 ---------------------------------------------------------------------------------------------


def test_stop_notice_content():
    pages = pdf.page_texts(_stop(reason="Đương sự đề nghị dừng;\nchờ bản án của Tòa án."))
    assert len(pages) == 1
    for expected in (
        *HEAD, "Số: ……/……", "Quảng Hùng, ngày 18 tháng 02 năm 2026", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        f"Kính gửi: Ông/Bà {NAME}", RECITAL,
        "thông báo dừng giải quyết hồ sơ nêu trên với lý do cụ thể như sau: Đương sự đề nghị dừng; "
        "chờ bản án của Tòa án.", "Xin thông báo để Ông/Bà được biết./.", "GIÁM ĐỐC", "Trần Văn Bình",
    ):
        assert expected in pages[0], expected


def test_stop_notice_is_dated_when_the_dossier_was_stopped():
    stopped = samples.dossier(status=Status.STOPPED, updated_at=at("2026-03-05 10:00"), history=(
        entry("2026-02-13 10:05", "receive", None, Status.RECEIVED, "", DESK),
        entry("2026-03-02 14:00", "stop", Status.IN_PROGRESS, Status.STOPPED, CIVIL, CIVIL),
    ))
    assert "Quảng Hùng, ngày 02 tháng 3 năm 2026" in pdf.page_texts(_stop(stopped, at=None, number="3/TB"))[0]
    assert "Số: 3/TB" in pdf.page_texts(_stop(stopped, number="3/TB"))[0]


def test_stop_notice_is_invariant_on_request():
    assert _stop(invariant=True) == _stop(invariant=True)


# Mẫu 06 ---------------------------------------------------------------------------------------------


def _rows(text: str) -> str:
    """The table body of a control slip page: everything after the head row."""
    return text.split(SLIP_HEAD, 1)[1]


def test_control_slip_content_and_barcode():
    slip = build_control_slip(samples.handed_over_dossier(), samples.office())
    pages = pdf.page_texts(slip)
    assert len(pages) == 1
    for expected in (
        *HEAD, "Quảng Hùng, ngày 13 tháng 02 năm 2026", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {CODE}", f"Hồ sơ của: {NAME}", f"Nội dung yêu cầu giải quyết: {samples.PROCEDURE}",
        "Thời gian nhận hồ sơ: 10 giờ 05 phút, ngày 13/02/2026",
        "Thời gian hẹn trả kết quả: 10 giờ 05 phút, ngày 25/02/2026",
        f"Cơ quan (bộ phận) giải quyết hồ sơ: {CIVIL}", SLIP_HEAD,
    ):
        assert expected in pages[0], expected
    assert pdf.barcodes(slip)["Code128"] == [CODE]


def test_control_slip_rows_are_the_hand_overs_with_their_on_time_result():
    rows = _rows(pdf.page_texts(build_control_slip(samples.handed_over_dossier(), samples.office()))[0])
    expected = [  # reception is the slip's head, the rating no hand-over: neither is a row
        f"1 Giao: {DESK} Nhận: {CIVIL} 14 giờ 30 phút, ngày 13/02/2026 Trước hạn Chuyển hồ sơ giấy",
        f"2 Giao: {CIVIL} Nhận: {LEADER} 09 giờ 15 phút, ngày 25/02/2026 Đúng hạn Trình ký",
        f"3 Giao: {LEADER} Nhận: {DESK} 08 giờ 00 phút, ngày 26/02/2026 Quá hạn Kết quả: Giấy khai sinh số 15/2026",
        "4 Trả kết quả 10 giờ 30 phút, ngày 26/02/2026 Quá hạn Trả kết quả",
    ]
    assert rows.strip() == " ".join(expected)  # a returned dossier gets no blank rows


def test_each_row_is_judged_against_the_appointment_then_in_force():
    """Due 23/02 17:00 at first; a supplement paused the clock 16/02–19/02 and moved it to 26/02 17:00."""
    s = Status
    history = (
        entry("2026-02-13 14:30", "handover", s.RECEIVED, s.IN_PROGRESS, DESK, CIVIL, f"Chuyển hồ sơ đến {CIVIL}"),
        entry("2026-02-16 08:00", "request_supplement", s.IN_PROGRESS, s.SUPPLEMENT, CIVIL, CIVIL, "Thiếu tờ khai"),
        entry("2026-02-19 08:00", "receive_supplement", s.SUPPLEMENT, s.IN_PROGRESS, CIVIL, CIVIL, "Đã bổ sung"),
        entry("2026-02-25 09:00", "record_result", s.IN_PROGRESS, s.RESULT_READY, CIVIL, DESK, "Kết quả số 1"),
    )
    dues = ((at("2026-02-13 10:05"), at("2026-02-23 17:00")), (at("2026-02-16 08:00"), None),
            (at("2026-02-19 08:00"), at("2026-02-26 17:00")))
    dossier = samples.dossier(status=Status.RESULT_READY, due_at=at("2026-02-26 17:00"), history=history)
    rows = _rows(pdf.page_texts(build_control_slip(dossier, samples.office(), dues=dues))[0])
    assert f"1 Giao: {DESK} Nhận: {CIVIL} 14 giờ 30 phút, ngày 13/02/2026 Trước hạn 2 " in rows  # note: same as row
    assert "2 Yêu cầu bổ sung hồ sơ 08 giờ 00 phút, ngày 16/02/2026 Trước hạn Thiếu tờ khai" in rows
    assert "3 Nhận hồ sơ bổ sung 08 giờ 00 phút, ngày 19/02/2026 Trước hạn Đã bổ sung" in rows
    assert f"4 Giao: {CIVIL} Nhận: {DESK} 09 giờ 00 phút, ngày 25/02/2026 Trước hạn Kết quả số 1" in rows
    judged_by_today = _rows(pdf.page_texts(build_control_slip(
        samples.dossier(status=Status.RESULT_READY, due_at=at("2026-02-20 17:00"), history=history),
        samples.office()))[0])
    assert "25/02/2026 Quá hạn" in judged_by_today  # without the timeline: the one appointment throughout


@pytest.mark.parametrize("moment, label", [
    ("2026-02-13 14:30", "Trước hạn"),
    ("2026-02-22 23:59", "Trước hạn"),
    ("2026-02-23 07:00", "Đúng hạn"),
    ("2026-02-23 17:00", "Đúng hạn"),  # the due moment itself is still on time
    ("2026-02-23 17:01", "Quá hạn"),
    ("2026-03-02 08:00", "Quá hạn"),
])
def test_timeliness_against_the_due_day_and_moment(moment, label):
    due = at("2026-02-23 17:00")
    assert timeliness(at(moment), due) == label
    assert timeliness(at(moment).astimezone(UTC), due.astimezone(UTC)) == label


def test_result_is_blank_where_it_means_nothing():
    due = at("2026-02-23 17:00")
    reception = entry("2026-02-13 10:05", "receive", None, Status.RECEIVED, "", DESK)
    rating = entry("2026-02-24 10:32", "rate_service", Status.RETURNED, Status.RETURNED, DESK, DESK)
    late = entry("2026-02-24 10:30", "return_result", Status.RESULT_READY, Status.RETURNED, DESK, DESK)
    assert result(reception, due) == "" and result(rating, due) == ""
    assert result(late, due) == "Quá hạn" and result(late, None) == ""


def test_step_shows_hand_overs_else_the_action():
    assert step(entry("2026-02-13 14:30", "handover", Status.RECEIVED, Status.IN_PROGRESS, DESK, "A & B")) == (
        f"Giao: {DESK}<br/>Nhận: A &amp; B")
    assert step(entry("2026-02-16 08:00", "request_supplement", Status.IN_PROGRESS, Status.SUPPLEMENT,
                      CIVIL, CIVIL)) == "Yêu cầu bổ sung hồ sơ"
    assert step(entry("2026-02-16 08:00", "something_new", Status.IN_PROGRESS, Status.STOPPED, CIVIL, CIVIL)) == (
        "Dừng xử lý")  # an action this form does not know: the status it led to


def test_processing_unit_is_the_first_unit_after_the_desk():
    office = samples.office()
    assert processing_unit(samples.handed_over_dossier(), office) == CIVIL
    assert processing_unit(samples.dossier(unit=DESK), office) == ""
    assert processing_unit(samples.dossier(unit="Công chức Địa chính"), office) == "Công chức Địa chính"


def test_an_open_dossier_gets_blank_rows_to_fill_in_by_hand():
    received = samples.dossier(history=samples.history()[:1])
    text = pdf.page_texts(build_control_slip(received, samples.office()))[0]
    assert _rows(text).strip() == "1 2 3"  # reception is in the head: only rows to fill in by hand
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: ……" in text


def test_every_row_leaves_room_to_sign():
    received = samples.dossier(history=samples.history()[:1])
    _, _, chars = pdf.char_boxes(build_control_slip(received, samples.office()))[0]
    tt_column = [(char, box) for char, box in chars if box[0] >= LEFT_MARGIN and box[2] <= LEFT_MARGIN + 8 * MM]
    tops = {char: box[3] for char, box in tt_column if char in "123"}  # the blank rows' numbers
    assert len(tops) == 3
    assert tops["1"] - tops["2"] >= 9 * MM and tops["2"] - tops["3"] >= 9 * MM


def test_without_a_due_date_no_row_has_a_result():
    dossier = samples.handed_over_dossier(due_at=None, original_due_at=None)
    text = pdf.page_texts(build_control_slip(dossier, samples.office()))[0]
    assert f"Thời gian hẹn trả kết quả: {NO_DUE_DATE}" in text
    assert not re.search("Trước hạn|Đúng hạn|Quá hạn", _rows(text))


@pytest.fixture(scope="module")
def long_slip() -> bytes:
    return build_control_slip(samples.dossier(status=Status.RESULT_READY, history=samples.many_handovers(40)),
                              samples.office())


def test_forty_rows_flow_onto_numbered_pages_with_the_head_repeated(long_slip):
    pages = pdf.page_texts(long_slip)
    total = len(pages)
    assert total >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Trang {number}/{total}" in text and SLIP_HEAD in text
        assert (f"Mẫu 06 - Mã hồ sơ: {CODE} (tiếp theo)" in text) == (number > 1)
    rows = " ".join(_rows(text) for text in pages)
    numbers = [int(n) for n in re.findall(r"(?:^| )(\d+) Giao:", rows)]
    assert numbers == list(range(1, 40))  # 39 hand-overs after the reception
    assert all(f"Lần chuyển số {i:02d}:" in rows for i in range(1, 40))
    # Due 25/02 10:05; the hand-overs are at 8, 10 and 14 o'clock: before that day, on it in time, then late.
    due = samples.dossier().due_at
    expected = ["Trước hạn" if e.at.date() < due.date() else "Đúng hạn" if e.at <= due else "Quá hạn"
                for e in samples.many_handovers(40)[1:]]
    assert re.findall("Trước hạn|Đúng hạn|Quá hạn", rows) == expected
    assert expected.count("Đúng hạn") == 2 and expected[-1] == "Quá hạn"


def test_forty_rows_stay_inside_the_page_without_overlap(long_slip):
    margins = margin_text(long_slip)
    total = len(margins)
    heads = [f"Mẫu 06 - Mã hồ sơ: {CODE} (tiếp theo)" if page > 1 else "" for page in range(1, total + 1)]
    assert margins == [(head + f"Trang {page}/{total}").replace(" ", "") + pdf.margin_footer()
                       for page, head in enumerate(heads, 1)]
    assert _overlapping(long_slip) == []
    assert pdf.barcodes(long_slip)["Code128"] == [CODE]


def test_control_slip_is_invariant_on_request():
    dossier, office = samples.handed_over_dossier(), samples.office()
    assert build_control_slip(dossier, office, invariant=True) == build_control_slip(dossier, office, invariant=True)
