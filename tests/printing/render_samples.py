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
from tests.printing import samples

OUT = Path(__file__).resolve().parents[2] / "docs" / "forms"
REFUSAL = ("Thủ tục đăng ký khai sinh phải thực hiện tại nơi cư trú của cha hoặc mẹ; người nộp không cư trú "
           "trên địa bàn xã Quảng Hùng.")


def _png(pdf: bytes, stem: str, pages: tuple[int, ...] = (1,)) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "form.pdf"
        source.write_bytes(pdf)
        for page in pages:
            target = OUT / (stem if len(pages) == 1 else f"{stem}-p{page}")
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                            str(source), str(target)], check=True)


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
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
