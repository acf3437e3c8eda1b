"""Mẫu 04 (TT 03/2025): VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT, signed by the head of the agency.

Formerly "Phiếu xin lỗi và hẹn lại ngày trả kết quả": the reason for the delay and the new appointment.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Paragraph

from counter.records import Dossier, Office
from printing import blocks
from printing.document import SectionMark, render
from printing.header import national_header
from printing.markup import BLANK, clock_date, esc, esc_lines
from printing.styles import styles

TITLE = "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
RECIPIENTS = ("Như trên", "Lưu: VT, hồ sơ")


def build_apology(dossier: Dossier, office: Office, *, reason: str, new_due: datetime, signer_name: str,
                  signer_title: str, number: str = "", at: datetime | None = None,
                  due_before: datetime | None = None, invariant: bool = False) -> bytes:
    """The apology letter. `at` dates it (default: the dossier's last apology, else its last change);
    `due_before` is the appointment being moved (default: the original one, else the current one)."""
    st = styles()
    office_name = esc(office.office_name)
    due_before = due_before or dossier.original_due_at or dossier.due_at
    story = [
        SectionMark(f"Mẫu 04 - Mã hồ sơ: {dossier.code}"),
        national_header(office, at or blocks.event_time(dossier, action="apologise"),
                        number=number or blocks.NO_NUMBER),
        *blocks.title(TITLE),
        *blocks.letter_opening(dossier, office),
        blocks.line("Thời gian hẹn trả kết quả giải quyết hồ sơ:", clock_date(due_before) if due_before else BLANK),
        Paragraph(f"Tuy nhiên đến nay, {office_name} chưa trả kết quả giải quyết hồ sơ của Ông/Bà vì lý do sau:",
                  st.body),
        Paragraph(esc_lines(reason) or BLANK, st.quote),
        Paragraph("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại, công sức của Ông/Bà.", st.body),
        Paragraph(f"{office_name} xin lỗi Ông/Bà, đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ "
                  f"và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào <b>{clock_date(new_due)}</b>.", st.body),
        Paragraph("Trân trọng./.", st.body),
        blocks.signed_letter(signer_title, signer_name, RECIPIENTS),
    ]
    return render(story, title=f"{TITLE} - {dossier.code}", office=office, invariant=invariant)
