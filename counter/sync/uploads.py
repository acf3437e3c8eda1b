"""The addresses of a dossier's digitised papers (DuongDanTaiTepTin), given before the dossier is sent.

Neither peer uploads files: both send the address of a file on their own server (docs/portal.md
"Attachments"). So by default nothing is uploaded and each paper's address comes from the `file_url`
template the province gives (or is left empty). Only where the province's gateway takes files (`upload_url`
set) is each stored file uploaded, once: its URL is saved in its own small transaction right after the upload,
and a file that has one is never uploaded again. A lost answer at worst uploads the same bytes twice; a
content-addressed store keeps one file, so that is harmless.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from counter.context import AppContext, bound
from counter.records import Attachment
from counter.scans import blobs
from counter.scans.blobs import ScanUnavailable
from counter.scans.lookup import attachments_of
from counter.sync.client import ProvinceClient
from counter.sync.errors import PermanentError
from counter.sync.rows import tuples
from db.models import Attachment as AttachmentRow
from db.models import StoredFile


@bound
def with_attachments(ctx: AppContext, dossier_ids: list[int]) -> set[int]:
    """Those of the dossiers that have digitised papers, in one query."""
    query = AttachmentRow.select(AttachmentRow.dossier).where(AttachmentRow.dossier.in_(dossier_ids)).distinct()
    return {dossier_id for (dossier_id,) in tuples(query)}


@bound
def to_send(ctx: AppContext, code: str) -> list[Attachment]:
    """The papers the province should hear about: current ones, and replaced ones it may already have."""
    return [a for a in attachments_of(ctx, code, include_replaced=True) if a.replaced_at is None or a.remote_url]


def file_address(template: str, paper: Attachment) -> str:
    """The address the province's configuration gives a paper it was not uploaded to: `{sha256}`, `{name}`."""
    return template.replace("{sha256}", paper.sha256).replace("{name}", quote(paper.name)) if template else ""


@bound
def with_addresses(ctx: AppContext, client: ProvinceClient, code: str) -> list[Attachment]:
    """The papers to send, each with its address: uploaded first where the province takes files."""
    if client.config.upload_url:
        return upload_missing(ctx, client, code)
    return [replace(p, remote_url=p.remote_url or file_address(client.config.file_url, p)) for p in to_send(ctx, code)]


@bound
def upload_missing(ctx: AppContext, client: ProvinceClient, code: str) -> list[Attachment]:
    """Upload every paper to send that has no URL yet; the papers, each with its URL."""
    urls: dict[str, str] = {}
    papers = to_send(ctx, code)
    for paper in papers:
        if not paper.remote_url and paper.sha256 not in urls:
            urls[paper.sha256] = _upload(ctx, client, paper)
    return [replace(p, remote_url=p.remote_url or urls[p.sha256]) for p in papers]


def _upload(ctx: AppContext, client: ProvinceClient, paper: Attachment) -> str:
    try:  # office mode: fetched from the centre's database into this PC's cache, checked by its SHA-256
        path = blobs.local_file(ctx, paper.sha256, paper.size, paper.name)
    except ScanUnavailable as e:
        if blobs.shared(ctx):
            raise PermanentError(f"Hồ sơ {paper.dossier_code}: {e}", "file") from e
        raise PermanentError(f"Tệp của bản số hóa “{paper.name}” (hồ sơ {paper.dossier_code}) không còn "
                             "trong thư mục dữ liệu: hãy quét lại rồi đồng bộ.", "file") from e
    url = client.upload_file(path, f"{paper.sha256}.pdf")
    with ctx.transaction():
        StoredFile.update(remote_url=url).where(StoredFile.sha256 == paper.sha256).execute()
    return url
