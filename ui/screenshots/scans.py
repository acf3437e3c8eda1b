"""Screenshots of the dossier page's scans tab and of the scan viewer, at 1366×768, over a fresh data directory.

    python -m ui.screenshots.scans --out docs/screenshots

Seeds two dossiers of one citizen: the first has its identity papers scanned, the second has one component
scanned (three pages) and is offered the first one's identity papers for reuse; a file from the scanner's
folder is on offer.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from PIL import Image, ImageDraw

from counter import records
from counter.clock import VN_TZ, FixedClock
from counter.dossiers import reception
from counter.office.users import authenticate
from counter.scans import attachments
from counter.setup import open_demo

SIZE = (1366, 768)
PROCEDURE = "2.001035"
APPLICANT = records.ApplicantInput(id_number="001190000004", full_name="Đỗ Thị Hoa", phone="0912345678")


def paper(path: Path, title: str, tint: tuple[int, int, int]) -> Path:
    """A plausible scanned page: a title, lines of text, a red stamp."""
    image = Image.new("RGB", (827, 1170), tint)
    draw = ImageDraw.Draw(image)
    draw.text((300, 80), title, fill=(20, 20, 80))
    for y in range(160, 1050, 28):
        draw.line((90, y, 737 - (y * 7) % 180, y), fill=(60, 60, 90), width=3)
    draw.ellipse((520, 880, 700, 1060), outline=(200, 20, 20), width=8)
    image.save(path, "JPEG", quality=85, dpi=(100, 100))
    return path


def seed(data_dir: Path, work: Path) -> tuple:
    ctx = open_demo(data_dir, clock=FixedClock(datetime(2026, 12, 3, 9, 30, tzinfo=VN_TZ)))  # a working morning
    ctx.user = authenticate(ctx, "canbo", "canbo123")
    draft = records.DossierDraft(procedure_code=PROCEDURE, applicant=APPLICANT)
    first, _ = reception.receive_dossier(ctx, draft)
    attachments.attach_component(ctx, first.code, 2, [paper(work / "cccd.jpg", "CAN CUOC", (236, 240, 246))])
    attachments.set_valid_until(ctx, first.code, 2, date(2036, 5, 14))
    second, _ = reception.receive_dossier(ctx, draft)
    pages = [paper(work / f"hop-dong-{i}.jpg", f"HOP DONG - TRANG {i}", (246, 244, 236)) for i in (1, 2, 3)]
    attachments.attach_component(ctx, second.code, 1, pages)
    return ctx, second.code


def shoot(out: Path) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from ui.dossier_page.page import DossierPage
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ctx, code = seed(work / "data", work)
        page = DossierPage(ctx)
        (work / "MayQuet").mkdir()
        page.scans.set_folder(work / "MayQuet", remember=False)
        page.resize(*SIZE)
        page.show()
        page.load(code)
        page.lower.setCurrentWidget(page.scans)
        page.scans.table.selectRow(2)
        page.scans.offer_bar.offer(paper(work / "MayQuet" / "scan-0007.jpg", "TO KHAI", (250, 250, 250)),
                                   page.scans.slots[2].name, take_focus=False)
        app.processEvents()
        saved = [out / "scans-dossier.png"]
        page.grab().save(str(saved[0]))
        viewer = page.scans.view(0)
        viewer.resize(*SIZE)
        app.processEvents()
        viewer.go_to(1)
        settle(app, 1.5)  # QPdfView renders its pages asynchronously
        saved.append(out / "scans-viewer.png")
        viewer.grab().save(str(saved[1]))
        viewer.close()
        page.close()
        ctx.database.close()
    return saved


def settle(app, seconds: float) -> None:
    from PySide6.QtCore import QDeadlineTimer
    from PySide6.QtTest import QTest
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not deadline.hasExpired():
        app.processEvents()
        QTest.qWait(20)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for path in shoot(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
