"""The form each outcome prints, built from the committed record (never from the screen's input)."""

from __future__ import annotations

from counter.context import AppContext
from counter.office.profile import get_office
from counter.records import Dossier, Guidance
from ui.printing.preview import PrintJob

# Each form's module (reportlab: 0.1–0.2 s to import) is imported by its first print, not with the main window:
# the board after the log-in does not wait for it.


def receipt_job(ctx: AppContext, dossier: Dossier) -> PrintJob:
    from printing.mau01 import build_receipt

    return PrintJob(form="mau01", pdf=build_receipt(dossier, get_office(ctx)), file_name=dossier.code,
                    title=f"Mẫu 01 · Giấy tiếp nhận hồ sơ và hẹn trả kết quả · {dossier.code}",
                    dossier_code=dossier.code)


def guidance_job(ctx: AppContext, guidance: Guidance) -> PrintJob:
    from printing.mau02 import build_guidance

    who = guidance.applicant.id_number or guidance.applicant.full_name
    return PrintJob(form="mau02", pdf=build_guidance(guidance, get_office(ctx)),
                    file_name=f"Mau02-{guidance.at:%y%m%d-%H%M}-{who}",
                    title=f"Mẫu 02 · Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ · {guidance.applicant.full_name}",
                    guidance_id=guidance.id)


def refusal_job(ctx: AppContext, dossier: Dossier, reason: str) -> PrintJob:
    from printing.mau03 import build_refusal

    return PrintJob(form="mau03", pdf=build_refusal(dossier, get_office(ctx), reason), file_name=dossier.code,
                    title=f"Mẫu 03 · Phiếu từ chối tiếp nhận giải quyết hồ sơ · {dossier.code}",
                    dossier_code=dossier.code)
