"""Render the sample forms to docs/forms/*.png for review: `.venv/bin/python -m tests.printing.render_samples`."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from counter.records import GuidanceItem
from printing.mau01 import build_receipt
from printing.mau02 import build_guidance, build_supplement_request
from printing.mau03 import build_refusal
from printing.mau04 import build_apology
from printing.mau05 import build_stop_notice
from printing.mau06 import build_control_slip
from printing.return_receipt import build_return_receipt
from tests.printing import samples

OUT = Path(__file__).resolve().parents[2] / "docs" / "forms"
REFUSAL = ("Thủ tục đăng ký khai sinh phải thực hiện tại nơi cư trú của cha hoặc mẹ; người nộp không cư trú "
           "trên địa bàn xã Quảng Hùng.")
STOP = ("Người nộp hồ sơ có văn bản đề nghị dừng giải quyết để bổ sung tranh chấp về quyền nuôi con đang được "
        "Tòa án nhân dân khu vực thụ lý; hồ sơ sẽ được giải quyết lại khi có bản án có hiệu lực.")


def _png(pdf: bytes, stem: str, pages: tuple[int, ...] = (1,)) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "form.pdf"
        source.write_bytes(pdf)
        for page in pages:
            target = OUT / (stem if len(pages) == 1 else f"{stem}-p{page}")
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                            str(source), str(target)], check=True)


def _lifecycle(office) -> None:
    leader = {"signer_name": "Trần Văn Bình", "signer_title": "Giám đốc"}
    _png(build_apology(samples.dossier(), office, reason=samples.LONG_REASON, new_due=samples.at("2026-02-27 16:00"),
                       number="12/XL-TTPVHCC", at=samples.at("2026-02-20 08:30"), **leader), "mau04")
    _png(build_stop_notice(samples.dossier(), office, reason=STOP, at=samples.at("2026-02-18 09:00"), **leader),
         "mau05")
    _png(build_control_slip(samples.handed_over_dossier(), office), "mau06")
    long_slip = build_control_slip(samples.dossier(history=samples.many_handovers(40)), office)
    _png(long_slip, "mau06-long", pages=(1, 2))
    _png(build_return_receipt(samples.handed_over_dossier(), office, result_name="Giấy khai sinh (bản chính)",
                              result_number="15/2026", result_code="KQ.G15.000031",
                              collector_name="Phạm Thị Thu Hương", collector_id="038185009876", authorised=True,
                              returned_at=samples.at("2026-02-24 10:30"), clerk_name="Lê Văn Tâm"),
         "bien-nhan-tra-ket-qua")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    office = samples.office(lookup_url=samples.LOOKUP)
    _png(build_receipt(samples.dossier(), office), "mau01")
    _png(build_receipt(samples.long_dossier(), office), "mau01-long", pages=(1, 2))
    _png(build_guidance(samples.guidance(), office), "mau02")
    items = (GuidanceItem("Bản vẽ sơ đồ thửa đất", "Bổ sung chữ ký xác nhận của các hộ liền kề"),)
    _png(build_supplement_request(samples.dossier(), items, "Thiếu xác nhận ranh giới", office, "Lê Văn Tâm"),
         "mau02-bosung")
    _png(build_refusal(samples.dossier(), office, REFUSAL), "mau03")
    _lifecycle(office)
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
