"""Scanned images as PDF pages, without losing a pixel: the idea of img2pdf in a small writer of our own.

A JPEG is embedded byte for byte (DCTDecode) and its EXIF orientation becomes the page's /Rotate; a PNG's
compressed data is embedded as it is (FlateDecode with the PNG predictor). Anything else — TIFF, BMP, WEBP,
CMYK or mirrored JPEGs, PNGs with transparency or interlacing — is decoded and Flate-compressed, which is
lossless. The page has the image's physical size when its resolution is known and plausible (100 % scale),
otherwise it is fitted to A4. The output has no dates or random ids, so the same images always give the same bytes.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence

from counter.scans.files import png_chunks

A4 = (595.28, 841.89)  # points
A3_LONG_SIDE = 1191 * 1.05  # points, with room for a scanner's margin
_EXIF_ORIENTATION = 0x0112
_ROTATE = {1: 0, 3: 180, 6: 90, 8: 270}  # EXIF orientation → clockwise page rotation; others are mirrored
_SPACES = {"1": (b"/DeviceGray", 1), "L": (b"/DeviceGray", 8), "RGB": (b"/DeviceRGB", 8), "CMYK": (b"/DeviceCMYK", 8)}
_COLOURS = {0: (b"/DeviceGray", 1), 2: (b"/DeviceRGB", 3)}  # PNG colour type → colour space, components


@dataclass(frozen=True)
class ImagePage:
    """One page: an image XObject's stream and dictionary entries, and the page's size in points."""

    width: int  # pixels
    height: int
    data: bytes  # the stream content, already encoded
    filter: bytes  # /DCTDecode or /FlateDecode
    colour_space: bytes
    bits: int
    page_size: tuple[float, float]
    decode_parms: bytes = b""
    rotate: int = 0


def image_pages(path: Path, kind: str) -> list[ImagePage]:
    """The pages an image file gives (a multi-page TIFF gives several), in order."""
    data = path.read_bytes()
    if kind == "jpeg":
        page = _jpeg(path, data)
        if page is not None:
            return [page]
    elif kind == "png":
        page = _png(path, data)
        if page is not None:
            return [page]
    with Image.open(path) as image:
        return [_decoded(frame.copy()) for frame in ImageSequence.Iterator(image)]


def _jpeg(path: Path, data: bytes) -> ImagePage | None:
    with Image.open(path) as image:
        rotate = _ROTATE.get(image.getexif().get(_EXIF_ORIENTATION, 1))
        if rotate is None or image.mode not in ("L", "RGB"):
            return None  # mirrored or CMYK: decode instead (Adobe CMYK JPEGs need care to embed as they are)
        space, bits = _SPACES[image.mode]
        return ImagePage(image.width, image.height, data, b"/DCTDecode", space, bits,
                         page_size(image.size, _dpi(image)), rotate=rotate)


def _png(path: Path, data: bytes) -> ImagePage | None:
    chunks = png_chunks(data)
    header = chunks[0][1]
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    bits, colour, interlace = header[8], header[9], header[12]
    kinds = {kind for kind, _ in chunks}
    if interlace or b"tRNS" in kinds or colour not in (0, 2, 3) or (colour == 2 and bits < 8):
        return None
    if colour == 3:
        palette = b"".join(body for kind, body in chunks if kind == b"PLTE")
        space, components = b"[/Indexed /DeviceRGB %d <%s>]" % (len(palette) // 3 - 1, palette.hex().encode()), 1
    else:
        space, components = _COLOURS[colour]
    with Image.open(path) as image:
        size = page_size((width, height), _dpi(image))
    parms = b"<</Predictor 15 /Colors %d /BitsPerComponent %d /Columns %d>>" % (components, bits, width)
    idat = b"".join(body for kind, body in chunks if kind == b"IDAT")
    return ImagePage(width, height, idat, b"/FlateDecode", space, bits, size, decode_parms=parms)


def _decoded(image: Image.Image) -> ImagePage:
    dpi = _dpi(image)
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGB", image.size, "white")
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = background
    if image.mode.startswith("I;16"):  # 16-bit grey: keep every level
        raw, space, bits = image.tobytes("raw", "I;16B"), b"/DeviceGray", 16
    else:
        if image.mode not in _SPACES:
            image = image.convert("RGB")
        (space, bits), raw = _SPACES[image.mode], image.tobytes()
    return ImagePage(image.width, image.height, zlib.compress(raw, 6), b"/FlateDecode", space, bits,
                     page_size(image.size, dpi))


def _dpi(image: Image.Image) -> float | None:
    """The horizontal resolution if the file states a plausible one (scanners do; phone photos often not)."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 50 <= value <= 2400 else None


def page_size(pixels: tuple[int, int], dpi: float | None) -> tuple[float, float]:
    """Physical size at the stated resolution; fitted to A4 when there is none or it is implausible (a phone
    photo saying 72 dpi would make a page over a metre long: no paper at the counter is larger than A3)."""
    width, height = pixels
    if dpi and max(width, height) * 72 / dpi <= A3_LONG_SIDE:
        return width * 72 / dpi, height * 72 / dpi
    box = A4 if height >= width else (A4[1], A4[0])
    scale = min(box[0] / width, box[1] / height)
    return width * scale, height * scale


def write_pdf(pages: Sequence[ImagePage]) -> bytes:
    """A PDF with one image per page, in the order given."""
    objects: list[bytes] = [b"", b""]  # 1: catalogue, 2: page tree (filled in last)
    kids = []
    for page in pages:
        image = len(objects) + 1
        objects.append(_stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                               b"/BitsPerComponent %d /Filter %s%s" % (
                                   page.width, page.height, page.colour_space, page.bits, page.filter,
                                   b" /DecodeParms " + page.decode_parms if page.decode_parms else b""), page.data))
        w, h = (_num(v) for v in page.page_size)
        objects.append(_stream(b"", b"q %s 0 0 %s 0 0 cm /Im0 Do Q" % (w, h)))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Rotate %d "
                       b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                       % (w, h, page.rotate, image, image + 1))
        kids.append(b"%d 0 R" % (image + 2))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return _file(objects)


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries.strip(), len(data), data)


def _num(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


def _file(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    file_id = hashlib.md5(bytes(out)).hexdigest().encode()  # an id derived from the content: deterministic
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, file_id, file_id, xref)
    return bytes(out)
