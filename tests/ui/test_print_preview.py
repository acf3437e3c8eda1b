"""The print preview, offscreen: it loads the form, prints it (to a PDF printer) and saves it, logging both."""

from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter

from counter.dossiers import reception
from counter.errors import NotFound, ValidationError
from counter.records import ApplicantInput, DossierDraft, GuidanceItem
from db.models import PrintLog
from tests.ui.printed import barcodes, pdf_pages, printing_to
from ui.printing import preview
from ui.printing.pdf_pages import render_on_white
from ui.printing.printer import PDF_FOLDER, PRINTER, remember_printer
from ui.reception.jobs import guidance_job, receipt_job
from ui.settings import read, ui_settings, write

AN = ApplicantInput(id_number="038090012345", full_name="Nguyễn Văn An")


@pytest.fixture
def job(ctx, clerk):
    dossier, _ = reception.receive_dossier(ctx, DossierDraft(procedure_code="1.001193", applicant=AN))
    return receipt_job(ctx, dossier)


@pytest.fixture
def dialog(qtbot, ctx, job):
    dialog = preview.PreviewDialog(ctx, job)
    qtbot.addWidget(dialog)
    return dialog


def test_the_preview_loads_both_copies_of_mau01_on_white_paper(dialog, qtbot):
    assert dialog.page_count == 2 and dialog.pages.page_count() == 2
    assert dialog.pages.rendered_pages() >= 1  # the first page is there at once
    qtbot.waitUntil(lambda: dialog.pages.rendered_pages() == 2)
    image = dialog.pages.page_image(0)
    assert image.pixelColor(3, 3) == QColor("white")  # paper, not the transparent render
    dark = sum(1 for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
               if image.pixelColor(x, y).lightness() < 100)
    assert dark > 50  # and there is ink on it
    assert image.width() < 1300  # screen resolution, not printer resolution
    assert "Mẫu 01" in dialog.windowTitle() and dialog.job.dossier_code in dialog.windowTitle()
    assert "bản gốc" in dialog.status.text()


def test_render_on_white_fills_the_transparent_background(dialog):
    from PySide6.QtCore import QSize
    transparent = dialog.pages.document.render(0, QSize(100, 141))
    assert transparent.pixelColor(1, 1).alpha() == 0
    assert render_on_white(dialog.pages.document, 0, QSize(100, 141)).pixelColor(1, 1) == QColor("white")


def test_print_logs_the_original_then_copies(dialog, monkeypatch, tmp_path, ctx):
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(preview, "choose_printer", printing_to(out))
    copies = []
    dialog.printed.connect(copies.append)
    assert dialog.print_now()
    assert pdf_pages(out.read_bytes()) == 2  # pages go out as 300 dpi images, so no text to read back
    assert dialog.job.dossier_code in barcodes(out.read_bytes(), 1)  # the printed barcode still scans
    assert dialog.print_now()
    assert copies == [0, 1]
    rows = [(r.form, r.copy_no, r.target, r.dossier.code) for r in PrintLog.select().order_by(PrintLog.id)]
    assert rows == [("mau01", 0, str(out), dialog.job.dossier_code), ("mau01", 1, str(out), dialog.job.dossier_code)]
    assert "bản sao lần 2" in dialog.status.text()
    assert read(ui_settings(ctx), PRINTER) == ""  # a PDF file is not a printer to remember


def test_cancelling_the_printer_choice_prints_and_logs_nothing(dialog, monkeypatch):
    monkeypatch.setattr(preview, "choose_printer", lambda parent, printer: False)
    assert not dialog.print_now()
    assert PrintLog.select().count() == 0


def test_save_pdf_suggests_the_dossier_code_and_logs(dialog, monkeypatch, tmp_path, ctx):
    write(ui_settings(ctx), PDF_FOLDER, str(tmp_path))
    suggested = []

    def ask(parent, name):
        suggested.append(name)
        return str(tmp_path / "luu" / "phieu")
    (tmp_path / "luu").mkdir()
    monkeypatch.setattr(preview, "ask_save_path", ask)
    path = dialog.save_pdf()
    assert suggested == [str(tmp_path / f"{dialog.job.dossier_code}.pdf")]
    assert path == str(tmp_path / "luu" / "phieu.pdf")
    assert Path(path).read_bytes() == dialog.job.pdf
    assert [(r.form, r.copy_no, r.target) for r in PrintLog.select()] == [("mau01", 0, path)]
    assert read(ui_settings(ctx), PDF_FOLDER) == str(tmp_path / "luu")


def test_a_failed_save_says_so_and_logs_nothing(dialog, monkeypatch, tmp_path):
    monkeypatch.setattr(preview, "ask_save_path", lambda parent, name: str(tmp_path / "no" / "such" / "dir.pdf"))
    assert dialog.save_pdf() == ""
    assert "Chưa lưu được" in dialog.status.text() and PrintLog.select().count() == 0


def test_a_preview_is_refused_for_a_record_that_is_not_stored(qtbot, ctx, job):
    from dataclasses import replace
    with pytest.raises(NotFound):
        preview.PreviewDialog(ctx, replace(job, dossier_code="000.00.06.H56-260213-0999"))
    with pytest.raises(NotFound):
        preview.PreviewDialog(ctx, replace(job, dossier_code=None, guidance_id=4242))
    with ctx.database.atomic(), pytest.raises(ValidationError):
        preview.PreviewDialog(ctx, job)


def test_open_preview_does_not_block_and_cleans_up(qtbot, ctx, clerk):
    guidance, _ = reception.record_guidance(ctx, "1.001193", AN, [GuidanceItem("Giấy chứng sinh", "Còn thiếu")],
                                            "Thiếu")
    dialog = preview.open_preview(ctx, guidance_job(ctx, guidance))
    assert dialog.isVisible() and dialog.page_count == 1
    assert "Mẫu 02" in dialog.windowTitle() and dialog.job.guidance_id == guidance.id
    with qtbot.waitSignal(dialog.destroyed):
        dialog.close()


def test_the_remembered_printer_is_kept_only_for_real_printers(ctx):
    settings = ui_settings(ctx)
    pdf = QPrinter()
    pdf.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    remember_printer(settings, pdf)
    assert read(settings, PRINTER) == ""
    write(settings, PRINTER, "Máy in đã gỡ")
    assert preview.remembered_printer(settings).printerName() != "Máy in đã gỡ"  # gone: fall back to the default


def test_the_page_opens_the_real_preview_after_receiving_and_gets_focus_back(qtbot, ctx, clerk):
    from counter.catalogue import procedures
    from ui.reception.page import ReceivePage
    page = ReceivePage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitActive(page):
        page.show()
    page.fill_from_cccd("038090012345||Nguyễn Văn An|15031990|Nam|Thôn 3|20042021")
    page.picker.pick(procedures.get_procedure(ctx, "1.001193"))
    dossier = page.receive()
    dialog = page.preview
    assert dialog.isVisible() and dialog.isModal() and dialog.page_count == 2
    assert dialog.job.dossier_code == dossier.code and dialog.pages.rendered_pages() >= 1
    with qtbot.waitSignal(dialog.destroyed):
        dialog.reject()
    assert page.preview is None and page.focusWidget() is page.applicant.id_edit


def test_the_printer_is_found_after_the_preview_shows(qtbot, ctx, job, monkeypatch):
    """Asking the system for its printers is no part of showing the form: the status line comes a turn later."""
    found = []
    real = preview.remembered_printer
    monkeypatch.setattr(preview, "remembered_printer", lambda *args: found.append(args) or real(*args))
    dialog = preview.open_preview(ctx, job)
    qtbot.addWidget(dialog)
    assert dialog.pages.rendered_pages() >= 1 and not found and dialog.status.text() == ""
    qtbot.waitUntil(lambda: "Lần in tới: bản gốc" in dialog.status.text())
    assert len(found) == 1 and dialog.printer is dialog.printer  # found once, then kept
