"""Frozen records of digitisation: a checked input file, an attached paper, an offer to reuse one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

COMPONENT, RESULT = "component", "result"


@dataclass(frozen=True)
class FileInfo:
    """An input file that passed the checks: what it is and how many pages it gives."""

    path: Path
    kind: str  # jpeg | png | image (other formats Pillow reads) | pdf
    size: int  # bytes
    pages: int


@dataclass(frozen=True)
class Attachment:
    """A digitised paper linked to a dossier. `path` and `thumbnail` are relative to the data directory."""

    id: int
    uuid: str  # TepDinhKemId / GiayToId for the province
    dossier_code: str
    kind: str  # component | result
    component_position: int | None  # None for the result
    name: str
    type_code: str  # MaThanhPhanHoSo or MaGiayToKetQua
    sha256: str
    size: int
    pages: int
    path: str
    thumbnail: str
    owner_id_number: str
    digitised_at: datetime  # for a reused paper: when it was linked to this dossier
    digitised_by: str
    reused: bool  # linked from an earlier dossier (DuocTaiSuDung)
    reused_from_code: str = ""  # the dossier where it was first digitised
    valid_until: date | None = None
    replaced_at: datetime | None = None  # superseded by a newer scan (IsDeleted)
    remote_url: str | None = None  # DuongDanTaiTepTin once the sync has uploaded the file


@dataclass(frozen=True)
class ReuseOffer:
    """An earlier digitised paper of the same person that matches one component of a new dossier."""

    component_position: int  # in the procedure's list, or the dossier's when offered for a dossier
    component_name: str
    component_code: str
    attachment: Attachment  # the earlier one; pass its id to attachments.reuse()
