"""A scan of more than 60 megapixels a page is refused as too large, not as damaged, from its header alone (a
143-megapixel PNG used to take 600 MB to decode)."""

import struct
import tracemalloc
import zlib

import pytest
from PIL import Image

from counter.errors import ValidationError
from counter.scans.files import MAX_PAGE_PIXELS, check_file
from tests.counter import scan_samples as s

LIMIT = 50 * 1024 * 1024


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(path, width: int, height: int):
    """A PNG whose header says width × height (RGB) and whose pixels are a few rows only: decoding it whole
    would fail as damaged, so a "too large" answer shows the size was refused before any decoding."""
    rows = zlib.compress(b"\x00" + b"\xff" * (3 * width))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    return path


def test_a_page_over_60_megapixels_is_refused_as_too_large_naming_its_size(tmp_path):
    path = png_claiming(tmp_path / "big.png", 11_000, 13_000)  # 143 MP
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            check_file(path, max_bytes=LIMIT)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert "quá lớn" in message and "hỏng" not in message
    assert "143 megapixel (11000×13000 điểm ảnh)" in message and "giới hạn 60 megapixel" in message
    assert peak < 20 * 1024 * 1024  # the pixels were never decoded


def test_beyond_pillows_own_ceiling_it_is_still_too_large_not_damaged(tmp_path):
    path = png_claiming(tmp_path / "huge.png", 20_000, 10_000)  # 200 MP: Pillow refuses to open it at all
    with pytest.raises(ValidationError, match="quá lớn") as caught:
        check_file(path, max_bytes=LIMIT)
    assert "hỏng" not in str(caught.value)


def test_a_large_jpeg_page_is_judged_by_its_header(tmp_path):
    path = tmp_path / "big.jpg"
    Image.new("L", (8_000, 8_000), 255).save(path, quality=10)  # 64 MP
    with pytest.raises(ValidationError, match="64 megapixel"):
        check_file(path, max_bytes=LIMIT)


def test_a_page_just_within_the_limit_still_passes(tmp_path):
    path = tmp_path / "ok.jpg"
    Image.new("L", (7_000, MAX_PAGE_PIXELS // 7_000), 255).save(path, quality=10)
    assert check_file(path, max_bytes=LIMIT).pages == 1
    assert check_file(s.png(tmp_path / "small.png", s.GREEN), max_bytes=LIMIT).pages == 1


def test_a_huge_tiff_is_too_large_not_an_unknown_format(tmp_path):
    path = tmp_path / "huge.tif"
    Image.new("1", (20_000, 10_000), 1).save(path, compression="group4")  # 200 MP, 1 bit: small to make
    with pytest.raises(ValidationError, match="quá lớn"):
        check_file(path, max_bytes=LIMIT)
