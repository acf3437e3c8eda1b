"""Mẫu 03 (TT 03/2025): PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ, with the reason."""

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

TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"


def build_refusal(dossier: Dossier, office: Office, reason: str, *, at: datetime | None = None,
                  invariant: bool = False) -> bytes:
    """The refusal slip signed by the clerk. `at` dates it (default: when the dossier was refused)."""
    st = styles()
    story = [
        SectionMark(f"Mẫu 03 - Mã hồ sơ: {dossier.code}"),
        national_header(office, at or refusal_time(dossier)),
        *blocks.title(TITLE),
        blocks.code_block(blocks.code_marks(dossier.code)),  # the desk finds the refusal again by its barcode
        *blocks.applicant_lines(dossier.applicant, "Hồ sơ của:"),
        *blocks.procedure_lines(dossier.procedure_name, dossier.summary),
        Paragraph(f"Sau khi xem xét, đối chiếu thành phần hồ sơ với quy định hiện hành, {esc(office.office_name)} "
                  "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:", st.body),
        Paragraph(esc_lines(reason) or BLANK, st.quote),
        Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.", st.body),
        blocks.signatures(None, ("NGƯỜI TIẾP NHẬN HỒ SƠ", dossier.received_by)),
    ]
    return render(story, title=f"{TITLE} - {dossier.code}", office=office, invariant=invariant)


def refusal_time(dossier: Dossier) -> datetime:
    """When the dossier was refused, else its last change."""
    times = [entry.at for entry in dossier.history if entry.to_status == Status.REFUSED]
    return max(times) if times else dossier.updated_at
