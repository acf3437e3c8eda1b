"""Render the register's first page to docs/screenshots/register.png for review, from 3,000 demo dossiers at a fixed
date: `.venv/bin/python -m tests.reports.render_register`."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium

from counter.clock import FixedClock
from counter.reports.register import build_register
from counter.setup import open_demo
from devtools.demo.build import add_demo_dossiers
from printing.register_pdf import build_register_pdf
from tests.conftest import at

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "register.png"
DPI = 80


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_demo(Path(tmp) / "data", clock=FixedClock(at("2026-12-07 09:00")))
        try:
            add_demo_dossiers(ctx, 3000, seed=19)
            register = build_register(ctx, start=date(2026, 11, 1), end=date(2026, 11, 30))
            pdf = build_register_pdf(register, invariant=True)
        finally:
            ctx.database.close()
    doc = pdfium.PdfDocument(pdf)
    try:
        doc[0].render(scale=DPI / 72).to_pil().save(OUT)
        pages = len(doc)
    finally:
        doc.close()
    print(f"{OUT} ({len(register.lines)} lines, {pages} pages)")


if __name__ == "__main__":
    main()
