"""Printing Mẫu 01 on a real print queue: the preview's own print path (QPrinter, native format) into CUPS and
its cups-pdf virtual printer, and the file that printer wrote read back — rendered by poppler at 300 and 600 dpi,
the barcode decoded, the page compared with the form. A queue that is paused, rejects jobs or was removed: the
dossier stays committed, nothing is logged as printed, the clerk is told how to print again.

print_document rasterises each page (QtPdf renders, QPainter draws the image), so the printed PDF has no text
layer: the text is checked by comparing the printed page with the form's own rendering, pixel by pixel.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageChops, ImageFilter

from counter.dossiers import reception
from counter.records import ApplicantInput, DossierDraft, GuidanceItem
from db.models import Dossier, PrintLog
from tests.ui.cups_queue import Queue, add_queue, remove_queue, run, worker_queue_name
from ui.dossier_page.page import DossierPage
from ui.printing import preview
from ui.printing.printer import PRINTER, form_printer_option, remembered_printer
from ui.reception.jobs import guidance_job, receipt_job
from ui.reception.page import ReceivePage
from ui.settings import read, ui_settings

CODE128 = zxingcpp.BarcodeFormat.Code128  # the receipt's barcode, what the counter's scanner reads
AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An")
COMPARE_DPI = 150  # the printed page and the form are compared as ink on A4 at this resolution…
NEAR = 1  # …an ink pixel with ink of the other page this close (in pixels) is where it should be…
INKED = 192  # grey levels below this (0 black, 255 white) are ink
STRAY = 50  # …and fewer stray ink pixels than this is the same page (another applicant's name: ~2000)


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    name = worker_queue_name("QMC-PDF")
    made = add_queue(name, tmp_path_factory.mktemp("cups-pdf"))
    yield made
    remove_queue(name)


@pytest.fixture(autouse=True)
def ready(queue):
    """Every test starts on an enabled queue that accepts jobs and holds none."""
    run("cupsenable", queue.name)
    run("cupsaccept", queue.name)
    run("lpadmin", "-p", queue.name, "-o", "printer-state-reasons=none")
    run("cancel", "-a", queue.name, check=False)
    return queue


def received(ctx, name: str = AN.full_name):
    dossier, _ = reception.receive_dossier(
        ctx, DossierDraft(procedure_code="1.001193", applicant=ApplicantInput(id_number=AN.id_number, full_name=name)))
    return dossier


def choosing(queue_name: str, dpi: int):
    """Stands in for the print dialog: the clerk picks the CUPS queue (native format) at `dpi`."""
    def choose(parent, printer) -> bool:
        printer.setOutputFormat(preview.QPrinter.OutputFormat.NativeFormat)
        printer.setPrinterName(queue_name)
        printer.setResolution(dpi)
        assert printer.printerName() == queue_name  # Qt ignores a name it does not know
        return True
    return choose


def rendered(pdf: Path, dpi: int, folder: Path, *, first_page_only: bool = False) -> list[Image.Image]:
    """The pages of `pdf` as poppler renders them at `dpi`, in grey (as a printer's raster would be)."""
    prefix = folder / f"{pdf.stem}-{dpi}"
    pages = ["-f", "1", "-l", "1"] if first_page_only else []
    run("pdftoppm", "-r", str(dpi), "-gray", *pages, str(pdf), str(prefix))
    return [Image.open(path) for path in sorted(folder.glob(f"{prefix.name}-*.pgm"))]


def ink(page: Image.Image) -> Image.Image:
    """The page's inked pixels (255) on A4 at COMPARE_DPI, whatever dpi it was rendered at. Any visible grey
    counts: the light grey footer, drawn at 300 dpi and printed at 600, comes out lighter than drawn."""
    size = (round(595.28 * COMPARE_DPI / 72), round(841.89 * COMPARE_DPI / 72))
    return page.convert("L").resize(size, Image.Resampling.BILINEAR).point(lambda v: 255 if v < INKED else 0)


def stray_ink(a: Image.Image, b: Image.Image) -> int:
    """How many ink pixels of `a` lie farther than NEAR pixels from any ink of `b`: a few for the same page
    rendered twice (two renderers antialias glyph edges differently), about two thousand for another name and
    code."""
    near = ink(b).filter(ImageFilter.MaxFilter(2 * NEAR + 1))
    return ImageChops.subtract(ink(a), near).histogram()[255]


@pytest.mark.parametrize("dpi", [300, 600])
def test_mau01_comes_out_of_the_queue_with_its_barcode_and_its_text(qtbot, ctx, clerk, queue, monkeypatch,
                                                                   tmp_path, dpi):
    dossier = received(ctx)
    job = receipt_job(ctx, dossier)
    dialog = preview.PreviewDialog(ctx, job)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(preview, "choose_printer", choosing(queue.name, dpi))
    before = queue.pdfs()

    assert dialog.print_now(), dialog.status.text()

    printed = queue.wait_for_pdf(before)
    pages = rendered(printed, dpi, tmp_path)
    assert len(pages) == 2  # both copies of the receipt (liên 1, liên 2)
    assert abs(pages[0].width - 595.28 * dpi / 72) <= 2 and abs(pages[0].height - 841.89 * dpi / 72) <= 2  # A4
    for page in pages:
        assert [r.text for r in zxingcpp.read_barcodes(page, formats=CODE128, try_rotate=False)] == [dossier.code]
    original = tmp_path / "form.pdf"
    original.write_bytes(job.pdf)
    form = rendered(original, COMPARE_DPI, tmp_path)
    for page, expected in zip(pages, form, strict=True):  # the same text in the same places: none missing,
        assert stray_ink(expected, page) < STRAY  # none added
        assert stray_ink(page, expected) < STRAY
    other = tmp_path / "other.pdf"
    other.write_bytes(receipt_job(ctx, received(ctx, "Trần Thị Bình Minh Phương")).pdf)
    assert stray_ink(rendered(other, COMPARE_DPI, tmp_path, first_page_only=True)[0], pages[0]) > 10 * STRAY
    assert run("pdftotext", str(printed), "-").stdout.strip() == ""  # printed as a raster: see the docstring

    logged = list(PrintLog.select())
    assert [(r.form, r.copy_no, r.target) for r in logged] == [("mau01", 0, queue.name)]
    assert read(ui_settings(ctx), form_printer_option("mau01")) == queue.name


def refused_print(qtbot, ctx, queue: Queue, monkeypatch) -> tuple[preview.PreviewDialog, str]:
    """Receive a dossier, try to print its receipt on `queue`; the dialog and the code."""
    dossier = received(ctx)
    dialog = preview.PreviewDialog(ctx, receipt_job(ctx, dossier))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(preview, "choose_printer", choosing(queue.name, 300))
    failures = []
    dialog.print_failed.connect(failures.append)
    assert not dialog.print_now()
    assert len(failures) == 1 and failures[0] in dialog.status.text()
    return dialog, dossier.code


def assert_told_and_nothing_logged(dialog: preview.PreviewDialog, code: str, *words: str) -> None:
    status = dialog.status.text()
    assert "Biên nhận (Mẫu 01) chưa được in" in status and "Ctrl+Shift+P" in status
    assert f"Hồ sơ {code} đã được lưu, không cần tiếp nhận lại" in status
    for word in words:
        assert word in status
    assert Dossier.get(Dossier.code == code)  # committed all the same
    assert PrintLog.select().count() == 0  # nothing came out: no copy logged


def test_a_paused_queue_prints_nothing_logs_nothing_and_the_clerk_prints_again(qtbot, ctx, clerk, queue,
                                                                              monkeypatch):
    run("cupsdisable", "-r", "Hết giấy", queue.name)
    before = queue.pdfs()
    dialog, code = refused_print(qtbot, ctx, queue, monkeypatch)
    assert_told_and_nothing_logged(dialog, code, f"Máy in “{queue.name}” đang tạm dừng")
    assert queue.jobs_waiting() == ""  # no job left held in the queue, to come out later as a surprise

    run("cupsenable", queue.name)  # the paper is back: Ctrl+P again in the same preview
    assert dialog.print_now()
    queue.wait_for_pdf(before)
    assert [(r.form, r.copy_no) for r in PrintLog.select()] == [("mau01", 0)]  # the original, at last


def test_a_queue_that_rejects_jobs_prints_nothing_and_logs_nothing(qtbot, ctx, clerk, queue, monkeypatch):
    run("cupsreject", queue.name)
    dialog, code = refused_print(qtbot, ctx, queue, monkeypatch)
    assert_told_and_nothing_logged(dialog, code, "đang từ chối mọi lệnh in")


def test_a_printer_out_of_paper_prints_nothing_and_logs_nothing(qtbot, ctx, clerk, queue, monkeypatch):
    run("lpadmin", "-p", queue.name, "-o", "printer-state-reasons=media-empty-error")  # as its backend reports it
    dialog, code = refused_print(qtbot, ctx, queue, monkeypatch)
    assert_told_and_nothing_logged(dialog, code, f"Máy in “{queue.name}” hết giấy")


def test_a_removed_queue_prints_nothing_and_the_receipt_falls_back_to_another(qtbot, ctx, clerk, queue, monkeypatch,
                                                                             tmp_path):
    gone = add_queue(worker_queue_name("QMC-GONE"), tmp_path / "gone")
    try:
        dossier = received(ctx)
        dialog = preview.PreviewDialog(ctx, receipt_job(ctx, dossier))
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: "Máy in" in dialog.status.text())  # the preview up, its printer found
        monkeypatch.setattr(preview, "choose_printer", choosing(gone.name, 300))
        remove_queue(gone.name)  # unplugged and removed between the choice and the print
        assert not dialog.print_now()
        assert_told_and_nothing_logged(dialog, dossier.code, f"Không tìm thấy máy in “{gone.name}”")
    finally:
        remove_queue(gone.name)


@pytest.mark.parametrize("page_class", [ReceivePage, DossierPage])
def test_the_page_keeps_the_warning_after_the_preview_closes(qtbot, ctx, clerk, queue, monkeypatch, page_class):
    """The reception page (the receipt right after receiving) and a dossier's page (Ctrl+Shift+P)."""
    run("cupsdisable", queue.name)
    page = page_class(ctx)
    qtbot.addWidget(page)
    monkeypatch.setattr(preview, "choose_printer", choosing(queue.name, 300))
    dossier = received(ctx)
    page.show_preview(receipt_job(ctx, dossier))
    assert not page.preview.print_now()
    page.preview.close_button.click()
    qtbot.waitUntil(lambda: page.preview is None)
    text = page.message.plain_text()
    assert "Biên nhận (Mẫu 01) chưa được in" in text and "Ctrl+Shift+P" in text and dossier.code in text
    assert page.message.kind == "warn"
    assert PrintLog.select().count() == 0


def test_each_form_remembers_its_own_printer(qtbot, ctx, clerk, queue, monkeypatch, tmp_path):
    second = add_queue(worker_queue_name("QMC-A5"), tmp_path / "a5")
    try:
        settings = ui_settings(ctx)
        receipt = preview.PreviewDialog(ctx, receipt_job(ctx, received(ctx)))
        qtbot.addWidget(receipt)
        monkeypatch.setattr(preview, "choose_printer", choosing(queue.name, 300))
        assert receipt.print_now()
        guidance, _ = reception.record_guidance(ctx, "1.001193", AN, [GuidanceItem("Giấy chứng sinh", "Còn thiếu")],
                                                "Thiếu")
        slip_job = guidance_job(ctx, guidance)
        slip = preview.PreviewDialog(ctx, slip_job)
        qtbot.addWidget(slip)
        monkeypatch.setattr(preview, "choose_printer", choosing(second.name, 300))
        assert slip.print_now()

        assert remembered_printer(settings, "mau01").printerName() == queue.name
        assert remembered_printer(settings, slip_job.form).printerName() == second.name
        assert read(settings, PRINTER) == second.name  # the last used: a form never printed starts there
        assert remembered_printer(settings, "mau03").printerName() == second.name
        assert preview.PreviewDialog(ctx, receipt_job(ctx, received(ctx))).printer.printerName() == queue.name
    finally:
        remove_queue(second.name)

