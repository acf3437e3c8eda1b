"""Checking picked files and building one PDF from their pages: order, fidelity, refusals. No database needed
except for the size limit setting."""

import io

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from counter.errors import ValidationError
from counter.scans import files as scan_files
from counter.scans import pdf as scan_pdf
from counter.scans.files import check_file
from tests.counter import scan_samples as s

LIMIT = 50 * 1024 * 1024


def checked(*paths):
    return [check_file(p, max_bytes=LIMIT) for p in paths]


def test_check_file_reports_kind_and_pages(tmp_path):
    infos = checked(s.jpeg(tmp_path / "a.jpg", s.RED), s.png(tmp_path / "b.png", s.GREEN),
                    s.tiff(tmp_path / "c.tif", [s.RED, s.BLUE, s.YELLOW]), s.pdf(tmp_path / "d.pdf", [s.RED, s.BLUE]))
    assert [(i.kind, i.pages) for i in infos] == [("jpeg", 1), ("png", 1), ("image", 3), ("pdf", 2)]
    assert infos[0].size == (tmp_path / "a.jpg").stat().st_size


def test_pages_keep_the_order_of_the_files_and_pages(tmp_path):
    files = checked(s.jpeg(tmp_path / "1.jpg", s.RED), s.pdf(tmp_path / "2.pdf", [s.GREEN, s.BLUE]),
                    s.png(tmp_path / "3.png", s.YELLOW), s.tiff(tmp_path / "4.tif", [s.PURPLE, s.TEAL]))
    assembled = scan_pdf.assemble(files)
    assert assembled.pages == 6
    assert s.colours_match(s.page_colours(assembled.data), [s.RED, s.GREEN, s.BLUE, s.YELLOW, s.PURPLE, s.TEAL])


def test_the_clerk_can_reorder_pages(tmp_path):
    files = checked(s.jpeg(tmp_path / "1.jpg", s.RED), s.pdf(tmp_path / "2.pdf", [s.GREEN, s.BLUE]),
                    s.png(tmp_path / "3.png", s.YELLOW))
    data = scan_pdf.assemble_pdf(files, order=[3, 1, 0, 2])
    assert s.colours_match(s.page_colours(data), [s.YELLOW, s.GREEN, s.RED, s.BLUE])
    images = checked(*(s.jpeg(tmp_path / f"{i}.jpg", c) for i, c in enumerate([s.RED, s.GREEN, s.BLUE])))
    assert s.colours_match(s.page_colours(scan_pdf.assemble_pdf(images, order=[2, 0, 1])), [s.BLUE, s.RED, s.GREEN])


@pytest.mark.parametrize("order", [[0, 1], [0, 1, 1], [0, 1, 3], [2, 1, 0, 0]])
def test_an_order_must_name_every_page_once(tmp_path, order):
    files = checked(*(s.jpeg(tmp_path / f"{i}.jpg", s.RED) for i in range(3)))
    with pytest.raises(ValidationError, match="Thứ tự trang không hợp lệ"):
        scan_pdf.assemble(files, order)


def test_jpeg_is_embedded_byte_for_byte_and_keeps_its_colour(tmp_path):
    path = s.jpeg(tmp_path / "scan.jpg", s.PURPLE)
    data = scan_pdf.assemble_pdf(checked(path))
    assert path.read_bytes() in data  # DCTDecode stream = the file itself: no recompression
    assert s.colours_match(s.page_colours(data), [s.PURPLE])


def _embedded_image(data: bytes) -> Image.Image:
    document = pdfium.PdfDocument(data)
    image = next(iter(document[0].get_objects()))
    return image.get_bitmap(render=False).to_pil().convert("RGB")


@pytest.mark.parametrize("make", [
    lambda p: s.png(p / "rgb.png", s.TEAL),
    lambda p: s.png(p / "palette.png", s.TEAL, mode="P"),
    lambda p: s.png(p / "grey.png", s.TEAL, mode="L"),
    lambda p: s.tiff(p / "scan.tif", [s.TEAL]),
])
def test_png_and_other_images_lose_no_pixel(tmp_path, make):
    path = make(tmp_path)
    embedded = _embedded_image(scan_pdf.assemble_pdf(checked(path)))
    original = Image.open(path).convert("RGB")
    assert embedded.size == original.size
    assert ImageChops.difference(embedded, original).getbbox() is None


def test_png_compressed_data_is_embedded_without_reencoding(tmp_path):
    path = s.png(tmp_path / "scan.png", s.BLUE)
    raw = path.read_bytes()
    idat = b"".join(body for kind, body in scan_files.png_chunks(raw) if kind == b"IDAT")
    assert idat in scan_pdf.assemble_pdf(checked(path))


def test_pages_have_the_scans_physical_size(tmp_path):
    """100 % scale: a 200 dpi A4 scan makes an A4 page; an image without resolution is fitted to A4."""
    a4 = s.jpeg(tmp_path / "a4.jpg", s.RED, size=s.A4_200DPI)
    photo, phone = tmp_path / "photo.jpg", tmp_path / "phone.jpg"
    s.page_image(s.RED, (3000, 2000)).save(photo, "JPEG")  # landscape, no dpi
    s.page_image(s.RED, (3000, 4000)).save(phone, "JPEG", dpi=(72, 72))  # 72 dpi would be 1.4 m tall
    document = pdfium.PdfDocument(scan_pdf.assemble_pdf(checked(a4, photo, phone)))
    (w1, h1), (w2, h2), (w3, h3) = (document[i].get_size() for i in range(3))
    assert abs(w1 - 595.3) < 1 and abs(h1 - 842) < 1
    assert abs(w2 - 841.9) < 1 and h2 < 595.3
    assert w3 == pytest.approx(595.28, abs=0.1) and h3 < 842


def test_exif_orientation_turns_the_page_not_the_pixels(tmp_path):
    path = s.jpeg(tmp_path / "phone.jpg", s.GREEN, orientation=6)
    data = scan_pdf.assemble_pdf(checked(path))
    assert path.read_bytes() in data
    assert pdfium.PdfDocument(data)[0].get_rotation() == 90


def test_images_give_the_same_bytes_every_time(tmp_path):
    files = checked(s.jpeg(tmp_path / "1.jpg", s.RED), s.png(tmp_path / "2.png", s.GREEN))
    first, second = scan_pdf.assemble(files), scan_pdf.assemble(files)
    assert first.data == second.data and first.sha256 == second.sha256
    assert first.source_digest == second.source_digest
    assert scan_pdf.assemble(files, [1, 0]).source_digest != first.source_digest


def test_a_single_pdf_is_kept_exactly(tmp_path):
    path = s.pdf(tmp_path / "signed.pdf", [s.RED, s.GREEN])
    assert scan_pdf.assemble_pdf(checked(path)) == path.read_bytes()
    reordered = scan_pdf.assemble_pdf(checked(path), order=[1, 0])
    assert s.colours_match(s.page_colours(reordered), [s.GREEN, s.RED])


def test_thumbnail_is_page_one_rendered_small(tmp_path):
    files = checked(s.jpeg(tmp_path / "1.jpg", s.YELLOW, size=s.A4_200DPI), s.jpeg(tmp_path / "2.jpg", s.BLUE))
    thumbnail = Image.open(io.BytesIO(scan_pdf.thumbnail_png(scan_pdf.assemble_pdf(files))))
    assert thumbnail.format == "PNG" and max(thumbnail.size) == scan_pdf.THUMBNAIL_PX
    rgb = thumbnail.convert("RGB")
    assert s.same_colour(rgb.getpixel((int(rgb.width * 0.8), int(rgb.height * 0.8))), s.YELLOW)


@pytest.mark.parametrize("kind, words", [
    ("empty", "rỗng"),
    ("text", "không phải ảnh JPEG, PNG"),
    ("truncated_jpeg", "bị hỏng"),
    ("damaged_png", "bị hỏng"),
    ("corrupt_pdf", "bị hỏng"),
    ("password_pdf", "có mật khẩu"),
    ("owner_locked_pdf", "mã hóa"),
    ("no_pages_pdf", "Tệp PDF"),  # pdfium itself refuses an empty page tree
    ("missing", "Không tìm thấy tệp"),
])
def test_bad_files_are_refused_by_name(tmp_path, kind, words):
    path = s.bad_files(tmp_path)[kind]
    with pytest.raises(ValidationError) as refused:
        check_file(path, max_bytes=LIMIT)
    assert f"“{path.name}”" in str(refused.value) and words in str(refused.value)


def test_a_file_over_the_limit_is_refused_with_both_sizes(tmp_path):
    path = s.jpeg(tmp_path / "big.jpg", s.RED)
    with pytest.raises(ValidationError, match=r"“big\.jpg” nặng [0-9]+ KB, vượt giới hạn 1 KB"):
        check_file(path, max_bytes=1024)
    assert check_file(path, max_bytes=path.stat().st_size).pages == 1


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(ValidationError, match="Không tìm thấy tệp"):
        check_file(tmp_path, max_bytes=LIMIT)


def test_size_limit_setting(bare_ctx):
    ctx = bare_ctx
    assert scan_files.max_file_bytes(ctx) == 50 * 1024 * 1024
    scan_files.set_max_file_bytes(ctx, 5 * 1024 * 1024)
    assert scan_files.max_file_bytes(ctx) == 5 * 1024 * 1024
    with pytest.raises(ValidationError):
        scan_files.set_max_file_bytes(ctx, 0)
    assert scan_files.megabytes(5 * 1024 * 1024) == "5 MB" and scan_files.megabytes(1536 * 1024) == "1,5 MB"
    assert scan_files.megabytes(15_000) == "15 KB"
