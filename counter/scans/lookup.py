"""Reading digitised papers: a dossier's attachments, and a citizen's earlier papers offered for reuse."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from peewee import ModelSelect

from counter import records
from counter.catalogue import procedures
from counter.context import AppContext, bound
from counter.dossiers.lookup import get_dossier
from counter.records import COMPONENT, Attachment, ReuseOffer
from counter.scans import blobs, store
from counter.text import fold
from db.models import Attachment as AttachmentRow
from db.models import Dossier, StoredFile


@bound
def attachments_of(ctx: AppContext, code: str, *, include_replaced: bool = False) -> list[Attachment]:
    """The dossier's digitised papers: components in their order, then the result."""
    return attachments_of_dossier(ctx, get_dossier(ctx, code).id, include_replaced=include_replaced)


@bound
def attachments_of_dossier(ctx: AppContext, dossier_id: int, *, include_replaced: bool = False) -> list[Attachment]:
    """attachments_of for a dossier already read (one query, on the attachments' dossier index)."""
    query = _joined().where(AttachmentRow.dossier == dossier_id)
    if not include_replaced:
        query = query.where(AttachmentRow.replaced_at.is_null())
    rows = sorted(query, key=lambda r: (r.kind != COMPONENT, r.component_position or 0, r.digitised_at, r.id))
    return [to_record(ctx, r) for r in rows]


@bound
def current_attachment(ctx: AppContext, dossier_id: int, kind: str, position: int | None) -> AttachmentRow | None:
    """The attachment now in force for one component (or the result) of a dossier."""
    slot = AttachmentRow.component_position.is_null() if position is None else (
        AttachmentRow.component_position == position)
    return (AttachmentRow.select().where((AttachmentRow.dossier == dossier_id) & (AttachmentRow.kind == kind)
                                         & slot & AttachmentRow.replaced_at.is_null())
            .order_by(AttachmentRow.id.desc()).get_or_none())


@bound
def reusable_for(ctx: AppContext, id_number: str, procedure_code: str) -> list[ReuseOffer]:
    """At reception, once the id number is known: earlier papers matching the procedure's components."""
    procedure = procedures.get_procedure(ctx, procedure_code)
    return _offers(ctx, id_number, [(c.position, c.name, c.code) for c in procedure.components])


@bound
def reusable_for_dossier(ctx: AppContext, code: str) -> list[ReuseOffer]:
    """Earlier papers of the applicant matching this dossier's components (positions are the dossier's)."""
    dossier = get_dossier(ctx, code)
    return reusable_for_record(ctx, dossier, attachments_of_dossier(ctx, dossier.id))


@bound
def reusable_for_record(ctx: AppContext, dossier: records.Dossier, stored: Iterable[Attachment]) -> list[ReuseOffer]:
    """reusable_for_dossier for a dossier already read, with its current papers `stored` (attachments_of): a paper
    it holds already is not offered again."""
    current = {a.component_position: a.sha256 for a in stored if a.kind == COMPONENT}
    wanted = [(c.position, c.name, c.code) for c in dossier.components]
    offers = _offers(ctx, dossier.applicant.id_number, wanted, exclude_dossier=dossier.id)
    return [o for o in offers if current.get(o.component_position) != o.attachment.sha256]


def thumbnail_path(ctx: AppContext, sha256: str) -> Path:
    return store.thumbnail_path(ctx.data_dir, sha256)


def file_path(ctx: AppContext, sha256: str) -> Path:
    return store.file_path(ctx.data_dir, sha256)


@bound
def to_record(ctx: AppContext, row: AttachmentRow) -> Attachment:
    stored = row.file
    origin = AttachmentRow.get_by_id(row.reused_from_id) if row.reused_from_id else None
    return Attachment(
        id=row.id, uuid=row.uuid, dossier_code=row.dossier.code, kind=row.kind,
        component_position=row.component_position, name=row.name, type_code=row.type_code,
        sha256=stored.sha256, size=stored.size, pages=stored.pages,
        path=store.relative_path(stored.sha256), thumbnail=store.relative_thumbnail(stored.sha256),
        owner_id_number=row.owner_id_number, digitised_at=row.digitised_at, digitised_by=row.digitised_by_name,
        reused=origin is not None, reused_from_code=origin.dossier.code if origin else "",
        valid_until=row.valid_until, replaced_at=row.replaced_at, remote_url=stored.remote_url,
    )


def _joined() -> ModelSelect[AttachmentRow]:
    """Attachments with their stored file and dossier (joined: no query per row)."""
    return (AttachmentRow.select(AttachmentRow, StoredFile, Dossier).join(StoredFile)
            .switch(AttachmentRow).join(Dossier))


def _offers(ctx: AppContext, id_number: str, wanted: Iterable[tuple[int, str, str]], *,
            exclude_dossier: int | None = None) -> list[ReuseOffer]:
    """Each wanted component (position, name, code) with the person's current, valid papers that match it:
    same non-empty component code, or the same name once folded. Newest first; one offer per stored file."""
    id_number = (id_number or "").strip()
    if not id_number:
        return []
    today = ctx.clock.now().date()
    query = (_joined().where((AttachmentRow.owner_id_number == id_number) & AttachmentRow.replaced_at.is_null()
                             & (AttachmentRow.valid_until.is_null() | (AttachmentRow.valid_until >= today)))
             .order_by(AttachmentRow.digitised_at.desc(), AttachmentRow.id.desc()))
    if exclude_dossier is not None:
        query = query.where(AttachmentRow.dossier != exclude_dossier)
    candidates = [r for r in query if blobs.available(ctx, r.file.sha256, r.file.size)]
    offers = []
    for position, name, code in wanted:
        seen = set()
        for row in candidates:
            if ((code and row.type_code == code) or row.name_folded == fold(name)) and row.file.sha256 not in seen:
                seen.add(row.file.sha256)
                offers.append(ReuseOffer(position, name, code, to_record(ctx, row)))
    return offers
