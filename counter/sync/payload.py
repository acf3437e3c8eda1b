"""Dossiers and history rows in the national portal's field names (domain.md §7).

Dates are `yyyyMMddHHmmss` in Vietnam local time without an offset; status values are strings;
procedure codes are always sent in their national form (`1.001193`, not the provincial variant).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from counter import records
from counter.clock import local
from counter.records import COMPONENT, RESULT, Attachment
from counter.status import Status

_NATIONAL = re.compile(r"^\d\.\d{6}")
_ACTIONS = {"receive": "Tiếp nhận hồ sơ", "refuse": "Từ chối tiếp nhận hồ sơ"}


def national_date(at: datetime | None) -> str:
    return local(at).strftime("%Y%m%d%H%M%S") if at else ""


def national_procedure_code(code: str) -> str:
    """`1.001193.000.00.00.H56` → `1.001193`."""
    match = _NATIONAL.match(code)
    return match.group(0) if match else code


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
    Gia: int
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
    NgayYeuCauBoSung: str
    LyDoBoSung: str
    NgayHenTraTruoc: str
    NgayHenTraMoi: str


class DossierPayload(TypedDict):
    """One dossier of DongBoHoSoMC."""

    MaHoSo: str
    MaTTHC: str
    TenTTHC: str
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
    MaBuoc: str
    NguoiXuLy: str
    ChucDanh: str
    ThoiDiemXuLy: str
    PhongBanXuLy: str
    NoiDungXuLy: str
    TrangThai: str
    NgayBatDau: str
    NgayKetThucTheoQuyDinh: str


def _identity(id_number: str) -> Identity:
    return {"LoaiDinhDanh": "1" if len(id_number) == 12 else "2", "SoDinhDanh": id_number}


def _fee(fee: records.Fee) -> FeeItem:
    return {"TenPhiLePhi": fee.name, "MaPhiLePhi": fee.code, "HinhThucThu": "1", "Gia": fee.amount,
            "LoaiPhiLePhi": str(fee.kind)}


def _paper(a: Attachment) -> Paper:
    return {"TepDinhKemId": a.uuid, "TenTepDinhKem": a.name, "MaThanhPhanHoSo": a.type_code,
            "DuongDanTaiTepTin": a.remote_url or "", "DuocSoHoa": "1", "DuocTaiSuDung": "1" if a.reused else "0",
            "DuocLayTuKhoDMQG": "0", "IsDeleted": "1" if a.replaced_at else "0"}


def _result(a: Attachment) -> ResultPaper:
    return {"TenGiayTo": a.name, "MaThanhPhanHoSo": "", "GiayToId": a.uuid, "DuongDanTepTinKetQua": a.remote_url or "",
            "MaGiayToKetQua": a.type_code}


@dataclass(frozen=True)
class Supplement:
    asked_at: datetime
    reason: str
    due_before: datetime | None
    due_after: datetime | None  # None while the citizen has not brought the papers


@dataclass(frozen=True)
class Extras:
    """What the dossier row does not hold: its supplements (DanhSachHoSoBoSung) and its collector (ThongTinTra)."""

    supplements: tuple[Supplement, ...] = ()
    collector: str = ""


def _supplement(s: Supplement) -> SupplementItem:
    return {"NgayYeuCauBoSung": national_date(s.asked_at), "LyDoBoSung": s.reason,
            "NgayHenTraTruoc": national_date(s.due_before), "NgayHenTraMoi": national_date(s.due_after)}


def dossier_payload(dossier: records.Dossier, *, agency_id: str, attachments: Sequence[Attachment] = (),
                    extras: Extras = Extras()) -> DossierPayload:
    """`attachments`: the dossier's papers to report, each already uploaded (counter.sync.uploads)."""
    applicant = dossier.applicant
    components = [a for a in attachments if a.kind == COMPONENT]
    digitised = dossier.has_digitised or any(a.replaced_at is None for a in components)
    refused = dossier.status == Status.REFUSED
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": national_procedure_code(dossier.procedure_code),
        "TenTTHC": dossier.procedure_name,
        "TenLinhVuc": dossier.procedure_field,  # the catalogue names the field but gives it no code (MaLinhVuc)
        "KenhThucHien": str(dossier.channel),
        "ChuHoSo": applicant.full_name,
        "SoGiayToChuHoSo": applicant.id_number,
        "LoaiDoiTuong": str(dossier.applicant_kind),
        "SoDienThoai": applicant.phone,
        "Email": applicant.email,
        "TrichYeuHoSo": dossier.summary or dossier.procedure_name,
        "NgayTiepNhan": national_date(dossier.received_at),
        "NgayNopHoSo": national_date(dossier.received_at),
        "NgayHenTra": national_date(dossier.due_at),
        "TrangThaiHoSo": str(int(dossier.status)),
        "NgayTra": national_date(_reached(dossier, Status.RETURNED)),
        "ThongTinTra": extras.collector,
        "NgayKetThucXuLy": national_date(_reached(dossier, Status.RESULT_READY)),
        "HinhThuc": str(dossier.return_method),
        "DonViXuLy": dossier.unit or agency_id,
        "NgayTuChoi": national_date(_reached(dossier, Status.REFUSED) or dossier.received_at) if refused else "",
        "HoSoCoThanhPhanSoHoa": "1" if digitised else "0",
        "DinhDanhCHS": [_identity(applicant.id_number)],
        "TaiLieuNop": [_paper(a) for a in components],
        "DanhSachLePhi": [_fee(f) for f in dossier.fees],
        "DanhSachHoSoBoSung": [_supplement(s) for s in extras.supplements],
        "DanhSachGiayToKetQua": [_result(a) for a in attachments if a.kind == RESULT and a.replaced_at is None],
    }


def step_payload(entry: records.HistoryEntry, dossier: records.Dossier, *, title: str = "") -> StepPayload:
    """One Mẫu 06 row; `MaBuoc` (the step UUID) lets the province drop a step it already has.

    `title` is the actor's chức danh: the history row keeps only the name, the caller may know more.
    """
    earlier = [h.at for h in dossier.history if h.at < entry.at]
    return {
        "MaHoSo": dossier.code,
        "MaBuoc": entry.step_uuid,
        "NguoiXuLy": entry.actor_name or dossier.received_by or "Bộ phận một cửa",
        "ChucDanh": title,
        "ThoiDiemXuLy": national_date(entry.at),
        "PhongBanXuLy": entry.to_unit or entry.from_unit or dossier.unit,
        "NoiDungXuLy": entry.note or _ACTIONS.get(entry.action, entry.action),
        "TrangThai": str(int(entry.to_status)),
        "NgayBatDau": national_date(max(earlier) if earlier else entry.at),
        # As it stood when the step was taken: a resend after a supplement or an apology must be the same step.
        "NgayKetThucTheoQuyDinh": national_date(entry.due_at if entry.due_at is not None else dossier.due_at),
    }
