"""GIẤY BIÊN NHẬN TRẢ KẾT QUẢ: who returned which result to whom, and when, signed by both."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm

from counter.records import Dossier, Office
from printing import blocks
from printing.document import FRAME_WIDTH, SectionMark, render
from printing.header import national_header
from printing.markup import clock_date, esc, esc_or_blank, timeliness
from printing.mau01 import NO_DUE_DATE

TITLE = "GIẤY BIÊN NHẬN TRẢ KẾT QUẢ"
AUTHORISED_NOTE = "Người nhận kết quả nhận thay chủ hồ sơ theo văn bản ủy quyền."
_HEAD = ("TT", "Tên kết quả giải quyết", "Số, ký hiệu", "Mã kết quả")
_FIXED = [10 * mm, 40 * mm, 40 * mm]  # the name column gets the rest, 85 mm
_WIDTHS = [_FIXED[0], FRAME_WIDTH - sum(_FIXED), *_FIXED[1:]]


def build_return_receipt(dossier: Dossier, office: Office, *, result_name: str, result_number: str,
                         result_code: str, collector_name: str, collector_id: str, authorised: bool,
                         returned_at: datetime, clerk_name: str, invariant: bool = False) -> bytes:
    """The receipt the collector signs; `authorised` says the result went to someone acting for the applicant."""
    result_row = ["1", esc_or_blank(result_name), esc_or_blank(result_number), esc_or_blank(result_code)]
    story = [
        SectionMark(f"Giấy biên nhận trả kết quả - Mã hồ sơ: {dossier.code}"),
        national_header(office, returned_at),
        *blocks.title(TITLE),
        blocks.code_block(blocks.code_marks(dossier.code)),
        blocks.line("Hồ sơ của:", f"<b>{esc(dossier.applicant.full_name)}</b>"),
        *blocks.procedure_lines(dossier.procedure_name, dossier.summary),
        blocks.line("Thời gian nhận hồ sơ:", clock_date(dossier.received_at)),
        blocks.line("Thời gian hẹn trả kết quả:", clock_date(dossier.due_at) if dossier.due_at else NO_DUE_DATE),
        blocks.line("Người trả kết quả:", f"<b>{esc_or_blank(clerk_name)}</b>, {esc(office.office_name)}"),
        blocks.line("Người nhận kết quả:", _collector(collector_name, authorised)),
        blocks.line("Số định danh cá nhân/giấy tờ tùy thân:", esc_or_blank(collector_id)),
        blocks.line("Kết quả giải quyết hồ sơ đã trả gồm:", ""),
        blocks.grid(_HEAD, [result_row], _WIDTHS, plain=(0,)),
        blocks.line("Thời gian trả kết quả:", _returned(returned_at, dossier.due_at)),
        *([blocks.line("Ghi chú:", AUTHORISED_NOTE)] if authorised else []),
        blocks.signatures(("NGƯỜI NHẬN KẾT QUẢ", collector_name), ("NGƯỜI TRẢ KẾT QUẢ", clerk_name)),
    ]
    return render(story, title=f"{TITLE} - {dossier.code}", office=office, invariant=invariant)


def _collector(name: str, authorised: bool) -> str:
    role = "người được ủy quyền" if authorised else "chủ hồ sơ"
    return f"<b>{esc_or_blank(name)}</b> ({role})"


def _returned(at: datetime, due: datetime | None) -> str:
    """The moment, and how it stands against the appointment when there is one."""
    return f"<b>{clock_date(at)}</b>" + (f" ({timeliness(at, due)})" if due else "")
