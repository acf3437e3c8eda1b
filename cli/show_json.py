"""`main.py show CODE --json`: one dossier as plain JSON data, times as "YYYY-MM-DDTHH:MM" (Vietnam time).

The keys "result", "return", "rating", "apology" and "stop" appear only once those exist. "attachments" lists the
digitised papers in force (components in order, then the result), each with its SHA-256 and its path under
the data directory.
"""

from __future__ import annotations

from datetime import datetime

from counter import records
from counter.clock import local
from counter.context import AppContext
from counter.dossiers.detail import load_detail
from counter.records import Attachment, DossierDetail
from counter.scans.lookup import attachments_of
from counter.status import ACTION_LABELS


def dossier_json(ctx: AppContext, code: str) -> dict:
    """Raises NotFound for an unknown code and ValidationError for a malformed one."""
    detail = load_detail(ctx, code)
    d = detail.dossier
    data = {
        "code": d.code,
        "status": int(d.status),
        "status_label": d.status.label,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "applicant": {"name": d.applicant.full_name, "id_number": d.applicant.id_number,
                      "phone": d.applicant.phone, "address": d.applicant.address},
        "received_at": minute(d.received_at),
        "due_at": minute(d.due_at),
        "original_due_at": minute(d.original_due_at),
        "unit": d.unit,
        "history": [_step(h) for h in d.history],
        "attachments": [attachment_json(a) for a in attachments_of(ctx, d.code)],
        "fees": [{"name": f.name, "code": f.code, "amount": f.amount, "paid_at": minute(f.paid_at)} for f in d.fees],
        "pauses": [_pause(p) for p in detail.pauses],
    }
    data.update(_outcome(detail))
    return data


def minute(dt: datetime | None) -> str | None:
    return local(dt).strftime("%Y-%m-%dT%H:%M") if dt else None


def _step(h: records.HistoryEntry) -> dict:
    return {"at": minute(h.at), "action": h.action, "action_label": ACTION_LABELS.get(h.action, h.action),
            "from_status": int(h.from_status) if h.from_status is not None else None, "to_status": int(h.to_status),
            "from_unit": h.from_unit, "to_unit": h.to_unit, "actor": h.actor_name, "note": h.note}


def attachment_json(a: Attachment) -> dict:
    """One digitised paper; `path` and `thumbnail` are relative to the data directory."""
    return {"kind": a.kind, "component_position": a.component_position, "name": a.name, "type_code": a.type_code,
            "sha256": a.sha256, "size": a.size, "pages": a.pages, "path": a.path, "thumbnail": a.thumbnail,
            "digitised_at": minute(a.digitised_at), "digitised_by": a.digitised_by, "reused": a.reused,
            "reused_from": a.reused_from_code or None,
            "valid_until": a.valid_until.isoformat() if a.valid_until else None}


def _pause(p) -> dict:
    return {"unit": p.unit, "paused_at": minute(p.paused_at), "reason": p.reason,
            "items": [{"name": i.name, "problem": i.problem} for i in p.items],
            "due_before": minute(p.due_before), "remaining_minutes": p.remaining_minutes,
            "resumed_at": minute(p.resumed_at), "due_after": minute(p.due_after)}


def _outcome(detail: DossierDetail) -> dict:
    data = {}
    if (r := detail.result) is not None:
        data["result"] = {"number": r.number, "result_code": r.result_code, "result_name": r.result_name,
                          "recorded_at": minute(r.recorded_at), "note": r.note}
    if (ret := detail.returned) is not None:
        data["return"] = {"returned_at": minute(ret.returned_at), "collector_name": ret.collector_name,
                          "collector_id_number": ret.collector_id_number, "authorised": ret.authorised}
    if (rating := detail.rating) is not None:
        data["rating"] = {"level": rating.level, "label": rating.label, "reason": rating.reason,
                          "rated_at": minute(rating.rated_at)}
    if (a := detail.apology) is not None:
        data["apology"] = {"issued_at": minute(a.issued_at), "reason": a.reason, "due_before": minute(a.due_before),
                           "new_due": minute(a.new_due), "signer": a.signer_name}
    if (st := detail.stopped) is not None:
        data["stop"] = {"stopped_at": minute(st.stopped_at), "reason": st.reason, "signer": st.signer_name}
    return data
