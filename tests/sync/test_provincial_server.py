"""The reference provincial server itself, spoken to with raw HTTP in both dialects of docs/portal.md: what it
answers, what it refuses and why, what it stores, its faults and its command line."""

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from devtools.provincial_server import ProvincialServer

ROOT = Path(__file__).resolve().parents[2]
USER, PASSWORD = "quay", "matkhau"
MADONVI = "000.00.06.H56"
CODE = "000.00.06.H56-260213-0001"
OTHER = "000.00.06.H56-260213-0002"


def dossier(code: str = CODE, **changes) -> dict:
    """A dossier as docs/portal.md says we send it: every list filled once."""
    body = {
        "MaHoSo": code, "MaTTHC": "1.004873", "TenTTHC": "Cấp giấy xác nhận tình trạng hôn nhân",
        "MaLinhVuc": "G15-HT", "TenLinhVuc": "Hộ tịch", "KenhThucHien": "1", "ChuHoSo": "Nguyễn Văn An",
        "SoGiayToChuHoSo": "038090012345", "LoaiDoiTuong": "1", "SoDienThoai": "0912345678", "Email": "",
        "TrichYeuHoSo": "Xin xác nhận để kết hôn", "NgayTiepNhan": "20260213100000", "NgayNopHoSo": "20260213100000",
        "NgayHenTra": "20260216170000", "TrangThaiHoSo": "2", "NgayTra": "", "NgayKetThucXuLy": "",
        "NgayTuChoi": "", "ThongTinTra": "", "HinhThuc": "0", "DonViXuLy": "UBND xã Quảng Hùng",
        "HoSoCoThanhPhanSoHoa": "1",
        "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "038090012345"}],
        "TaiLieuNop": [{"TepDinhKemId": "1", "TenTepDinhKem": "Tờ khai", "MaThanhPhanHoSo": "",
                        "DuongDanTaiTepTin": "https://dvc.example.gov.vn/tep/ab12", "DuocSoHoa": "1",
                        "DuocTaiSuDung": "0", "DuocLayTuKhoDMQG": "0", "IsDeleted": "False"}],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí hộ tịch", "MaPhiLePhi": "LP01", "HinhThucThu": "1",
                           "Gia": "5000", "LoaiPhiLePhi": "2"}],
        "DanhSachHoSoBoSung": [{"HoSoBoSungId": 1, "NguoiYeuCauBoSung": "Lê Thị Bình",
                                "NoiDungBoSung": "Thiếu bản sao giấy khai sinh", "NgayBoSung": "20260214090000",
                                "NguoiTiepNhanBoSung": "", "ThongTinTiepNhan": "", "NgayTiepNhanBoSung": "",
                                "TrangThaiBoSung": False, "DanhSachGiayToBoSung": [], "DanhSachLePhiBoSung": [],
                                "NgayHenTraTruoc": "20260216170000", "NgayHenTraMoi": ""}],
        "DanhSachGiayToKetQua": [{"TenGiayTo": "Giấy xác nhận tình trạng hôn nhân", "MaThanhPhanHoSo": "",
                                  "GiayToId": "7", "DuongDanTepTinKetQua": "", "MaGiayToKetQua": "KQ.G15.000010"}],
    }
    body.update(changes)
    return body


def step(code: str = CODE, **changes) -> dict:
    body = {"MaHoSo": code, "NguoiXuLy": "Lê Thị Bình", "ChucDanh": "Công chức tư pháp - hộ tịch",
            "ThoiDiemXuLy": "20260213100000", "PhongBanXuLy": "Bộ phận một cửa", "NoiDungXuLy": "Tiếp nhận hồ sơ",
            "TrangThai": "2", "NgayBatDau": "20260213100000", "NgayKetThucTheoQuyDinh": "20260216170000"}
    body.update(changes)
    return body


def with_item(list_field: str, **changes) -> dict:
    """The sample dossier with its first `list_field` item changed (a value None removes the key)."""
    body = dossier()
    item = {**body[list_field][0], **changes}
    body[list_field] = [{k: v for k, v in item.items() if v is not None}]
    return body


class Opencps:
    """Raw calls in the opencps dialect: one endpoint, the service in the body, dstcode on every call."""

    def __init__(self, server: ProvincialServer):
        self.server = server
        self.http = httpx.Client(headers={"dstcode": "H56"}, timeout=5)
        self.session = self.login()["session"]

    def login(self, username: str = USER, password: str = PASSWORD) -> dict:
        return self.http.post(self.server.login_url, json={"username": username, "password": password}).json()

    def call(self, service: str, **fields) -> dict:
        body = {"service": service, "session": self.session, "madonvi": MADONVI, **fields}
        return self.http.post(self.server.endpoint, json=body).json()

    def insert(self, *dossiers: dict) -> dict:
        return self.call("DongBoHoSoMC", isUpdating="False", data=list(dossiers))

    def update(self, *dossiers: dict) -> dict:
        return self.call("DongBoHoSoMC", isUpdating="True", data=list(dossiers))

    def steps(self, *steps: dict) -> dict:
        return self.call("CapNhatTienDoHoSoMC", data=list(steps))

    def lookup(self, code: str) -> dict:
        return self.call("TraCuuHoSo", mahoso=code)


class Gateway:
    """Raw calls in the gateway dialect: a bare array to one path per action, nothing else."""

    def __init__(self, server: ProvincialServer):
        self.server = server
        self.http = httpx.Client(base_url=server.endpoint, timeout=5)

    def insert(self, *dossiers: dict) -> dict:
        return self.http.post("/ThemMoi", json=list(dossiers)).json()

    def update(self, *dossiers: dict) -> dict:
        return self.http.post("/CapNhat", json=list(dossiers)).json()

    def steps(self, *steps: dict) -> dict:
        return self.http.post("/DongBoTienTrinh", json=list(steps)).json()

    def lookup(self, code: str) -> dict:
        return self.http.post("/TraCuu", json=[{"MaHoSo": code}]).json()


@pytest.fixture
def make_server(tmp_path):
    servers = []

    def make(**options) -> ProvincialServer:
        server = ProvincialServer(str(tmp_path / f"province{len(servers)}.sqlite3"), credentials=(USER, PASSWORD),
                                  **options)
        servers.append(server.start())
        return server

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def opencps(make_server):
    portal = Opencps(make_server())
    yield portal
    portal.http.close()


@pytest.fixture
def gateway(make_server):
    portal = Gateway(make_server(dialect="gateway"))
    yield portal
    portal.http.close()


@pytest.fixture(params=["opencps", "gateway"])
def portal(request, make_server):
    """Either dialect, for what both must do alike."""
    server = make_server(dialect=request.param)
    portal = Opencps(server) if request.param == "opencps" else Gateway(server)
    yield portal
    portal.http.close()


def refused(answer: dict, field: str) -> bool:
    """A refusal ("-1") whose Vietnamese message names `field`."""
    return answer["error_code"] == "-1" and answer["message"].startswith("Dữ liệu không hợp lệ") \
        and field in answer["message"]


# --- opencps: log-in, session, dstcode, madonvi, services -------------------------------------------------


def test_urls_of_each_dialect(make_server):
    server = make_server()
    assert server.endpoint == server.url + "/integration" and server.login_url == server.url + "/auth"
    assert server.upload_url == ""  # no upload service unless asked for
    with_uploads = make_server(uploads=True)
    assert with_uploads.upload_url == with_uploads.url + "/upload"
    gateway = make_server(dialect="gateway")
    assert gateway.endpoint == gateway.url and gateway.url.startswith("http://127.0.0.1:")
    with pytest.raises(ValueError):
        make_server(dialect="soap")


def test_login_answers_a_session_or_403(opencps):
    answer = opencps.login()
    assert set(answer) == {"error_code", "message", "session"}
    assert answer["error_code"] == "0" and answer["message"] == "Thành công" and len(answer["session"]) >= 16
    assert answer["session"] != opencps.session
    wrong = opencps.login(password="sai")
    assert wrong["error_code"] == "403" and "session" not in wrong


def test_dstcode_is_required_on_login_and_on_every_call(opencps):
    server = opencps.server
    bare = httpx.post(server.login_url, json={"username": USER, "password": PASSWORD}).json()
    assert bare["error_code"] == "-1" and "dstcode" in bare["message"] and "session" not in bare
    body = {"service": "DongBoHoSoMC", "session": opencps.session, "madonvi": MADONVI, "isUpdating": "False",
            "data": [dossier()]}
    answer = httpx.post(server.endpoint, json=body).json()
    assert answer["error_code"] == "-1" and "dstcode" in answer["message"]
    assert server.state()["dossiers"] == []


def test_every_call_needs_a_valid_session(opencps):
    opencps.session = "khong-co"
    assert opencps.insert(dossier())["error_code"] == "401"
    opencps.session = None
    assert opencps.lookup(CODE)["error_code"] == "401"
    opencps.session = opencps.login()["session"]
    opencps.server.expire_sessions()
    assert opencps.insert(dossier())["error_code"] == "401"
    assert opencps.server.state()["dossiers"] == []


def test_expire_fault_ends_a_session_after_n_calls(make_server):
    server = make_server()
    server.faults.session_calls = 2
    portal = Opencps(server)
    assert portal.lookup(CODE)["error_code"] == "0"
    assert portal.lookup(CODE)["error_code"] == "0"
    assert portal.lookup(CODE)["error_code"] == "401"
    portal.session = portal.login()["session"]
    assert portal.lookup(CODE)["error_code"] == "0"


def test_madonvi_is_required_and_must_be_the_units_when_the_server_knows_it(opencps, make_server):
    for madonvi in (None, "", "  "):
        body = {"service": "TraCuuHoSo", "session": opencps.session, "mahoso": CODE}
        if madonvi is not None:
            body["madonvi"] = madonvi
        assert refused(opencps.http.post(opencps.server.endpoint, json=body).json(), "madonvi")
    strict = Opencps(make_server(madonvi="000.00.06.H56"))
    assert strict.lookup(CODE)["error_code"] == "0"
    other = {"service": "TraCuuHoSo", "session": strict.session, "madonvi": "000.00.07.H56", "mahoso": CODE}
    assert refused(strict.http.post(strict.server.endpoint, json=other).json(), "madonvi")


def test_unknown_service_and_unknown_body_fields_are_refused(opencps):
    unknown = opencps.call("LayThuTuc", maTTHC="1.004873")
    assert unknown["error_code"] == "-1" and "LayThuTuc" in unknown["message"]
    assert opencps.http.post(opencps.server.endpoint, json={"session": opencps.session, "madonvi": MADONVI}
                             ).json()["error_code"] == "-1"
    assert refused(opencps.call("TraCuuHoSo", MaHoSo=CODE), "MaHoSo")  # the older upper-case name
    assert refused(opencps.call("DongBoHoSoMC", isUpdating="false", data=[dossier()]), "isUpdating")
    assert refused(opencps.call("DongBoHoSoMC", isUpdating="False", data=dossier()), "data")
    assert refused(opencps.call("DongBoHoSoMC", isUpdating="False", data=[]), "data")
    not_json = opencps.http.post(opencps.server.endpoint, content=b"{service: DongBoHoSoMC",
                                 headers={"Content-Type": "application/json"}).json()
    assert not_json["error_code"] == "-1" and "JSON" in not_json["message"]
    assert opencps.http.post(opencps.server.url + "/ThemMoi", json=[dossier()]).status_code == 404
    assert opencps.server.state()["dossiers"] == []


# --- inserting, updating, looking up ------------------------------------------------------------------------


def test_opencps_insert_answers_00_then_3_already_exists_and_update_00(opencps):
    assert opencps.insert(dossier()) == {"error_code": "00", "message": "Thành công"}
    again = opencps.insert(dossier())
    assert again == {"error_code": "3", "message": f"Hồ sơ {CODE} đã tồn tại"}
    assert opencps.update(dossier(TrangThaiHoSo="4")) == {"error_code": "00", "message": "Thành công"}
    [stored] = opencps.server.state()["dossiers"]
    assert stored["TrangThaiHoSo"] == "4" and stored["_writes"] == 2


def test_gateway_insert_answers_0_and_an_existing_code_0_with_the_message(gateway):
    assert gateway.insert(dossier()) == {"error_code": "0", "message": "Thành công"}
    assert gateway.insert(dossier()) == {"error_code": "0", "message": f"Hồ sơ {CODE} đã tồn tại"}
    assert gateway.update(dossier(TrangThaiHoSo="4")) == {"error_code": "0", "message": "Thành công"}
    assert gateway.server.state()["dossiers"][0]["_writes"] == 2


def test_update_of_an_unknown_code_is_refused(portal):
    answer = portal.update(dossier())
    assert answer["error_code"] == "-1" and CODE in answer["message"] and "đã tồn tại" not in answer["message"]
    assert portal.server.state()["dossiers"] == []


def test_lookup_returns_the_dossier_as_stored_or_an_empty_result(portal):
    assert portal.lookup(CODE) == {"error_code": "0", "message": "Thành công", "result": []}
    sent = dossier()
    portal.insert(sent)
    assert portal.lookup(CODE) == {"error_code": "0", "message": "Thành công", "result": [sent]}
    httpx.post(portal.server.url + "/_admin/set_status", json={"MaHoSo": CODE, "TrangThaiHoSo": "9"})
    assert portal.lookup(CODE)["result"][0]["TrangThaiHoSo"] == "9"
    assert portal.lookup(OTHER)["result"] == []


def test_gateway_needs_no_login_and_refuses_anything_but_a_bare_array(gateway):
    http = gateway.http
    assert http.post("/ThemMoi", json={"data": [dossier()]}).json()["error_code"] == "-1"
    assert http.post("/DongBoTienTrinh", json=step()).json()["error_code"] == "-1"
    assert http.post("/TraCuu", json={"MaHoSo": CODE}).json()["error_code"] == "-1"
    assert refused(http.post("/TraCuu", json=[{"mahoso": CODE}]).json(), "[0]")
    assert http.post("/integration", json={}).status_code == 404
    assert http.post("/auth", json={"username": USER, "password": PASSWORD}).status_code == 404
    assert gateway.server.state()["dossiers"] == []
    assert gateway.insert(dossier())["error_code"] == "0"  # no session, no dstcode, no madonvi


# --- validation: every rule refuses, naming its field ------------------------------------------------------

LONG = "x" * 1001
REFUSALS = {
    "unknown dossier field": (dossier(SoBienNhan="12"), "SoBienNhan"),
    "old supplement name": (with_item("DanhSachHoSoBoSung", LyDoBoSung="thiếu giấy"), "LyDoBoSung"),
    "unknown paper field": (with_item("TaiLieuNop", KichThuoc=12), "TaiLieuNop[0].KichThuoc"),
    "unknown fee field": (with_item("DanhSachLePhi", DonVi="đồng"), "DanhSachLePhi[0].DonVi"),
    "unknown result field": (with_item("DanhSachGiayToKetQua", SoBan=2), "DanhSachGiayToKetQua[0].SoBan"),
    "unknown identity field": (with_item("DinhDanhCHS", NoiCap="Hà Nội"), "DinhDanhCHS[0].NoiCap"),
    "status outside the set": (dossier(TrangThaiHoSo="11"), "TrangThaiHoSo"),
    "status as a number": (dossier(TrangThaiHoSo=2), "TrangThaiHoSo"),
    "summary over 1,000": (dossier(TrichYeuHoSo=LONG), "TrichYeuHoSo"),
    "fee as a number": (with_item("DanhSachLePhi", Gia=5000), "DanhSachLePhi[0].Gia"),
    "fee with dots": (with_item("DanhSachLePhi", Gia="5.000"), "DanhSachLePhi[0].Gia"),
    "fee kind": (with_item("DanhSachLePhi", LoaiPhiLePhi="3"), "DanhSachLePhi[0].LoaiPhiLePhi"),
    "IsDeleted as a flag": (with_item("TaiLieuNop", IsDeleted="0"), "TaiLieuNop[0].IsDeleted"),
    "IsDeleted as a bool": (with_item("TaiLieuNop", IsDeleted=False), "TaiLieuNop[0].IsDeleted"),
    "DuocTaiSuDung 3": (with_item("TaiLieuNop", DuocTaiSuDung="3"), "TaiLieuNop[0].DuocTaiSuDung"),
    "paper name missing": (with_item("TaiLieuNop", TenTepDinhKem=""), "TaiLieuNop[0].TenTepDinhKem"),
    "paper name over 4,000": (with_item("TaiLieuNop", TenTepDinhKem="t" * 4001), "TaiLieuNop[0].TenTepDinhKem"),
    "supplement id as text": (with_item("DanhSachHoSoBoSung", HoSoBoSungId="1"), "HoSoBoSungId"),
    "supplement id as bool": (with_item("DanhSachHoSoBoSung", HoSoBoSungId=True), "HoSoBoSungId"),
    "supplement state as text": (with_item("DanhSachHoSoBoSung", TrangThaiBoSung="False"), "TrangThaiBoSung"),
    "supplement date ISO": (with_item("DanhSachHoSoBoSung", NgayBoSung="2026-02-14T09:00:00"), "NgayBoSung"),
    "supplement date missing": (with_item("DanhSachHoSoBoSung", NgayBoSung=None), "NgayBoSung"),
    "supplement new due date": (with_item("DanhSachHoSoBoSung", NgayHenTraMoi="16/02/2026"), "NgayHenTraMoi"),
    "supplement received date": (with_item("DanhSachHoSoBoSung", NgayTiepNhanBoSung="x"), "NgayTiepNhanBoSung"),
    "supplement reason empty": (with_item("DanhSachHoSoBoSung", NoiDungBoSung=""), "NoiDungBoSung"),
    "supplement papers not a list": (with_item("DanhSachHoSoBoSung", DanhSachGiayToBoSung="không"),
                                     "DanhSachGiayToBoSung"),
    "MaLinhVuc missing": ({k: v for k, v in dossier().items() if k != "MaLinhVuc"}, "MaLinhVuc"),
    "MaLinhVuc not text": (dossier(MaLinhVuc=None), "MaLinhVuc"),
    "CCCD of 9 digits": (dossier(DinhDanhCHS=[{"LoaiDinhDanh": "1", "SoDinhDanh": "038090012"}]), "SoDinhDanh"),
    "CMND of 12 digits": (dossier(DinhDanhCHS=[{"LoaiDinhDanh": "2", "SoDinhDanh": "038090012345"}]),
                          "SoDinhDanh"),
    "identity kind": (dossier(DinhDanhCHS=[{"LoaiDinhDanh": "3", "SoDinhDanh": "038090012345"}]), "LoaiDinhDanh"),
    "no identity": (dossier(DinhDanhCHS=[]), "DinhDanhCHS"),
    "procedure not national": (dossier(MaTTHC="TT-HT-01"), "MaTTHC"),
    "procedure not known": (dossier(MaTTHC="1.999999"), "MaTTHC"),
    "procedure name empty": (dossier(TenTTHC=""), "TenTTHC"),
    "code shape": (dossier(code="H56-0001"), "MaHoSo"),
    "reception date shape": (dossier(NgayTiepNhan="13/02/2026"), "NgayTiepNhan"),
    "reception date not real": (dossier(NgayTiepNhan="20260230100000"), "NgayTiepNhan"),
    "due date shape": (dossier(NgayHenTra="2026-02-16"), "NgayHenTra"),
    "refused without a refusal date": (dossier(TrangThaiHoSo="3"), "NgayTuChoi"),
    "channel": (dossier(KenhThucHien="4"), "KenhThucHien"),
    "form of return": (dossier(HinhThuc="2"), "HinhThuc"),
    "applicant kind": (dossier(LoaiDoiTuong="5"), "LoaiDoiTuong"),
    "digitised flag": (dossier(HoSoCoThanhPhanSoHoa="có"), "HoSoCoThanhPhanSoHoa"),
    "paid online": (dossier(DuocThanhToanTrucTuyen="2"), "DuocThanhToanTrucTuyen"),
    "attachment not a URL": (with_item("TaiLieuNop", DuongDanTaiTepTin="to-khai.pdf"), "DuongDanTaiTepTin"),
    "attachment missing": (with_item("TaiLieuNop", DuongDanTaiTepTin=None), "DuongDanTaiTepTin"),
    "result file not a URL": (with_item("DanhSachGiayToKetQua", DuongDanTepTinKetQua="C:\\kq.pdf"),
                              "DuongDanTepTinKetQua"),
    "result name empty": (with_item("DanhSachGiayToKetQua", TenGiayTo=""), "TenGiayTo"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_dossier_breaking_a_rule_is_refused_naming_the_field(opencps, case):
    body, field = REFUSALS[case]
    answer = opencps.insert(body)
    assert refused(answer, field), answer
    assert opencps.server.state()["dossiers"] == []


def test_the_sample_and_the_limits_themselves_are_accepted(opencps):
    """The other side of every refusal: what sits just inside a rule passes."""
    accepted = [
        dossier(TrichYeuHoSo="x" * 1000, MaLinhVuc=""),
        dossier(OTHER, TrangThaiHoSo="3", NgayTuChoi="20260213101500",
                DinhDanhCHS=[{"LoaiDinhDanh": "2", "SoDinhDanh": "000000001"}], ChuHoSo="",
                MaDoiTuong=None, NgayHenTra=None, DSKetNoiCSDL=[{"MaCSDL": "7"}], NoiNopHoSo="2",
                TaiKhoanDuocXacThucVoiVNeID="0", DuocThanhToanTrucTuyen="3", ThongTinKhac="", Fax="", GhiChu="",
                DanhSachTepDinhKemKhac=[{"TenGiayTo": "Ảnh 4x6", "SoLuong": 2, "LoaiGiayTo": 1}],
                TaiLieuNop=[{**dossier()["TaiLieuNop"][0], "DuocTaiSuDung": "2", "TepDinhKemId": "",
                             "DuongDanTaiTepTin": ""}]),
    ]
    for body in accepted:
        assert opencps.insert(body)["error_code"] == "00", body["MaHoSo"]
    assert [d["MaHoSo"] for d in opencps.server.state()["dossiers"]] == [CODE, OTHER]


def test_status_set_depends_on_the_dialect_and_can_be_given(make_server):
    for status in ("5", "6", "8"):  # TH sends 9 for these
        assert refused(Gateway(make_server(dialect="gateway")).insert(dossier(TrangThaiHoSo=status)),
                       "TrangThaiHoSo")
    assert Opencps(make_server()).insert(dossier(TrangThaiHoSo="5"))["error_code"] == "00"
    assert Gateway(make_server(dialect="gateway")).insert(dossier(TrangThaiHoSo="9"))["error_code"] == "0"
    narrow = Opencps(make_server(statuses={"1", "2"}))
    assert refused(narrow.insert(dossier(TrangThaiHoSo="4")), "TrangThaiHoSo")
    assert narrow.insert(dossier())["error_code"] == "00"
    assert refused(narrow.steps(step(TrangThai="4")), "TrangThai")


# --- steps --------------------------------------------------------------------------------------------------

STEP_REFUSALS = {
    "MaBuoc": (step(MaBuoc="b-1"), "MaBuoc"),
    "unknown field": (step(GhiChu="x"), "GhiChu"),
    "handler over 50": (step(NguoiXuLy="N" * 51), "NguoiXuLy"),
    "handler empty": (step(NguoiXuLy=""), "NguoiXuLy"),
    "status": (step(TrangThai="0"), "TrangThai"),
    "time shape": (step(ThoiDiemXuLy="13/02/2026 10:00"), "ThoiDiemXuLy"),
    "start shape": (step(NgayBatDau="hôm nay"), "NgayBatDau"),
    "code shape": (step(code="0001"), "MaHoSo"),
}


@pytest.mark.parametrize("case", list(STEP_REFUSALS))
def test_a_step_breaking_a_rule_is_refused_naming_the_field(portal, case):
    portal.insert(dossier())
    body, field = STEP_REFUSALS[case]
    assert refused(portal.steps(body), field)
    assert portal.server.state()["steps"] == []


def test_steps_are_kept_once_per_identical_content_and_need_their_dossier(portal):
    before = portal.steps(step())
    assert before["error_code"] == "-1" and CODE in before["message"]
    portal.insert(dossier())
    assert portal.steps(step()) == {"error_code": "0", "message": "Thành công"}
    assert portal.steps(step())["error_code"] == "0"  # resent byte for byte: not doubled
    assert portal.steps(dict(reversed(list(step().items()))))["error_code"] == "0"  # same content, other order
    assert portal.steps(step(NguoiXuLy="N" * 50, NgayBatDau="", NgayKetThucTheoQuyDinh=""))["error_code"] == "0"
    assert portal.server.state()["steps"] == [step(), step(NguoiXuLy="N" * 50, NgayBatDau="",
                                                           NgayKetThucTheoQuyDinh="")]


def test_at_most_steps_per_call_steps_a_call(make_server):
    portal = Opencps(make_server(steps_per_call=3))
    portal.insert(dossier())
    many = [step(NoiDungXuLy=f"Bước {i}") for i in range(4)]
    assert refused(portal.steps(*many), "data")
    assert portal.steps(*many[:3])["error_code"] == "0"
    assert len(portal.server.state()["steps"]) == 3
    default = Gateway(make_server(dialect="gateway"))
    default.insert(dossier())
    assert refused(default.steps(*[step(NoiDungXuLy=f"Bước {i}") for i in range(11)]), "data")


# --- a call is all or nothing -------------------------------------------------------------------------------


def test_one_bad_item_refuses_the_whole_call(portal):
    answer = portal.insert(dossier(), dossier(OTHER, TrichYeuHoSo=LONG))
    assert refused(answer, "data[1].TrichYeuHoSo")
    assert portal.server.state()["dossiers"] == []
    portal.insert(dossier())
    assert refused(portal.steps(step(), step(NguoiXuLy="")), "data[1].NguoiXuLy")
    assert portal.steps(step(), step(OTHER))["error_code"] == "-1"  # the second's dossier is unknown
    assert portal.server.state()["steps"] == []
    exists = portal.insert(dossier(OTHER), dossier())
    assert "đã tồn tại" in exists["message"]
    assert [d["MaHoSo"] for d in portal.server.state()["dossiers"]] == [CODE]
    assert portal.update(dossier(TrangThaiHoSo="4"), dossier(OTHER))["error_code"] == "-1"
    assert portal.server.state()["dossiers"][0]["TrangThaiHoSo"] == "2"


def test_the_same_code_twice_in_one_call_is_refused(portal):
    assert refused(portal.insert(dossier(), dossier()), "MaHoSo")
    assert portal.server.state()["dossiers"] == []


# --- attachments --------------------------------------------------------------------------------------------


def test_without_uploads_there_is_no_upload_service(opencps):
    assert opencps.http.post(opencps.server.url + "/upload", content=b"%PDF",
                             headers={"session": opencps.session, "filename": "a.pdf"}).status_code == 404


def test_with_uploads_attachments_must_point_at_an_uploaded_file(make_server):
    portal = Opencps(make_server(uploads=True))
    server = portal.server

    def upload(data: bytes, session) -> dict:
        return portal.http.post(server.upload_url, content=data, headers={"session": session or "",
                                                                           "filename": "t%E1%BB%9D-khai.pdf"}).json()

    assert upload(b"%PDF-1.4 to khai", "sai")["error_code"] == "401"
    first = upload(b"%PDF-1.4 to khai", portal.session)
    assert first["error_code"] == "0" and first["url"].startswith(server.url + "/files/")
    assert httpx.get(first["url"]).content == b"%PDF-1.4 to khai"
    assert upload(b"%PDF-1.4 to khai", portal.session)["url"] == first["url"]  # content-addressed
    assert [(f["name"], f["size"]) for f in server.state()["files"]] == [("tờ-khai.pdf", 16)]
    outside = with_item("TaiLieuNop", DuongDanTaiTepTin="https://dvc.example.gov.vn/tep/ab12")
    assert refused(portal.insert(outside), "DuongDanTaiTepTin")
    assert refused(portal.insert(with_item("TaiLieuNop", DuongDanTaiTepTin="")), "DuongDanTaiTepTin")
    assert refused(portal.insert(with_item("TaiLieuNop", DuongDanTaiTepTin=first["url"] + "0")), "DuongDanTaiTepTin")
    body = with_item("TaiLieuNop", DuongDanTaiTepTin=first["url"])
    body["DanhSachGiayToKetQua"][0]["DuongDanTepTinKetQua"] = first["url"]
    assert portal.insert(body)["error_code"] == "00"


def test_gateway_uploads_need_no_session(make_server):
    server = make_server(dialect="gateway", uploads=True)
    answer = httpx.post(server.upload_url, content=b"PNG", headers={"filename": "anh.png"}).json()
    assert answer["error_code"] == "0" and httpx.get(answer["url"]).content == b"PNG"


# --- faults -------------------------------------------------------------------------------------------------


def test_garble_applies_the_call_then_answers_without_error_code(portal):
    portal.server.faults.arm("garble", 1)
    assert portal.insert(dossier()) == {"ok": True}
    assert portal.lookup(CODE)["result"][0]["MaHoSo"] == CODE  # it was applied


def test_500_and_429_apply_nothing_and_lose_applies_without_answering(portal):
    faults = portal.server.faults
    faults.arm("500", 1)
    with pytest.raises(ValueError):  # an HTML/text error page, not JSON
        portal.insert(dossier())
    faults.arm("429", 1)
    with pytest.raises(ValueError):
        portal.insert(dossier())
    assert portal.server.state()["dossiers"] == []
    faults.arm("lose", 1)
    with pytest.raises(httpx.TransportError):
        portal.insert(dossier())
    assert [d["MaHoSo"] for d in portal.server.state()["dossiers"]] == [CODE]


def test_429_says_when_to_retry(opencps):
    opencps.server.faults.arm("429", 1)
    response = opencps.http.post(opencps.server.endpoint, json={})
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    opencps.server.faults.arm("500", 1)
    assert opencps.http.post(opencps.server.endpoint, json={}).status_code == 500


def test_captive_portal_answers_html(opencps):
    opencps.server.faults.captive = True
    response = opencps.http.post(opencps.server.login_url, json={"username": USER, "password": PASSWORD})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")


def test_omit_is_gone_and_unknown_faults_are_refused():
    from devtools.provincial_server import Faults, parse_faults

    with pytest.raises(ValueError):
        parse_faults("omit=1")
    with pytest.raises(ValueError):
        Faults().arm("omit")
    assert parse_faults("garble=2").take("garble")


# --- the command line ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(tmp_path, *args: str) -> tuple[subprocess.Popen, str, list[str]]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "devtools.provincial_server", "--port", str(port),
                                "--db", str(tmp_path / f"p{port}.sqlite3"), *args],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = [process.stdout.readline() for _ in range(3)]  # type: ignore[union-attr]
    return process, f"http://127.0.0.1:{port}", lines


def test_command_line_runs_an_opencps_server_with_its_options(tmp_path):
    process, url, lines = _run(tmp_path, "--credentials", "a:b", "--madonvi", MADONVI, "--statuses", "1,2",
                               "--faults", "500=1")
    try:
        assert "provincial server on" in lines[0] and f"{url}/integration" in lines[1] and f"{url}/auth" in lines[2]
        with httpx.Client(headers={"dstcode": "H56"}) as h:
            assert h.post(f"{url}/auth", json={"username": "a", "password": "b"}).status_code == 500
            session = h.post(f"{url}/auth", json={"username": "a", "password": "b"}).json()["session"]
            call = {"service": "DongBoHoSoMC", "session": session, "isUpdating": "False"}
            assert refused(h.post(f"{url}/integration", json={**call, "madonvi": "x", "data": [dossier()]}).json(),
                           "madonvi")
            assert refused(h.post(f"{url}/integration", json={**call, "madonvi": MADONVI,
                                                              "data": [dossier(TrangThaiHoSo="4")]}).json(),
                           "TrangThaiHoSo")
            assert h.post(f"{url}/integration", json={**call, "madonvi": MADONVI, "data": [dossier()]}
                          ).json()["error_code"] == "00"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_command_line_runs_a_gateway_with_uploads(tmp_path):
    process, url, lines = _run(tmp_path, "--dialect", "gateway", "--uploads", "--steps-per-call", "1")
    try:
        assert "gateway" in lines[0] and url in lines[1] and "none" in lines[2]
        uploaded = httpx.post(f"{url}/upload", content=b"%PDF", headers={"filename": "a.pdf"}).json()["url"]
        body = with_item("TaiLieuNop", DuongDanTaiTepTin=uploaded)
        body["DanhSachGiayToKetQua"] = []
        assert httpx.post(f"{url}/ThemMoi", json=[body]).json() == {"error_code": "0", "message": "Thành công"}
        assert refused(httpx.post(f"{url}/DongBoTienTrinh", json=[step(), step(TrangThai="4")]).json(), "data")
    finally:
        process.terminate()
        process.wait(timeout=10)
