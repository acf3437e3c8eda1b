"""Dossiers and history rows in the national portal's field names, types and limits (docs/portal.md).

Dates are `yyyyMMddHHmmss` in Vietnam local time without an offset; status values are strings, sent through
the province's status mapping; procedure codes are always sent in their national form (`1.001193`, not the
provincial variant). Every name here is in the peers' DTOs (TH `HoSoDongBoDVC`, OC
`createSyncDossierBodyRequest`); `tests/sync/golden/` holds the exact bodies, so a change shows up in review.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from counter import records
from counter.clock import local
from counter.dossiers.reception import SUMMARY_MAX  # the desk refuses a longer summary; older data is cut here
from counter.records import COMPONENT, RESULT, Attachment
from counter.status import Status
from counter.sync.profiles import StatusMap

ACTOR_MAX = 50  # NguoiXuLy (TH cuts it)
NO_ACTOR = "Bộ phận một cửa"
NO_ID = {"LoaiDinhDanh": "2", "SoDinhDanh": "000000001"}  # TH's stand-in for a number that is no id at all
_NATIONAL = re.compile(r"^\d\.\d{6}")
_ACTIONS = {"receive": "Tiếp nhận hồ sơ", "refuse": "Từ chối tiếp nhận hồ sơ"}


def national_date(at: datetime | None) -> str:
    return local(at).strftime("%Y%m%d%H%M%S") if at else ""


def national_procedure_code(code: str) -> str:
    """`1.001193.000.00.00.H56` → `1.001193`."""
    match = _NATIONAL.match(code)
    return match.group(0) if match else code


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, a cut one ending in "…" (TH cuts with "...")."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _reached(dossier: records.Dossier, status: Status) -> datetime | None:
    """When the dossier last entered `status`, from its history."""
    times = [h.at for h in dossier.history if h.to_status == status]
    return max(times) if times else None


class Identity(TypedDict):
    LoaiDinhDanh: str  # 1 CCCD (12 digits), 2 anything else
    SoDinhDanh: str


class FeeItem(TypedDict):
    TenPhiLePhi: str
    MaPhiLePhi: str
    HinhThucThu: str
    Gia: str  # a string in TH's DTO
    LoaiPhiLePhi: str


class Paper(TypedDict):
    """One digitised paper of TaiLieuNop."""

    TepDinhKemId: str
    TenTepDinhKem: str
    MaThanhPhanHoSo: str
    DuongDanTaiTepTin: str
    DuocSoHoa: str
    DuocTaiSuDung: str
    DuocLayTuKhoDMQG: str
    IsDeleted: str


class ResultPaper(TypedDict):
    """One result paper of DanhSachGiayToKetQua."""

    TenGiayTo: str
    MaThanhPhanHoSo: str
    GiayToId: str
    DuongDanTepTinKetQua: str
    MaGiayToKetQua: str


class SupplementItem(TypedDict):
    """One supplement asked (TH-DTO HoSoBoSung, OC 238–250)."""

    HoSoBoSungId: int
    NguoiYeuCauBoSung: str
    NoiDungBoSung: str
    NgayBoSung: str  # when it was asked
    NguoiTiepNhanBoSung: str
    ThongTinTiepNhan: str
    NgayTiepNhanBoSung: str  # when the papers were brought ("" before)
    TrangThaiBoSung: bool  # brought
    DanhSachGiayToBoSung: list[object]
    DanhSachLePhiBoSung: list[object]
    NgayHenTraTruoc: str
    NgayHenTraMoi: str


class DossierPayload(TypedDict):
    """One dossier of DongBoHoSoMC."""

    MaHoSo: str
    MaTTHC: str
    TenTTHC: str
    MaLinhVuc: str
    TenLinhVuc: str
    KenhThucHien: str
    ChuHoSo: str
    SoGiayToChuHoSo: str
    LoaiDoiTuong: str
    SoDienThoai: str
    Email: str
    TrichYeuHoSo: str
    NgayTiepNhan: str
    NgayNopHoSo: str
    NgayHenTra: str
    TrangThaiHoSo: str
    NgayTra: str
    ThongTinTra: str
    NgayKetThucXuLy: str
    HinhThuc: str
    DonViXuLy: str
    NgayTuChoi: str
    HoSoCoThanhPhanSoHoa: str
    DinhDanhCHS: list[Identity]
    TaiLieuNop: list[Paper]
    DanhSachLePhi: list[FeeItem]
    DanhSachHoSoBoSung: list[SupplementItem]
    DanhSachGiayToKetQua: list[ResultPaper]


class StepPayload(TypedDict):
    """One step of CapNhatTienDoHoSoMC (Mẫu 06)."""

    MaHoSo: str
    NguoiXuLy: str
    ChucDanh: str
    ThoiDiemXuLy: str
    PhongBanXuLy: str
    NoiDungXuLy: str
    TrangThai: str
    NgayBatDau: str
    NgayKetThucTheoQuyDinh: str


def _identity(id_number: str) -> Identity:
    """A 12-digit citizen id ("1"), a 9-digit old id card ("2"), else TH's stand-in rather than no dossier."""
    if id_number.isdigit() and len(id_number) in (9, 12):
        return {"LoaiDinhDanh": "1" if len(id_number) == 12 else "2", "SoDinhDanh": id_number}
    return {"LoaiDinhDanh": NO_ID["LoaiDinhDanh"], "SoDinhDanh": NO_ID["SoDinhDanh"]}


def _fee(fee: records.Fee) -> FeeItem:
    return {"TenPhiLePhi": fee.name, "MaPhiLePhi": fee.code, "HinhThucThu": "1", "Gia": str(fee.amount),
            "LoaiPhiLePhi": str(fee.kind)}


def _paper(a: Attachment) -> Paper:
    return {"TepDinhKemId": a.uuid, "TenTepDinhKem": a.name, "MaThanhPhanHoSo": a.type_code,
            "DuongDanTaiTepTin": a.remote_url or "", "DuocSoHoa": "1", "DuocTaiSuDung": "1" if a.reused else "0",
            "DuocLayTuKhoDMQG": "0", "IsDeleted": "True" if a.replaced_at else "False"}


def _result(a: Attachment) -> ResultPaper:
    return {"TenGiayTo": a.name, "MaThanhPhanHoSo": "", "GiayToId": a.uuid, "DuongDanTepTinKetQua": a.remote_url or "",
            "MaGiayToKetQua": a.type_code}


@dataclass(frozen=True)
class Supplement:
    asked_at: datetime
    reason: str
    due_before: datetime | None
    due_after: datetime | None  # None while the citizen has not brought the papers
    asked_by: str = ""  # who asked: the user's name, else the processing unit
    brought_at: datetime | None = None  # when the papers were brought and the clock resumed
    papers: tuple[tuple[str, str], ...] = ()  # (paper, what was wrong with it)


@dataclass(frozen=True)
class Extras:
    """What the dossier row does not hold: its supplements (DanhSachHoSoBoSung) and its collector (ThongTinTra)."""

    supplements: tuple[Supplement, ...] = ()
    collector: str = ""


def _supplement(number: int, s: Supplement, dossier: records.Dossier) -> SupplementItem:
    papers = "; ".join(f"{name}: {problem}" if problem else name for name, problem in s.papers)
    received_by = [h.actor_name for h in dossier.history if h.action == "receive_supplement" and h.at == s.brought_at]
    return {"HoSoBoSungId": number, "NguoiYeuCauBoSung": s.asked_by, "NoiDungBoSung": s.reason + (
                f" — {papers}" if papers else ""),
            "NgayBoSung": national_date(s.asked_at), "NguoiTiepNhanBoSung": received_by[0] if received_by else "",
            "ThongTinTiepNhan": "Đã nhận giấy tờ bổ sung" if s.brought_at else "",
            "NgayTiepNhanBoSung": national_date(s.brought_at), "TrangThaiBoSung": s.brought_at is not None,
            "DanhSachGiayToBoSung": [], "DanhSachLePhiBoSung": [],
            "NgayHenTraTruoc": national_date(s.due_before), "NgayHenTraMoi": national_date(s.due_after)}


def dossier_payload(dossier: records.Dossier, *, office_name: str, attachments: Sequence[Attachment] = (),
                    extras: Extras = Extras(), statuses: StatusMap = StatusMap()) -> DossierPayload:
    """`attachments`: the dossier's papers to report, each with its address (counter.sync.uploads);
    `office_name` stands for the processing unit when the dossier names none."""
    applicant = dossier.applicant
    components = [a for a in attachments if a.kind == COMPONENT]
    digitised = dossier.has_digitised or any(a.replaced_at is None for a in components)
    refused = dossier.status == Status.REFUSED
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": national_procedure_code(dossier.procedure_code),
        "TenTTHC": dossier.procedure_name,
        "MaLinhVuc": dossier.procedure_field_code,  # "" until the catalogue has the national field code
        "TenLinhVuc": dossier.procedure_field,
        "KenhThucHien": str(dossier.channel),
        "ChuHoSo": applicant.full_name,
        "SoGiayToChuHoSo": applicant.id_number,
        "LoaiDoiTuong": str(dossier.applicant_kind),
        "SoDienThoai": applicant.phone,
        "Email": applicant.email,
        "TrichYeuHoSo": cut(dossier.summary or dossier.procedure_name, SUMMARY_MAX),
        "NgayTiepNhan": national_date(dossier.received_at),
        "NgayNopHoSo": national_date(dossier.received_at),
        "NgayHenTra": national_date(dossier.due_at),
        "TrangThaiHoSo": str(statuses.to_portal(dossier.status)),
        "NgayTra": national_date(_reached(dossier, Status.RETURNED)),
        "ThongTinTra": extras.collector,
        "NgayKetThucXuLy": national_date(_reached(dossier, Status.RESULT_READY)),
        "HinhThuc": str(dossier.return_method),
        "DonViXuLy": dossier.unit or office_name,
        "NgayTuChoi": national_date(_reached(dossier, Status.REFUSED) or dossier.received_at) if refused else "",
        "HoSoCoThanhPhanSoHoa": "1" if digitised else "0",
        "DinhDanhCHS": [_identity(applicant.id_number)],
        "TaiLieuNop": [_paper(a) for a in components],
        "DanhSachLePhi": [_fee(f) for f in dossier.fees],
        "DanhSachHoSoBoSung": [_supplement(n, s, dossier) for n, s in enumerate(extras.supplements, start=1)],
        "DanhSachGiayToKetQua": [_result(a) for a in attachments if a.kind == RESULT and a.replaced_at is None],
    }


def step_payload(entry: records.HistoryEntry, dossier: records.Dossier, *, title: str = "",
                 statuses: StatusMap = StatusMap()) -> StepPayload:
    """One Mẫu 06 row. Built from the history row alone (and its dossier's earlier rows), so a resend after a
    lost answer is the same bytes and a portal that keeps one row per identical step does not double it.

    `title` is the actor's chức danh: the history row keeps only the name, the caller may know more.
    """
    earlier = [h.at for h in dossier.history if h.at < entry.at]
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": cut(entry.actor_name or dossier.received_by or NO_ACTOR, ACTOR_MAX),
        "ChucDanh": title,
        "ThoiDiemXuLy": national_date(entry.at),
        "PhongBanXuLy": entry.to_unit or entry.from_unit or dossier.unit,
        "NoiDungXuLy": entry.note or _ACTIONS.get(entry.action, entry.action),
        "TrangThai": str(statuses.to_portal(entry.to_status)),
        "NgayBatDau": national_date(max(earlier) if earlier else entry.at),
        # As it stood when the step was taken: a resend after a supplement or an apology must be the same step.
        "NgayKetThucTheoQuyDinh": national_date(entry.due_at if entry.due_at is not None else dossier.due_at),
    }
