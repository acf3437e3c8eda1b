"""A demonstration database's forms carry "BẢN DÙNG THỬ" across every page (and in the margins), so a demo receipt
can never be taken for a real one; a real office's forms carry nothing of it."""

from dataclasses import replace

import pypdfium2 as pdfium
import pytest

from counter.records import GuidanceItem
from printing.document import DEMO_MARK
from printing.mau01 import build_receipt
from printing.mau02 import build_guidance, build_supplement_request
from printing.mau03 import build_refusal
from printing.mau04 import build_apology
from printing.mau05 import build_stop_notice
from printing.mau06 import build_control_slip
from printing.return_receipt import build_return_receipt
from printing.sync_report import build_sync_report
from tests.printing import samples
from tests.printing.pdf import page_texts
from tests.printing.test_sync_report import report

LEADER = {"signer_name": "Trần Văn Bình", "signer_title": "Giám đốc"}
FORMS = {
    "mau01": lambda office: build_receipt(samples.long_dossier(), office),  # two pages a copy
    "mau02": lambda office: build_guidance(samples.guidance(), office),
    "mau02-bosung": lambda office: build_supplement_request(
        samples.dossier(), (GuidanceItem("Bản vẽ sơ đồ thửa đất", "Bổ sung chữ ký"),), "Thiếu xác nhận", office,
        "Lê Văn Tâm"),
    "mau03": lambda office: build_refusal(samples.dossier(), office, "Không thuộc thẩm quyền của xã"),
    "mau04": lambda office: build_apology(samples.dossier(), office, reason=samples.LONG_REASON,
                                          new_due=samples.at("2026-02-27 16:00"), number="12/XL", **LEADER),
    "mau05": lambda office: build_stop_notice(samples.dossier(), office, reason="Người nộp đề nghị dừng", **LEADER),
    "mau06": lambda office: build_control_slip(samples.handed_over_dossier(), office),
    "bien-nhan": lambda office: build_return_receipt(
        samples.handed_over_dossier(), office, result_name="Giấy khai sinh", result_number="15/2026",
        result_code="KQ.1", collector_name="Phạm Thị Thu Hương", collector_id="038185009876", authorised=False,
        returned_at=samples.at("2026-02-24 10:30"), clerk_name="Lê Văn Tâm"),
    "sync-report": lambda office: build_sync_report(report(), office),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_page_of_every_form_of_a_demo_says_so_and_a_real_office_s_never(form):
    demo = page_texts(FORMS[form](samples.office(demo=True)))
    real = page_texts(FORMS[form](samples.office()))
    assert len(demo) == len(real)
    assert all(page.count(DEMO_MARK) >= 3 for page in demo)  # across the page, and in both margins
    assert not any(DEMO_MARK in page for page in real)


def _grey_share(pdf: bytes) -> float:
    """The share of the page's middle (where the mark crosses it) in the watermark's translucent grey."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=100 / 72).to_pil().convert("L")
    finally:
        document.close()
    width, height = image.size
    middle = image.crop((width // 4, height // 3, 3 * width // 4, 2 * height // 3))
    return sum(middle.histogram()[150:236]) / (middle.width * middle.height)


def test_the_watermark_is_seen_on_the_rendered_page():
    office = samples.office(lookup_url=samples.LOOKUP)
    demo, real = build_receipt(samples.dossier(), replace(office, demo=True)), build_receipt(samples.dossier(), office)
    assert _grey_share(demo) > _grey_share(real) + 0.03
