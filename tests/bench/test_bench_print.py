"""Benchmark: build one Mẫu 01 (two copies, with the barcode and the lookup QR), median of 50 builds ≤ 20 ms.

Each build is of another dossier (its code and the applicant's name change), so nothing learnt from the previous
receipt's text can serve the next. Beside it, in the same run, the raw baseline: a bare reportlab canvas drawing
the receipt's own text lines (the lines of its two pages, read back from the PDF), one `drawString` each in the
same TTF font (Liberation Serif, regular face only, embedded and subset as the receipt's are), and one Code 128 of
the dossier code (reportlab's own widget) on each page, saved compressed. That is about the least reportlab can do
to print the same text, so `vs_raw` says what the layout (paragraphs, tables, copies), the three faces, the QR and
the page decorations cost on top.
"""

import io
import statistics
import time

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import REGULAR, register_fonts
from printing.mau01 import build_receipt
from tests.bench.conftest import report
from tests.printing import pdf, samples

TARGET_MS = 20
RUNS = 50
NAMES = ("Nguyễn Thị Hồng Nhung", "Trần Văn Bảy", "Lê Thị Ánh Tuyết", "Phạm Quốc Hưng", "Hoàng Thị Mỹ Dung",
         "Đặng Văn Lực", "Vũ Thị Thu Hằng", "Bùi Đức Thắng", "Đỗ Thị Ngọc Ánh", "Hồ Sỹ Quý")


def dossier_no(i: int):
    return samples.dossier(code=f"000.00.06.H56-260213-{i:04d}",
                           applicant=samples.applicant(full_name=NAMES[i % len(NAMES)]))


def raw_pdf(pages: list[list[str]], code: str) -> bytes:
    """The baseline: each page's lines drawn one under the other, and the code's barcode, on a bare canvas."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for lines in pages:
        canvas.setFont(REGULAR, 12)
        y = A4[1] - 20 * mm
        for line in lines:
            canvas.drawString(20 * mm, y, line)
            y -= 6 * mm
        Code128(code, barHeight=12 * mm).drawOn(canvas, 60 * mm, 20 * mm)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def receipt_lines(receipt: bytes) -> list[list[str]]:
    doc = pdf.pdfium.PdfDocument(receipt)
    try:
        return [[line for line in page.get_textpage().get_text_range().splitlines() if line.strip()] for page in doc]
    finally:
        doc.close()


def timed(build, *args) -> tuple[float, float]:
    """(wall, cpu) milliseconds of one call."""
    start, start_cpu = time.perf_counter(), time.process_time()
    build(*args)
    return (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000


def test_bench_build_mau01():
    register_fonts()
    office = samples.office(lookup_url=samples.LOOKUP)
    pages = receipt_lines(build_receipt(dossier_no(0), office))
    assert len(pages) == 2 and sum(map(len, pages)) > 40
    for i in range(3):  # warm-up: imports, styles, the QR's tables
        build_receipt(dossier_no(1000 + i), office)
        raw_pdf(pages, dossier_no(i).code)
    wall, cpu, raw_wall = [], [], []
    for i in range(RUNS):  # taken in turns, so that the machine's other work weighs on both alike
        dossier = dossier_no(i)
        raw_wall.append(timed(raw_pdf, pages, dossier.code)[0])
        spent, spent_cpu = timed(build_receipt, dossier, office)
        wall.append(spent)
        cpu.append(spent_cpu)
    median, raw = statistics.median(wall), statistics.median(raw_wall)
    # cpu_median_ms tells a busy machine (wall ≫ cpu) from a slow build.
    report({"name": "build_mau01", "dossiers_in_database": None, "median_ms": round(median, 2), "target_ms": TARGET_MS,
            "runs": RUNS, "max_ms": round(max(wall), 2), "cpu_median_ms": round(statistics.median(cpu), 2),
            "raw_median_ms": round(raw, 2), "raw_lines": sum(map(len, pages)), "vs_raw": round(median / raw, 2)})
    assert median <= TARGET_MS
