"""Mẫu 05 (TT 03/2025): THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ, with the reason, signed by the head of the agency."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Paragraph

from counter.records import Dossier, Office
from counter.status import Status
from printing import blocks
from printing.document import SectionMark, render
from printing.header import national_header
from printing.markup import BLANK, esc, esc_lines
from printing.styles import styles

TITLE = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
RECIPIENTS = ("Như trên", "Lưu: VT, hồ sơ")


def build_stop_notice(dossier: Dossier, office: Office, *, reason: str, signer_name: str, signer_title: str,
                      number: str = "", at: datetime | None = None, invariant: bool = False) -> bytes:
    """The notice that processing stopped. `at` dates it (default: when the dossier was stopped)."""
    st = styles()
    story = [
        SectionMark(f"Mẫu 05 - Mã hồ sơ: {dossier.code}"),
        national_header(office, at or blocks.event_time(dossier, status=Status.STOPPED),
                        number=number or blocks.NO_NUMBER),
        *blocks.title(TITLE),
        *blocks.letter_opening(dossier, office),
        Paragraph(f"{esc(office.office_name)} thông báo dừng giải quyết hồ sơ nêu trên với lý do cụ thể như sau:",
                  st.body),
        Paragraph(esc_lines(reason) or BLANK, st.quote),
        Paragraph("Xin thông báo để Ông/Bà được biết./.", st.body),
        blocks.signed_letter(signer_title, signer_name, RECIPIENTS),
    ]
    return render(story, title=f"{TITLE} - {dossier.code}", office=office, invariant=invariant)
