"""No full ID-card number in the audit log or the log file."""

import logging

from counter.logsetup import MaskIdNumbers, setup_logging
from counter.text import mask_id, mask_ids


def test_mask_id_keeps_the_first_four_and_last_two_digits():
    assert mask_id("038190001245") == "0381******45"
    assert mask_id(" 038190001245 ") == "0381******45"
    assert mask_id("123456789") == "1234***89"  # an old 9-digit CMND
    assert mask_id("12345") == "*****"


def test_mask_ids_masks_every_twelve_digit_number_only():
    text = "CCCD 038190001245, mã 000.00.06.H56-260213-0001, điện thoại 0912345678, số 0381900012450"
    assert mask_ids(text) == ("CCCD 0381******45, mã 000.00.06.H56-260213-0001, điện thoại 0912345678, "
                              "số 0381900012450")


def test_the_log_file_never_holds_an_id_number(tmp_path):
    root = logging.getLogger()
    before = list(root.handlers)
    setup_logging(tmp_path)
    added = [h for h in root.handlers if h not in before]
    try:
        log = logging.getLogger("counter.test")
        log.info("tiếp nhận hồ sơ của %s", "038190001245")
        log.warning("số 079201009876 trong thông điệp")
        try:
            raise ValueError("không đọc được 001099012345")
        except ValueError:
            log.exception("lỗi với %s", "038190001245")
        for handler in added:
            handler.flush()
        text = (tmp_path / "logs" / "quaymotcua.log").read_text(encoding="utf-8")
    finally:
        for handler in added:
            root.removeHandler(handler)
            handler.close()
    for number in ("038190001245", "079201009876", "001099012345"):
        assert number not in text
    assert "tiếp nhận hồ sơ của 0381******45" in text
    assert "0792******76" in text and "0010******45" in text and "Traceback" in text


def test_the_filter_leaves_other_records_as_they_are():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "gửi %d hồ sơ", (12,), None)
    assert MaskIdNumbers().filter(record) and record.getMessage() == "gửi 12 hồ sơ" and record.args == (12,)
