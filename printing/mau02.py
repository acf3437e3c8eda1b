"""Mẫu 02 (TT 03/2025): PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ.

Given at the counter (the dossier is not received: no code, no due date) or asked during processing
(the dossier has a code and its due date pauses until the supplement arrives).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from counter.records import Dossier, Guidance, GuidanceItem, Office
from counter.status import Status
from counter.text import nfc
from printing import blocks
from printing.document import FRAME_WIDTH, SectionMark, render
from printing.header import national_header
from printing.markup import BLANK, clock_date, esc, esc_lines
from printing.styles import styles

TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
_HEAD = ("TT", "Tên giấy tờ", "Nội dung cần bổ sung, hoàn thiện")
_WIDTHS = [10 * mm, 62 * mm, FRAME_WIDTH - 72 * mm]


def build_guidance(guidance: Guidance, office: Office, *, invariant: bool = False) -> bytes:
    """The written guidance for a dossier found incomplete at the counter."""
    st = styles()
    story = [
        SectionMark(f"Mẫu 02 - {nfc(guidance.applicant.full_name)}"),
        national_header(office, guidance.at),
        *blocks.title(TITLE),
        *blocks.applicant_lines(guidance.applicant, "Hồ sơ của:"),
        *blocks.procedure_lines(guidance.procedure_name),
        Paragraph(f"Sau khi xem xét, đối chiếu với quy định hiện hành, {esc(office.office_name)} đề nghị "
                  "Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", st.body),
        *_rest(guidance.items, guidance.reason, guidance.clerk_name, guidance.clerk_phone or office.phone),
    ]
    return render(story, title=TITLE, office=office, invariant=invariant)


def build_supplement_request(dossier: Dossier, items: Sequence[GuidanceItem], reason: str, office: Office,
                             clerk_name: str, *, at: datetime | None = None, invariant: bool = False) -> bytes:
    """The same form for a supplement asked while the dossier is processed; it cites the code with its
    barcode. `at` dates the form (default: when the dossier entered the supplement status)."""
    st = styles()
    story = [
        SectionMark(f"Mẫu 02 - Mã hồ sơ: {dossier.code}"),
        national_header(office, at or supplement_time(dossier)),
        *blocks.title(TITLE),
        blocks.code_block(blocks.code_marks(dossier.code)),
        *blocks.applicant_lines(dossier.applicant, "Hồ sơ của:"),
        *blocks.procedure_lines(dossier.procedure_name, dossier.summary),
        blocks.line("Ngày tiếp nhận hồ sơ:", clock_date(dossier.received_at)),
        Paragraph(f"Trong quá trình giải quyết hồ sơ, {esc(office.office_name)} đề nghị Ông/Bà bổ sung, "
                  "hoàn thiện hồ sơ gồm những nội dung sau:", st.body),
        *_rest(items, reason, clerk_name, office.phone),
        Paragraph("Thời hạn giải quyết hồ sơ tạm dừng từ ngày ra Phiếu này đến khi nhận đủ hồ sơ bổ sung, "
                  "hoàn thiện.", st.note),
    ]
    return render(story, title=f"{TITLE} - {dossier.code}", office=office, invariant=invariant)


def supplement_time(dossier: Dossier) -> datetime:
    """When the dossier last entered the supplement status, else its last change."""
    times = [entry.at for entry in dossier.history if entry.to_status == Status.SUPPLEMENT]
    return max(times) if times else dossier.updated_at


def _rest(items: Sequence[GuidanceItem], reason: str, clerk: str, phone: str) -> list[Flowable]:
    st = styles()
    rows = [[str(i), esc(item.name), esc_lines(item.problem)] for i, item in enumerate(items, start=1)]
    contact = (f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
               f"<b>{esc(clerk) or BLANK}</b>, số điện thoại <b>{esc(phone) or BLANK}</b> để được hướng dẫn.")
    return [
        blocks.grid(_HEAD, rows or [["", "", ""]], _WIDTHS, plain=(0,)),
        blocks.line("Lý do:", esc_lines(reason) or BLANK),
        Paragraph(contact, st.body),
        blocks.signatures(None, ("NGƯỜI HƯỚNG DẪN", clerk)),
    ]
