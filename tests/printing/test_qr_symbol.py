"""printing.qr_symbol makes exactly the symbol reportlab's QRCode.make() makes, mask choice included."""

import random
import string

import pytest
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel, QRUtil

from printing.qr_symbol import MASKS, codewords, lost_points, make_qr
from tests.printing.samples import CODE, LOOKUP

LEVELS = (QRErrorCorrectLevel.L, QRErrorCorrectLevel.M, QRErrorCorrectLevel.Q, QRErrorCorrectLevel.H)


def reportlab_qr(value: str, level: int) -> QRCode:
    qr = QRCode(None, level)
    qr.addData(value)
    qr.make()
    return qr


def texts(count: int, seed: int) -> list[str]:
    """Texts of many lengths (versions 1 to 15 or so): URLs, digits only, and mixed bytes."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "/:?=.-_&"
    out = [LOOKUP.replace("{code}", CODE), "0" * 40, "HS-2026"]
    for _ in range(count):
        length = rng.choice((3, 11, 25, 47, 72, 90, 130, 200, 310))
        out.append("".join(rng.choice(alphabet) for _ in range(length)))
    return out


@pytest.mark.parametrize("level", LEVELS)
def test_the_same_symbol_as_reportlab(level):
    for value in texts(40, seed=level):
        assert make_qr(value, level).modules == reportlab_qr(value, level).modules, value


def test_the_same_codewords_as_reportlab():
    for level in LEVELS:
        for value in texts(10, seed=10 + level):
            qr = QRCode(None, level)
            qr.addData(value)
            qr.version = qr.calculate_version()
            assert codewords(qr) == QRCode.createData(qr.version, level, qr.dataList), value


def test_each_mask_scores_as_reportlab_scores_it():
    """The penalty of every mask, not only the winner: a wrong rule would show on some mask first."""
    for value in texts(12, seed=99):
        for mask in MASKS:
            qr = QRCode(None, QRErrorCorrectLevel.M)
            qr.addData(value)
            qr.version = qr.calculate_version()
            qr.makeImpl(True, mask)  # how reportlab scores a candidate: format information left blank
            rows = [int("".join("1" if dark else "0" for dark in row), 2) for row in qr.modules]
            assert lost_points(rows, qr.moduleCount) == QRUtil.getLostPoint(qr), (value, mask)


def test_a_finder_like_pattern_costs_40_along_a_row_only():
    size = 21
    # A checkerboard: no run of five, no 2×2 block, half dark; the changes below keep all that.
    board = [("10" * size)[row % 2:][:size] for row in range(size)]
    plain = lost_points([int(line, 2) for line in board], size)

    def score(lines):
        return lost_points([int(line, 2) for line in lines], size)

    along_a_row = [*board[:3], "10111010000" + board[3][11:], *board[4:]]
    assert score(along_a_row) == plain + 40
    at_the_row_end = [*board[:3], board[3][:10] + "10111010000", *board[4:]]  # reportlab never looks there
    assert score(at_the_row_end) == plain
    finder = "10111010000"
    down_a_column = [line[:10] + (finder[row] if row < len(finder) else line[10]) + line[11:]
                     for row, line in enumerate(board)]
    # reportlab's columns are tuples, never equal to its pattern: only its four light modules, a run of five
    # with the board's next one, cost anything.
    assert score(down_a_column) == plain + 3
