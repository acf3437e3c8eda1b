"""Strict validation of what the province receives (domain.md §7): a bad field is named, never guessed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
NATIONAL_PROCEDURE_RE = re.compile(r"^\d\.\d{6}$")
FLAG = ("0", "1")
STATUSES = tuple(str(n) for n in range(1, 11))
OPTIONAL_DATES = ("NgayTra", "NgayKetThucXuLy", "NgayNopHoSo", "NgayTuChoi")
TEXT_FIELDS = ("TenTTHC", "ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email", "TrichYeuHoSo", "DonViXuLy",
               "GhiChu", "ThongTinTra", "MaLinhVuc", "TenLinhVuc")


class Invalid(Exception):
    """A payload the province refuses; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def known_procedures(extra: tuple[str, ...] = ()) -> frozenset[str]:
    path = Path(__file__).resolve().parents[2] / "resources" / "data" / "procedures_vn.json"
    codes = {p["code"] for p in json.loads(path.read_text(encoding="utf-8"))["procedures"]}
    return frozenset(codes | set(extra))


def check_date(obj: dict, field: str, *, required: bool = True) -> None:
    value = obj.get(field, "" if not required else None)
    if value == "" and not required:
        return
    if not isinstance(value, str) or not re.fullmatch(r"\d{14}", value):
        raise Invalid(field, "ngày giờ phải có dạng yyyyMMddHHmmss")
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        raise Invalid(field, "ngày giờ không có thật") from None


def _choice(obj: dict, field: str, allowed: tuple[str, ...]) -> None:
    if obj.get(field) not in allowed:
        raise Invalid(field, f"phải là một chuỗi trong {', '.join(allowed)}")


def _text(obj: dict, field: str, *, required: bool = False) -> None:
    value = obj.get(field, "")
    if not isinstance(value, str):
        raise Invalid(field, "phải là chuỗi")
    if required and not value.strip():
        raise Invalid(field, "bắt buộc")


def validate_dossier(d: object, known: frozenset[str], known_url: Callable[[str], bool] = lambda url: False) -> None:
    """`known_url(url)` tells whether a file URL was uploaded here: every attachment must point at one."""
    if not isinstance(d, dict):
        raise Invalid("data", "mỗi hồ sơ phải là một đối tượng")
    if not isinstance(d.get("MaHoSo"), str) or not CODE_RE.match(d["MaHoSo"]):
        raise Invalid("MaHoSo", "không đúng dạng mã hồ sơ")
    code = d.get("MaTTHC")
    if not isinstance(code, str) or not NATIONAL_PROCEDURE_RE.match(code):
        raise Invalid("MaTTHC", "phải là mã quốc gia dạng 1.001193")
    if code not in known:
        raise Invalid("MaTTHC", "thủ tục không có trong danh mục")
    for field in TEXT_FIELDS:
        _text(d, field, required=field in ("TenTTHC", "ChuHoSo"))
    _choice(d, "TrangThaiHoSo", STATUSES)
    _choice(d, "KenhThucHien", ("1", "2", "3"))
    _choice(d, "HinhThuc", ("0", "1"))
    _choice(d, "LoaiDoiTuong", ("1", "2", "3", "4"))
    check_date(d, "NgayTiepNhan")
    check_date(d, "NgayHenTra", required=False)
    for field in OPTIONAL_DATES:
        check_date(d, field, required=d.get("TrangThaiHoSo") == "3" and field == "NgayTuChoi")
    _identities(d.get("DinhDanhCHS"))
    _fees(d.get("DanhSachLePhi", []))
    if "HoSoCoThanhPhanSoHoa" in d:
        _choice(d, "HoSoCoThanhPhanSoHoa", FLAG)
    _papers(d.get("TaiLieuNop", []), known_url)
    _results(d.get("DanhSachGiayToKetQua", []), known_url)
    _supplements(d.get("DanhSachHoSoBoSung", []))


def _supplements(items: object) -> None:
    for item in _list_of_objects(items, "DanhSachHoSoBoSung"):
        _text(item, "LyDoBoSung", required=True)
        check_date(item, "NgayYeuCauBoSung")
        check_date(item, "NgayHenTraTruoc", required=False)
        check_date(item, "NgayHenTraMoi", required=False)  # "" while the citizen has not brought the papers


def _identities(items: object) -> None:
    if not isinstance(items, list) or not items:
        raise Invalid("DinhDanhCHS", "phải là danh sách có ít nhất một giấy tờ")
    for item in items:
        kind = item.get("LoaiDinhDanh") if isinstance(item, dict) else None
        number = item.get("SoDinhDanh") if isinstance(item, dict) else None
        digits = {"1": 12, "2": 9}.get(kind)
        if digits is None:
            raise Invalid("DinhDanhCHS.LoaiDinhDanh", "phải là \"1\" (CCCD) hoặc \"2\" (CMND)")
        if not isinstance(number, str) or not re.fullmatch(rf"\d{{{digits}}}", number):
            raise Invalid("DinhDanhCHS.SoDinhDanh", f"phải gồm {digits} chữ số")


def _fees(items: object) -> None:
    if not isinstance(items, list):
        raise Invalid("DanhSachLePhi", "phải là danh sách")
    for item in items:
        if not isinstance(item, dict):
            raise Invalid("DanhSachLePhi", "mỗi khoản phải là một đối tượng")
        _text(item, "TenPhiLePhi", required=True)
        if not isinstance(item.get("Gia"), int) or item["Gia"] < 0:
            raise Invalid("DanhSachLePhi.Gia", "phải là số tiền không âm")
        _choice(item, "LoaiPhiLePhi", ("1", "2"))


def _list_of_objects(items: object, field: str) -> list[dict]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise Invalid(field, "phải là danh sách các đối tượng")
    return items


def _url(item: dict, field: str, known_url: Callable[[str], bool]) -> None:
    value = item.get(field)
    if not isinstance(value, str) or not known_url(value):
        raise Invalid(field, "phải là đường dẫn của một tệp đã tải lên (TaiTepTin)")


def _papers(items: object, known_url: Callable[[str], bool]) -> None:
    for item in _list_of_objects(items, "TaiLieuNop"):
        for field in ("TepDinhKemId", "TenTepDinhKem"):
            _text(item, field, required=True)
        _text(item, "MaThanhPhanHoSo")
        _url(item, "DuongDanTaiTepTin", known_url)
        for field in ("DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG", "IsDeleted"):
            _choice(item, field, FLAG)


def _results(items: object, known_url: Callable[[str], bool]) -> None:
    for item in _list_of_objects(items, "DanhSachGiayToKetQua"):
        for field in ("GiayToId", "TenGiayTo"):
            _text(item, field, required=True)
        _text(item, "MaGiayToKetQua")
        _url(item, "DuongDanTepTinKetQua", known_url)


def validate_step(s: object) -> None:
    if not isinstance(s, dict):
        raise Invalid("data", "mỗi bước xử lý phải là một đối tượng")
    if not isinstance(s.get("MaHoSo"), str) or not CODE_RE.match(s["MaHoSo"]):
        raise Invalid("MaHoSo", "không đúng dạng mã hồ sơ")
    _text(s, "MaBuoc", required=True)
    _text(s, "NguoiXuLy", required=True)
    for field in ("ChucDanh", "PhongBanXuLy", "NoiDungXuLy"):
        _text(s, field)
    _choice(s, "TrangThai", STATUSES)
    check_date(s, "ThoiDiemXuLy")
    check_date(s, "NgayBatDau")
    check_date(s, "NgayKetThucTheoQuyDinh", required=False)
