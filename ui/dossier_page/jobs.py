"""The forms the dossier page prints, each built from the committed record (never from what was typed)."""

from __future__ import annotations

from counter.context import AppContext
from counter.office.profile import get_office
from counter.records import STOP_NOTE, DossierDetail, Pause
from counter.text import nfc
from ui.printing.preview import PrintJob

# Each form's module (reportlab: ~0.1 s to import) is imported when the form is first printed, not with the main
# window: the board after the log-in does not wait for it.


def control_slip_job(ctx: AppContext, detail: DossierDetail) -> PrintJob:
    from printing.mau06 import build_control_slip

    d = detail.dossier
    pdf = build_control_slip(d, get_office(ctx), dues=detail.due_timeline())
    return PrintJob(form="mau06", pdf=pdf, file_name=f"Mau06-{d.code}",
                    title=f"Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ — {d.code}", dossier_code=d.code)


def supplement_job(ctx: AppContext, detail: DossierDetail, clerk_name: str, pause: Pause | None = None) -> PrintJob:
    """Mẫu 02 of `pause` (default: the latest)."""
    from printing.mau02 import build_supplement_request

    d, pause = detail.dossier, pause or detail.pauses[-1]
    pdf = build_supplement_request(d, pause.items, pause.reason, get_office(ctx), clerk_name, at=pause.paused_at)
    return PrintJob(form="mau02", pdf=pdf, file_name=f"Mau02-{d.code}",
                    title=f"Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ — {d.code}", dossier_code=d.code)


def apology_job(ctx: AppContext, detail: DossierDetail) -> PrintJob:
    from printing.mau04 import build_apology

    d, a = detail.dossier, detail.apology
    pdf = build_apology(d, get_office(ctx), reason=a.reason, new_due=a.new_due, signer_name=a.signer_name,
                        signer_title=a.signer_title, at=a.issued_at, due_before=a.due_before)
    return PrintJob(form="mau04", pdf=pdf, file_name=f"Mau04-{d.code}",
                    title=f"Mẫu 04 — Văn bản xin lỗi và đề nghị gia hạn — {d.code}", dossier_code=d.code)


def stop_job(ctx: AppContext, detail: DossierDetail) -> PrintJob:
    from printing.mau05 import build_stop_notice

    d, stopped = detail.dossier, detail.stopped
    signer = (stopped.signer_name, stopped.signer_title) if stopped else ("", "")  # stopped before 0005: by hand
    pdf = build_stop_notice(d, get_office(ctx), reason=stop_reason(detail), signer_name=nfc(signer[0]),
                            signer_title=nfc(signer[1]))
    return PrintJob(form="mau05", pdf=pdf, file_name=f"Mau05-{d.code}",
                    title=f"Mẫu 05 — Thông báo dừng giải quyết hồ sơ — {d.code}", dossier_code=d.code)


def stop_reason(detail: DossierDetail) -> str:
    """The reason as stored (from the stop's history row for a dossier stopped before it was kept apart)."""
    if detail.stopped:
        return detail.stopped.reason
    notes = [h.note for h in detail.dossier.history if h.action == "stop"]
    return notes[-1].removeprefix(STOP_NOTE) if notes else ""


def return_receipt_job(ctx: AppContext, detail: DossierDetail, clerk_name: str) -> PrintJob:
    from printing.return_receipt import build_return_receipt

    d, result, returned = detail.dossier, detail.result, detail.returned
    name, number, code = (result.result_name, result.number, result.result_code) if result else ("", "", "")
    name = name or f"Kết quả giải quyết thủ tục {d.procedure_name}"  # a result recorded without its name
    pdf = build_return_receipt(
        d, get_office(ctx), result_name=name, result_number=number, result_code=code,
        collector_name=returned.collector_name,
        collector_id=returned.collector_id_number, authorised=returned.authorised, returned_at=returned.returned_at,
        clerk_name=returned.returned_by or clerk_name)
    return PrintJob(form="return_receipt", pdf=pdf, file_name=f"BienNhanTraKetQua-{d.code}",
                    title=f"Giấy biên nhận trả kết quả — {d.code}", dossier_code=d.code)
