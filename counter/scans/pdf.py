"""One PDF per component from the pages of several files, in the order the clerk chose; its thumbnail.

Images only: our own writer (counter.scans.pdf_images), byte-for-byte reproducible. One PDF in its own order:
kept exactly as it is (a signed PDF stays signed). Anything mixed: pdfium copies the PDF pages as they are
and the image pages written by our writer into one new document.

pdfium is not thread-safe: call these from one thread at a time (the UI's single worker).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import pypdfium2 as pdfium

from counter.errors import ValidationError
from counter.records import FileInfo
from counter.scans.pdf_images import ImagePage, image_pages, write_pdf

THUMBNAIL_PX = 320  # the longer side of page 1's preview


@dataclass(frozen=True)
class Assembled:
    data: bytes
    pages: int
    sha256: str  # of `data`: where it is stored
    source_digest: str  # of the input pages in order: the same scan attached again finds the stored file


@dataclass(frozen=True)
class _Page:
    path: Path
    index: int  # in its file
    image: ImagePage | None  # None: a page of a PDF file


def assemble(files: Sequence[FileInfo], order: Sequence[int] | None = None) -> Assembled:
    """`order` lists 0-based page numbers over all files' pages in file order; None keeps that order."""
    pages = _pages(files)
    if order is not None:
        pages = [pages[i] for i in _checked_order(order, len(pages))]
    data = _merge(pages)
    digests = {f.path: hashlib.sha256(f.path.read_bytes()).hexdigest() for f in files}
    source = hashlib.sha256("".join(f"{digests[p.path]}:{p.index}\n" for p in pages).encode()).hexdigest()
    return Assembled(data, len(pages), hashlib.sha256(data).hexdigest(), source)


def assemble_pdf(files: Sequence[FileInfo], order: Sequence[int] | None = None) -> bytes:
    return assemble(files, order).data


def _pages(files: Sequence[FileInfo]) -> list[_Page]:
    pages = []
    for f in files:
        if f.kind == "pdf":
            pages += [_Page(f.path, i, None) for i in range(f.pages)]
        else:
            pages += [_Page(f.path, i, image) for i, image in enumerate(image_pages(f.path, f.kind))]
    return pages


def _checked_order(order: Sequence[int], count: int) -> list[int]:
    order = list(order)
    if sorted(order) != list(range(count)):
        raise ValidationError(f"Thứ tự trang không hợp lệ: phải có mỗi trang từ 1 đến {count} đúng một lần.")
    return order


def _images(pages: Sequence[_Page]) -> list[ImagePage] | None:
    """The pages' images when all are image pages; None when one is a page of a PDF file."""
    images = [p.image for p in pages if p.image is not None]
    return images if len(images) == len(pages) else None


def _merge(pages: list[_Page]) -> bytes:
    images = _images(pages)
    if images is not None:
        return write_pdf(images)
    paths = {p.path for p in pages}
    if len(paths) == 1 and [p.index for p in pages] == list(range(len(pages))):
        return pages[0].path.read_bytes()  # one PDF, all its pages in its own order: keep it untouched
    return _pdfium_merge(pages)


def _pdfium_merge(pages: list[_Page]) -> bytes:
    out = pdfium.PdfDocument.new()
    sources = []  # kept open until saved: pdfium may read the imported pages' streams lazily
    try:
        for (path, _), group in groupby(pages, key=lambda p: (p.path, p.image is None)):
            run = list(group)
            images = _images(run)  # None: a run of one PDF file's pages
            source = pdfium.PdfDocument(path) if images is None else pdfium.PdfDocument(write_pdf(images))
            sources.append(source)
            out.import_pages(source, [p.index for p in run] if images is None else None)
        buffer = io.BytesIO()
        out.save(buffer)
        return buffer.getvalue()
    finally:
        out.close()
        for source in sources:
            source.close()


def thumbnail_png(data: bytes, longest: int = THUMBNAIL_PX) -> bytes:
    """Page 1 rendered small, as PNG bytes (the page's /Rotate is applied)."""
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        width, height = page.get_size()
        image = page.render(scale=longest / max(width, height)).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return buffer.getvalue()
    finally:
        pdf.close()
