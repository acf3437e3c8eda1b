"""Mẫu 06 (TT 03/2025): PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ, the slip that travels with the paper file.

One row per hand-over of the paper file (to a unit, between units, the result back to the desk, the result
to the citizen), and per event that moves the appointment or ends processing (supplement asked and received,
apology, withdrawal, stop): when, how that moment stands against the appointment then in force, and room
for both sides to sign. Reception is the slip's head; payments, the rating and province updates are not
hand-overs and stay off it. While the dossier is open a few blank rows follow, to be written in by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from counter.records import Dossier, HistoryEntry, Office
from counter.status import ACTION_LABELS, OPEN_STATUSES, Status
from counter.text import nfc
from printing import blocks
from printing.document import FRAME_WIDTH, SectionMark, render
from printing.header import national_header
from printing.markup import BLANK, clock_date, esc, esc_lines, timeliness
from printing.mau01 import NO_DUE_DATE

TITLE = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
_HEAD = ("TT", "Giao, nhận hồ sơ", "Thời gian giao, nhận", "Kết quả (Trước hạn/ Đúng hạn/ Quá hạn)", "Ghi chú",
         "Bên giao", "Bên nhận")
_FIXED = [8 * mm, 29 * mm, 24 * mm, 35 * mm, 19 * mm, 19 * mm]  # the hand-over column gets the rest, 42 mm
_WIDTHS = [_FIXED[0], FRAME_WIDTH - sum(_FIXED), *_FIXED[1:]]
_SIGN_ROOM = 9 * mm
BLANK_ROWS = 3

# The history actions that are rows of the slip (see the module's docstring).
SLIP_ACTIONS = ("handover", "record_result", "return_result", "request_supplement", "receive_supplement",
                "apologise", "withdraw", "stop")
# No on-time result for the reception itself (the clock starts there) nor after the dossier was closed.
_UNTIMED_FROM = (None, Status.REFUSED, Status.RETURNED, Status.WITHDRAWN, Status.STOPPED)
Dues = Sequence[tuple[datetime, datetime | None]]  # DossierDetail.due_timeline()


def build_control_slip(dossier: Dossier, office: Office, *, dues: Dues = (), invariant: bool = False) -> bytes:
    """The control slip, dated on the reception day; the table head repeats on every page it spans.
    `dues`: the appointments in force over time (default: the dossier's current one throughout)."""
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
        _table(dossier, dues or ((dossier.received_at, dossier.due_at),)),
    ]
    return render(story, title=f"{TITLE} - {dossier.code}", office=office, invariant=invariant)


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


def note(entry: HistoryEntry) -> str:
    """The entry's note, unless it only repeats the Giao/Nhận of its row."""
    if entry.action == "handover" and nfc(entry.note) == f"Chuyển hồ sơ đến {nfc(entry.to_unit)}":
        return ""
    return esc_lines(entry.note)


def due_at(dues: Dues, moment: datetime) -> datetime | None:
    """The appointment in force at `moment` (None while the clock is paused or there is none). The row that
    pauses the clock is still judged against the appointment it paused; the row that resumes it, against
    the new one."""
    due = dues[0][1]
    for since, value in dues:
        if since < moment or (since == moment and value is not None):
            due = value
    return due


def result(entry: HistoryEntry, due: datetime | None) -> str:
    """The entry's moment against the appointment in force, or '' where that means nothing."""
    if due is None or entry.from_status in _UNTIMED_FROM:
        return ""
    return timeliness(entry.at, due)


def _due(dossier: Dossier) -> str:
    return clock_date(dossier.due_at) if dossier.due_at else NO_DUE_DATE


def _table(dossier: Dossier, dues: Dues) -> Table:
    rows = [[step(entry), clock_date(entry.at, "<br/>"), result(entry, due_at(dues, entry.at)), note(entry)]
            for entry in dossier.history if entry.action in SLIP_ACTIONS]
    if dossier.status in OPEN_STATUSES or not rows:
        rows += [["", "", "", ""]] * BLANK_ROWS
    # The signature cells are blank, with room to sign: a Spacer sets the row's least height.
    numbered: list[list[str | Flowable]] = [[str(number), *row, Spacer(1, _SIGN_ROOM), ""]
                                            for number, row in enumerate(rows, start=1)]
    return blocks.grid(_HEAD, numbered, _WIDTHS, plain=(0, 3, 5, 6))
