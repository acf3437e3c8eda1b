"""Digitised papers of a dossier: the scan of each component, the result document, and the reuse of papers a
citizen brought to an earlier dossier (domain.md §8). One function per intent; reads are in
counter.scans.lookup (re-exported here).

An attach checks every file and builds the PDF and its thumbnail before taking the write lock; then one
IMMEDIATE transaction re-reads the dossier, stores the file unless the same one is stored already, links it,
marks the dossier digitised and bumps its outbox entry so the province gets the new list of papers. If anything
fails, the transaction rolls back and the files this attach created are removed: the dossier is as it was.

No history row is written: a scan is not a hand-over (Mẫu 06 and the province's progress steps list those);
the attachment row itself says who digitised what, and when. Each intent returns the attachment and what
changed: nothing when the same document was attached again.
"""

from __future__ import annotations

import errno
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

from peewee import OperationalError

from counter import records
from counter.changes import NOTHING, Changes
from counter.context import AppContext, bound
from counter.dossiers.lookup import get_dossier, lock_dossier
from counter.errors import IllegalTransition, NotFound, ValidationError
from counter.records import COMPONENT, RESULT, Attachment
from counter.scans import blobs, pdf, store
from counter.scans.blobs import local_file, local_thumbnail, openable, shared
from counter.scans.files import check_file, max_file_bytes, megabytes
from counter.scans.lookup import (
    attachments_of,
    attachments_of_dossier,
    current_attachment,
    file_path,
    reusable_for,
    reusable_for_dossier,
    reusable_for_record,
    thumbnail_path,
    to_record,
)
from counter.status import Status
from counter.sync import outbox
from counter.text import fold, nfc
from db.models import Attachment as AttachmentRow
from db.models import Dossier, DossierResult, StoredFile

__all__ = [
    "attach_component",
    "attach_result",
    "attachments_of",
    "attachments_of_dossier",
    "file_path",
    "local_file",
    "local_thumbnail",
    "openable",
    "prepare",
    "reusable_for",
    "reusable_for_dossier",
    "reusable_for_record",
    "reuse",
    "set_valid_until",
    "shared",
    "thumbnail_path",
]

ComponentRef = int | str | None  # a position, a name (or part of one), or None: the first not yet digitised
_CLOSED = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


def written(step: str) -> None:
    """Called after each write of an intent. Tests replace it to inject a failure at that point."""


@bound
def attach_component(ctx: AppContext, code: str, component: ComponentRef, paths: Sequence[Path | str], *,
                     order: Sequence[int] | None = None, valid_until: date | None = None,
                     add_pages: bool = False) -> tuple[Attachment, Changes]:
    """One PDF of the files' pages (in `order`, 0-based over all pages, if given) becomes the component's scan;
    an earlier scan of that component is replaced (kept, marked replaced, sent as deleted). With `add_pages`
    the earlier scan's pages come first: a paper scanned a few pages at a time still makes one PDF."""
    resolve = partial(_component_target, ctx, component=component)
    target = resolve(get_dossier(ctx, code))  # a wrong code or component fails before the heavy work
    base: _Base = None
    if add_pages:
        base = _current(ctx, code, target)
        paths = [*_current_file(ctx, base), *paths]
        resolve = partial(_added_to, ctx, resolve, base)
    assembled, thumbnail = prepare(ctx, paths, order)
    return _attach(ctx, code, resolve, assembled, thumbnail, valid_until)


@bound
def attach_result(ctx: AppContext, code: str, paths: Sequence[Path | str], result_code: str | None = None, *,
                  order: Sequence[int] | None = None) -> tuple[Attachment, Changes]:
    """The scanned result document, once the result is recorded; `result_code` defaults to the recorded one."""
    resolve = partial(_result_target, ctx, result_code=result_code)
    resolve(get_dossier(ctx, code))
    assembled, thumbnail = prepare(ctx, paths, order)
    return _attach(ctx, code, resolve, assembled, thumbnail, None)


@bound
def reuse(ctx: AppContext, code: str, component: ComponentRef, attachment_id: int) -> tuple[Attachment, Changes]:
    """Link a paper the same person brought to an earlier dossier to one component: the same file, no copy."""
    now = ctx.clock.now()
    with ctx.transaction():
        lock_dossier(ctx, code)  # on PostgreSQL: another counter's scan of the same paper is waited for, then seen
        dossier = get_dossier(ctx, code)
        target = _component_target(ctx, dossier, component)
        origin = _reusable(ctx, dossier, attachment_id, now.date())
        row, linked = _link(ctx, dossier, target, origin.file, now, reused_from=_root(origin),
                            valid_until=origin.valid_until)
    return to_record(ctx, row), _scanned(dossier.code) if linked else NOTHING


@bound
def set_valid_until(ctx: AppContext, code: str, component: ComponentRef,
                    valid_until: date | None) -> tuple[Attachment, Changes]:
    """Record until when a component's paper is valid (None: no expiry); an expired paper is not offered for
    reuse. Local knowledge: the province's TaiLieuNop has no field for it, so nothing is queued."""
    with ctx.transaction():
        lock_dossier(ctx, code)  # on PostgreSQL: a new scan of the paper made meanwhile is the one dated
        dossier = get_dossier(ctx, code)
        target = _component_target(ctx, dossier, component)
        current = current_attachment(ctx, dossier.id, COMPONENT, target.position)
        if current is None:
            raise ValidationError(f"“{target.name}” chưa có bản số hóa: hãy quét trước khi ghi hạn sử dụng.")
        AttachmentRow.update(valid_until=valid_until).where(AttachmentRow.id == current.id).execute()
    return to_record(ctx, AttachmentRow.get_by_id(current.id)), Changes(scans=frozenset((dossier.code,)))


@bound
def prepare(ctx: AppContext, paths: Sequence[Path | str],
            order: Sequence[int] | None = None) -> tuple[pdf.Assembled, bytes]:
    """Check the files, build the PDF and page 1's thumbnail. Slow (image decoding): run it off the GUI thread."""
    if not paths:
        raise ValidationError("Chưa chọn tệp nào để số hóa.")
    limit = max_file_bytes(ctx)
    files = [check_file(p, max_bytes=limit) for p in paths]
    assembled = pdf.assemble(files, order)
    if len(assembled.data) > limit:
        names = ", ".join(f"“{f.path.name}”" for f in files)
        raise ValidationError(f"Bản số hóa ghép từ {names} nặng {megabytes(len(assembled.data))}, vượt giới hạn "
                              f"{megabytes(limit)}: hãy quét ở độ phân giải thấp hơn.")
    return assembled, pdf.thumbnail_png(assembled.data)


# The transaction ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """What the new attachment is: a component at a position, or the result."""

    kind: str
    position: int | None
    name: str
    type_code: str


def _attach(ctx: AppContext, code: str, resolve: Callable[[records.Dossier], _Target],
            assembled: pdf.Assembled, thumbnail: bytes, valid_until: date | None) -> tuple[Attachment, Changes]:
    now = ctx.clock.now()
    created: list[Path] = []
    try:
        with ctx.transaction():
            lock_dossier(ctx, code)  # on PostgreSQL: another counter's change to it is waited for, then seen
            dossier = get_dossier(ctx, code)  # re-read under the write lock
            target = resolve(dossier)
            stored = _stored_file(ctx, assembled, thumbnail, now, created)
            written("file")
            row, linked = _link(ctx, dossier, target, stored, now, valid_until=valid_until)
    except BaseException as e:
        store.discard(created)
        if isinstance(e, OperationalError) and "full" in str(e):  # SQLite: database or disk is full
            raise store.storage_error(OSError(errno.ENOSPC, str(e)), ctx.data_dir) from e
        raise
    return to_record(ctx, row), _scanned(dossier.code) if linked else NOTHING


def _stored_file(ctx: AppContext, assembled: pdf.Assembled, thumbnail: bytes, now: datetime,
                 created: list[Path]) -> StoredFile:
    """The stored file for these pages: the same bytes, or the same input pages, stored before; else written now."""
    row = StoredFile.get_or_none(StoredFile.sha256 == assembled.sha256)
    if row is None:
        same_source = StoredFile.select().where(StoredFile.source_digest == assembled.source_digest)
        found = next((r for r in same_source if blobs.available(ctx, r.sha256, r.size)), None)
        if found is not None:
            return found
    created += store.put(ctx.data_dir, assembled.sha256, assembled.data, thumbnail)  # also repairs a lost file
    blobs.save(ctx, assembled.sha256, assembled.data, thumbnail)  # office mode: the bytes in this transaction
    return row or StoredFile.create(sha256=assembled.sha256, source_digest=assembled.source_digest,
                                    size=len(assembled.data), pages=assembled.pages, created_at=now)


def _link(ctx: AppContext, dossier: records.Dossier, target: _Target, stored: StoredFile, now: datetime, *,
          reused_from: AttachmentRow | None = None,
          valid_until: date | None = None) -> tuple[AttachmentRow, bool]:
    """The target's attachment of `stored`, and whether it is new (False: the same document again)."""
    current = current_attachment(ctx, dossier.id, target.kind, target.position)
    if current is not None and current.file_id == stored.id:
        return current, False  # the same document again: nothing changes
    if current is not None:
        AttachmentRow.update(replaced_at=now).where(AttachmentRow.id == current.id).execute()
    user = ctx.user
    row = AttachmentRow.create(
        uuid=str(uuid.uuid4()), dossier=dossier.id, file=stored, kind=target.kind,
        component_position=target.position, type_code=target.type_code, name=target.name,
        name_folded=fold(target.name), owner_id_number=dossier.applicant.id_number,
        owner_name=dossier.applicant.full_name, valid_until=valid_until, digitised_at=now,
        digitised_by=user.id if user else None, digitised_by_name=user.full_name if user else "",
        reused_from=reused_from,
    )
    written("attachment")
    digitised = {"has_digitised": True} if target.kind == COMPONENT else {}
    Dossier.update(updated_at=now, **digitised).where(Dossier.id == dossier.id).execute()
    outbox.enqueue_dossier(ctx, Dossier.get_by_id(dossier.id), now)
    written("outbox")
    return row, True


def _scanned(code: str) -> Changes:
    """A new scan of the dossier's papers, and its new list of papers queued for the province. The lists of
    dossiers show no scans: the dossier's own record is not named."""
    return Changes(scans=frozenset((code,)), sync_queue=True, to_send=True)


# Targets and checks --------------------------------------------------------------------------------------


def _component_target(ctx: AppContext, dossier: records.Dossier, component: ComponentRef) -> _Target:
    _require_open(dossier)
    if not dossier.components:
        raise ValidationError(f"Hồ sơ {dossier.code} không có thành phần nào để đính kèm bản số hóa.")
    chosen = _find_component(ctx, dossier, component)
    return _Target(COMPONENT, chosen.position, chosen.name, chosen.code)


def _find_component(ctx: AppContext, dossier: records.Dossier, component: ComponentRef) -> records.DossierComponent:
    components = dossier.components
    if component is None:
        free = [c for c in components if current_attachment(ctx, dossier.id, COMPONENT, c.position) is None]
        if not free:
            raise ValidationError("Mọi thành phần của hồ sơ đã có bản số hóa: hãy chỉ rõ thành phần cần quét lại.")
        return free[0]
    if isinstance(component, int) or str(component).strip().isdigit():
        found = [c for c in components if c.position == int(component)]
    else:
        wanted = fold(component)
        found = [c for c in components if fold(c.name) == wanted] or [c for c in components
                                                                       if wanted in fold(c.name)]
    if len(found) == 1:
        return found[0]
    listing = "; ".join(f"{c.position}. {c.name}" for c in (found or components))
    if found:
        raise ValidationError(f"“{nfc(str(component))}” khớp nhiều thành phần: {listing}. Hãy ghi rõ hơn.")
    raise ValidationError(f"Hồ sơ {dossier.code} không có thành phần “{nfc(str(component))}”. "
                          f"Các thành phần: {listing}.")


def _result_target(ctx: AppContext, dossier: records.Dossier, result_code: str | None) -> _Target:
    result = DossierResult.get_or_none(DossierResult.dossier == dossier.id)
    if result is None:
        raise IllegalTransition("Chưa nhận kết quả giải quyết của hồ sơ này: hãy ghi nhận kết quả trước khi "
                                "đính kèm bản số hóa kết quả.")
    return _Target(RESULT, None, result.result_name or "Kết quả giải quyết", nfc(result_code) or result.result_code)


_Base = tuple[_Target, AttachmentRow | None] | None  # the scan pages are added to, as it was read


def _current(ctx: AppContext, code: str, target: _Target) -> tuple[_Target, AttachmentRow | None]:
    return target, current_attachment(ctx, get_dossier(ctx, code).id, target.kind, target.position)


def _added_to(ctx: AppContext, resolve: Callable[[records.Dossier], _Target], base: _Base,
              dossier: records.Dossier) -> _Target:
    """The target again, under the dossier's lock (`_attach`), refused when its current scan is no longer the one
    the pages were added to: another counter scanned that paper meanwhile, and its pages would be lost."""
    target = resolve(dossier)
    assert base is not None
    was = base[1]
    now = current_attachment(ctx, dossier.id, target.kind, target.position)
    if (was.id if was else None) != (now.id if now else None):
        raise ValidationError(f"Bản số hóa của “{target.name}” vừa được quét lại ở quầy khác trong lúc thêm trang: "
                              "hãy mở lại danh sách giấy tờ rồi thêm trang vào bản mới.")
    return target


def _current_file(ctx: AppContext, base: _Base) -> list[Path]:
    """The stored PDF of the target's current scan, if there is one and its file is on disk."""
    current = base[1] if base else None
    if current is None:
        return []
    if not blobs.shared(ctx) and not store.has_file(ctx.data_dir, current.file.sha256, current.file.size):
        raise ValidationError(f"Tệp của bản số hóa “{current.name}” không còn trong thư mục dữ liệu: không thêm "
                              "trang được, hãy quét lại cả giấy tờ.")
    return [blobs.local_file(ctx, current.file.sha256, current.file.size, current.name)]


def _require_open(dossier: records.Dossier) -> None:
    if dossier.status in _CLOSED:
        raise IllegalTransition(f"Không thể đính kèm bản số hóa: hồ sơ đang ở trạng thái “{dossier.status.label}”.")


def _reusable(ctx: AppContext, dossier: records.Dossier, attachment_id: int, today: date) -> AttachmentRow:
    origin = AttachmentRow.get_or_none(AttachmentRow.id == attachment_id)
    if origin is None:
        raise NotFound(f"Không có bản số hóa số {attachment_id}.")
    if origin.owner_id_number != dossier.applicant.id_number:
        raise ValidationError("Bản số hóa này là giấy tờ của người khác: chỉ dùng lại giấy tờ của chính người "
                              f"nộp hồ sơ {dossier.applicant.full_name}.")
    if origin.dossier_id == dossier.id:
        raise ValidationError(f"“{origin.name}” đã là bản số hóa của chính hồ sơ {dossier.code}.")
    if origin.replaced_at is not None:
        raise ValidationError(f"Bản số hóa “{origin.name}” đã được thay bằng bản quét mới: hãy chọn bản hiện hành.")
    if origin.valid_until is not None and origin.valid_until < today:
        raise ValidationError(f"“{origin.name}” đã hết hạn sử dụng ngày {origin.valid_until:%d/%m/%Y}: "
                              "hãy quét bản mới.")
    if not blobs.available(ctx, origin.file.sha256, origin.file.size):
        raise ValidationError(f"Tệp của bản số hóa “{origin.name}” không còn "
                              f"{'trên máy chủ' if blobs.shared(ctx) else 'trong thư mục dữ liệu'}: hãy quét lại.")
    return origin


def _root(row: AttachmentRow) -> AttachmentRow:
    """The first digitisation of a paper, following earlier reuses back."""
    while row.reused_from_id is not None:
        row = AttachmentRow.get_by_id(row.reused_from_id)
    return row
