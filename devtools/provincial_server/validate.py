"""Strict validation of what the province receives (docs/portal.md): a bad field is named, never guessed.

The reference server refuses what a real portal would. Each rule below says where it comes from:
**OC** = OpenCPS `DVCQGIntegrationActionImpl.java` (VietOpenCPS/opencps-v2 @ 2c719850c, `modules/backend-dossiermgt/
backend-dossiermgt-service/src/main/java/org/opencps/dossiermgt/action/impl/`); **TH-DTO** = Thanh Hóa's
`ISyncLocalDataToDVCQGService.cs` and **TH-SVC** = its `SyncLocalDataToDVCQGService.cs`
(HuanVu201/DichVuCong_KhoaLuan_PASETO @ 7d1730ca5, `DichVuCongApi/src/…/KetNoi/DVC/SyncLocalDataToDVCQG/`);
**PC** = /work/shared/portal_contract.md; **ours** = neither peer says, we chose. Line numbers are of those commits.

Field names (an unknown name anywhere is refused, `MaBuoc` included):
  dossier              TH-DTO `HoSoDongBoDVC` 36–75 (OC `createSyncDossierBodyRequest` 149–327 sends a subset
                       of it) + PC's optional MaDoiTuong, ThongTinKhac, Fax, GhiChu, NoiNopHoSo,
                       TaiKhoanDuocXacThucVoiVNeID, DuocThanhToanTrucTuyen, DSKetNoiCSDL, DanhSachTepDinhKemKhac
                       (all of which are in TH-DTO too)
  TaiLieuNop[]         TH-DTO `TaiLieuNopDongBoDVC` 76–87 (OC 303–309 sends a subset)
  DanhSachLePhi[]      TH-DTO `LePhiDongBoDVC` 100–107 (OC 226–231, commented out)
  DanhSachHoSoBoSung[] TH-DTO `HoSoBoSung` 187–203 (OC 239–252, commented out)
    DanhSachGiayToBoSung[]  TH-DTO `TepDinhKem` 241–254;  DanhSachLePhiBoSung[]  TH-DTO `LePhi` 222–233
  DanhSachGiayToKetQua[] TH-DTO `GiayToKetQua` 213–221 (OC 296–302)
  DinhDanhCHS[]        TH-DTO `DinhDanhCHS` 208–212;  DSKetNoiCSDL[]  TH-DTO 204–207 (TH-SVC 339)
  DanhSachTepDinhKemKhac[]  TH-DTO `TepDinhKemKhac` 235–240 (OC 234–237, commented out)
  step                 TH-DTO `QuaTrinhXuLyDongBoDVC` 88–99 = OC `createSyncDossierStatusBodyRequest` 507–522;
                       neither has `MaBuoc`

Dossier rules:
  MaHoSo          `^\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}-\\d{6}-\\d{4}$` — ours (domain.md §4; TH-SVC `GetMaHoSo`
                  178–231 builds codes of this shape); unique in one call — ours
  MaTTHC          national code `d.dddddd` in the province's catalogue — ours (OC maps its own code to the
                  DVCQG one, `ServiceInfoMapping`, 152–161, and looks it up with `LayThuTuc`, 170–187)
  TenTTHC         required non-empty string — TH-DTO non-nullable `string`; OC fills it from `LayThuTuc`
  MaLinhVuc       required key, a string, may be "" — OC 176–189 always sends it ("" when `LayThuTuc` is empty)
  TenLinhVuc      string — OC 190, TH-DTO
  KenhThucHien    "1" | "2" | "3" — ours (TH-SVC 274–278 tests "2" = online); required (TH-DTO; OC omits it)
  ChuHoSo         string, may be "" — OC 192 "ko bb", TH-DTO `string?` (the old rule "required" is dropped)
  SoGiayToChuHoSo, SoDienThoai, Email, DonViXuLy, ThongTinTra, GhiChu, ThongTinKhac, Fax, NoiNopHoSo
                  strings — TH-DTO; OC 206–223
  MaDoiTuong      string or null — TH-SVC 274–278 sends null unless online; OC 205 ""
  LoaiDoiTuong    "1".."4" — TH-SVC 251–266 (OC 193–198: "1"/"2")
  TrichYeuHoSo    string of at most 1,000 characters — TH-SVC 279 (cuts longer ones to 995 + "...")
  TrangThaiHoSo   in the server's `statuses` — the codes 1–10 of domain.md; the gateway default {1,2,3,4,7,9,10}
                  because TH-SVC 267–270 sends 9 for 5, 6 and 8
  HinhThuc        "0" | "1" — OC 216–220
  NgayTiepNhan    required yyyyMMddHHmmss, a real date — OC `convertDate2String` 132–147, TH-SVC 250
  NgayHenTra, NgayTra, NgayKetThucXuLy, NgayNopHoSo, NgayTuChoi
                  yyyyMMddHHmmss or "" — OC 211–221 ("" when null), TH-SVC 281–304; null accepted where TH-DTO
                  declares `string?` (NgayHenTra, NgayTra, NgayKetThucXuLy, NgayTuChoi)
  NgayTuChoi      required when TrangThaiHoSo is "3" (not received) — ours
  HoSoCoThanhPhanSoHoa   "0" | "1" when present — TH-SVC 271, 391–393
  TaiKhoanDuocXacThucVoiVNeID  "0" | "1" when present — TH-SVC 124 ("0"); "1" ours
  DuocThanhToanTrucTuyen "0" | "1" | "3" when present — TH-SVC 124, 413–419
  DinhDanhCHS     a non-empty list; LoaiDinhDanh "1" → SoDinhDanh of 12 digits, "2" → 9 digits — TH-SVC 305–336
                  (always one entry; "000000001" of type "2" when the number fits neither)
  DSKetNoiCSDL    list of {MaCSDL: string} — TH-SVC 339
  DanhSachTepDinhKemKhac  list of {TenGiayTo: string, SoLuong: int, LoaiGiayTo: int} — TH-DTO 235–240

TaiLieuNop[] rules:
  TenTepDinhKem   required, at most 4,000 characters — TH-SVC 378 ("Dinhkem" when empty, cut past 4,000)
  TepDinhKemId, MaThanhPhanHoSo   strings, may be "" (TepDinhKemId may be null) — TH-DTO 78 `string?` = ""
                  (TH-SVC never fills TepDinhKemId; OC 306 sends "" for MaThanhPhanHoSo); the old
                  "TepDinhKemId required" is dropped
  DuongDanTaiTepTin  see "Attachments" below
  DuocSoHoa       "0" | "1" — TH-SVC 144 ("1"); required (TH-DTO non-nullable; OC omits it)
  DuocTaiSuDung   "0" | "1" | "2" — TH-SVC 145; required as DuocSoHoa
  DuocLayTuKhoDMQG  "0" | "1" — TH-SVC 402; required as DuocSoHoa
  IsDeleted       "True" | "False" — OC 309 ("False"), TH-DTO `TepDinhKem.IsDeleted` bool? → "True"/"False"
  MaKetQuaThayThe string or null — TH-DTO `string?`

DanhSachLePhi[] rules:
  TenPhiLePhi     required non-empty — TH-SVC 409 (falls back to the dossier code when empty)
  MaPhiLePhi, HinhThucThu   strings — TH-SVC 148 ("1", "1")
  Gia             a string of digits — TH-DTO 105 `string Gia` (TH-SVC 148: `SoTien`, paid only when > 0)
  LoaiPhiLePhi    "1" | "2" — TH-SVC 148 ("1"); "2" ours

DanhSachHoSoBoSung[] rules:
  HoSoBoSungId    int (not a bool) — TH-DTO 189 `int`
  NguoiYeuCauBoSung   string — TH-DTO 190
  NoiDungBoSung   required non-empty (the reason) — TH-DTO 191 `string`; "non-empty" ours (was LyDoBoSung)
  NgayBoSung      required yyyyMMddHHmmss — TH-DTO 192 non-nullable `DateTime`; the format ours (Newtonsoft would
                  write ISO 8601; every other date of both peers is yyyyMMddHHmmss)
  NgayTiepNhanBoSung, NgayHenTraTruoc, NgayHenTraMoi   yyyyMMddHHmmss or "" — TH-DTO 195, 199, 200; "" ours
  NguoiTiepNhanBoSung, ThongTinTiepNhan   string or null — TH-DTO 193–194 `string?`
  TrangThaiBoSung bool — TH-DTO 196
  DanhSachGiayToBoSung, DanhSachLePhiBoSung   lists of objects (or null) with TepDinhKem / LePhi names — TH-DTO 197–198

DanhSachGiayToKetQua[] rules:
  TenGiayTo       required non-empty — TH-DTO 215 non-nullable (TH-SVC 448 "DinhKemKetQua" when empty)
  MaThanhPhanHoSo, GiayToId, MaGiayToKetQua   strings, may be "" (the first two may be null, `string?`) —
                  TH-DTO 216–219 (TH-SVC never fills GiayToId, OC 299 sends "" for MaThanhPhanHoSo); the old
                  "GiayToId required" is dropped
  DuongDanTepTinKetQua   see "Attachments"

Attachments (DuongDanTaiTepTin, DuongDanTepTinKetQua): neither peer uploads; both send the address of a file on
their own server (OC 264–290, TH-SVC 379–385, 436). With uploads off: a string, "" or an http(s) URL — ours.
With uploads on: the URL of a file uploaded here (`POST /upload`) — ours.

Step rules:
  MaHoSo          as the dossier's — ours; the dossier must exist at the province (server.py) — ours
  NguoiXuLy       required, at most 50 characters — TH-SVC 358–366 ("Chuyên viên" when empty, cut past 50)
  ChucDanh, PhongBanXuLy, NoiDungXuLy   strings — OC 513–517 (""), TH-DTO 92–95 (the last two `string?`: null
                  accepted)
  TrangThai       in the server's `statuses`, as TrangThaiHoSo — OC 518, TH-SVC 368
  ThoiDiemXuLy    required yyyyMMddHHmmss — TH-DTO non-nullable, TH-SVC 345–348
  NgayBatDau, NgayKetThucTheoQuyDinh   yyyyMMddHHmmss or "" — OC 519–520 "ko bb"; the old "NgayBatDau required" is
                  dropped (OC and TH send "")
  at most `steps_per_call` steps a call (server.py) — TH-SVC 609–612 sends 10 a call
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from datetime import datetime

import resources

CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
NATIONAL_PROCEDURE_RE = re.compile(r"^\d\.\d{6}$")
URL_RE = re.compile(r"^https?://\S+$")
TRICH_YEU_MAX = 1000
TEN_TEP_MAX = 4000
NGUOI_XU_LY_MAX = 50

ALL_STATUSES = frozenset(str(n) for n in range(1, 11))
GATEWAY_STATUSES = frozenset({"1", "2", "3", "4", "7", "9", "10"})

DOSSIER_FIELDS = frozenset({
    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "KenhThucHien", "SoGiayToChuHoSo", "ChuHoSo",
    "LoaiDoiTuong", "MaDoiTuong", "ThongTinKhac", "Email", "Fax", "SoDienThoai", "TrichYeuHoSo", "NgayTiepNhan",
    "NgayHenTra", "TrangThaiHoSo", "NgayTra", "ThongTinTra", "HinhThuc", "NgayKetThucXuLy", "DonViXuLy", "GhiChu",
    "TaiLieuNop", "DanhSachLePhi", "DanhSachTepDinhKemKhac", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua",
    "NoiNopHoSo", "HoSoCoThanhPhanSoHoa", "TaiKhoanDuocXacThucVoiVNeID", "DuocThanhToanTrucTuyen", "NgayTuChoi",
    "DinhDanhCHS", "NgayNopHoSo", "DSKetNoiCSDL"})
PAPER_FIELDS = frozenset({"TepDinhKemId", "TenTepDinhKem", "IsDeleted", "MaThanhPhanHoSo", "DuongDanTaiTepTin",
                          "DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG", "MaKetQuaThayThe"})
FEE_FIELDS = frozenset({"TenPhiLePhi", "MaPhiLePhi", "HinhThucThu", "Gia", "LoaiPhiLePhi"})
SUPPLEMENT_FIELDS = frozenset({
    "HoSoBoSungId", "NguoiYeuCauBoSung", "NoiDungBoSung", "NgayBoSung", "NguoiTiepNhanBoSung", "ThongTinTiepNhan",
    "NgayTiepNhanBoSung", "TrangThaiBoSung", "DanhSachGiayToBoSung", "DanhSachLePhiBoSung", "NgayHenTraTruoc",
    "NgayHenTraMoi"})
SUPPLEMENT_PAPER_FIELDS = frozenset({"Id", "TepDinhKemId", "TenTepDinhKem", "IsDeleted", "MaThanhPhanHoSo",
                                     "DuongDanTaiTepTin", "DuocSoHoa", "DuocTaiSuDung", "DuocLayTuKhoDMQG",
                                     "MaKetQuaThayThe", "DinhKemGoc"})
SUPPLEMENT_FEE_FIELDS = frozenset({"Id", "TenPhiLePhi", "MaPhiLePhi", "HinhThucThu", "Gia", "LoaiPhiLePhi",
                                   "TrangThai"})
RESULT_FIELDS = frozenset({"TenGiayTo", "MaThanhPhanHoSo", "GiayToId", "DuongDanTepTinKetQua", "MaGiayToKetQua"})
IDENTITY_FIELDS = frozenset({"LoaiDinhDanh", "SoDinhDanh"})
DATABASE_FIELDS = frozenset({"MaCSDL"})
OTHER_PAPER_FIELDS = frozenset({"TenGiayTo", "SoLuong", "LoaiGiayTo"})
STEP_FIELDS = frozenset({"MaHoSo", "NguoiXuLy", "ChucDanh", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy",
                         "TrangThai", "NgayBatDau", "NgayKetThucTheoQuyDinh"})

TEXT_FIELDS = ("TenLinhVuc", "SoGiayToChuHoSo", "ChuHoSo", "SoDienThoai", "Email", "DonViXuLy", "ThongTinTra",
               "GhiChu", "ThongTinKhac", "Fax", "NoiNopHoSo")
NULLABLE_DATES = ("NgayHenTra", "NgayTra", "NgayKetThucXuLy", "NgayTuChoi")  # TH-DTO `string?`
OPTIONAL_DATES = (*NULLABLE_DATES, "NgayNopHoSo")

UrlCheck = Callable[[str], bool]  # uploads on: is this the address of a file uploaded here?


class Invalid(Exception):
    """A payload the province refuses; `field` names the culprit (a path such as `TaiLieuNop[0].IsDeleted`)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def known_procedures(extra: tuple[str, ...] = ()) -> frozenset[str]:
    path = resources.path("data", "procedures_vn.json")  # from the source tree or a frozen build
    codes = {p["code"] for p in json.loads(path.read_text(encoding="utf-8"))["procedures"]}
    return frozenset(codes | set(extra))


def plain_url(url: str) -> bool:
    """Uploads off: an address on the sender's own server, or "" (no file there yet)."""
    return url == "" or bool(URL_RE.match(url))


# --- small checks -------------------------------------------------------------------------------------------


def _object(value: object, path: str, allowed: frozenset[str]) -> dict:
    if not isinstance(value, dict):
        raise Invalid(path, "phải là một đối tượng")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise Invalid(_join(path, unknown[0]), "trường không có trong đặc tả của cổng")
    return value


def _list(value: object, path: str, *, nullable: bool = False) -> list:
    if value is None and nullable:
        return []
    if not isinstance(value, list):
        raise Invalid(path, "phải là một danh sách")
    return value


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else field


def _date(obj: dict, field: str, path: str = "", *, required: bool = True, nullable: bool = False,
          why: str = "") -> None:
    if field not in obj and not required:
        return
    value = obj.get(field)
    if value is None and nullable and not required:
        return
    if value == "" and not required:
        return
    if value in (None, "") and required:
        raise Invalid(_join(path, field), why or "bắt buộc (yyyyMMddHHmmss)")
    if not isinstance(value, str) or not re.fullmatch(r"\d{14}", value):
        raise Invalid(_join(path, field), "ngày giờ phải có dạng yyyyMMddHHmmss")
    try:
        datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        raise Invalid(_join(path, field), "ngày giờ không có thật") from None


def _choice(obj: dict, field: str, allowed: Collection[str], path: str = "", *, required: bool = True) -> None:
    if field not in obj and not required:
        return
    if obj.get(field) not in allowed:
        shown = ", ".join(f'"{a}"' for a in sorted(allowed, key=lambda a: (len(a), a)))
        raise Invalid(_join(path, field), f"phải là một trong {shown}")


def _text(obj: dict, field: str, path: str = "", *, required: bool = False, nullable: bool = False,
          key_required: bool = False, max_len: int = 0) -> None:
    if field not in obj:
        if required or key_required:
            raise Invalid(_join(path, field), "bắt buộc")
        return
    value = obj[field]
    if value is None and nullable:
        return
    if not isinstance(value, str):
        raise Invalid(_join(path, field), "phải là chuỗi")
    if required and not value.strip():
        raise Invalid(_join(path, field), "bắt buộc, không được để trống")
    if max_len and len(value) > max_len:
        raise Invalid(_join(path, field), f"tối đa {max_len:,} ký tự (đang có {len(value):,})".replace(",", "."))


def _int(obj: dict, field: str, path: str) -> None:
    value = obj.get(field)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid(_join(path, field), "phải là số nguyên")


# --- the dossier --------------------------------------------------------------------------------------------


def validate_dossier(d: object, known: frozenset[str], statuses: Collection[str] = ALL_STATUSES,
                     known_url: UrlCheck | None = None) -> None:
    """`known_url` None: uploads off, an attachment is "" or an http(s) address; else `known_url(url)` says
    whether it is the address of a file uploaded here."""
    d = _object(d, "", DOSSIER_FIELDS)
    if not isinstance(d.get("MaHoSo"), str) or not CODE_RE.match(d["MaHoSo"]):
        raise Invalid("MaHoSo", "không đúng dạng mã hồ sơ (000.00.00.H56-yyMMdd-0001)")
    code = d.get("MaTTHC")
    if not isinstance(code, str) or not NATIONAL_PROCEDURE_RE.match(code):
        raise Invalid("MaTTHC", "phải là mã thủ tục quốc gia dạng 1.001193")
    if code not in known:
        raise Invalid("MaTTHC", "thủ tục không có trong danh mục của tỉnh")
    _text(d, "TenTTHC", required=True)
    _text(d, "MaLinhVuc", key_required=True)
    for field in TEXT_FIELDS:
        _text(d, field)
    _text(d, "MaDoiTuong", nullable=True)
    _text(d, "TrichYeuHoSo", max_len=TRICH_YEU_MAX)
    _choice(d, "TrangThaiHoSo", statuses)
    _choice(d, "KenhThucHien", ("1", "2", "3"))
    _choice(d, "HinhThuc", ("0", "1"))
    _choice(d, "LoaiDoiTuong", ("1", "2", "3", "4"))
    _choice(d, "HoSoCoThanhPhanSoHoa", ("0", "1"), required=False)
    _choice(d, "TaiKhoanDuocXacThucVoiVNeID", ("0", "1"), required=False)
    _choice(d, "DuocThanhToanTrucTuyen", ("0", "1", "3"), required=False)
    _date(d, "NgayTiepNhan")
    for field in OPTIONAL_DATES:
        refused = field == "NgayTuChoi" and d.get("TrangThaiHoSo") == "3"
        _date(d, field, required=refused, nullable=field in NULLABLE_DATES,
              why="bắt buộc khi hồ sơ không được tiếp nhận (TrangThaiHoSo 3)")
    _identities(d.get("DinhDanhCHS"))
    for i, item in enumerate(_list(d.get("DSKetNoiCSDL", []), "DSKetNoiCSDL")):
        _text(_object(item, f"DSKetNoiCSDL[{i}]", DATABASE_FIELDS), "MaCSDL", f"DSKetNoiCSDL[{i}]", required=True)
    for i, item in enumerate(_list(d.get("DanhSachTepDinhKemKhac", []), "DanhSachTepDinhKemKhac", nullable=True)):
        path = f"DanhSachTepDinhKemKhac[{i}]"
        _text(_object(item, path, OTHER_PAPER_FIELDS), "TenGiayTo", path, required=True)
        _int(item, "SoLuong", path)
        _int(item, "LoaiGiayTo", path)
    _papers(d.get("TaiLieuNop", []), known_url)
    _fees(d.get("DanhSachLePhi", []))
    _supplements(d.get("DanhSachHoSoBoSung", []))
    _results(d.get("DanhSachGiayToKetQua", []), known_url)


def _identities(items: object) -> None:
    items = _list(items, "DinhDanhCHS")
    if not items:
        raise Invalid("DinhDanhCHS", "phải có ít nhất một giấy tờ định danh")
    for i, item in enumerate(items):
        path = f"DinhDanhCHS[{i}]"
        item = _object(item, path, IDENTITY_FIELDS)
        digits = {"1": 12, "2": 9}.get(item.get("LoaiDinhDanh"))  # type: ignore[arg-type]
        if digits is None:
            raise Invalid(f"{path}.LoaiDinhDanh", 'phải là "1" (CCCD, 12 số) hoặc "2" (CMND, 9 số)')
        number = item.get("SoDinhDanh")
        if not isinstance(number, str) or not re.fullmatch(rf"\d{{{digits}}}", number):
            raise Invalid(f"{path}.SoDinhDanh", f"phải gồm đúng {digits} chữ số")


def _url(item: dict, field: str, path: str, known_url: UrlCheck | None) -> None:
    value = item.get(field)
    if not isinstance(value, str):
        raise Invalid(_join(path, field), "phải là chuỗi (đường dẫn tệp)")
    if known_url is None and not plain_url(value):
        raise Invalid(_join(path, field), "phải là đường dẫn http(s) tới tệp, hoặc để trống")
    if known_url is not None and not known_url(value):
        raise Invalid(_join(path, field), "phải là đường dẫn của một tệp đã tải lên cổng (/upload)")


def _papers(items: object, known_url: UrlCheck | None) -> None:
    for i, item in enumerate(_list(items, "TaiLieuNop", nullable=True)):
        path = f"TaiLieuNop[{i}]"
        item = _object(item, path, PAPER_FIELDS)
        _text(item, "TenTepDinhKem", path, required=True, max_len=TEN_TEP_MAX)
        _text(item, "TepDinhKemId", path, nullable=True)
        _text(item, "MaThanhPhanHoSo", path)
        _text(item, "MaKetQuaThayThe", path, nullable=True)
        _url(item, "DuongDanTaiTepTin", path, known_url)
        _choice(item, "DuocSoHoa", ("0", "1"), path)
        _choice(item, "DuocTaiSuDung", ("0", "1", "2"), path)
        _choice(item, "DuocLayTuKhoDMQG", ("0", "1"), path)
        _choice(item, "IsDeleted", ("True", "False"), path)


def _fee(item: object, path: str, allowed: frozenset[str]) -> None:
    item = _object(item, path, allowed)
    _text(item, "TenPhiLePhi", path, required=True)
    for field in ("MaPhiLePhi", "HinhThucThu"):
        _text(item, field, path)
    gia = item.get("Gia")
    if not isinstance(gia, str) or not re.fullmatch(r"\d+", gia):
        raise Invalid(f"{path}.Gia", 'phải là chuỗi chữ số (số tiền đồng, ví dụ "50000")')
    _choice(item, "LoaiPhiLePhi", ("1", "2"), path)


def _fees(items: object) -> None:
    for i, item in enumerate(_list(items, "DanhSachLePhi", nullable=True)):
        _fee(item, f"DanhSachLePhi[{i}]", FEE_FIELDS)


def _supplements(items: object) -> None:
    for i, item in enumerate(_list(items, "DanhSachHoSoBoSung", nullable=True)):
        path = f"DanhSachHoSoBoSung[{i}]"
        item = _object(item, path, SUPPLEMENT_FIELDS)
        _int(item, "HoSoBoSungId", path)
        _text(item, "NguoiYeuCauBoSung", path)
        _text(item, "NoiDungBoSung", path, required=True)
        _date(item, "NgayBoSung", path)
        for field in ("NgayTiepNhanBoSung", "NgayHenTraTruoc", "NgayHenTraMoi"):
            _date(item, field, path, required=False)
        for field in ("NguoiTiepNhanBoSung", "ThongTinTiepNhan"):
            _text(item, field, path, nullable=True)
        if not isinstance(item.get("TrangThaiBoSung"), bool):
            raise Invalid(f"{path}.TrangThaiBoSung", "phải là true/false (đã nhận đủ giấy tờ bổ sung hay chưa)")
        for j, paper in enumerate(_list(item.get("DanhSachGiayToBoSung"), f"{path}.DanhSachGiayToBoSung",
                                        nullable=True)):
            _object(paper, f"{path}.DanhSachGiayToBoSung[{j}]", SUPPLEMENT_PAPER_FIELDS)
        for j, fee in enumerate(_list(item.get("DanhSachLePhiBoSung"), f"{path}.DanhSachLePhiBoSung",
                                      nullable=True)):
            _fee(fee, f"{path}.DanhSachLePhiBoSung[{j}]", SUPPLEMENT_FEE_FIELDS)


def _results(items: object, known_url: UrlCheck | None) -> None:
    for i, item in enumerate(_list(items, "DanhSachGiayToKetQua", nullable=True)):
        path = f"DanhSachGiayToKetQua[{i}]"
        item = _object(item, path, RESULT_FIELDS)
        _text(item, "TenGiayTo", path, required=True)
        for field in ("MaThanhPhanHoSo", "GiayToId"):
            _text(item, field, path, nullable=True)  # TH-DTO `string?`
        _text(item, "MaGiayToKetQua", path)
        _url(item, "DuongDanTepTinKetQua", path, known_url)


# --- a processing step --------------------------------------------------------------------------------------


def validate_step(s: object, statuses: Collection[str] = ALL_STATUSES) -> None:
    s = _object(s, "", STEP_FIELDS)
    if not isinstance(s.get("MaHoSo"), str) or not CODE_RE.match(s["MaHoSo"]):
        raise Invalid("MaHoSo", "không đúng dạng mã hồ sơ (000.00.00.H56-yyMMdd-0001)")
    _text(s, "NguoiXuLy", required=True, max_len=NGUOI_XU_LY_MAX)
    _text(s, "ChucDanh")
    for field in ("PhongBanXuLy", "NoiDungXuLy"):
        _text(s, field, nullable=True)  # TH-DTO `string?`
    _choice(s, "TrangThai", statuses)
    _date(s, "ThoiDiemXuLy")
    _date(s, "NgayBatDau", required=False, nullable=True)
    _date(s, "NgayKetThucTheoQuyDinh", required=False, nullable=True)
