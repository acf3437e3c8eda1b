"""Mẫu 06 (TT 03/2025): PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ, the slip that travels with the paper file.

One row per entry of the dossier's history: who handed the file to whom and when, how that moment stands
against the appointment, and room for both sides to sign. While the dossier is open a few blank rows
follow, for the hand-overs still to be written in by hand.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from counter.records import Dossier, HistoryEntry, Office
from counter.status import OPEN_STATUSES, Status
from counter.text import nfc
from counter.transitions import ACTION_LABELS
from printing import blocks
from printing.document import FRAME_WIDTH, SectionMark, render
from printing.header import national_header
from printing.markup import BLANK, clock_date, esc, esc_lines, timeliness
from printing.mau01 import NO_DUE_DATE

TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
_HEAD = ("TT", "Giao, nhận hồ sơ", "Thời gian giao, nhận", "Kết quả (Trước hạn/ Đúng hạn/ Quá hạn)", "Ghi chú",
         "Bên giao", "Bên nhận")
_FIXED = [8 * mm, 32 * mm, 25 * mm, 25 * mm, 18 * mm, 18 * mm]  # the hand-over column gets the rest, 49 mm
_WIDTHS = [_FIXED[0], FRAME_WIDTH - sum(_FIXED), *_FIXED[1:]]
_SIGN_ROOM = 9 * mm
BLANK_ROWS = 3

# What each history action is called on paper (the lifecycle's actions; unknown ones show the new status).
# No on-time result for the reception itself (the clock starts there) nor after the dossier was closed.
_UNTIMED_FROM = (None, Status.REFUSED, Status.RETURNED, Status.WITHDRAWN, Status.STOPPED)


def build_control_slip(dossier: Dossier, office: Office, *, invariant: bool = False) -> bytes:
    """The control slip, dated on the reception day; the table head repeats on every page it spans."""
    story: list[Flowable] = [
        SectionMark(f"Mẫu 06 - Mã hồ sơ: {dossier.code}"),
        national_header(office, dossier.received_at),
        *blocks.title(TITLE),
        blocks.code_block(blocks.code_marks(dossier.code)),
        *blocks.applicant_lines(dossier.applicant, "Hồ sơ của:"),
        *blocks.procedure_lines(dossier.procedure_name, dossier.summary),
        blocks.line("Thời gian nhận hồ sơ:", clock_date(dossier.received_at)),
        blocks.line("Thời gian hẹn trả kết quả:", f"<b>{_due(dossier)}</b>"),
        blocks.line("Cơ quan (bộ phận) giải quyết hồ sơ:", esc(processing_unit(dossier, office)) or BLANK),
        _table(dossier),
    ]
    return render(story, title=f"{TITLE} - {dossier.code}", author=nfc(office.office_name), invariant=invariant)


def processing_unit(dossier: Dossier, office: Office) -> str:
    """The first unit other than the desk that the file went to: later hand-overs (to a leader for the
    signature, back to the desk) are steps inside its processing. '' while none has had it."""
    desk = nfc(office.office_name)
    units = [nfc(entry.to_unit) for entry in dossier.history] + [nfc(dossier.unit)]
    return next((unit for unit in units if unit and unit != desk), "")


def step(entry: HistoryEntry) -> str:
    """'Giao: … / Nhận: …' (on two lines) for a hand-over between units, else what was done."""
    giver, taker = nfc(entry.from_unit), nfc(entry.to_unit)
    if giver and taker and giver != taker:
        return f"Giao: {esc(giver)}<br/>Nhận: {esc(taker)}"
    return esc(ACTION_LABELS.get(entry.action) or entry.to_status.label)


def result(entry: HistoryEntry, due: datetime | None) -> str:
    """The entry's moment against the appointment in force, or '' where that means nothing."""
    if due is None or entry.from_status in _UNTIMED_FROM:
        return ""
    return timeliness(entry.at, due)


def _due(dossier: Dossier) -> str:
    return clock_date(dossier.due_at) if dossier.due_at else NO_DUE_DATE


def _table(dossier: Dossier):
    rows = [[step(entry), clock_date(entry.at, "<br/>"), result(entry, dossier.due_at), esc_lines(entry.note)]
            for entry in dossier.history]
    if dossier.status in OPEN_STATUSES or not rows:
        rows += [["", "", "", ""]] * BLANK_ROWS
    # The signature cells are blank, with room to sign: a Spacer sets the row's least height.
    numbered = [[str(number), *row, Spacer(1, _SIGN_ROOM), ""] for number, row in enumerate(rows, start=1)]
    return blocks.grid(_HEAD, numbered, _WIDTHS, plain=(0, 3, 5, 6))
