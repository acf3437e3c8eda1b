"""Checks on a file the clerk picked to digitise, so a bad one is refused, by name, before anything is written.

A file must exist, not be empty or larger than the configured limit, and be an image (JPEG, PNG, TIFF, BMP,
WEBP) or a PDF that opens: images are decoded once (JPEG at 1/8 scale, which still reads every byte), a PDF
must not be encrypted, even with an owner password only (the province cannot archive it), and must have pages.
An image page of more than MAX_PAGE_PIXELS is refused as too large from its header, before it is decoded.
"""

from __future__ import annotations

import logging
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageSequence

from counter.changes import Changes
from counter.context import AppContext, bound
from counter.errors import ValidationError
from counter.records import FileInfo
from db.models import Setting

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
LIMIT_MAX_BYTES = 2048 * 1024 * 1024  # the highest limit an administrator may set
MAX_BYTES_KEY = "scan.max_file_bytes"
OTHER_IMAGE_FORMATS = {"TIFF": "image", "BMP": "image", "WEBP": "image"}
ACCEPTED = "ảnh JPEG, PNG, TIFF, BMP, WEBP hoặc tệp PDF"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDFIUM_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
MAX_PAGE_PIXELS = 60_000_000  # an A3 page at 600 dpi is 70 MP, A4 at 600 dpi 35 MP: more is not a paper scan


@bound
def max_file_bytes(ctx: AppContext) -> int:
    """The largest file a clerk may attach (Setting `scan.max_file_bytes`, default 50 MB)."""
    row = Setting.get_or_none(Setting.key == MAX_BYTES_KEY)
    try:
        value = int(row.value) if row else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES
    return value if value > 0 else DEFAULT_MAX_BYTES


@bound
def set_max_file_bytes(ctx: AppContext, value: int) -> Changes:
    """The largest scan file accepted (one rule for the admin form, `settings set scan_max_mb` and scripts)."""
    if not 0 < value <= LIMIT_MAX_BYTES:
        typed = megabytes(value) if value > 0 else f"{value / (1024 * 1024):g} MB"
        raise ValidationError("Dung lượng tối đa của tệp số hóa phải lớn hơn 0, tối đa "
                              f"{megabytes(LIMIT_MAX_BYTES)} (đã nhập {typed}).")
    Setting.put(MAX_BYTES_KEY, str(value))
    return Changes(settings=True)


def megabytes(size: int) -> str:
    """52428800 → '50 MB', 65333657 → '62,3 MB' (Vietnamese decimal comma), 15000 → '15 KB'."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    value = size / (1024 * 1024)
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
    return text.replace(".", ",") + " MB"


def check_file(path: Path | str, *, max_bytes: int) -> FileInfo:
    """What `path` is and how many pages it gives; raises ValidationError naming the file if it is unusable."""
    path = Path(path)
    size = _size(path)
    if size == 0:
        raise ValidationError(f"Tệp “{path.name}” rỗng (0 byte): hãy quét lại.")
    if size > max_bytes:
        raise ValidationError(f"Tệp “{path.name}” nặng {megabytes(size)}, vượt giới hạn {megabytes(max_bytes)} "
                              "của một tệp số hóa: hãy quét ở độ phân giải thấp hơn hoặc chia thành nhiều tệp.")
    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" in head:
        return FileInfo(path, "pdf", size, _pdf_pages(path))
    kind = "jpeg" if head.startswith(b"\xff\xd8\xff") else "png" if head.startswith(PNG_SIGNATURE) else None
    return FileInfo(path, kind or _other_image_kind(path), size, _image_pages(path, kind))


def _size(path: Path) -> int:
    try:
        if not path.is_file():
            raise ValidationError(f"Không tìm thấy tệp “{path.name}” ({path}).")
        return path.stat().st_size
    except OSError as e:
        raise ValidationError(f"Không đọc được tệp “{path.name}”: {e.strerror or e}.") from e


def _other_image_kind(path: Path) -> str:
    try:
        with _quietly(), Image.open(path) as image:
            kind = OTHER_IMAGE_FORMATS.get(image.format or "")
    except Image.DecompressionBombError:
        raise _too_large(path, None) from None
    except Exception:  # Pillow raises many types on data it does not recognise
        kind = None
    if kind is None:
        raise ValidationError(f"Tệp “{path.name}” không phải {ACCEPTED}: không số hóa được.")
    return kind


@contextmanager
def _quietly() -> Iterator[None]:
    """No DecompressionBombWarning from Pillow: MAX_PAGE_PIXELS, below its threshold, refuses such a page."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


class _TooLarge(Exception):
    def __init__(self, page: int, width: int, height: int):
        super().__init__(page, width, height)
        self.page, self.width, self.height = page, width, height


def _too_large(path: Path, big: _TooLarge | None) -> ValidationError:
    size = f" ({big.width}×{big.height} điểm ảnh)" if big else ""
    page = f"trang {big.page}" if big else "ảnh"
    mp = f"{big.width * big.height / 1e6:.0f}".replace(".", ",") + " megapixel" if big else "rất nhiều điểm ảnh"
    return ValidationError(f"Tệp ảnh “{path.name}” quá lớn: {page} có {mp}{size}, vượt giới hạn "
                           f"{MAX_PAGE_PIXELS // 1_000_000} megapixel một trang. Hãy quét lại ở 200–300 dpi.")


def _image_pages(path: Path, kind: str | None) -> int:
    """Decode every frame once: a truncated or corrupt image fails here, not in the middle of a save. A page of
    more than MAX_PAGE_PIXELS is refused as too large from its header, before any of it is decoded."""
    try:
        if kind == "png":
            png_chunks(path.read_bytes())
        with _quietly(), Image.open(path) as image:
            pages = 0
            for frame in ImageSequence.Iterator(image):
                if frame.width * frame.height > MAX_PAGE_PIXELS:
                    raise _TooLarge(pages + 1, frame.width, frame.height)
                if kind == "jpeg":
                    frame.draft(frame.mode, (max(1, frame.width // 8), max(1, frame.height // 8)))
                frame.load()
                pages += 1
            return pages
    except _TooLarge as big:
        raise _too_large(path, big) from None
    except Image.DecompressionBombError:  # Pillow's own ceiling, above ours: refused as too large all the same
        raise _too_large(path, None) from None
    except Exception as e:  # Pillow and zlib signal corrupt data with many exception types
        log.info("unreadable image %s: %r", path, e)
        raise ValidationError(f"Tệp ảnh “{path.name}” bị hỏng hoặc không đọc được hết: hãy quét lại.") from e


def _pdf_pages(path: Path) -> int:
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == _PDFIUM_PASSWORD_ERROR:
            raise ValidationError(f"Tệp PDF “{path.name}” có mật khẩu: hãy dùng bản không đặt mật khẩu.") from e
        raise ValidationError(f"Tệp PDF “{path.name}” bị hỏng, không mở được: hãy quét hoặc xuất lại.") from e
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf) != -1:
            raise ValidationError(f"Tệp PDF “{path.name}” đã bị mã hóa (khóa quyền in, sao chép): "
                                  "hãy dùng bản không mã hóa.")
        pages = len(pdf)
        if pages == 0:
            raise ValidationError(f"Tệp PDF “{path.name}” không có trang nào.")
        for index in range(pages):  # a broken page tree fails here
            pdf.get_page_size(index)
        return pages
    except pdfium.PdfiumError as e:
        raise ValidationError(f"Tệp PDF “{path.name}” bị hỏng, không đọc được trang: hãy quét lại.") from e
    finally:
        pdf.close()


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The (type, data) chunks of a PNG, each checked against its CRC; ValueError if the file is damaged."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    chunks, at = [], len(PNG_SIGNATURE)
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        crc = data[at + 8 + length:at + 12 + length]
        if len(body) != length or len(crc) != 4 or zlib.crc32(kind + body) != int.from_bytes(crc, "big"):
            raise ValueError(f"damaged chunk {kind!r}")
        chunks.append((kind, body))
        at += 12 + length
        if kind == b"IEND":
            return chunks
    raise ValueError("no IEND chunk")
