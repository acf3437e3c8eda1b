"""The QR code of a text, as reportlab's encoder makes it, in a fraction of the time.

A QR encoder tries the eight mask patterns and keeps the one whose symbol scores the fewest penalty points
(long runs of one colour, 2×2 blocks, finder-like patterns, the dark/light balance). reportlab builds and
scores each candidate module by module in Python lists, and makes the error-correction generator polynomial
anew for every code: 12 ms of a 35 ms receipt. Here the symbol's rows are integers (one bit a module): the
function patterns, where the data modules are and what each mask flips are worked out once per version, the
unmasked symbol is built once and each mask is one XOR per row, the runs and patterns are found by regular
expressions on the rows' bit strings, and the generator of each length is made once. The score is reportlab's own,
quirks included (rule 3 only along rows, in its 1011101 0000 orientation, its last position never tried), so the same
mask is chosen and `make_qr` returns exactly the symbol `QRCode.make()` would (tests/printing/test_qr_symbol.py).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import cycle, pairwise, zip_longest
from typing import NamedTuple

from reportlab.graphics.barcode.qrencoder import QRCode, QRRSBlock, QRUtil

MASKS = range(8)
_RUN = re.compile(r"0{5,}|1{5,}")  # rule 1: five or more modules of one colour in a row or column
# Rule 3 as reportlab reads it: dark-light-dark×3-light-dark then 4 light, never as the row's last 11 modules.
_FINDER = re.compile("10111010000(?=[01])")


def make_qr(value: str, level: int) -> QRCode:
    """`value` encoded at error-correction `level` (QRErrorCorrectLevel), its modules made (`qr.modules`)."""
    qr = QRCode(None, level)
    qr.addData(value)
    qr.version = qr.calculate_version()  # type: ignore[no-untyped-call]  # types-reportlab leaves it unannotated
    qr.moduleCount = qr.version * 4 + 17
    qr.dataCache = codewords(qr)
    layout = _layout(qr.version)
    base = _unmasked_rows(layout, qr.dataCache)
    masks = _mask_rows(qr.version)
    scores = [lost_points([row ^ flip for row, flip in zip(base, masked, strict=True)], qr.moduleCount)
              for masked in masks]
    best = scores.index(min(scores))  # the first of the lowest, as reportlab's getBestMaskPattern
    final = [row ^ flip for row, flip in zip(base, masks[best], strict=True)]
    qr.modules = [[bit == "1" for bit in format(row, f"0{qr.moduleCount}b")] for row in final]
    qr.setupTypeInfo(False, best)  # the format information (and the dark module), as makeImpl writes them
    if qr.version >= 7:
        qr.setupTypeNumber(False)
    return qr


def lost_points(rows: list[int], size: int) -> int:
    """reportlab's `QRUtil.getLostPoint` of a symbol whose row r has column c's module in bit size-1-c."""
    lines = [format(row, f"0{size}b") for row in rows]
    columns = ["".join(column) for column in zip(*lines, strict=True)]
    rows_text = "\n".join(lines)
    runs = _RUN.findall("\n".join((rows_text, *columns)))
    score = sum(map(len, runs)) - 2 * len(runs)  # 3 for five, one more for each further module
    # Along rows only: reportlab's columns are tuples, never equal to its pattern (a list).
    score += 40 * len(_FINDER.findall(rows_text))
    full = (1 << size) - 1
    for upper, lower in pairwise(rows):
        same = ~(upper ^ lower) & full  # the module under it has its colour
        flat = ~(upper ^ (upper >> 1)) & (full >> 1)  # the module beside it has its colour
        score += 3 * (same & (same >> 1) & flat).bit_count()  # a 2×2 block of one colour
    dark = sum(row.bit_count() for row in rows)
    return score + 10 * (abs(100 * dark // (size * size) - 50) // 5)


class _Layout(NamedTuple):
    """Where a symbol of one version has what: its function patterns as reportlab's test mode draws them (format
    and version information left light) and, in the order the codewords' bits fill them, its data modules."""

    size: int
    patterns: tuple[int, ...]  # each row's bits
    data: tuple[tuple[int, int], ...]  # each data module's (row, bit of the row)


@cache
def _layout(version: int) -> _Layout:
    qr = QRCode(version, 0)
    size = qr.moduleCount = version * 4 + 17
    qr.modules = [[False] * size for _ in range(size)]
    qr.setupPositionProbePattern(0, 0)
    qr.setupPositionProbePattern(size - 7, 0)
    qr.setupPositionProbePattern(0, size - 7)
    qr.setupPositionAdjustPattern()
    qr.setupTimingPattern()
    qr.setupTypeInfo(True, 0)
    if version >= 7:
        qr.setupTypeNumber(True)
    positions = qr.dataPosIterator()  # type: ignore[no-untyped-call]  # unannotated
    data = tuple((row, 1 << (size - 1 - column)) for column, row in positions)
    return _Layout(size, tuple(_row_bits(line) for line in qr.modules), data)


def _unmasked_rows(layout: _Layout, codes: list[int]) -> list[int]:
    """The symbol's rows with the codewords' bits in its data modules, unmasked (the modules after the last bit
    stay light, as in reportlab's mapData)."""
    rows = list(layout.patterns)
    bits = "".join(format(code, "08b") for code in codes)
    for (row, bit), dark in zip(layout.data, bits, strict=False):
        if dark == "1":
            rows[row] |= bit
    return rows


def _row_bits(line: list[bool]) -> int:
    return int("".join("1" if dark else "0" for dark in line), 2)


@cache
def _mask_rows(version: int) -> tuple[tuple[int, ...], ...]:
    """For each mask, the rows of bits it flips: its pattern over the data modules of a symbol of `version`
    (the same for every text of that version, so computed once)."""
    layout = _layout(version)
    qr = QRCode(version, 0)
    qr.moduleCount = layout.size
    masks = []
    for pattern in MASKS:
        rows = [0] * layout.size
        mask = QRUtil.getMask(pattern)  # type: ignore[no-untyped-call]
        for column, row in qr.dataPosIterator():  # type: ignore[no-untyped-call]
            if mask(row, column):
                rows[row] |= 1 << (layout.size - 1 - column)
        masks.append(tuple(rows))
    return tuple(masks)


def codewords(qr: QRCode) -> list[int]:
    """`QRCode.createData`'s codewords for `qr`'s data at its version: the data, the terminator and padding,
    then each block's error correction, the blocks interleaved."""
    blocks = QRRSBlock.getRSBlocks(qr.version, qr.errorCorrectLevel)  # type: ignore[no-untyped-call]
    capacity = sum(block.dataCount for block in blocks)
    buffer = _Bits()
    for data in qr.dataList:
        data.write(buffer, qr.version)
    if buffer.length > capacity * 8:
        raise ValueError(f"QR code length overflow ({buffer.length} > {capacity * 8})")
    if buffer.length + 4 <= capacity * 8:
        buffer.put(0, 4)  # the terminator
    buffer.put(0, -buffer.length % 8)  # to a whole byte
    written = list(buffer.value.to_bytes(buffer.length // 8, "big"))
    padding = cycle((QRCode.PAD0, QRCode.PAD1))
    codes = written + [next(padding) for _ in range(capacity - len(written))]
    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        data_blocks.append(codes[offset:offset + block.dataCount])
        ec_blocks.append(_remainder(data_blocks[-1], block.totalCount - block.dataCount))
        offset += block.dataCount
    return [code for group in (data_blocks, ec_blocks) for column in zip_longest(*group)
            for code in column if code is not None]


class _Bits:
    """The bits reportlab's QR data segments write (`put` is all they call), in one integer."""

    def __init__(self) -> None:
        self.value = self.length = 0

    def put(self, number: int, length: int) -> None:
        self.value = (self.value << length) | (number & ((1 << length) - 1))
        self.length += length


def _gf_tables() -> tuple[list[int], list[int]]:
    """Powers of 2 in GF(256) modulo QR's polynomial x⁸+x⁴+x³+x²+1, and their logarithms."""
    powers, logs, value = [0] * 255, [0] * 256, 1
    for exponent in range(255):
        powers[exponent], logs[value] = value, exponent
        value <<= 1
        if value & 0x100:
            value ^= 0x11D
    return powers, logs


_EXP, _LOG = _gf_tables()


@cache
def _generator_logs(degree: int) -> tuple[int, ...]:
    """The logarithms of the coefficients after the leading 1 of (x - 2⁰)(x - 2¹)…(x - 2^(degree-1))."""
    poly = [1]
    for i in range(degree):
        shifted = [0, *poly]  # poly × 2^i, one degree down, added to poly × x
        poly = [a ^ (_EXP[(_LOG[b] + i) % 255] if b else 0) for a, b in zip([*poly, 0], shifted, strict=True)]
    assert all(poly), "a Reed-Solomon generator has no zero coefficient"  # else its logarithm would be wrong
    return tuple(_LOG[c] for c in poly[1:])


def _remainder(data: list[int], degree: int) -> list[int]:
    """The `degree` error-correction codewords of `data`: its remainder by the generator (long division)."""
    generator = _generator_logs(degree)
    remainder = [0] * degree
    for code in data:
        factor = code ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            shift = _LOG[factor]
            remainder = [r ^ _EXP[(g + shift) % 255] for r, g in zip(remainder, generator, strict=True)]
    return remainder
