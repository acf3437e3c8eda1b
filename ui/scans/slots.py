"""The rows of the scans tab, read from the domain: each component's current scan and any reuse offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from counter.context import AppContext
from counter.records import COMPONENT, Attachment, DossierDetail, ReuseOffer
from counter.scans import attachments
from counter.status import Status

RESULT_ROW = None  # the target of the result document's row
CLOSED = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


@dataclass(frozen=True)
class Slot:
    """One row: a component (position) or the result (position None)."""

    position: int | None
    name: str
    scan: Attachment | None
    offer: ReuseOffer | None


def slots_of(ctx: AppContext, detail: DossierDetail) -> list[Slot]:
    """Read from the dossier already loaded: its scans (one query) and the citizen's earlier papers (one more)."""
    d = detail.dossier
    stored = attachments.attachments_of_dossier(ctx, d.id)
    by_position = {a.component_position: a for a in stored if a.kind == COMPONENT}
    offers: dict[int, ReuseOffer] = {}
    if d.status not in CLOSED:
        for offer in attachments.reusable_for_record(ctx, d, stored):
            offers.setdefault(offer.component_position, offer)
    slots = [Slot(c.position, c.name, by_position.get(c.position), offers.get(c.position)) for c in d.components]
    if detail.result is not None:
        result = next((a for a in stored if a.kind != COMPONENT), None)
        slots.append(Slot(RESULT_ROW, f"Kết quả: {detail.result.result_name or 'Kết quả giải quyết'}", result, None))
    return slots


def describe(slot: Slot, today: date | None = None) -> str:
    a = slot.scan
    if a is None:
        if slot.offer is not None:
            earlier = slot.offer.attachment
            return f"Có bản số hóa từ hồ sơ {earlier.dossier_code}{validity(earlier, today)}, dùng lại"
        return "Chưa số hóa"
    origin = f" — dùng lại từ hồ sơ {a.reused_from_code}" if a.reused else ""
    who = f" — {a.digitised_by}" if a.digitised_by else ""
    return f"{a.pages} trang — {a.digitised_at:%d/%m/%Y %H:%M}{who}{origin}{validity(a, today)}"


def validity(a: Attachment, today: date | None) -> str:
    if a.valid_until is None:
        return ""
    if today is not None and a.valid_until < today:
        return f" — đã hết hạn ngày {a.valid_until:%d/%m/%Y}"
    return f" — còn giá trị đến {a.valid_until:%d/%m/%Y}"
