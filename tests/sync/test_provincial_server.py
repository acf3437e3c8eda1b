"""The reference provincial server itself: its contract over real HTTP, and its command line."""

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from counter.sync.payload import dossier_payload, step_payload
from tests.sync.conftest import CREDENTIALS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def http(province):
    with httpx.Client(base_url=province.url, headers={"dstcode": "H56"}) as h:
        yield h


@pytest.fixture
def session(http):
    answer = http.post("/login", json={"username": CREDENTIALS[0], "password": CREDENTIALS[1]}).json()
    assert answer["error_code"] == "0"
    return answer["session"]


def sync(http, session, payload, updating="False"):
    return http.post("/DongBoHoSoMC", json={"session": session, "isUpdating": updating, "data": [payload]}).json()


def test_dstcode_header_and_credentials_are_required(province, http):
    body = {"username": CREDENTIALS[0], "password": CREDENTIALS[1]}
    assert httpx.post(f"{province.url}/login", json=body).json()["error_code"] == "400"
    assert http.post("/login", json={**body, "password": "sai"}).json()["error_code"] == "403"


def test_insert_twice_answers_already_exists_and_update_unknown_fails(http, session, dossier):
    payload = dossier_payload(dossier, agency_id="000.00.06.H56")
    assert sync(http, session, payload)["result"][0]["error_code"] == "0"
    second = sync(http, session, payload)["result"][0]
    assert second["error_code"] == "409" and "đã tồn tại" in second["message"]
    unknown = sync(http, session, {**payload, "MaHoSo": "000.00.06.H56-260213-0999"}, "True")["result"][0]
    assert unknown["error_code"] == "404"


def test_malformed_item_names_the_field(http, session, dossier):
    bad = {**dossier_payload(dossier, agency_id="x"), "NgayTiepNhan": "13/02/2026"}
    item = sync(http, session, bad)["result"][0]
    assert item["error_code"] == "400" and "NgayTiepNhan" in item["message"]


def test_steps_need_their_dossier_and_are_deduplicated(province, http, session, dossier):
    step = step_payload(dossier.history[0], dossier)

    def send(s):
        return http.post("/CapNhatTienDoHoSoMC", json={"session": session, "data": [s]}).json()["result"][0]

    assert send(step)["error_code"] == "404"  # before its dossier
    sync(http, session, dossier_payload(dossier, agency_id="x"))
    assert send(step)["error_code"] == "0" and send(step)["error_code"] == "0"
    assert send({**step, "NoiDungXuLy": "khác"})["error_code"] == "409"
    assert [s["MaBuoc"] for s in province.state()["steps"]] == [step["MaBuoc"]]


def test_lookup_admin_status_and_state(province, http, session, dossier):
    sync(http, session, dossier_payload(dossier, agency_id="x"))
    http.post("/_admin/set_status", json={"MaHoSo": dossier.code, "TrangThaiHoSo": "9"})
    found = http.post("/TraCuuHoSo", json={"session": session, "MaHoSo": dossier.code}).json()
    assert found["data"]["TrangThaiHoSo"] == "9" and found["data"]["ChuHoSo"] == "Nguyễn Văn An"
    assert http.get("/_state").json()["dossiers"][0]["MaHoSo"] == dossier.code
    missing = http.post("/TraCuuHoSo", json={"session": session, "MaHoSo": "000.00.06.H56-260213-0999"}).json()
    assert missing["error_code"] == "404"


def test_upload_returns_a_url_serving_the_file(http, session):
    answer = http.post("/TaiTepTin", content=b"%PDF-1.4 ...", headers={"session": session, "filename": "to-khai.pdf"})
    url = answer.json()["url"]
    assert httpx.get(url).content == b"%PDF-1.4 ..."
    assert http.post("/TaiTepTin", content=b"x", headers={"session": "het-han"}).json()["error_code"] == "401"


def test_expired_session_is_refused(province, http, session):
    province.expire_sessions()
    assert http.post("/TraCuuHoSo", json={"session": session, "MaHoSo": "x"}).json()["error_code"] == "401"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_command_line_runs_a_server_with_faults(tmp_path):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "devtools.provincial_server", "--port", str(port),
                                "--db", str(tmp_path / "p.sqlite3"), "--credentials", "a:b", "--faults", "500=1"],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert "provincial server on" in process.stdout.readline()
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"dstcode": "H56"}) as h:
            assert h.post("/login", json={"username": "a", "password": "b"}).status_code == 500
            assert h.post("/login", json={"username": "a", "password": "b"}).json()["error_code"] == "0"
    finally:
        process.terminate()
        process.wait(timeout=10)
