"""Sample scans made on the fly (Pillow, reportlab): pages filled with a known colour, so the order of the pages
in an assembled PDF can be read back by rendering it; and every kind of bad file a clerk might pick."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from counter.scans.pdf_images import write_pdf

RED, GREEN, BLUE, YELLOW, PURPLE, TEAL = (200, 30, 30), (30, 160, 60), (40, 60, 200), (230, 200, 40), \
    (150, 50, 160), (20, 150, 150)
SMALL = (340, 480)  # pixels: a small page at 200 dpi keeps the tests fast
A4_200DPI = (1654, 2339)


def page_image(colour, size=SMALL, label: str = "") -> Image.Image:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((size[0] // 10, size[1] // 10, size[0] // 3, size[1] // 6), fill=(250, 250, 250))
    if label:
        draw.text((size[0] // 10, size[1] // 5), label, fill=(0, 0, 0))
    return image


def jpeg(path: Path, colour, *, size=SMALL, dpi=200, orientation: int | None = None) -> Path:
    image = page_image(colour, size, path.name)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(path, "JPEG", quality=90, dpi=(dpi, dpi), exif=exif)
    return path


def png(path: Path, colour, *, size=SMALL, dpi=200, mode="RGB") -> Path:
    image = page_image(colour, size, path.name)
    image = image.convert(mode) if mode != "RGB" else image
    image.save(path, "PNG", dpi=(dpi, dpi))
    return path


def tiff(path: Path, colours, *, size=SMALL) -> Path:
    frames = [page_image(c, size) for c in colours]
    frames[0].save(path, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(200, 200))
    return path


def pdf_bytes(colours, *, encrypt=None) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(420, 595), encrypt=encrypt, invariant=1)
    for i, (r, g, b) in enumerate(colours, start=1):
        c.setFillColorRGB(r / 255, g / 255, b / 255)
        c.rect(0, 0, 420, 595, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.drawString(40, 40, f"Trang {i}")
        c.showPage()
    c.save()
    return buffer.getvalue()


def pdf(path: Path, colours, *, encrypt=None) -> Path:
    path.write_bytes(pdf_bytes(colours, encrypt=encrypt))
    return path


def scan_page(path: Path, seed: int) -> Path:
    """A realistic 200 dpi A4 colour scan: paper tint, text lines, a red stamp, sensor noise (~1 MB as JPEG)."""
    image = Image.new("RGB", A4_200DPI, (246, 244, 236))
    draw = ImageDraw.Draw(image)
    for y in range(150, A4_200DPI[1] - 150, 42):
        draw.text((140, y), f"Trang {seed} - dòng {y} - Cộng hòa xã hội chủ nghĩa Việt Nam " * 3, fill=(25, 25, 90))
    draw.ellipse((1100, 1900, 1450, 2250), outline=(200, 20, 20), width=12)
    noise = Image.effect_noise(A4_200DPI, 10 + seed % 5).convert("RGB")
    image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    image.save(path, "JPEG", quality=85, dpi=(200, 200))
    return path


# Bad files ----------------------------------------------------------------------------------------------


def bad_files(folder: Path) -> dict[str, Path]:
    """One of each kind of file that must be refused, by kind."""
    folder.mkdir(parents=True, exist_ok=True)
    good_jpeg = jpeg(folder / "tmp-good.jpg", RED).read_bytes()
    good_png = png(folder / "tmp-good.png", GREEN).read_bytes()
    (folder / "tmp-good.jpg").unlink()
    (folder / "tmp-good.png").unlink()
    idat = good_png.index(b"IDAT") + 20
    files = {
        "empty": b"",
        "text": "Đây là văn bản, không phải ảnh".encode(),
        "truncated_jpeg": good_jpeg[: len(good_jpeg) // 2],
        "damaged_png": good_png[:idat] + bytes([good_png[idat] ^ 0xFF]) + good_png[idat + 1:],
        "corrupt_pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage",
        "password_pdf": pdf_bytes([RED], encrypt=pdfencrypt.StandardEncryption("mat-khau", ownerPassword="chu")),
        "owner_locked_pdf": pdf_bytes([RED], encrypt=pdfencrypt.StandardEncryption("", ownerPassword="chu",
                                                                                   canPrint=0)),
        "no_pages_pdf": write_pdf([]),  # well-formed, with an empty page tree
    }
    suffix = {"text": ".jpg", "truncated_jpeg": ".jpg", "damaged_png": ".png", "empty": ".jpg"}
    paths = {}
    for kind, data in files.items():
        path = folder / f"hỏng-{kind}{suffix.get(kind, '.pdf')}"
        path.write_bytes(data)
        paths[kind] = path
    paths["missing"] = folder / "không-có.jpg"
    return paths


# Reading the result back --------------------------------------------------------------------------------


def page_colours(data: bytes) -> list[tuple[int, int, int]]:
    """The colour at (80 %, 80 %) of each page, rendered small: where the sample pages have no drawing."""
    document = pdfium.PdfDocument(data)
    try:
        colours = []
        for page in document:
            image = page.render(scale=0.2).to_pil().convert("RGB")
            colours.append(image.getpixel((int(image.width * 0.8), int(image.height * 0.8))))
        return colours
    finally:
        document.close()


def same_colour(a, b, tolerance: int = 20) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def colours_match(actual, expected) -> bool:
    return len(actual) == len(expected) and all(same_colour(a, e) for a, e in zip(actual, expected, strict=True))
